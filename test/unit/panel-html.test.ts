import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNonce, panelHtml } from '../../src/core/panel-html';

const opts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123XYZ', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/dist/webview.css', title: 'Model <Lens> & "co"' };

test('panelHtml: strict CSP with the nonce, only the extension origin, no inline code', () => {
  const html = panelHtml(opts);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], ["'nonce-abc123XYZ'"]);
  assert.deepEqual(directives['style-src'], [opts.cspSource]);
  assert.deepEqual(directives['img-src'], [opts.cspSource, 'data:', 'blob:']);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('connect-src'));
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]![1]!, /nonce="abc123XYZ" src="https:\/\/x\/dist\/webview.js"/);
  assert.equal(scripts[0]![2]!.trim(), '', 'no inline script');
  assert.ok(!/<style/.test(html) && !/ style="/.test(html), 'no inline styles');
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/dist\/webview.css">/);
  assert.match(html, /<title>Model &lt;Lens&gt; &amp; &quot;co&quot;<\/title>/);
});

test('panelHtml: rejects a nonce that could break out of the attribute; makeNonce makes good ones', () => {
  assert.throws(() => panelHtml({ ...opts, nonce: `x" onload="alert(1)` }), /nonce/);
  const a = makeNonce();
  assert.match(a, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(a, makeNonce());
  assert.doesNotThrow(() => panelHtml({ ...opts, nonce: a }));
});

test('makeNonce: drawn from the crypto source (not Math.random), uniform over 62 characters', () => {
  const saved = Math.random;
  Math.random = () => 0; // a predictable Math.random must not make predictable nonces
  try {
    assert.notEqual(makeNonce(), makeNonce());
  } finally {
    Math.random = saved;
  }
  const asked: number[] = [];
  let next = 0;
  const fake = (n: number) => (asked.push(n), Uint8Array.from({ length: n }, () => next++ % 256));
  const nonce = makeNonce(fake);
  assert.ok(asked.length >= 1, 'the random source was used');
  assert.equal(nonce, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef');
  // Bytes 248..255 are skipped (modulo bias): with only those, more bytes are asked for.
  let calls = 0;
  const biased = (n: number) => (calls++, new Uint8Array(n).fill(calls < 3 ? 250 : 1));
  assert.equal(makeNonce(biased), 'B'.repeat(32));
  assert.equal(calls, 3);
});
