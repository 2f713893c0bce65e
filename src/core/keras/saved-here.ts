/**
 * Model files the file itself writes before it loads them: `model.save("m.keras")`, or a
 * `ModelCheckpoint("best.h5")` given to `model.fit(callbacks=[…])` (Deep Learning with Python's
 * every chapter: fit with a checkpoint, then `load_model("best.h5")` to evaluate). When such a file
 * is not there to read (the script has not run yet), `load_model` of it is the model saved, as it
 * was at the save: the same layers and names, read from a snapshot of it (cloning.ts).
 */
import nodePath from 'node:path';
import type { Value } from '../python/values';
import { keras, type PyModel } from './keras-values';
import type { ModelSnapshot } from './cloning';

export interface SavedHere {
  model: PyModel;
  line: number;
  snap: ModelSnapshot;
  how: 'save' | 'ModelCheckpoint';
}

export class SavedFiles {
  private readonly byPath = new Map<string, SavedHere>();

  constructor(private readonly file: string) {}

  /** The absolute path a literal path of the file names (beside the file, as `python model.py` run from its folder). */
  key(literal: string): string {
    return nodePath.resolve(nodePath.dirname(this.file), literal);
  }

  /** `m.save(path)` read: `snap` is the model now. */
  saved(literal: Value | undefined, entry: () => SavedHere): void {
    if (literal?.k !== 'py' || typeof literal.v !== 'string') return;
    this.byPath.set(this.key(literal.v), entry());
  }

  /** `m.fit(callbacks=[…, ModelCheckpoint(path), …])`: a checkpoint that saves the whole model (not weights only, no {epoch} in the name). */
  checkpoints(callbacks: Value | undefined, entry: () => SavedHere): void {
    const items = callbacks?.k === 'seq' ? callbacks.items : callbacks ? [callbacks] : [];
    for (const c of items) {
      const o = keras(c);
      if (o?.kind !== 'obj' || o.cls !== 'ModelCheckpoint') continue;
      const path = o.pos[0] ?? o.kw.get('filepath');
      const weightsOnly = o.kw.get('save_weights_only') ?? o.pos[4];
      if (weightsOnly && !(weightsOnly.k === 'py' && weightsOnly.v === false)) continue;
      if (path?.k !== 'py' || typeof path.v !== 'string' || /[{}]/.test(path.v)) continue;
      this.byPath.set(this.key(path.v), { ...entry(), how: 'ModelCheckpoint' });
    }
  }

  /** What this file saved at `literal` before, if anything. */
  find(literal: string): SavedHere | undefined {
    return this.byPath.get(this.key(literal));
  }
}
