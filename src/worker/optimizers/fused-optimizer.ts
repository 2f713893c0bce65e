// A TensorFlow.js optimizer for the wasm backend that updates every weight in one pass over the
// heap, split over the threads (update-pool.ts), instead of tfjs's ~14 element-wise kernels per
// weight, each a pass over memory, most on one thread. Same rules and slot names as tfjs's Adam,
// SGD (with momentum, Nesterov) and RMSprop (centered, momentum), plus AdamW; checked against
// tfjs's own optimizers in test/unit/kernels/fused-optimizer.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { heapAddress, type WasmBackend } from '../kernels/wasm-ops';
import { UpdatePool } from './update-pool';
import { P, RULE, TABLE_STRIDE } from './update-rules';

export type UpdateRule =
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number; /** AdamW: decoupled decay; 0 = Adam. */ weightDecay: number }
  | { kind: 'sgd'; learningRate: number; momentum: number; nesterov: boolean }
  | { kind: 'rmsprop'; learningRate: number; rho: number; momentum: number; epsilon: number; centered: boolean };

type NamedTensor = { name: string; tensor: tf.Tensor };
type WasmModule = WasmBackend['wasm'] & { wasmMemory?: WebAssembly.Memory };

let pool: { memory: WebAssembly.Memory | undefined; pool: UpdatePool } | undefined;

/** The process's update pool for this backend's memory (one helper per extra wasm thread). */
function poolFor(backend: WasmBackend): UpdatePool {
  const memory = (backend.wasm as WasmModule).wasmMemory;
  if (!pool || pool.memory !== memory) {
    pool?.pool.dispose();
    pool = { memory, pool: new UpdatePool(memory, getThreadsCount()) };
  }
  return pool.pool;
}

/** Slot names after tfjs's (`<weight>/m`, …), so saved optimizer weights read the same. */
function slotNames(rule: UpdateRule): (string | undefined)[] {
  switch (rule.kind) {
    case 'adam':
      return ['m', 'v', undefined];
    case 'sgd':
      return [rule.momentum > 0 ? 'momentum' : undefined, undefined, undefined];
    case 'rmsprop':
      return ['rms', rule.momentum > 0 ? 'momentum' : undefined, rule.centered ? 'mg' : undefined];
  }
}

export class FusedOptimizer extends tf.Optimizer {
  static readonly className = 'ModelLensFusedOptimizer';
  private readonly slots = new Map<string, (tf.Variable | undefined)[]>();
  /** beta1^t and beta2^t as float32, as tfjs keeps them. */
  private accBeta1 = 1;
  private accBeta2 = 1;
  private table = new Int32Array(new SharedArrayBuffer(TABLE_STRIDE * 4 * 16));
  private readonly params = new Float64Array(new SharedArrayBuffer(P.size * 8));

  constructor(readonly rule: UpdateRule) {
    super();
  }

  override getClassName(): string {
    return FusedOptimizer.className;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.rule };
  }

  private slotsFor(name: string, value: tf.Variable): (tf.Variable | undefined)[] {
    let s = this.slots.get(name);
    if (!s) {
      s = slotNames(this.rule).map((suffix) => (suffix ? tf.tidy(() => tf.zerosLike(value).variable(false, `${name}/${suffix}`)) : undefined));
      this.slots.set(name, s);
    }
    return s;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const backend = tf.backend() as WasmBackend;
    if (tf.getBackend() !== 'wasm') throw new Error(`the one-pass optimizer runs on the wasm backend only (now: ${tf.getBackend()})`);
    const list = Array.isArray(variableGradients) ? variableGradients.map((v) => [v.name, v.tensor] as const) : Object.entries(variableGradients);
    const work = list.filter(([, g]) => g != null);
    if (this.table.length < work.length * TABLE_STRIDE) this.table = new Int32Array(new SharedArrayBuffer(work.length * TABLE_STRIDE * 4 * 2));
    const table = this.table;
    const offset = (t: tf.Tensor | tf.TensorInfo) => heapAddress(backend, t) / 4;
    const replaced: [tf.Variable, tf.Tensor][] = [];
    let total = 0;
    work.forEach(([name, g], k) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      if (value.dtype !== 'float32' || g.dtype !== 'float32') throw new Error(`weight '${name}' is ${value.dtype}: the optimizer updates float32 weights only`);
      const s = this.slotsFor(name, value);
      const o = k * TABLE_STRIDE;
      table[o] = value.size;
      table[o + 1] = offset(value);
      table[o + 2] = offset(g);
      for (let j = 0; j < 3; j++) table[o + 3 + j] = s[j] ? offset(s[j]!) : -1;
      // The new weight goes to a fresh buffer that the variable then takes, as tfjs's assign
      // does; never in place: the wasm backend caches XNNPACK operators with the filter packed
      // in, keyed by the weight's data, and frees them only when that data is disposed (an
      // in-place update would leave convolutions and matrix products on the old weights). A
      // clone sharing the old memory (wasm's Identity shares) keeps the old values too.
      const fresh = tf.engine().makeTensorFromTensorInfo(backend.makeOutput(value.shape, 'float32'));
      replaced.push([value, fresh]);
      table[o + 6] = offset(fresh);
      total += value.size;
    });
    const p = this.params;
    const r = this.rule;
    p[P.lr] = r.learningRate;
    switch (r.kind) {
      case 'adam':
        this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(r.beta1));
        this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(r.beta2));
        p[P.rule] = RULE.adam;
        p[P.beta1] = Math.fround(r.beta1);
        p[P.beta2] = Math.fround(r.beta2);
        p[P.epsilon] = r.epsilon;
        p[P.corr1] = Math.fround(1 - this.accBeta1);
        p[P.corr2] = Math.fround(1 - this.accBeta2);
        p[P.decay] = r.weightDecay * r.learningRate;
        break;
      case 'sgd':
        p[P.rule] = r.momentum > 0 ? RULE.momentum : RULE.sgd;
        p[P.momentum] = r.momentum;
        p[P.nesterov] = r.nesterov ? 1 : 0;
        break;
      case 'rmsprop':
        p[P.rule] = RULE.rmsprop;
        p[P.rho] = r.rho;
        p[P.momentum] = r.momentum;
        p[P.epsilon] = r.epsilon;
        p[P.centered] = r.centered ? 1 : 0;
        break;
    }
    poolFor(backend).run(table, work.length, p, total, () => backend.wasm.HEAPF32);
    for (const [value, fresh] of replaced) {
      value.assign(fresh);
      fresh.dispose();
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const s of this.slots.values()) for (const v of s) v?.dispose();
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const s of this.slots.values()) for (const v of s) if (v) out.push({ name: v.name, tensor: v });
    return out;
  }
}

/** Threads the one-pass update runs on in this process (1 without shared wasm memory). */
export function updateThreads(): number {
  return tf.getBackend() === 'wasm' ? poolFor(tf.backend() as WasmBackend).threads : 1;
}
