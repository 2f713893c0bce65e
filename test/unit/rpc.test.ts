import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcEndpoint, RpcError, memoryTransportPair } from '../../src/core/protocol/rpc';

interface CalcApi {
  add: { params: { a: number; b: number }; result: number };
  fail: { params: { why: string }; result: never };
  slow: { params: { ms: number }; result: string };
}
type None = Record<never, never>;
interface Ev {
  tick: { n: number };
}

function pair() {
  const [a, b] = memoryTransportPair();
  const client = new RpcEndpoint<None, CalcApi, Ev, None>(a);
  const server = new RpcEndpoint<CalcApi, None, None, Ev>(b);
  return { client, server };
}

test('request gets the handler result', async () => {
  const { client, server } = pair();
  server.handle({ add: ({ a, b }) => a + b });
  assert.equal(await client.request('add', { a: 2, b: 3 }), 5);
});

test('handler errors reject with message and code', async () => {
  const { client, server } = pair();
  server.handle({
    fail: ({ why }) => {
      throw Object.assign(new Error(why), { code: 'bad-input' });
    },
  });
  await assert.rejects(client.request('fail', { why: 'nope' }), (e: unknown) => {
    assert.ok(e instanceof RpcError);
    assert.equal(e.message, 'nope');
    assert.equal(e.code, 'bad-input');
    return true;
  });
});

test('unknown method is reported, not hung', async () => {
  const { client } = pair();
  await assert.rejects(client.request('add', { a: 1, b: 1 }), /unknown method 'add'/);
});

test('cancelling aborts the handler signal and rejects the caller', async () => {
  const { client, server } = pair();
  let sawAbort = false;
  server.handle({
    slow: ({ ms }, { signal }) =>
      new Promise<string>((resolve) => {
        const t = setTimeout(() => resolve('late'), ms);
        signal.addEventListener('abort', () => {
          sawAbort = true;
          clearTimeout(t);
          resolve('aborted');
        });
      }),
  });
  const ac = new AbortController();
  const p = client.request('slow', { ms: 5000 }, { signal: ac.signal });
  setTimeout(() => ac.abort(), 10);
  await assert.rejects(p, (e: unknown) => e instanceof RpcError && e.code === 'cancelled');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sawAbort, true);
});

test('events reach listeners until unsubscribed', async () => {
  const { client, server } = pair();
  const seen: number[] = [];
  const off = client.on('tick', ({ n }) => seen.push(n));
  server.emit('tick', { n: 1 });
  server.emit('tick', { n: 2 });
  await new Promise((r) => setTimeout(r, 5));
  off();
  server.emit('tick', { n: 3 });
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen, [1, 2]);
});

test('dispose rejects pending requests', async () => {
  const { client, server } = pair();
  server.handle({ slow: () => new Promise<string>(() => {}) });
  const p = client.request('slow', { ms: 1 });
  client.dispose('worker exited', 'crashed');
  await assert.rejects(p, (e: unknown) => e instanceof RpcError && e.code === 'crashed');
  await assert.rejects(client.request('add', { a: 1, b: 2 }), /channel closed/);
});
