// The replica side of data-parallel training: a worker thread with its own tfjs engine and wasm
// instance (single-threaded), holding a copy of the model; per step it loads the current weights
// from shared memory, computes loss, metrics and gradients on its rows and writes the gradients
// to shared memory.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupWasmBackend } from '../kernels/threaded-backend';
import { computeStep } from './gradients';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol';
import { offsets } from './shared-buffers';

export function runReplica(): void {
  const port = parentPort;
  if (!port) throw new Error('runReplica() must run in a worker thread');
  let model: tfl.LayersModel | undefined;
  let init: ReplicaInit | undefined;
  const send = (m: FromReplica) => port.postMessage(m);

  function loadWeights(): void {
    const w = init!.weights;
    const offs = offsets(init!.weightShapes);
    model!.weights.forEach((v, i) => {
      const shape = init!.weightShapes[i]!;
      const n = shape.reduce((a, b) => a * b, 1);
      const t = tf.tensor(w.slice(offs[i]!, offs[i]! + n), shape);
      v.write(t);
      t.dispose();
    });
  }

  port.on('message', async (msg: ToReplica) => {
    try {
      if (msg.cmd === 'init') {
        init = msg;
        const setup = await setupWasmBackend({ threads: 1, wasmDir: msg.wasmDir });
        model = (await tfl.models.modelFromJSON({ modelTopology: msg.modelTopology } as never)) as tfl.LayersModel;
        const names = model.weights.map((w) => w.originalName);
        if (names.join('\n') !== msg.weightNames.join('\n')) throw new Error('replica model weights differ from the original');
        model.compile({ optimizer: 'sgd', loss: msg.loss, metrics: msg.metrics });
        send({ cmd: 'ready', backend: setup.detail });
      } else if (msg.cmd === 'step') {
        if (msg.weightsChanged) loadWeights();
        const result = tf.tidy(() => {
          const xs = msg.xs.map((x) => tf.tensor(x.data, x.shape, x.dtype));
          const ys = msg.ys.map((y) => tf.tensor(y.data, y.shape, y.dtype));
          const r = computeStep(model!, xs, ys);
          const offs = offsets(init!.trainableShapes);
          r.grads.forEach((g, i) => init!.grads.set(g.dataSync() as Float32Array, offs[i]!));
          return r.values;
        });
        send({ cmd: 'done', values: result });
      } else if (msg.cmd === 'stop') {
        port.close();
        tf.removeBackend('wasm');
      }
    } catch (e) {
      send({ cmd: 'error', message: (e as Error).stack ?? String(e) });
    }
  });
}
