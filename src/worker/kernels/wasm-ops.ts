// Small helpers for composing wasm-backend kernels inside a kernel function: they call the wasm
// backend's own kernel functions directly (no engine, no tape), so intermediates are TensorInfos
// that must be released with `release`.
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm that the training kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  wasm: {
    HEAPU8: Uint8Array;
    HEAPF32: Float32Array;
    cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    tfjs: { disposeData(id: number): void };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; dtype: string } };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Attrs = tf.NamedAttrMap;

const cache = new Map<string, tf.KernelFunc>();

/** Runs the wasm backend's registered kernel `name` directly. */
export function runWasm(backend: WasmBackend, name: string, inputs: tf.NamedTensorInfoMap, attrs: Attrs = {}): tf.TensorInfo {
  let f = cache.get(name);
  if (!f) {
    const k = tf.getKernel(name, 'wasm');
    if (!k) throw new Error(`wasm backend has no '${name}' kernel`);
    f = k.kernelFunc;
    cache.set(name, f);
  }
  return f({ inputs, attrs, backend }) as tf.TensorInfo;
}

/** Releases an intermediate result produced by `runWasm`. */
export function release(backend: WasmBackend, ...ts: tf.TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

export function transpose(backend: WasmBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runWasm(backend, 'Transpose', { x }, { perm });
}

/** Where a tensor's data starts in the wasm heap (a byte address: what the SIMD kernels take). */
export function heapAddress(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/**
 * A tensor that shares `t`'s memory from element `offset` on (a contiguous part of it, read as
 * `shape`). Release it with `releaseView`, never `release`: the memory stays `t`'s.
 */
export function view(backend: WasmBackend, t: tf.TensorInfo, offset: number, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32', heapAddress(backend, t) + offset * 4);
}

export function releaseView(backend: WasmBackend, ...vs: tf.TensorInfo[]): void {
  for (const v of vs) {
    const d = backend.dataIdMap.get(v.dataId);
    backend.wasm.tfjs.disposeData(d.id);
    (backend.dataIdMap as unknown as Map<object, unknown>).delete(v.dataId);
  }
}

/** A float32 view of a tensor's data on the wasm heap (valid until the next allocation). */
export function heapF32(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/**
 * tfjs-backend-wasm's own kernel that one of ours replaced and may delegate to. Its setup (which
 * binds the wasm function) runs lazily for each backend instance, since the engine only sets up
 * kernels that are registered when a backend starts.
 */
export class BuiltinKernel {
  private config: tf.KernelConfig | undefined;
  private setUpFor: object | undefined;

  constructor(readonly name: string) {}

  set(config: tf.KernelConfig | undefined): void {
    this.config = config;
    this.setUpFor = undefined;
  }

  get available(): boolean {
    return this.config !== undefined;
  }

  run(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
    const c = this.config;
    if (!c) throw new Error(`the wasm backend's own ${this.name} kernel was not found`);
    if (this.setUpFor !== args.backend) {
      c.setupFunc?.(args.backend);
      this.setUpFor = args.backend;
    }
    return c.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
}

/** A 4-D NHWC tensor with `rows` zero rows added below and `cols` zero columns at the right. */
export function padBottomRight(backend: WasmBackend, x: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  return runWasm(backend, 'PadV2', { x }, {
    paddings: [
      [0, 0],
      [0, rows],
      [0, cols],
      [0, 0],
    ],
    constantValue: 0,
  } as unknown as Attrs);
}

/** Attributes of a stride-1, undilated NHWC convolution with explicit padding (rows, then columns). */
export function unitStrideAttrs(top: number, bottom: number, left: number, right: number): Attrs {
  return {
    strides: [1, 1],
    dilations: [1, 1],
    pad: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dimRoundingMode: 'floor',
  } as unknown as Attrs;
}
