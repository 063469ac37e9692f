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

function parseLin(s: string): Lin {
  // Only our own printed forms parse (`2*H/3+1`, `H-1`); anything else is one atom.
  const terms = new Map<string, Rat>();
  let c = rat(0);
  const parts = s.replace(/\s+/g, '').replace(/−/g, '-').match(/[+-]?[^+-]+/g);
  const atom = (): Lin => ({ terms: new Map([[s, rat(1)]]), c: rat(0) });
  if (!parts || parts.join('') !== s.replace(/\s+/g, '').replace(/−/g, '-')) return atom();
  for (const part of parts) {
    const m = /^([+-]?)(?:(\d+)\*)?([A-Za-z_][A-Za-z_0-9]*)?(?:\/(\d+))?$/.exec(part);
    const num = /^([+-]?)(\d+)(?:\/(\d+))?$/.exec(part);
    if (num) {
      c = radd(c, rat((num[1] === '-' ? -1 : 1) * Number(num[2]), Number(num[3] ?? 1)));
    } else if (m && m[3] && SYM.test(m[3])) {
      const coef = rat((m[1] === '-' ? -1 : 1) * Number(m[2] ?? 1), Number(m[4] ?? 1));
      terms.set(m[3], radd(terms.get(m[3]) ?? rat(0), coef));
    } else {
      return atom();
    }
  }
  return { terms, c };
}

function linOf(d: number | string): Lin {
  return typeof d === 'number' ? { terms: new Map(), c: rat(d) } : parseLin(d);
}

function wrapAtom(name: string): string {
  const bracketed = /^[⌊⌈][^⌊⌈]*[⌋⌉]$/.test(name);
  return SYM.test(name) || bracketed ? name : `(${name})`;
}

function printLin(l: Lin): Dim {
  const entries = [...l.terms].filter(([, r]) => r.p !== 0);
  if (entries.length === 0) return l.c.p / l.c.q;
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
