// Values of small constant tensors. Some model code computes layer widths with tensor arithmetic
// at construction time (torchvision's RegNet: arange, log, round, pow, diff, .int().tolist()).
// Tensors made from constants carry their values (flat, row-major) through elementwise ops, so
// those widths are known; tensors that come from the model input never do.
import { list, type Value } from '../../python/values';
import type { Shape } from '../../shapes/dim';

/** Constant tensors larger than this stay shape-only. */
export const MAX_DATA = 1 << 16;

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export const UNARY_DATA: Record<string, (x: number) => number> = {
  round: roundHalfEven, log: Math.log, exp: Math.exp, sqrt: Math.sqrt, abs: Math.abs, floor: Math.floor, ceil: Math.ceil,
  neg: (x) => -x, sign: Math.sign, square: (x) => x * x, reciprocal: (x) => 1 / x, sin: Math.sin, cos: Math.cos,
  relu: (x) => Math.max(0, x), sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh, rsqrt: (x) => 1 / Math.sqrt(x),
  int: Math.trunc, long: Math.trunc, bool: (x) => (x ? 1 : 0), float: (x) => x, double: (x) => x,
};

export const BINARY_DATA: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  floordiv: (a, b) => Math.floor(a / b), remainder: (a, b) => ((a % b) + b) % b, pow: (a, b) => a ** b,
  maximum: Math.max, minimum: Math.min,
};

/** Elementwise on equal lengths, or with one side a single value (the broadcasts constants use). */
export function combineData(a: number[] | undefined, b: number[] | undefined, f: ((x: number, y: number) => number) | undefined): number[] | undefined {
  if (!a || !b || !f) return undefined;
  if (a.length === b.length) return a.map((x, i) => f(x, b[i]));
  if (b.length === 1) return a.map((x) => f(x, b[0]));
  if (a.length === 1) return b.map((y) => f(a[0], y));
  return undefined;
}

/** Elementwise with NumPy broadcasting of two constant tensors of known shapes. */
export function broadcastData(a: number[], as: number[], b: number[], bs: number[], out: number[], f: (x: number, y: number) => number): number[] | undefined {
  const n = out.reduce((p, d) => p * d, 1);
  if (n > MAX_DATA) return undefined;
  // an operand's stride along each output axis: its axes align with the last ones, size 1 repeats (0)
  const strides = (shape: number[]): number[] => {
    const st = Array<number>(out.length).fill(0);
    for (let i = 1, acc = 1; i <= shape.length; acc *= shape[shape.length - i], i++) {
      if (shape[shape.length - i] !== 1) st[out.length - i] = acc;
    }
    return st;
  };
  const sa = strides(as), sb = strides(bs);
  return Array.from({ length: n }, (_, flat) => {
    let rest = flat, ia = 0, ib = 0;
    for (let ax = out.length - 1; ax >= 0; ax--) {
      const c = rest % out[ax];
      rest = Math.floor(rest / out[ax]);
      ia += c * sa[ax];
      ib += c * sb[ax];
    }
    return f(a[ia], b[ib]);
  });
}

/** `tolist()`: nested Python lists in the tensor's shape. */
export function nestedList(data: number[], shape: Shape): Value {
  if (shape.length === 0) return data[0] ?? null;
  const dims = shape as number[];
  const build = (axis: number, offset: number): Value => {
    const n = dims[axis];
    const stride = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
    if (axis === dims.length - 1) return list(data.slice(offset, offset + n));
    return list(Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * stride)));
  };
  return build(0, 0);
}

/** Flattens a nested list of numbers; undefined when anything in it is not a number. */
export function flattenNumbers(v: Value, out: number[] = []): number[] | undefined {
  if (typeof v === 'number') { out.push(v); return out; }
  if (typeof v === 'boolean') { out.push(+v); return out; }
  if (v !== null && typeof v === 'object' && (v.k === 'list' || v.k === 'tuple')) {
    for (const x of v.items) if (!flattenNumbers(x, out)) return undefined;
    return out.length > MAX_DATA ? undefined : out;
  }
  return undefined;
}
