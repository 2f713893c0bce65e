/**
 * A projective image transform (TF's ImageProjectiveTransform, what Keras's RandomTranslation,
 * RandomRotation and RandomZoom resample with) that TF.js can differentiate with respect to the
 * image: TF.js's own `image.transform` has no gradient, so a model with one of those layers after
 * a trainable layer could not train.
 *
 * For given transform parameters the output is linear in the image: each output pixel is a
 * weighted sum of at most four input pixels (bilinear) or one (nearest), plus the fill value for
 * taps outside the image in 'constant' mode. The taps and weights are worked out here on the CPU
 * (the parameters are one row of 8 numbers per image), and the output is one `gather` of the
 * image's pixels times the weights — whose gradient TF.js has (an unsorted segment sum). So the
 * input gradient is the exact transpose of the resampling. Coordinates map as TF.js's cpu kernel
 * maps them (reflect / wrap / nearest / constant), checked against TF.js's `image.transform`.
 */
import * as tfc from '@tensorflow/tfjs-core';

type Tensor = tfc.Tensor;
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Where coordinate `c` of an axis of length `len` reads from (TF's fill modes). */
export function mapCoord(c: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return c;
  if (mode === 'nearest') return clamp(c, 0, len - 1);
  let v = c;
  if (mode === 'reflect') {
    // [abcd] → [dcba|abcd|dcba]
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        if (v < sz2) v = sz2 * Math.trunc(-v / sz2) + v;
        v = v < -len ? v + sz2 : -v - 1;
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v -= sz2 * Math.trunc(v / sz2);
        if (v >= len) v = sz2 - v - 1;
      }
    }
  } else {
    // wrap: [abcd] → [abcd|abcd|abcd]
    if (v < 0) v = len <= 1 ? 0 : v + len * (Math.trunc(-v / (len - 1)) + 1);
    else if (v > len - 1) v = len <= 1 ? 0 : v - len * Math.trunc(v / (len - 1));
  }
  return clamp(v, 0, len - 1);
}

/**
 * Resamples `images` (batch, height, width, channels) with one row of 8 transform numbers per
 * image (or one row for all): output (x, y) reads input ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k),
 * k = c0·x + c1·y + 1.
 */
export function differentiableTransform(images: Tensor, transforms: Tensor, interpolation: Interpolation = 'bilinear', fillMode: FillMode = 'reflect', fillValue = 0): Tensor {
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const rows = transforms.dataSync();
  const taps = interpolation === 'bilinear' ? 4 : 1;
  const pixels = n * h * w;
  const index = new Int32Array(pixels * taps);
  const weight = new Float32Array(pixels * taps);
  const fill = new Float32Array(pixels); // weight of the fill value at each output pixel
  for (let b = 0; b < n; b++) {
    const t = transforms.shape[0] === 1 ? 0 : b * 8;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const p = (b * h + oy) * w + ox;
        const k = rows[t + 6]! * ox + rows[t + 7]! * oy + 1;
        if (k === 0) {
          fill[p] = 1;
          continue;
        }
        const x = mapCoord((rows[t]! * ox + rows[t + 1]! * oy + rows[t + 2]!) / k, w, fillMode);
        const y = mapCoord((rows[t + 3]! * ox + rows[t + 4]! * oy + rows[t + 5]!) / k, h, fillMode);
        const tap = (slot: number, yy: number, xx: number, wt: number) => {
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
            index[p * taps + slot] = (b * h + yy) * w + xx;
            weight[p * taps + slot] = wt;
          } else fill[p]! += wt;
        };
        if (taps === 1) tap(0, Math.round(y), Math.round(x), 1);
        else {
          const y0 = Math.floor(y);
          const x0 = Math.floor(x);
          const fy = y - y0;
          const fx = x - x0;
          tap(0, y0, x0, (1 - fy) * (1 - fx));
          tap(1, y0, x0 + 1, (1 - fy) * fx);
          tap(2, y0 + 1, x0, fy * (1 - fx));
          tap(3, y0 + 1, x0 + 1, fy * fx);
        }
      }
    }
  }
  return tfc.tidy(() => {
    const flat = tfc.reshape(images, [pixels, c]);
    const read = tfc.gather(flat, tfc.tensor1d(index, 'int32')); // (pixels·taps, c)
    let out = tfc.sum(tfc.reshape(tfc.mul(read, tfc.tensor2d(weight, [pixels * taps, 1])), [pixels, taps, c]), 1);
    if (fillValue !== 0) out = tfc.add(out, tfc.mul(tfc.tensor2d(fill, [pixels, 1]), fillValue));
    return tfc.reshape(out, [n, h, w, c]);
  });
}
