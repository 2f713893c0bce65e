/**
 * What examples/basic_cnn.py is, written out by hand from the Keras code (not from the reader):
 * one entry per layer, Keras class and output shape.
 */
export const BASIC_CNN_LAYERS: ReadonlyArray<{ type: string; shape: string }> = [
  { type: 'InputLayer', shape: '28×28×1' },
  { type: 'Conv2D', shape: '28×28×32' },
  { type: 'Activation', shape: '28×28×32' },
  { type: 'Conv2D', shape: '28×28×32' },
  { type: 'Activation', shape: '28×28×32' },
  { type: 'MaxPooling2D', shape: '14×14×32' },
  { type: 'Dropout', shape: '14×14×32' },
  { type: 'Conv2D', shape: '14×14×64' },
  { type: 'Activation', shape: '14×14×64' },
  { type: 'Conv2D', shape: '14×14×64' },
  { type: 'Activation', shape: '14×14×64' },
  { type: 'MaxPooling2D', shape: '7×7×64' },
  { type: 'Dropout', shape: '7×7×64' },
  { type: 'Flatten', shape: '3136' },
  { type: 'Dense', shape: '512' },
  { type: 'Activation', shape: '512' },
  { type: 'Dropout', shape: '512' },
  { type: 'Dense', shape: '10' },
  { type: 'Activation', shape: '10' },
];

/** `512` as a whole shape token (not part of `1,512` or `512×3`). */
function shapeToken(shape: string): RegExp {
  return new RegExp(`(?<![\\d×.,])${shape}(?![\\d×.,])`);
}

/**
 * Matches graph node texts to the expected layers one to one (each node used once).
 * Returns the expected layers that found no node showing both their type and output shape.
 */
export function graphNodeMatches(nodeTexts: string[]): string[] {
  const free = nodeTexts.map((t) => t);
  const missing: string[] = [];
  for (const want of BASIC_CNN_LAYERS) {
    const typeRe = want.type === 'InputLayer' ? /Input/ : new RegExp(`\\b${want.type}\\b`);
    const i = free.findIndex((t) => t !== '' && typeRe.test(t) && shapeToken(want.shape).test(t));
    if (i < 0) missing.push(`${want.type} ${want.shape}`);
    else free[i] = '';
  }
  return missing;
}
