// What the panel (web content) sends is checked before use; the RPC dispatch answers only its own
// methods; names from the workspace inserted into hover Markdown cannot add links or formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { RpcEndpoint, RpcError, memoryTransportPair } from '../../../src/core/protocol/rpc';
import { panelEventCheckers, panelParamCheckers, parseGrayImage } from '../../../src/core/protocol/webview-checks';
import type { FromWebviewEvents, HostPanelApi } from '../../../src/core/protocol/webview';
import { layerHoverMarkdown } from '../../../src/extension/text/hover-text';
import { codeSpan, escapeMarkdown } from '../../../src/extension/text/markdown';
import { layer } from '../extension/fixture';

interface Api {
  add: { params: { a: number }; result: number };
}
type None = Record<never, never>;

test('rpc: prototype keys are not methods; malformed envelopes are ignored', async () => {
  const [a, b] = memoryTransportPair();
  const server = new RpcEndpoint<Api, None, None, None>(b);
  server.handle({ add: ({ a }) => a + 1 });
  const client = new RpcEndpoint<None, Record<string, { params: unknown; result: unknown }>, None, None>(a);
  for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
    await assert.rejects(client.request(m, {}), (e: RpcError) => e.code === 'unknown-method' && e.message.includes(m), m);
  }
  assert.equal(await client.request('add', { a: 1 }), 2);
  // Raw messages of the wrong shape get no answer and break nothing.
  const answers: unknown[] = [];
  a.onMessage((m) => answers.push(m));
  for (const bad of [null, 42, 'x', { rpc: 'req' }, { rpc: 'req', id: '1', method: 'add', params: { a: 1 } }, { rpc: 'req', id: 1.5, method: 'add' }, { rpc: 'req', id: 1, method: {} }, { rpc: 'res', id: 1 }, { rpc: 'evil' }]) {
    a.send(bad as never);
  }
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(answers, []);
  assert.equal(await client.request('add', { a: 2 }), 3);
});

test('rpc: checked params reach the handler cleaned; bad ones answer bad-params and never reach it', async () => {
  const [a, b] = memoryTransportPair();
  const server = new RpcEndpoint<HostPanelApi, None, FromWebviewEvents, None>(b);
  const seen: unknown[] = [];
  const refused: string[] = [];
  server.handle({ samples: (p) => (seen.push(p), { start: p.start, count: p.count, width: 1, height: 1, data: new Uint8Array(), labels: [] }) as never });
  server.check({ params: panelParamCheckers, events: panelEventCheckers, onRejected: (what, msg) => refused.push(`${what}: ${msg}`) });
  const layers: string[] = [];
  server.on('revealLayer', ({ layer, within }) => layers.push(within ? `${within.join('/')}/${layer}` : layer));
  const client = new RpcEndpoint<None, HostPanelApi, None, FromWebviewEvents>(a);
  await client.request('samples', { start: 0, count: 500 });
  assert.deepEqual(seen, [{ start: 0, count: 500 }]);
  for (const p of [{ start: 0, count: 1e9 }, { start: -1, count: 5 }, { start: '0', count: 5 }, { start: 0, count: 2.5 }, null, []]) {
    await assert.rejects(client.request('samples', p as never), (e: RpcError) => e.code === 'bad-params' && /^samples: /.test(e.message), JSON.stringify(p));
  }
  assert.equal(seen.length, 1);
  assert.equal(refused.length, 6);
  client.emit('revealLayer', { layer: 'conv2d' });
  client.emit('revealLayer', { layer: { toString: 1 } } as never);
  client.emit('revealLayer', { layer: 'x'.repeat(5000) });
  client.emit('revealLayer', { layer: 'block1_conv1', within: ['vgg16'] });
  client.emit('revealLayer', { layer: 'a', within: 'vgg16' } as never);
  client.emit('revealLayer', { layer: 'a', within: [3] } as never);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(layers, ['conv2d', 'vgg16/block1_conv1']);
  assert.equal(refused.length, 10);
});

