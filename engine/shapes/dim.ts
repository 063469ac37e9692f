// Tensor dimensions: a known size (number), a symbolic size (string such as `N`, `H`, `H/2+1`)
// or unknown (null). Symbolic sizes are kept as linear forms over named symbols so that the
// usual conv arithmetic simplifies (`H + 2 − 3 + 1` is `H`); whatever does not stay linear
// (a floor that does not divide evenly, a product of two symbols) becomes an atom written
// out in full, e.g. `⌊(H−1)/2⌋+1`.

export type Dim = number | string | null;
export type Shape = Dim[];

/** Rational number p/q with q > 0, reduced. */
interface Rat { p: number; q: number }

const gcd = (a: number, b: number): number => { a = Math.abs(a); b = Math.abs(b); while (b) [a, b] = [b, a % b]; return a || 1; };
const rat = (p: number, q = 1): Rat => { if (q < 0) { p = -p; q = -q; } const g = gcd(p, q); return { p: p / g, q: q / g }; };
const radd = (a: Rat, b: Rat): Rat => rat(a.p * b.q + b.p * a.q, a.q * b.q);
const rmul = (a: Rat, b: Rat): Rat => rat(a.p * b.p, a.q * b.q);

/** A linear form Σ cᵢ·symᵢ + c over atom names. */
interface Lin { terms: Map<string, Rat>; c: Rat }

const SYM = /^[A-Za-z_][A-Za-z_0-9]*$/;

const OPEN = '(⌊⌈', CLOSE = ')⌋⌉';

/** The index of the bracket closing the one at `i`, or -1. */
function closing(s: string, i: number): number {
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    if (OPEN.includes(s[k])) depth++;
    else if (CLOSE.includes(s[k]) && --depth === 0) return k;
  }
  return -1;
}

/** `a+b-c` split at its top-level signs (not inside brackets), each part keeping its sign. */
function topLevelTerms(s: string): string[] | null {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let k = 0; k < s.length; k++) {
    if (OPEN.includes(s[k])) depth++;
    else if (CLOSE.includes(s[k])) depth--;
    else if ((s[k] === '+' || s[k] === '-') && depth === 0 && k > start) { out.push(s.slice(start, k)); start = k; }
    if (depth < 0) return null;
  }
  out.push(s.slice(start));
  return depth === 0 ? out : null;
}

function parseLin(text: string): Lin {
  // Only our own printed forms parse (`2*H/3+1`, `⌊(H-1)/2⌋+1`, `(H-1)/2`); anything else is one atom.
  const s = text.replace(/\s+/g, '').replace(/−/g, '-');
  const atom = (): Lin => ({ terms: new Map([[s, rat(1)]]), c: rat(0) });
  const parts = topLevelTerms(s);
  if (!parts) return atom();
  let lin: Lin = { terms: new Map(), c: rat(0) };
  for (const part of parts) {
    const num = /^([+-]?)(\d+)(?:\/(\d+))?$/.exec(part);
    if (num) {
      lin = combine(lin, { terms: new Map(), c: rat(Number(num[2]), Number(num[3] ?? 1)) }, num[1] === '-' ? -1 : 1);
      continue;
    }
    const head = /^([+-]?)(?:(\d+)\*)?/.exec(part)!;
    const rest = part.slice(head[0].length);
    // the factor: a symbol, a floor/ceil bracket (an atom), or a parenthesised form (its terms)
    const end = SYM.test(rest.split('/')[0]) ? rest.split('/')[0].length : OPEN.includes(rest[0]) ? closing(rest, 0) + 1 : 0;
    const den = /^(?:\/(\d+))?$/.exec(rest.slice(end));
    if (end <= 0 || !den) return atom();
    const factor = rest.slice(0, end);
    const coef = rat((head[1] === '-' ? -1 : 1) * Number(head[2] ?? 1), Number(den[1] ?? 1));
    const inner: Lin = factor[0] === '(' ? parseLin(factor.slice(1, -1)) : { terms: new Map([[factor, rat(1)]]), c: rat(0) };
    lin = combine(lin, { terms: new Map([...inner.terms].map(([n, r]) => [n, rmul(r, coef)] as [string, Rat])), c: rmul(inner.c, coef) }, 1);
  }
  return lin;
}

function linOf(d: number | string): Lin {
  return typeof d === 'number' ? { terms: new Map(), c: rat(d) } : parseLin(d);
}

function wrapAtom(name: string): string {
  const bracketed = '⌊⌈'.includes(name[0]) && closing(name, 0) === name.length - 1;
  return SYM.test(name) || bracketed ? name : `(${name})`;
}

function printLin(l: Lin): Dim {
  const entries = [...l.terms].filter(([, r]) => r.p !== 0);
  if (entries.length === 0) return l.c.p / l.c.q;
  // a lone atom (`H*W`) is itself, not `(H*W)`
  if (entries.length === 1 && l.c.p === 0 && entries[0][1].p === 1 && entries[0][1].q === 1) return entries[0][0];
  let out = '';
  for (const [name, r] of entries) {
    const sign = r.p < 0 ? '-' : out ? '+' : '';
    const abs = Math.abs(r.p);
    out += `${sign}${abs !== 1 ? `${abs}*` : ''}${wrapAtom(name)}${r.q !== 1 ? `/${r.q}` : ''}`;
  }
  if (l.c.p !== 0) out += `${l.c.p < 0 ? '-' : '+'}${Math.abs(l.c.p)}${l.c.q !== 1 ? `/${l.c.q}` : ''}`;
  return out;
}

