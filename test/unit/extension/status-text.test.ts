import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEta, statusText, statusTextMany } from '../../../src/extension/text/status-text';

test('eta formats as m:ss and h:mm:ss', () => {
  assert.equal(formatEta(70), '1:10');
  assert.equal(formatEta(5), '0:05');
  assert.equal(formatEta(3725), '1:02:05');
  assert.equal(formatEta(-3), '0:00');
});

test('status text as the issue spells it', () => {
  const p = { epoch: 1, epochs: 3, progress: 0.423, etaSec: 70 };
  assert.equal(statusText('Basic_CNN', p), '$(sync~spin) Basic_CNN 42% · 1:10 left');
  assert.equal(statusText('Basic_CNN', undefined), '$(sync~spin) Basic_CNN · starting…');
  assert.equal(statusText('m', { epoch: 1, epochs: 1, progress: 1, etaSec: 0 }), '$(sync~spin) m 100%');
  // Stop asked: said at once in place of the time left.
  assert.equal(statusText('Basic_CNN', p, true), '$(sync~spin) Basic_CNN 42% · stopping…');
  assert.equal(statusText('Basic_CNN', undefined, true), '$(sync~spin) Basic_CNN · stopping…');
});

test('several runs', () => {
  assert.equal(statusTextMany(['a', 'b', 'c']), 'a (+2)');
  assert.equal(statusTextMany([]), '');
});
