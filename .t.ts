import fs from 'node:fs';
import { readModel } from './src/core/read-model';
const r = readModel('a.py', fs.readFileSync('test/unit/fixtures/models/any_python.py','utf8'));
console.log(JSON.stringify(r.diagnostics), r.models.map(m => [m.name, m.variable, m.range.line, m.totalParams, JSON.stringify(m.diagnostics), m.layers.map(l => [l.name, l.type, JSON.stringify(l.outputShape), l.params].join(' ')).join('\n')]));
