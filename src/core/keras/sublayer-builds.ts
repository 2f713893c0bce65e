/**
 * `self.conv.build(input_shape)` inside a layer class's own build() (keras.io's PixelCNN builds its
 * Conv2D first to shape a mask from the kernel): Keras creates the sublayer's weights for that
 * shape. Model Lens counts a sublayer's weights from the call that uses it, so such a build is
 * taken only when the layer class's call() then calls that sublayer on a tensor of the same shape
 * (the weights are then the same); a sublayer built and never called, or called on another shape,
 * or built with a shape Model Lens cannot work out, leaves the layer class in doubt at the build.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Shape } from '../model/ir';
import type { Value } from '../python/values';
import type { GLayer } from './shape-inference';
import type { LayerSpec } from './layers/spec';

interface Pending {
  layer: GLayer;
  /** The shape given to build() (its batch axis first), or null when it is not a tuple of sizes. */
  shape: Shape | null;
  at: SyntaxNode;
}

/** A tuple of sizes (None allowed) as build() gets it, or null. */
function shapeOf(v: Value): Shape | null {
  if (v.k !== 'seq' || !v.items.length) return null;
  const out: Shape = [];
  for (const i of v.items) {
    if (i.k !== 'py' || !(i.v === null || (typeof i.v === 'number' && Number.isInteger(i.v) && i.v >= 0 && !i.f))) return null;
    out.push(i.v as number | null);
  }
  return out;
}

const same = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => i === 0 || d === b[i]);
const fmt = (s: Shape): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;

export class SublayerBuilds {
  private open: Pending[] | undefined;
  /** `layer.build(shape)` at the top level (keras.io's GloVe example builds its Embedding first), waiting for the layer's first call. */
  private readonly top = new Map<GLayer, Pending>();

  /** A top-level `layer.build(shape)` before the layer is called: checked at its first call (`checkTop`). */
  recordTop(layer: GLayer, shape: Value, at: SyntaxNode): void {
    this.top.set(layer, { layer, shape: shapeOf(shape), at });
  }

  /**
   * At a layer's first plain call: Keras keeps the weights build() made, so the call's figures are
   * Keras's only when the weights for the call's input shapes are the same as for the built shape
   * (an Embedding's are, whatever the shape): then 'same', and the caller lifts the doubt the
   * build left on the layer; otherwise (or any other use of the layer) the doubt stays.
   */
  checkTop(layer: GLayer, spec: LayerSpec | undefined, inputs: (Shape | null)[]): 'same' | 'differ' | undefined {
    const b = this.top.get(layer);
    if (!b) return undefined;
    this.top.delete(layer);
    if (!b.shape || !spec || inputs.some((s) => !s)) return 'differ';
    const count = (shapes: Shape[]): number | undefined => {
      try {
        const p = spec.params(shapes, layer.config);
        return p.trainable + p.nonTrainable;
      } catch {
        return undefined;
      }
    };
    const built = count([b.shape]);
    const called = count(inputs as Shape[]);
    return built !== undefined && built === called ? 'same' : 'differ';
  }

  /** Starts collecting the builds of a layer class's build() (nested classes get their own list). */
  begin(): Pending[] | undefined {
    const outer = this.open;
    this.open = [];
    return outer;
  }

  /** Ends the collection begun by `begin` (given what it returned); the builds collected. */
  end(outer: Pending[] | undefined): Pending[] {
    const got = this.open ?? [];
    this.open = outer;
    return got;
  }

  /** `layer.build(shape)` read: true when it is taken (inside a layer class's build()), to be checked after its call(). */
  record(layer: GLayer, shape: Value, at: SyntaxNode): boolean {
    if (!this.open) return false;
    this.open.push({ layer, shape: shapeOf(shape), at });
    return true;
  }

  /**
   * After the layer class's call(): why each build is not what the call made (empty when all are),
   * `inputShape` giving the shape a sublayer was first called on (null when not called on one tensor).
   */
  check(builds: Pending[], inputShape: (l: GLayer) => Shape | null): { at: SyntaxNode; reason: string }[] {
    const out: { at: SyntaxNode; reason: string }[] = [];
    for (const b of builds) {
      const what = `'${b.layer.name}.build(...)'`;
      if (!b.shape) {
        out.push({ at: b.at, reason: `Model Lens cannot work out the shape ${what} is given (Keras makes the layer's weights for it)` });
        continue;
      }
      const got = inputShape(b.layer);
      if (!got) out.push({ at: b.at, reason: `${what} makes weights for ${fmt(b.shape)}, but the layer class's call() does not call '${b.layer.name}' on one tensor Model Lens can follow` });
      else if (!same(b.shape, got)) out.push({ at: b.at, reason: `${what} makes weights for ${fmt(b.shape)}, but call() calls it on ${fmt(got)}` });
    }
    return out;
  }
}
