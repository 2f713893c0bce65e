/**
 * An independent HDF5 reader for tests: Debian's python3-h5py (not TensorFlow, not Keras), run
 * as /usr/bin/python3 (CI installs python3-h5py). Lists a file's tree — groups, datasets with
 * shape, dtype, sum and first values, attributes — as JSON.
 */
import { execFileSync } from 'node:child_process';

export interface H5Node {
  kind: 'group' | 'dataset';
  attrs: Record<string, unknown>;
  shape?: number[];
  dtype?: string;
  sum?: number;
  first?: number[];
}

const SCRIPT = String.raw`
import sys, json, io, zipfile, h5py, numpy as np
path, inner = sys.argv[1], sys.argv[2]
src = io.BytesIO(zipfile.ZipFile(path).read(inner)) if inner else path
out = {}
def attr(v):
    if isinstance(v, bytes): return v.decode('utf8')
    if isinstance(v, np.ndarray): return [attr(x) for x in v.tolist()]
    if isinstance(v, list): return [attr(x) for x in v]
    if isinstance(v, (np.integer,)): return int(v)
    if isinstance(v, (np.floating,)): return float(v)
    return v
def visit(name, obj):
    a = {k: attr(obj.attrs[k]) for k in obj.attrs}
    if isinstance(obj, h5py.Dataset):
        d = obj[()]
        f = np.asarray(d, dtype=np.float64).ravel()
        out[name] = {'kind': 'dataset', 'attrs': a, 'shape': list(obj.shape), 'dtype': str(obj.dtype), 'sum': float(f.sum()), 'first': [float(x) for x in f[:5]]}
    else:
        out[name] = {'kind': 'group', 'attrs': a}
with h5py.File(src, 'r') as f:
    out['/'] = {'kind': 'group', 'attrs': {k: attr(f.attrs[k]) for k in f.attrs}}
    f.visititems(visit)
print(json.dumps(out))
`;

/** The tree of an HDF5 file (or of an HDF5 entry inside a zip). */
export function h5pyTree(file: string, zipEntry = ''): Record<string, H5Node> {
  const out = execFileSync('/usr/bin/python3', ['-c', SCRIPT, file, zipEntry], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as Record<string, H5Node>;
}
