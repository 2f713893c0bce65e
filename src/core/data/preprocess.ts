/**
 * Turn any decoded image into what an MNIST-trained model expects: grayscale, a dark background
 * (inverted when the background is light), the content fitted into 20×20 and centred by its
 * centre of mass in a 28×28 frame (the way MNIST itself was made). Pure: no decoders, no tfjs.
 */
import type { GrayImage } from '../protocol/worker';

/** A decoded image: `channels` interleaved bytes per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA). */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** Luminance, with transparent pixels composited over white. */
export function toGray(img: RawImage): GrayImage {
  const { width, height, channels, data } = img;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    let v: number;
    let a = 255;
    if (channels === 1) v = data[p]!;
    else if (channels === 2) {
      v = data[p]!;
      a = data[p + 1]!;
    } else {
      v = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
      if (channels === 4) a = data[p + 3]!;
    }
    out[i] = Math.round((v * a + 255 * (255 - a)) / 255);
  }
  return { width, height, data: out };
}

/** Mean of the border pixels: the background's brightness. */
export function borderMean(img: GrayImage): number {
  const { width: w, height: h, data } = img;
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += data[x]! + data[(h - 1) * w + x]!;
    n += 2;
  }
  for (let y = 1; y < h - 1; y++) {
    sum += data[y * w]! + data[y * w + w - 1]!;
    n += 2;
  }
  return n ? sum / n : 0;
}

/** Area-averaging resize (good for shrinking; plain sampling when growing). */
export function resizeGray(img: GrayImage, width: number, height: number): GrayImage {
  const out = new Uint8Array(width * height);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      let sum = 0;
      let area = 0;
      for (let yy = Math.floor(y0); yy < Math.min(img.height, Math.ceil(y1)); yy++) {
        const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
        if (wy <= 0) continue;
        for (let xx = Math.floor(x0); xx < Math.min(img.width, Math.ceil(x1)); xx++) {
          const wx = Math.min(x1, xx + 1) - Math.max(x0, xx);
          if (wx <= 0) continue;
          sum += img.data[yy * img.width + xx]! * wx * wy;
          area += wx * wy;
        }
      }
      out[y * width + x] = area > 0 ? Math.round(sum / area) : 0;
    }
  }
  return { width, height, data: out };
}

export interface MnistStyleOptions {
  /** Output size (the model's input); default 28×28. */
  width?: number;
  height?: number;
  /** Side of the box the content is fitted into; default 20/28 of the output. */
  box?: number;
}

/**
 * MNIST-style preprocessing. Returns 0–255 bytes, white content on black; divide by 255 for 0–1.
 */
export function mnistStyle(input: RawImage | GrayImage, options: MnistStyleOptions = {}): GrayImage {
  const width = options.width ?? 28;
  const height = options.height ?? 28;
  const box = options.box ?? Math.round((Math.min(width, height) * 20) / 28);
  let gray = 'channels' in input ? toGray(input) : input;
  // Dark content on a light background → invert (MNIST is white ink on black).
  if (borderMean(gray) > 127) gray = { ...gray, data: gray.data.map((v) => 255 - v) };
  // Bounding box of the ink; a faint threshold ignores paper noise.
  const threshold = 40;
  let minX = gray.width;
  let minY = gray.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < gray.height; y++) {
    for (let x = 0; x < gray.width; x++) {
      if (gray.data[y * gray.width + x]! > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  const out = new Uint8Array(width * height);
  if (maxX < 0) return { width, height, data: out }; // blank image
  const bw = maxX - minX + 1;
  const bh = maxY - minY + 1;
  const crop = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) crop[y * bw + x] = gray.data[(y + minY) * gray.width + x + minX]!;
  const scale = box / Math.max(bw, bh);
  const fw = Math.max(1, Math.round(bw * scale));
  const fh = Math.max(1, Math.round(bh * scale));
  const fitted = resizeGray({ width: bw, height: bh, data: crop }, fw, fh);
  // Centre of mass of the fitted content.
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const v = fitted.data[y * fw + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  cx = mass ? cx / mass : fw / 2;
  cy = mass ? cy / mass : fh / 2;
  const ox = Math.round(width / 2 - cx);
  const oy = Math.round(height / 2 - cy);
  for (let y = 0; y < fh; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < fw; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= width) continue;
      out[ty * width + tx] = fitted.data[y * fw + x]!;
    }
  }
  return { width, height, data: out };
}

/** An image of interleaved RGB bytes (3 per pixel). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** RGB, with transparent pixels composited over white and gray copied into the three channels. */
export function toRgb(img: RawImage): RgbImage {
  const { width, height, channels, data } = img;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    const a = channels === 2 ? data[p + 1]! : channels === 4 ? data[p + 3]! : 255;
    for (let c = 0; c < 3; c++) {
      const v = channels <= 2 ? data[p]! : data[p + c]!;
      out[i * 3 + c] = Math.round((v * a + 255 * (255 - a)) / 255);
    }
  }
  return { width, height, data: out };
}

/** Area-averaging resize of an RGB image (each channel as resizeGray does it). */
export function resizeRgb(img: RgbImage, width: number, height: number): RgbImage {
  if (img.width === width && img.height === height) return img;
  const out = new Uint8Array(width * height * 3);
  const plane = new Uint8Array(img.width * img.height);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = img.data[i * 3 + c]!;
    const r = resizeGray({ width: img.width, height: img.height, data: plane }, width, height).data;
    for (let i = 0; i < r.length; i++) out[i * 3 + c] = r[i]!;
  }
  return { width, height, data: out };
}
