/** How lenses, the status bar and panels name a model in command arguments. */
import type { PanelView } from '../../core/protocol/webview';

export interface ModelRef {
  /** Absolute path of the model file. */
  file: string;
  /** Model name (`ModelIR.name`). */
  model: string;
  view?: PanelView;
}

export function isModelRef(x: unknown): x is ModelRef {
  return typeof x === 'object' && x !== null && typeof (x as ModelRef).file === 'string' && typeof (x as ModelRef).model === 'string';
}
