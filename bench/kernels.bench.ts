// Per-kernel times of the wasm training kernels at the reference Basic_CNN's sizes (batch 64):
// ours on wasm vs. the wasm backend's own kernel (where it has one) vs. the cpu backend; the filter
// gradient also without the SIMD loop (per-tap products) and through its convolution path.
// Columns: wall time (best of 5) and CPU time of this process (best of 5; robust to other
// processes, but sums all threads when running threaded).
// Figures are the best of several runs; the machine is shared, so they are noisy.
// Usage: node --import tsx bench/kernels.bench.ts [--threads N] [--no-cpu] [--only LABEL-PART]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmTrainingKernels, wasmBuiltinKernel } from '../src/worker/kernels/index';
import { setupWasmBackend } from '../src/worker/kernels/threaded-backend';
import { shiftedProducts } from '../src/worker/kernels/conv2d-backprop-filter';
import { simdKernelSettings } from '../src/worker/kernels/simd/simd-kernels';

const args = process.argv.slice(2);
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;
const withCpu = !args.includes('--no-cpu');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : '';

type Inputs = Record<string, number[]>;
interface Case {
  label: string;
  kernel: string;
  inputs: Inputs;
  attrs: Record<string, unknown>;
  /** Set up before timing; returns what undoes it. */
  setting?: () => () => void;
}

/** The filter gradient without the SIMD loop: the per-tap products at stride 1 (what the loop replaced). */
const withoutSimd = () => {
  simdKernelSettings.enabled = false;
  return () => (simdKernelSettings.enabled = true);
};

/** The filter gradient's convolution path, where the per-tap products would be taken (to compare the two). */
const convolutionPath = () => {
  const saved = shiftedProducts.maxFrameRatio;
  shiftedProducts.maxFrameRatio = 0;
  simdKernelSettings.enabled = false;
  return () => {
    shiftedProducts.maxFrameRatio = saved;
    simdKernelSettings.enabled = true;
  };
};

const cases: Case[] = [];
for (const [h, ci, co] of [
  [28, 1, 32],
  [28, 32, 32],
  [14, 32, 64],
  [14, 64, 64],
] as const) {
  const x = [64, h, h, ci];
  const f = [3, 3, ci, co];
  const dy = [64, h, h, co];
  const tag = `${h}×${h}×${ci}→${co}`;
  cases.push({ label: `Conv2D (forward) ${tag}`, kernel: 'Conv2D', inputs: { x, filter: f }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 } });
  cases.push({ label: `Conv2DBackpropFilter ${tag}`, kernel: 'Conv2DBackpropFilter', inputs: { x, dy }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f } });
  if (ci > 1) cases.push({ label: `Conv2DBackpropFilter ${tag} (no SIMD loop)`, kernel: 'Conv2DBackpropFilter', inputs: { x, dy }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f }, setting: withoutSimd });
  if (ci > 1) cases.push({ label: `Conv2DBackpropFilter ${tag} (conv path)`, kernel: 'Conv2DBackpropFilter', inputs: { x, dy }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f }, setting: convolutionPath });
  cases.push({ label: `Conv2DBackpropInput ${tag}`, kernel: 'Conv2DBackpropInput', inputs: { dy, filter: f }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x } });
}
cases.push({ label: 'Conv2DBackpropInput stride 2 28×28×32→32', kernel: 'Conv2DBackpropInput', inputs: { dy: [64, 14, 14, 32], filter: [3, 3, 32, 32] }, attrs: { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [64, 28, 28, 32] } });
cases.push({ label: 'Conv2DBackpropFilter stride 2 28×28×32→32', kernel: 'Conv2DBackpropFilter', inputs: { x: [64, 28, 28, 32], dy: [64, 14, 14, 32] }, attrs: { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 32] } });
cases.push({ label: 'MaxPoolGrad 28×28×32 2×2', kernel: 'MaxPoolGrad', inputs: { dy: [64, 14, 14, 32], input: [64, 28, 28, 32] }, attrs: { filterSize: 2, strides: 2, pad: 'valid' } });
cases.push({ label: 'MaxPoolGrad 14×14×64 2×2', kernel: 'MaxPoolGrad', inputs: { dy: [64, 7, 7, 64], input: [64, 14, 14, 64] }, attrs: { filterSize: 2, strides: 2, pad: 'valid' } });
cases.push({ label: 'Sum (bias gradient) 64×28×28×32 over 0,1,2', kernel: 'Sum', inputs: { x: [64, 28, 28, 32] }, attrs: { axis: [0, 1, 2], keepDims: false } });
cases.push({ label: 'Sum (bias gradient) 64×14×14×64 over 0,1,2', kernel: 'Sum', inputs: { x: [64, 14, 14, 64] }, attrs: { axis: [0, 1, 2], keepDims: false } });
cases.push({ label: 'BatchMatMul Dense dW (3136×64)·(64×512)', kernel: 'BatchMatMul', inputs: { a: [1, 64, 3136], b: [1, 64, 512] }, attrs: { transposeA: true, transposeB: false } });
cases.push({ label: 'BatchMatMul Dense dx (64×512)·(512×3136)', kernel: 'BatchMatMul', inputs: { a: [1, 64, 512], b: [1, 3136, 512] }, attrs: { transposeA: false, transposeB: true } });
cases.push({ label: 'DepthwiseConv2dNativeBackpropFilter 28×28×32', kernel: 'DepthwiseConv2dNativeBackpropFilter', inputs: { x: [64, 28, 28, 32], dy: [64, 28, 28, 32] }, attrs: { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 32, 1] } });
cases.push({ label: 'DepthwiseConv2dNativeBackpropInput 28×28×32', kernel: 'DepthwiseConv2dNativeBackpropInput', inputs: { dy: [64, 28, 28, 32], filter: [3, 3, 32, 1] }, attrs: { strides: 1, pad: 'same', dilations: 1, inputShape: [64, 28, 28, 32] } });

