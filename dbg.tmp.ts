import { readModel } from './src/core/read-model';
const r = readModel('x.py', process.argv[2]!);
for (const m of r.models) { for (const l of m.layers) console.log(l.name, l.type, JSON.stringify(l.outputShape), l.params); console.log(m.diagnostics.map(d=>d.message)); }
console.log(r.diagnostics.map(d=>d.message));