function combine(a: Lin, b: Lin, sb: number): Lin {
  const terms = new Map(a.terms);
  for (const [k, r] of b.terms) terms.set(k, radd(terms.get(k) ?? rat(0), rmul(r, rat(sb))));
  return { terms, c: radd(a.c, rmul(b.c, rat(sb))) };
}

export const isKnown = (d: Dim): d is number => typeof d === 'number';
export const isSymbolic = (d: Dim): d is string => typeof d === 'string';

export function add(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  return printLin(combine(linOf(a), linOf(b), 1));
}

export function sub(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return printLin(combine(linOf(a), linOf(b), -1));
}

export function mul(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  if (typeof a === 'number' || typeof b === 'number') {
    const [k, s] = typeof a === 'number' ? [a, b as string] : [b as number, a];
    const l = linOf(s);
    const terms = new Map([...l.terms].map(([n, r]) => [n, rmul(r, rat(k))] as [string, Rat]));
    return printLin({ terms, c: rmul(l.c, rat(k)) });
  }
  return `${wrapAtom(a)}*${wrapAtom(b)}`;
}

function divide(a: Dim, s: number, round: 'floor' | 'ceil'): Dim {
  if (a === null) return null;
  if (typeof a === 'number') return round === 'floor' ? Math.floor(a / s) : Math.ceil(a / s);
  const l = linOf(a);
  const exact = [...l.terms.values(), l.c].every((r) => r.q === 1 && r.p % s === 0);
  if (exact) return printLin({ terms: new Map([...l.terms].map(([n, r]) => [n, rat(r.p / s)] as [string, Rat])), c: rat(l.c.p / s) });
  return round === 'floor' ? `⌊${wrapAtom(a)}/${s}⌋` : `⌈${wrapAtom(a)}/${s}⌉`;
}

/** ⌊a / s⌋ for a positive integer s. */
export const floorDiv = (a: Dim, s: number): Dim => divide(a, s, 'floor');
/** ⌈a / s⌉ for a positive integer s. */
export const ceilDiv = (a: Dim, s: number): Dim => divide(a, s, 'ceil');

/** Product of dimensions (numel); unknown if any is unknown. */
export function product(dims: Dim[]): Dim {
  return dims.reduce<Dim>((acc, d) => mul(acc, d), 1);
}

/** True when two dims are certainly equal; false when certainly different; null when it cannot be told. */
export function sameDim(a: Dim, b: Dim): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const d = sub(a, b);
  if (typeof d === 'number') return d === 0;
  return null;
}

/** `(N, 64, 112, 112)`, PyTorch style. */
export function formatShape(shape: Shape | null, batchLabel?: string): string {
  if (!shape) return '?';
  return `(${shape.map((d, i) => (i === 0 && batchLabel !== undefined ? batchLabel : d === null ? '?' : String(d))).join(', ')})`;
}

/** A count in short form: 9.4K, 118M, 4.09G. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) {
    if (abs >= v) {
      const x = n / v;
      return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, '')}${u}`;
    }
  }
  return String(n);
}

/**
 * The value of a dimension once its symbols have sizes (`⌊(H-1)/2⌋+1` at H = 28 is 14), or null when a symbol has
 * none or the form is not one this module prints. The trainer uses it for shapes traced at a symbolic input size.
 */
export function evaluateDim(d: Dim, sizes: ReadonlyMap<string, number>): number | null {
  if (typeof d === 'number' || d === null) return d;
  const l = parseLin(d);
  let total = l.c.p / l.c.q;
  for (const [name, r] of l.terms) {
    const v = atomValue(name, sizes);
    if (v === null) return null;
    total += (r.p / r.q) * v;
  }
  // a sum of rationals of small integers: round off the float error of the divisions
  return Math.round(total * 1e6) / 1e6;
}

function atomValue(name: string, sizes: ReadonlyMap<string, number>): number | null {
  if (SYM.test(name)) return sizes.get(name) ?? null;
  const end = OPEN.includes(name[0]) ? closing(name, 0) : -1;
  if (end === name.length - 1) {
    const inner = evaluateDim(name.slice(1, -1), sizes);
    if (inner === null) return null;
    return name[0] === '⌊' ? Math.floor(inner + 1e-9) : name[0] === '⌈' ? Math.ceil(inner - 1e-9) : inner;
  }
  // a product of two atoms (`H*W`), as mul() prints it
  let depth = 0;
  for (let k = 0; k < name.length; k++) {
    if (OPEN.includes(name[k])) depth++;
    else if (CLOSE.includes(name[k])) depth--;
    else if (name[k] === '*' && depth === 0) {
      const a = evaluateDim(name.slice(0, k), sizes), b = evaluateDim(name.slice(k + 1), sizes);
      return a === null || b === null ? null : a * b;
    }
  }
  return null;
}
