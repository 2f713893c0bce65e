/**
 * `layer.build(input_shape)` written in the file (a layer class building its inner Conv2D before
 * it masks the kernel, as PixelCNN's MaskedConv2D does): Keras makes the layer's weights for that
 * shape, and a later call does not build it again. Model Lens counts a layer's weights from the
 * tensor it is called on, so the build is read only when that call gets the shape it was built
 * for (the batch axis aside); any other call, or a shape it cannot work out, is said at the line.
 */
import type { Shape } from '../model/ir';
import type { Args } from '../python/values';
import { toConfig } from './keras-values';
import { fmt } from './layers/spec';
import type { GLayer } from './shape-inference';

/** The shape given to `build(...)`: a tuple of sizes (None allowed), or why it cannot be read. */
export function buildShape(args: Args): Shape | string {
  if (args.star) return 'it gets *args/**kwargs whose values Model Lens cannot see';
  const v = args.pos[0]?.value ?? args.kw.get('input_shape')?.value;
  if (!v || args.pos.length + args.kw.size !== 1) return 'it takes one input shape';
  const c = toConfig(v);
  if (!Array.isArray(c) || !c.length || !c.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0))) return 'Model Lens cannot work out the shape it is given';
  return c as Shape;
}

export class ExplicitBuilds {
  private readonly built = new Map<GLayer, { shape: Shape; line: number; at: { from: number; to: number } }>();

  record(layer: GLayer, shape: Shape, line: number, at: { from: number; to: number }): void {
    this.built.set(layer, { shape, line, at: { from: at.from, to: at.to } });
  }

  /** Builds no call settled (the layer's weights used some other way, e.g. its kernel in another layer's call()): where each was. */
  pending(): { layer: GLayer; at: { from: number; to: number } }[] {
    return [...this.built].map(([layer, b]) => ({ layer, at: b.at }));
  }

  has(layer: GLayer): boolean {
    return this.built.has(layer);
  }

  /**
   * The first call of a layer built by hand: undefined when it gets the shape of the build (the
   * batch axis aside), else what to say. The build is then settled either way.
   */
  check(layer: GLayer, input: Shape | null): string | undefined {
    const b = this.built.get(layer);
    if (!b) return undefined;
    this.built.delete(layer);
    const same = input !== null && input.length === b.shape.length && input.every((d, i) => i === 0 || d === b.shape[i]);
    if (same) return undefined;
    return `layer '${layer.name}' was built by hand for input shape ${fmt(b.shape)} (line ${b.line}) but is called on ${input ? fmt(input) : 'a tensor whose shape Model Lens cannot work out'}; Keras keeps the weights of the build, which Model Lens does not count from another shape. Build it for the shape it is called on, or leave the build to the call`;
  }
}