test('panel params: images, samples, exports are range-checked', () => {
  const ok = parseGrayImage({ width: 2, height: 2, data: [0, 255, 3, 4] });
  assert.ok(ok.data instanceof Uint8Array);
  assert.deepEqual([...ok.data], [0, 255, 3, 4]);
  assert.throws(() => parseGrayImage({ width: 2, height: 2, data: new Uint8Array(3) }), /3 bytes for a 2×2 image/);
  assert.throws(() => parseGrayImage({ width: 100000, height: 100000, data: new Uint8Array(1) }), /image.width must be an integer from 1 to 512/);
  assert.throws(() => parseGrayImage({ width: 2, height: 2, data: [0, 256, 1, 1] }), /bytes/);
  assert.throws(() => parseGrayImage({ width: 2, height: 2, data: 'abcd' }), /bytes/);
  assert.deepEqual(panelParamCheckers.activations({ sample: 3 }), { sample: 3 });
  assert.throws(() => panelParamCheckers.activations({ sample: -3 }), /sample must be an integer/);
  assert.throws(() => panelParamCheckers.exportFile({ suggestedName: 'a.png', content: 'x', encoding: 'hex' }), /encoding/);
  assert.throws(() => panelParamCheckers.exportFile({ suggestedName: 'a.png', content: '<svg>', encoding: 'base64' }), /not base64/);
  assert.throws(() => panelParamCheckers.exportFile({ suggestedName: 'x'.repeat(300), content: '', encoding: 'utf8' }), /suggestedName is longer/);
  assert.deepEqual(panelParamCheckers.exportFile({ suggestedName: 'a.csv', content: 'a,b', encoding: 'utf8', extra: 1 }), { suggestedName: 'a.csv', content: 'a,b', encoding: 'utf8' });
  // Run ids name folders under the runs root: never a path; a bounded list.
  assert.deepEqual(panelParamCheckers.runCurves({ ids: ['20261201-1100-ab12', 'gen-0001'] }), { ids: ['20261201-1100-ab12', 'gen-0001'] });
  assert.throws(() => panelParamCheckers.runCurves({ ids: ['../../etc'] }), /ids\[0\] must be a run id .*not a path/);
  assert.throws(() => panelParamCheckers.runCurves({ ids: ['ok', '/abs'] }), /ids\[1\] must be a run id/);
  assert.throws(() => panelParamCheckers.runCurves({ ids: [] }), /ids must be a list of 1 to 50/);
  assert.throws(() => panelParamCheckers.runCurves({ ids: Array(51).fill('a') }), /ids must be a list of 1 to 50/);
  assert.throws(() => panelParamCheckers.runCurves({ ids: 'a' }), /ids must be a list/);
  assert.throws(() => panelParamCheckers.runAction({ runId: '..', action: 'delete' }), /runId must be a run id/);
});

test('hover Markdown: hostile layer names and values render as text, not links, images, HTML or emphasis', () => {
  const md = new MarkdownIt({ html: false, linkify: false });
  const hostile = 'x`](https://evil.example) ![i](https://evil.example/i.png) **bold** <img src=x>\n# heading';
  const l = layer(hostile, 'Dense[click](https://evil.example)*', 4, [null, 10], 110, {
    config: { units: 10, activation: "relu```\n[link](https://evil.example)" },
    inputs: ['in`put'],
  });
  const html = md.render(layerHoverMarkdown(l));
  assert.ok(!/<a |<img|<h1|<em>|<strong>bold/.test(html.replace(/<strong>Dense/, '')), html);
  assert.equal((html.match(/<strong>/g) ?? []).length, 1, 'only the type is bold');
  // The name comes back exactly, inside one code span.
  const spans = [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  assert.ok(spans.includes(hostile.replace('\n', ' ')), spans.join(' | '));
  assert.ok(spans.includes('in`put'));
  // The arguments stay inside one code block.
  assert.equal((html.match(/<pre>/g) ?? []).length, 1);
  assert.match(html, /\[link\]\(https:\/\/evil.example\)/);
});

test('markdown helpers: escaping round-trips through a Markdown renderer', () => {
  const md = new MarkdownIt();
  for (const s of ['a_b*c*', '[x](y)', '`', '``a``', ' ` ', '<b>', '1. item', '# h', '\\', '$(alert)']) {
    const text = md.renderInline(escapeMarkdown(s)).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    assert.equal(text, s, `plain ${JSON.stringify(s)}`);
    const code = /<code>([\s\S]*)<\/code>/.exec(md.renderInline(codeSpan(s)))![1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    assert.equal(code, s, `code ${JSON.stringify(s)}`);
  }
});

test('lens and status bar text: a $( in a model name is shown as written, not drawn as an icon', async () => {
  const { escapeIcons } = await import('../../../src/extension/text/markdown');
  const { statusText } = await import('../../../src/extension/text/status-text');
  assert.equal(escapeIcons('$(alert) evil · 10 params'), '\\$(alert) evil · 10 params');
  const s = statusText('$(bug)M', undefined);
  assert.ok(s.startsWith('$(sync~spin) '), 'our own icon stays');
  assert.match(s, /\\\$\(bug\)M/);
  assert.ok(!/(^|[^\\])\$\(bug\)/.test(s));
});
