/** Python number and string literals as written (`1_000`, `0x1F`, `1e-3`, `r'..'`, `'''..'''`). */

export function parseNumber(t: string): number {
  const s = t.replace(/_/g, '').replace(/[jJ]$/, '');
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  return Number(s.replace(/[lL]$/, ''));
}

/** Whether a number literal is a float in Python (`1.`, `.5`, `1e3`; not `0xE`). */
export function isFloatLiteral(t: string): boolean {
  if (t.length > 1 && t[0] === '0' && /[xXoObB]/.test(t[1]!)) return false;
  return /[.eEjJ]/.test(t);
}

/** Python's repr of a float: `2.0`, `0.1`, `1e-05`, `1e+16`, `inf`, `nan`. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  if (Number.isInteger(x)) return (Object.is(x, -0) ? '-0' : String(x)) + '.0';
  return String(x);
}

export function parseString(t: string): string {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(t);
  if (!m) return t;
  const raw = /[rR]/.test(m[1]!);
  const body = m[3]!;
  if (raw) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_x, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? c);
}

/** The prefix and quote of a string literal, e.g. `f"` → { prefix: 'f', quote: '"' }. */
export function stringParts(t: string): { prefix: string; quote: string; body: string } | undefined {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(t);
  return m ? { prefix: m[1]!, quote: m[2]!, body: m[3]! } : undefined;
}

/** Python's `format(value, spec)` for the common numeric specs (`d`, `.2f`, `03d`, `,`); undefined if unsupported. */
export function formatValue(v: number | string | boolean | null, spec: string, float = false): string | undefined {
  const plain = v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'number' && float ? floatRepr(v) : String(v);
  if (!spec) return plain;
  const m = /^(0?)(\d*)(,?)(?:\.(\d+))?([dfe%s]?)$/.exec(spec);
  if (!m) return undefined;
  const [, zero, width, comma, prec, type] = m;
  // Python: format(2.0, 'd') is a ValueError.
  if (type === 'd' && float) return undefined;
  let s: string;
  if (typeof v === 'number') {
    if (type === 'f') s = v.toFixed(prec ? Number(prec) : 6);
    else if (type === 'e') s = v.toExponential(prec ? Number(prec) : 6);
    else if (type === '%') s = (v * 100).toFixed(prec ? Number(prec) : 6) + '%';
    else s = float ? floatRepr(v) : String(v);
    if (comma) s = s.replace(/^(-?\d+)/, (d) => Number(d).toLocaleString('en-US'));
  } else s = plain;
  if (width) s = zero ? s.padStart(Number(width), '0') : typeof v === 'number' ? s.padStart(Number(width)) : s.padEnd(Number(width));
  return s;
}
