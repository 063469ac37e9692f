// Exact rational arithmetic for the explanations: the numbers a user types (0.1, -2.5, 3) are
// read as the decimals they are, so `0.1×3 + 0.2×1` prints 0.5 and not 0.5000000000000001, and a
// pooled average such as 5/3 is known to be inexact when it is printed rounded.

/** A reduced fraction n/d with d > 0. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const babs = (a: bigint): bigint => (a < 0n ? -a : a);
function bgcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

function make(n: bigint, d: bigint): Q {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = bgcd(n, d);
  return { n: n / g, d: d / g };
}

export const ZERO: Q = { n: 0n, d: 1n };

/** The decimal a JavaScript number prints as, exactly (0.1 is 1/10, 1e-7 is 1/10⁷). */
export function fromNumber(x: number): Q {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0) - frac.length;
  let n = BigInt(m[2] + frac);
  let d = 1n;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else d = 10n ** BigInt(-exp);
  return make(m[1] === '-' ? -n : n, d);
}

export const add = (a: Q, b: Q): Q => make(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => make(a.n * b.n, a.d * b.d);
export const divInt = (a: Q, k: number): Q => make(a.n, a.d * BigInt(k));
export const sum = (xs: Q[]): Q => xs.reduce(add, ZERO);
/** Negative, zero or positive as a < b, a = b, a > b. */
export const cmp = (a: Q, b: Q): number => {
  const c = a.n * b.d - b.n * a.d;
  return c < 0n ? -1 : c > 0n ? 1 : 0;
};

/** The nearest double. */
export function toNumber(q: Q): number {
  if (q.d === 1n) return Number(q.n);
  const limit = 2n ** 53n;
  if (babs(q.n) < limit && q.d < limit) return Number(q.n) / Number(q.d);
  // Scale to keep 20 significant digits before going to floating point.
  const scale = 10n ** 20n;
  return Number((q.n * scale) / q.d) / 1e20;
}

/** Whether `format(q)` shows q exactly. */
export function isShownExactly(q: Q): boolean {
  const shown = fromNumber(Number(format(q)));
  return shown.n === q.n && shown.d === q.d;
}

/** Integers without decimals; other numbers with at most 4 decimals (4 significant digits when smaller). */
export function format(q: Q): string {
  if (q.d === 1n) return q.n.toString();
  const x = toNumber(q);
  const fixed = Number(x.toFixed(4));
  return String(fixed !== 0 ? fixed : Number(x.toPrecision(4)));
}

/** A factor in a product: negatives in parentheses, `(-1)×2`. */
export const formatFactor = (q: Q): string => (q.n < 0n ? `(${format(q)})` : format(q));

/** `= 7`, or `≈ 1.6667` when the printed value is rounded. */
export const formatResult = (q: Q): string => `${isShownExactly(q) ? '=' : '≈'} ${format(q)}`;