function time(backend: string, c: Case, reps: number): { wall: number; cpu: number } {
  tf.setBackend(backend);
  const ins: Record<string, tf.Tensor> = {};
  for (const [k, s] of Object.entries(c.inputs)) ins[k] = tf.randomNormal(s);
  const run = () => (tf.engine().runKernel(c.kernel, ins, c.attrs as tf.NamedAttrMap) as tf.Tensor).dispose();
  run();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall = Math.min(wall, performance.now() - t0);
    const u = process.cpuUsage(c0);
    cpu = Math.min(cpu, (u.user + u.system) / 1000);
  }
  tf.dispose(Object.values(ins));
  return { wall, cpu };
}

/** Times tfjs-backend-wasm's own kernel (temporarily registered again), if ours replaced one. */
function timeBuiltin(c: Case): { wall: number; cpu: number } | undefined {
  const builtin = wasmBuiltinKernel(c.kernel);
  if (!builtin) return undefined;
  tf.unregisterKernel(c.kernel, 'wasm');
  tf.registerKernel(builtin);
  builtin.setupFunc?.(tf.backend());
  try {
    return time('wasm', c, 3);
  } finally {
    tf.unregisterKernel(c.kernel, 'wasm');
    registerWasmTrainingKernels();
  }
}

const fmt = (t: { wall: number; cpu: number } | undefined, w = 15) =>
  (t ? `${t.wall.toFixed(1)} (${t.cpu.toFixed(1)})` : '—').padStart(w);

async function main() {
  const setup = await setupWasmBackend({ threads });
  console.log(`backend: ${setup.detail}; ms as wall (cpu)`);
  console.log(`${'kernel'.padEnd(48)} ${'ours/wasm'.padStart(15)} ${'wasm built-in'.padStart(15)} ${withCpu ? 'cpu backend'.padStart(15) : ''}`);
  for (const c of cases.filter((k) => k.label.includes(only))) {
    const undo = c.setting?.();
    const ours = time('wasm', c, 5);
    undo?.();
    const builtin = timeBuiltin(c);
    const cpu = withCpu && !c.setting ? time('cpu', c, 1) : undefined;
    console.log(`${c.label.padEnd(48)} ${fmt(ours)} ${fmt(builtin)} ${withCpu ? fmt(cpu) : ''}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
