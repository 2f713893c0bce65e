/**
 * Backend choice inside the worker: tfjs-node when it loads, else wasm (files shipped in the npm
 * package, copied to dist/ by the build), else the pure-JS cpu backend. The reason is reported.
 */
// A named import: a bare import would be dropped by the bundler (the package marks its node build side-effect free).
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendChoice, BackendInfo } from '../core/protocol/worker';
import { setupWasmBackend } from './kernels/threaded-backend';
import { bundledTf, tf, useTf, type TF } from './tf';

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
}

/** Try `@tensorflow/tfjs-node` from the usual places and from `<extra>/node_modules`. */
function loadTfjsNode(nativeModulePath?: string): { tf?: TF; why: string } {
  const bases = [__filename];
  if (nativeModulePath) bases.unshift(path.join(nativeModulePath, 'noop.js'));
  let why = 'tfjs-node not installed';
  for (const base of bases) {
    try {
      const mod = createRequire(base)('@tensorflow/tfjs-node') as TF;
      return { tf: mod, why: 'tfjs-node loaded' };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'MODULE_NOT_FOUND') {
        why = `tfjs-node failed to load (${firstLine(e)})`;
        break;
      }
    }
  }
  return { why };
}

/** The folder holding tfjs-backend-wasm*.wasm: dist/ when bundled, else the npm package. */
export function wasmDir(): string {
  if (fs.existsSync(path.join(__dirname, 'tfjs-backend-wasm-simd.wasm'))) return __dirname;
  const pkg = createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist');
}

async function tryWasm(threads?: number): Promise<{ ok: true; simd: boolean; threads: number; detail: string } | { ok: false; why: string }> {
  try {
    const dir = wasmDir();
    setWasmPaths(dir + path.sep);
    // The threaded SIMD build when SharedArrayBuffer and worker_threads allow it (XNNPACK then
    // spreads convolutions over the cores), else the package's single-threaded loader.
    const setup = await setupWasmBackend({ wasmDir: dir, ...(threads ? { threads } : {}) });
    const simd = Boolean(await bundledTf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return { ok: true, simd: simd || setup.threads > 1, threads: setup.threads, detail: setup.detail };
  } catch (e) {
    return { ok: false, why: `wasm failed (${firstLine(e)})` };
  }
}

let chosen: BackendInfo | undefined;

export function currentBackend(): BackendInfo | undefined {
  return chosen;
}

/** Choose and initialise a backend. An explicit choice that fails is an error; 'auto' falls back. */
export async function initBackend(choice: BackendChoice, nativeModulePath?: string, threads?: number): Promise<BackendInfo> {
  if (chosen && (choice === 'auto' || choice === chosen.backend)) return chosen;
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const node = loadTfjsNode(nativeModulePath);
    if (node.tf) {
      useTf(node.tf);
      await tf.ready();
      return (chosen = { backend: 'tensorflow', reason: 'native TensorFlow (tfjs-node) loaded' });
    }
    if (choice === 'tensorflow') throw Object.assign(new Error(`backend 'tensorflow' unavailable: ${node.why}. Use --backend auto.`), { code: 'backend' });
    notes.push(node.why);
  }
  useTf(bundledTf);
  if (choice === 'auto' || choice === 'wasm') {
    const w = await tryWasm(threads);
    if (w.ok) return (chosen = { backend: 'wasm', reason: [...notes, w.detail].join('; '), simd: w.simd, threads: w.threads });
    if (choice === 'wasm') throw Object.assign(new Error(`backend 'wasm' unavailable: ${w.why}`), { code: 'backend' });
    notes.push(w.why);
  }
  // Using version_cpu keeps the cpu backend's registration in the bundle.
  if (!(await bundledTf.setBackend('cpu'))) throw new Error(`the cpu backend (tfjs-backend-cpu ${version_cpu}) failed to initialise`);
  await bundledTf.ready();
  return (chosen = { backend: 'cpu', reason: [...notes, choice === 'cpu' ? 'cpu asked for' : 'pure-JS cpu backend (slow)'].join('; ') });
}
