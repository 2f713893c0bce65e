/**
 * Keras's SpectralNormalization wrapper as a TF.js layer. As in Keras 3, each training call first
 * runs `power_iterations` steps of power iteration with the non-trainable `vector_u`, then
 * *assigns* the wrapped layer's kernel (or an Embedding's embeddings) its value divided by its
 * largest singular value σ, and calls the wrapped layer; gradients are those of the wrapped layer
 * at the assigned kernel (Keras's assignment is outside the gradient too). At inference it is the
 * wrapped layer as it is. Weights: the wrapped layer's, then vector_u (1, kernel's last axis).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Tensor = tfc.Tensor;
type Shape = (number | null)[];
type Config = Record<string, unknown>;

/** A layer from its `{className, config}` (camelCase, as tfjs-layers hands nested configs over). */
export function deserializeLayer(v: unknown, wrapper: string): tfl.layers.Layer {
  const o = v as { className?: string; class_name?: string; config?: Config } | undefined;
  const className = o?.className ?? o?.class_name;
  const map = tfc.serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, [unknown, (cls: unknown, config: Config) => tfl.layers.Layer]>;
  const entry = className ? map[className] : undefined;
  if (!entry) throw new Error(`${wrapper}: TensorFlow.js cannot build the wrapped layer ${className ?? '(none)'}`);
  const config = { ...(o?.config ?? {}) };
  if (typeof config['dtype'] !== 'string') delete config['dtype']; // Keras 3 dtype policies
  return entry[1](entry[0], config);
}

/** One power-iteration step's σ and new u for a kernel reshaped to (rows, cols). */
export function spectralNorm(kernel: Tensor, u: Tensor, iterations: number): { sigma: Tensor; u: Tensor } {
  const cols = kernel.shape[kernel.shape.length - 1]!;
  const w = tfc.reshape(kernel, [-1, cols]);
  const unit = (t: Tensor) => tfc.div(t, tfc.maximum(tfc.norm(t), 1e-12));
  let uu = u;
  let v = u;
  for (let i = 0; i < iterations; i++) {
    v = unit(tfc.matMul(uu, w, false, true));
    uu = unit(tfc.matMul(v, w));
  }
  const sigma = tfc.reshape(tfc.matMul(tfc.matMul(v, w), uu, false, true), []);
  return { sigma, u: uu };
}

export class SpectralNormalization extends tfl.layers.Layer {
  static className = 'SpectralNormalization';
  readonly inner: tfl.layers.Layer;
  private readonly iterations: number;
  private vectorU?: tfl.LayerVariable;
  private kernel?: tfl.LayerVariable;
  constructor(args: Config) {
    super(args as never);
    this.inner = args['layer'] instanceof tfl.layers.Layer ? args['layer'] : deserializeLayer(args['layer'], 'SpectralNormalization');
    this.iterations = Number(args['powerIterations'] ?? 1);
  }
  override build(inputShape: Shape | Shape[]): void {
    if (!this.inner.built) {
      this.inner.build(inputShape);
      this.inner.built = true;
    }
    const own = (w: tfl.LayerVariable) => w.originalName.split('/').pop();
    this.kernel = this.inner.weights.find((w) => own(w) === 'kernel') ?? this.inner.weights.find((w) => own(w) === 'embeddings');
    if (!this.kernel) throw new Error(`SpectralNormalization: the wrapped ${this.inner.getClassName()} has no kernel nor embeddings`);
    const cols = this.kernel.shape[this.kernel.shape.length - 1]!;
    this.vectorU = this.addWeight('vector_u', [1, cols], 'float32', tfl.initializers.truncatedNormal({ stddev: 0.02 }), undefined, false);
    this.built = true;
  }
  override get trainableWeights(): tfl.LayerVariable[] {
    return this.trainable ? this.inner.trainableWeights : [];
  }
  override get nonTrainableWeights(): tfl.LayerVariable[] {
    return [...(this.trainable ? this.inner.nonTrainableWeights : this.inner.weights), ...(this.vectorU ? [this.vectorU] : [])];
  }
  override computeOutputShape(s: Shape | Shape[]): Shape | Shape[] {
    return this.inner.computeOutputShape(s);
  }
  /** Keras's training-time step: u and the kernel get their power-iteration values (unless the kernel is all zeros). */
  normalize(): void {
    tfc.tidy(() => {
      const k = this.kernel!.read();
      if (tfc.all(tfc.equal(k, 0)).dataSync()[0]) return;
      const { sigma, u } = spectralNorm(k, this.vectorU!.read(), this.iterations);
      // Fresh tensors: the assignment is not part of the gradient, as in Keras.
      this.vectorU!.write(tfc.tensor(u.dataSync(), u.shape));
      this.kernel!.write(tfc.tensor(tfc.div(k, sigma).dataSync(), k.shape));
    });
  }
  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
    if (kwargs['training'] === true) this.normalize();
    return this.inner.call(inputs, kwargs);
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), powerIterations: this.iterations, layer: { className: this.inner.getClassName(), config: this.inner.getConfig() } };
  }
}

tfc.serialization.registerClass(SpectralNormalization as never);
