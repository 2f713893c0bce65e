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

/** Nodes the graph draws by default: an Activation or Dropout that follows a layer rides on it as a badge. */
export const BASIC_CNN_NODES = 10;

/**
 * Matches the graph nodes' accessible names to the expected layers. A node names its own layer
 * (`Conv2D conv2d, …, output 28×28×32 · 320 params.`) and each layer drawn as its badge
 * (`followed by Activation activation relu`); a badge layer has its host's output shape.
 * Each mention is used once. Returns the expected layers that found no node showing both
 * their type and output shape.
 */
export function graphNodeMatches(nodeTexts: string[]): string[] {
  const mentions = nodeTexts.map((t) => {
    const [own, ...followers] = t.split(/, followed by /);
    return { text: t, types: [own!.split(' ')[0]!, ...followers.map((f) => f.split(' ')[0]!)] };
  });
  const missing: string[] = [];
  for (const want of BASIC_CNN_LAYERS) {
    const typeOk = (ty: string) => (want.type === 'InputLayer' ? /Input/.test(ty) : ty === want.type);
    const m = mentions.find((n) => shapeToken(want.shape).test(n.text) && n.types.some(typeOk));
    if (!m) missing.push(`${want.type} ${want.shape}`);
    else m.types.splice(m.types.findIndex(typeOk), 1);
  }
  return missing;
}
