import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictionText } from '../../../src/extension/text/prediction-text';
import { npmInstallError } from '../../../src/extension/text/npm-errors';
import { formatValue, layerHoverMarkdown } from '../../../src/extension/text/hover-text';
import { layer } from './fixture';

test('prediction text: top-3 with percent, true label when known', () => {
  const p = { top: [{ label: 7, prob: 0.99971 }, { label: 2, prob: 0.0002 }, { label: 3, prob: 0.00001 }, { label: 1, prob: 0 }], probs: [], input: { width: 28, height: 28, data: new Uint8Array() } };
  assert.equal(predictionText(p), '7 (100.0%) · 2 (0.0%) · 3 (0.0%)');
  assert.equal(predictionText({ ...p, trueLabel: 7 }, ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven']), 'seven (100.0%) · two (0.0%) · three (0.0%) — true label seven');
});

test('npm errors: offline, missing npm, other', () => {
  assert.match(npmInstallError('npm ERR! code ENOTFOUND\nnpm ERR! request to https://registry.npmjs.org/x failed', 1), /^No network/);
  assert.match(npmInstallError('', null, { code: 'ENOENT', message: 'spawn npm ENOENT' }), /npm was not found/);
  assert.match(npmInstallError('npm ERR! code E404\nnpm ERR! 404 Not Found', 1), /exit code 1.*E404/);
  assert.match(npmInstallError('Error: EACCES: permission denied, mkdir', 243), /permission denied/);
});

test('hover: header, formula, args with defaults marked, hidden keys skipped', () => {
  const l = layer('conv2d', 'Conv2D', 4, [null, 28, 28, 32], 320, { config: { name: 'conv2d', filters: 32, kernel_size: [3, 3], padding: 'same', use_bias: true, bias_initializer: null }, inputs: ['input_1'] });
  const md = layerHoverMarkdown(l, {
    formula: '(3·3·1 + 1) · 32 = 320',
    doc: '2-D convolution.',
    args: [
      { name: 'filters', value: '32' },
      { name: 'strides', value: '(1, 1)', isDefault: true },
    ],
  });
  assert.match(md, /^\*\*Conv2D\*\* `conv2d` → `28×28×32` · 320 params/);
  assert.match(md, /Parameters: `\(3·3·1 \+ 1\) · 32 = 320`/);
  assert.match(md, /    strides=\(1, 1\),  # default/);
  assert.match(md, /Input: `input_1`/);
  const plain = layerHoverMarkdown(l);
  assert.match(plain, /kernel_size=\(3, 3\),/);
  assert.match(plain, /use_bias=True,/);
  assert.match(plain, /bias_initializer=None,/);
  assert.doesNotMatch(plain, /name=/);
  assert.equal(formatValue([5]), '(5,)');
  assert.equal(formatValue({ a: 'b' }), "{'a': 'b'}");
});
