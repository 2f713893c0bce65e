/**
 * Checks for what the panel (web content) sends the host, applied before anything reaches the
 * worker or the disk: types, ranges and sizes. Each parser returns a clean copy or throws a
 * message saying which field is wrong.
 */
import type { EventCheckers, ParamCheckers } from './rpc';
import { MAX_CURVES_PER_REQUEST, type FromWebviewEvents, type HostPanelApi, type RunAction } from './webview';
import type { GrayImage } from './worker';

/** Largest sample page the panel may ask for (it asks for 500). */
export const MAX_SAMPLE_COUNT = 1000;
/** Largest sample index (bigger than any test set the worker reads). */
export const MAX_SAMPLE_INDEX = 10_000_000;
/** Largest drawn image side (the panel draws 28×28). */
export const MAX_IMAGE_SIDE = 512;
/** Largest export (a graph SVG or PNG, a training CSV). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function int(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${what} must be an integer from ${min} to ${max} (got ${describe(v)})`);
  return v;
}

function str(v: unknown, what: string, maxLength: number): string {
  if (typeof v !== 'string') throw new Error(`${what} must be a string (got ${describe(v)})`);
  if (v.length > maxLength) throw new Error(`${what} is longer than ${maxLength} characters`);
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return String(v);
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

export function parseGrayImage(v: unknown): GrayImage {
  const o = record(v, 'image');
  const width = int(o['width'], 'image.width', 1, MAX_IMAGE_SIDE);
  const height = int(o['height'], 'image.height', 1, MAX_IMAGE_SIDE);
  const d = o['data'];
  let data: Uint8Array;
  if (d instanceof Uint8Array) data = new Uint8Array(d);
  else if (Array.isArray(d) && d.length <= width * height && d.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) data = Uint8Array.from(d as number[]);
  else throw new Error('image.data must be bytes (a Uint8Array or an array of integers 0–255)');
  if (data.length !== width * height) throw new Error(`image.data has ${data.length} bytes for a ${width}×${height} image (needs ${width * height})`);
  return { width, height, data };
}

function format(v: unknown): 'keras' | 'h5' | 'tfjs' {
  if (v !== 'keras' && v !== 'h5' && v !== 'tfjs') throw new Error(`format must be 'keras', 'h5' or 'tfjs' (got ${describe(v)})`);
  return v;
}

export const savedModelParamCheckers = {
  weights: () => ({}) as Record<string, never>,
  weightStats: (v: unknown) => ({ layer: str(record(v, 'params')['layer'], 'layer', 1000) }),
  kernel: (v: unknown) => {
    const o = record(v, 'params');
    return { layer: str(o['layer'], 'layer', 1000), name: str(o['name'], 'name', 1000), channel: int(o['channel'], 'channel', 0, 1_000_000) };
  },
  exportModel: (v: unknown) => ({ format: format(record(v, 'params')['format']) }),
  setInputScale: (v: unknown) => {
    const scale = record(v, 'params')['scale'];
    // Pixels are 0–255: a scale outside [1e-6, 1000] is a mistake, not a scaling.
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < MIN_INPUT_SCALE || scale > MAX_INPUT_SCALE) throw new Error(`scale must be a number from ${MIN_INPUT_SCALE} to ${MAX_INPUT_SCALE} (got ${describe(scale)})`);
    return { scale };
  },
};

export const MIN_INPUT_SCALE = 1e-6;
export const MAX_INPUT_SCALE = 1000;

/** A run id names a folder under the runs root: never a path. */
function runIdOf(v: unknown, what: string): string {
  const id = str(v, what, 200);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw new Error(`${what} must be a run id (letters, digits, . _ -), not a path`);
  return id;
}

const RUN_ACTIONS: readonly RunAction[] = ['pin', 'unpin', 'rename', 'note', 'delete', 'openCode', 'restore'];

export const panelParamCheckers: Required<ParamCheckers<HostPanelApi>> = {
  runAction: (v) => {
    const o = record(v, 'params');
    const action = o['action'];
    if (!RUN_ACTIONS.includes(action as RunAction)) throw new Error(`action must be one of ${RUN_ACTIONS.join(', ')} (got ${describe(action)})`);
    return { runId: runIdOf(o['runId'], 'runId'), action: action as RunAction };
  },
  trainVariants: () => ({}) as Record<string, never>,
  runCurves: (v) => {
    const ids = record(v, 'params')['ids'];
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_CURVES_PER_REQUEST) throw new Error(`ids must be a list of 1 to ${MAX_CURVES_PER_REQUEST} run ids`);
    return { ids: ids.map((id, i) => runIdOf(id, `ids[${i}]`)) };
  },
  samples: (v) => {
    const o = record(v, 'params');
    return { start: int(o['start'], 'start', 0, MAX_SAMPLE_INDEX), count: int(o['count'], 'count', 1, MAX_SAMPLE_COUNT) };
  },
  predictPixels: (v) => ({ image: parseGrayImage(record(v, 'params')['image']) }),
  activations: (v) => {
    const o = record(v, 'params');
    const out: HostPanelApi['activations']['params'] = {};
    if (o['sample'] !== undefined) out.sample = int(o['sample'], 'sample', 0, MAX_SAMPLE_INDEX);
    if (o['image'] !== undefined) out.image = parseGrayImage(o['image']);
    return out;
  },
  exportFile: (v) => {
    const o = record(v, 'params');
    const encoding = o['encoding'];
    if (encoding !== 'utf8' && encoding !== 'base64') throw new Error(`encoding must be 'utf8' or 'base64' (got ${describe(encoding)})`);
    const content = str(o['content'], 'content', MAX_EXPORT_CHARS);
    if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw new Error('content is not base64');
    return { suggestedName: str(o['suggestedName'], 'suggestedName', 255), content, encoding };
  },
  ...savedModelParamCheckers,
};

export const panelEventCheckers: Required<EventCheckers<FromWebviewEvents>> = {
  ready: () => ({}),
  revealLayer: (v) => {
    const o = record(v, 'payload');
    const layer = str(o['layer'], 'layer', 1000);
    if (o['within'] === undefined) return { layer };
    const w = o['within'];
    if (!Array.isArray(w) || w.length > 64) throw new Error('within must be an array of at most 64 layer names');
    return { layer, within: w.map((x, i) => str(x, `within[${i}]`, 1000)) };
  },
};
