// numpy for constants: the arrays that model code computes widths, depths and drop-path rates with at
// build time (`np.linspace(0, drop_path, depth)`, `int(np.ceil(c / 8) * 8)`, RegNet's width recipe).
// An array keeps its values (flat, row-major), shape and dtype; numpy scalars are plain Python
// numbers. An array larger than MAX_DATA, or an operation outside this subset, gives an unknown
// value with the reason, never a guessed one.
import type { Interpreter } from './interpreter';
import { sliceIndices, toIndex } from './interpreter';
import { makeClass } from './builtins';
import { dataArrayFunction, isDataArray, type DataArray } from './data-array';
import { pyModule } from './stdlib';
import { numpyRandomModule } from './numpy-random';
import { isObj, isUnknown, list, native, str, tuple, unknown, type CallSite, type PyClass, type PyHostObject, type PyModule, type PyUnknown, type Value } from './values';
import { BINARY_DATA, MAX_DATA, UNARY_DATA, broadcastData } from '../frameworks/pytorch/tensor-data';

export type DType = 'bool' | 'int32' | 'int64' | 'float32' | 'float64';

export interface NdArray extends PyHostObject {
  kind: 'ndarray';
  data: number[];
  shape: number[];
  dtype: DType;
}

/** An operand: an array, or a Python number ("weak": it takes the array's dtype where it fits). */
interface Operand { data: number[]; shape: number[]; dtype: DType; weak: boolean }

type Fn = (a: Value[], k: Map<string, Value>, site: CallSite) => Value;

const KIND: Record<DType, number> = { bool: 0, int32: 1, int64: 1, float32: 2, float64: 2 };
const isInt = (d: DType) => KIND[d] === 1 || d === 'bool';
const prodOf = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

export const isNdArray = (v: Value): v is NdArray => isObj(v) && v.k === 'host' && v.kind === 'ndarray';

/** A value stored in a dtype: ints truncate, float32 rounds to single precision. */
function cast(x: number, dtype: DType): number {
  switch (dtype) {
    case 'bool': return x ? 1 : 0;
    case 'int32': case 'int64': { const t = Math.trunc(x); return t === 0 ? 0 : t; } // no -0 among ints
    case 'float32': return Math.fround(x);
    default: return x;
  }
}

/** numpy's promotion of two operands (NEP 50: a Python scalar adapts to the array unless its kind is higher). */
function promote(a: Operand, b: Operand): DType {
  if (a.weak && b.weak) return KIND[a.dtype] >= KIND[b.dtype] ? a.dtype : b.dtype;
  if (a.weak || b.weak) {
    const [strong, weak] = a.weak ? [b, a] : [a, b];
    if (KIND[weak.dtype] <= KIND[strong.dtype]) return strong.dtype;
    return weak.dtype === 'float64' ? 'float64' : 'int64';
  }
  if (KIND[a.dtype] !== KIND[b.dtype]) return KIND[a.dtype] > KIND[b.dtype] ? a.dtype : b.dtype;
  return a.dtype === 'float64' || a.dtype === 'int64' ? a.dtype : b.dtype;
}

function broadcastShape(a: number[], b: number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const roundHalfEven = UNARY_DATA.round;

/** np.round: x·10^d rounded half to even, then divided back (numpy's own algorithm, so 2.675 → 2.68). */
function roundTo(x: number, decimals: number): number {
  if (decimals === 0) return roundHalfEven(x);
  if (decimals > 0) { const f = 10 ** decimals; return roundHalfEven(x * f) / f; }
  const f = 10 ** -decimals;
  return roundHalfEven(x / f) * f;
}

const floorMod = (a: number, b: number) => ((a % b) + b) % b;
const COMPARE: Record<string, ((a: number, b: number) => boolean) | undefined> = {
  '<': (a, b) => a < b, '>': (a, b) => a > b, '<=': (a, b) => a <= b, '>=': (a, b) => a >= b, '==': (a, b) => a === b, '!=': (a, b) => a !== b,
};
const BINARY: Record<string, ((a: number, b: number) => number) | undefined> = {
  '+': BINARY_DATA.add, '-': BINARY_DATA.sub, '*': BINARY_DATA.mul, '/': BINARY_DATA.div, '//': BINARY_DATA.floordiv,
  '%': floorMod, '**': BINARY_DATA.pow, maximum: Math.max, minimum: Math.min,
  '&': (a, b) => a & b, '|': (a, b) => a | b, '^': (a, b) => a ^ b,
};

/** Unary functions: whether they keep an integer dtype (floor of an int array stays int in numpy 2). */
const UNARY: Record<string, { f: (x: number) => number; keepsInt: boolean }> = {
  floor: { f: Math.floor, keepsInt: true }, ceil: { f: Math.ceil, keepsInt: true }, trunc: { f: Math.trunc, keepsInt: true },
  rint: { f: roundHalfEven, keepsInt: true }, abs: { f: Math.abs, keepsInt: true }, absolute: { f: Math.abs, keepsInt: true },
  negative: { f: (x) => -x, keepsInt: true }, square: { f: (x) => x * x, keepsInt: true }, sign: { f: Math.sign, keepsInt: true },
  log: { f: Math.log, keepsInt: false }, log2: { f: Math.log2, keepsInt: false }, log10: { f: Math.log10, keepsInt: false },
  exp: { f: Math.exp, keepsInt: false }, sqrt: { f: Math.sqrt, keepsInt: false }, sin: { f: Math.sin, keepsInt: false },
  cos: { f: Math.cos, keepsInt: false }, tanh: { f: Math.tanh, keepsInt: false },
};

const DTYPE_NAMES: Record<string, DType> = {
  bool: 'bool', bool_: 'bool', int: 'int64', int_: 'int64', int64: 'int64', intp: 'int64', int32: 'int32',
  long: 'int64', float: 'float64', float_: 'float64', float64: 'float64', double: 'float64', float32: 'float32', single: 'float32',
};

export function numpyModule(interp: Interpreter): PyModule {
  const bad = (what: string, site: CallSite) => unknown(`numpy: ${what}`, site.line);

  function make(data: number[], shape: number[], dtype: DType): NdArray {
    const a: NdArray = {
      k: 'host', kind: 'ndarray', data, shape, dtype,
      getattr: (name, site) => arrayAttr(a, name, site),
      binop: (op, other, reflected, site) => {
        const o = operand(other);
        if (!o) return isUnknown(other) ? other : undefined;
        const self = operand(a) as Operand;
        return binary(op, reflected ? o : self, reflected ? self : o, site);
      },
      compare: (op, other, site) => {
        const o = operand(other);
        if (!o) return isUnknown(other) ? other : undefined;
        return binary(op, operand(a) as Operand, o, site);
      },
      unop: (op, site) => (op === '-' ? mapArray(a, (x) => -x, a.dtype, site) : op === '~' && a.dtype === 'bool' ? mapArray(a, (x) => (x ? 0 : 1), 'bool', site) : undefined),
      getitem: (index, site) => getItem(a, index, site),
      iterate: () => (a.shape.length ? Array.from({ length: a.shape[0] }, (_, i) => row(a, i)) : undefined),
      len: () => (a.shape.length ? a.shape[0] : unknown('len() of a 0-d array')),
      repr: () => `array(${showNested(a)})`,
    };
    return a;
  }

  /** A new array, or unknown when it is larger than ConvLens keeps values for. */
  function build(data: number[], shape: number[], dtype: DType, site: CallSite): Value {
    const n = prodOf(shape);
    if (n > MAX_DATA) return bad(`an array of ${n} elements is larger than ConvLens keeps values for (${MAX_DATA})`, site);
    return make(data.map((x) => cast(x, dtype)), shape, dtype);
  }

  /** A 0-d result is a numpy scalar, which ConvLens holds as a Python number. */
  const result = (data: number[], shape: number[], dtype: DType, site: CallSite): Value =>
    shape.length === 0 ? scalarOut(cast(data[0], dtype), dtype) : build(data, shape, dtype, site);

  const scalarOut = (x: number, dtype: DType): Value => (dtype === 'bool' ? x !== 0 : x);

  function operand(v: Value): Operand | undefined {
    if (isNdArray(v)) return { data: v.data, shape: v.shape, dtype: v.dtype, weak: false };
    if (typeof v === 'boolean') return { data: [+v], shape: [], dtype: 'bool', weak: true };
    if (typeof v === 'number') return { data: [v], shape: [], dtype: Number.isInteger(v) ? 'int64' : 'float64', weak: true };
    return undefined;
  }

  /** An operand from a Python value (nested lists/tuples of numbers, an array, a number), or why not. */
  function arg(v: Value, site: CallSite): Operand | PyUnknown {
    const o = operand(v);
    if (o) return o;
    if (isUnknown(v)) return v;
    if (!isObj(v) || (v.k !== 'list' && v.k !== 'tuple' && v.k !== 'iter')) return bad(`an array from ${str(v)}`, site);
    if (!v.items.length) return { data: [], shape: [0], dtype: 'float64', weak: false };
    const parts: Operand[] = [];
    for (const x of v.items) {
      const p = arg(x, site);
      if (!isOperand(p)) return p;
      parts.push(p);
    }
    const inner = parts[0].shape;
    if (parts.some((p) => p.shape.join() !== inner.join())) return bad('a ragged nested sequence', site);
    // Python ints make int64, floats float64 (a list is never float32)
    const kind = Math.max(...parts.map((p) => KIND[p.dtype]));
    const dtype: DType = kind === 0 ? 'bool' : kind === 1 ? 'int64' : 'float64';
    return { data: parts.flatMap((p) => p.data), shape: [parts.length, ...inner], dtype, weak: false };
  }
  const isOperand = (v: Operand | PyUnknown): v is Operand => 'weak' in v;

  function binary(op: string, a: Operand, b: Operand, site: CallSite): Value {
    const shape = broadcastShape(a.shape, b.shape);
    if (!shape) return interp.raise('ValueError', `operands could not be broadcast together with shapes (${a.shape}) (${b.shape})`, site.line);
    if (prodOf(shape) > MAX_DATA) return bad(`an array of ${prodOf(shape)} elements is larger than ConvLens keeps values for`, site);
    const cmp = COMPARE[op];
    let dtype: DType = cmp ? 'bool' : promote(a, b);
    if (op === '/' && isInt(dtype)) dtype = 'float64';
    if ((op === '+' || op === '-' || op === '*' || op === '//' || op === '%' || op === '**') && dtype === 'bool') dtype = op === '+' || op === '*' ? 'bool' : 'int64';
    const f = cmp ? (x: number, y: number) => +cmp(x, y) : BINARY[op];
    if (!f) return bad(`the operator ${op} on arrays`, site);
    // inputs are read in the result's dtype (a float32 array times a Python float computes in float32)
    const ca = a.data.map((x) => cast(x, cmp ? a.dtype : dtype)), cb = b.data.map((x) => cast(x, cmp ? b.dtype : dtype));
    const g = isInt(dtype) && (op === '//' || op === '%') ? (x: number, y: number) => (y === 0 ? 0 : f(x, y)) : f;
    const data = broadcastData(ca, a.shape, cb, b.shape, shape, g);
    return data ? result(data, shape, dtype, site) : bad('broadcast', site);
  }

  function mapArray(a: Operand | NdArray, f: (x: number) => number, dtype: DType, site: CallSite): Value {
    return result(a.data.map(f), a.shape, dtype, site);
  }

  const row = (a: NdArray, i: number): Value => {
    const inner = a.shape.slice(1), n = prodOf(inner);
    return result(a.data.slice(i * n, (i + 1) * n), inner, a.dtype, { line: 0, from: 0, to: 0, file: '' });
  };

  function getItem(a: NdArray, index: Value, site: CallSite): Value {
    if (isUnknown(index)) return index;
    // a boolean mask or an integer array selects along the first axis of a 1-D array
    if (isNdArray(index) || (isObj(index) && index.k === 'list')) {
      const sel = arg(index, site);
      if (!isOperand(sel)) return sel;
      if (a.shape.length !== 1 || sel.shape.length !== 1) return bad('fancy indexing of an array that is not 1-D', site);
      const picks = sel.dtype === 'bool' ? sel.data.flatMap((m, i) => (m ? [i] : [])) : sel.data.map((i) => (i < 0 ? a.shape[0] + i : i));
      if (sel.dtype === 'bool' && sel.data.length !== a.shape[0]) interp.raise('IndexError', 'boolean index did not match', site.line);
      if (picks.some((i) => i < 0 || i >= a.shape[0])) interp.raise('IndexError', 'index out of bounds', site.line);
      return build(picks.map((i) => a.data[i]), [picks.length], a.dtype, site);
    }
    const items = isObj(index) && index.k === 'tuple' ? index.items : [index];
    if (items.length > a.shape.length) interp.raise('IndexError', `too many indices for array: array is ${a.shape.length}-dimensional`, site.line);
    // each axis: the positions it keeps, and whether it stays an axis (a slice) or goes (an integer)
    const axes: Array<{ at: number[]; keep: boolean }> = [];
    for (let ax = 0; ax < a.shape.length; ax++) {
      const n = a.shape[ax], it = ax < items.length ? items[ax] : { k: 'slice' as const, lo: null, hi: null, step: null };
      if (isObj(it) && it.k === 'slice') {
        axes.push({ at: sliceIndices(n, it, site, interp), keep: true });
        continue;
      }
      const i = toIndex(it);
      if (i === undefined) return bad(`index ${str(it)}`, site);
      const j = i < 0 ? n + i : i;
      if (j < 0 || j >= n) interp.raise('IndexError', `index ${i} is out of bounds for axis ${ax} with size ${n}`, site.line);
      axes.push({ at: [j], keep: false });
    }
    const strides = a.shape.map((_, ax) => prodOf(a.shape.slice(ax + 1)));
    let flat = [0];
    axes.forEach((x, ax) => { flat = flat.flatMap((o) => x.at.map((i) => o + i * strides[ax])); });
    return result(flat.map((i) => a.data[i]), axes.filter((x) => x.keep).map((x) => x.at.length), a.dtype, site);
  }

  function dtypeOf(v: Value | undefined): DType | undefined | null {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return DTYPE_NAMES[v];
    if (isObj(v) && v.k === 'class') return DTYPE_NAMES[v.name];
    if (isObj(v) && v.k === 'inst' && v.cls.name === 'dtype') return dtypeOf(v.attrs.get('name'));
    return undefined;
  }

  function astype(a: { data: number[]; shape: number[] }, d: Value, site: CallSite): Value {
    const dtype = dtypeOf(d);
    if (!dtype) return bad(`astype(${str(d)})`, site);
    return result(a.data, a.shape, dtype, site);
  }

  /** Reductions over the whole array, or axis 0 of a 1-D array. */
  function reduce(name: string, a: Operand, k: Map<string, Value>, site: CallSite, axisArg?: Value): Value {
    const axis = axisArg ?? k.get('axis') ?? null;
    if (axis !== null && !(a.shape.length === 1 && (axis === 0 || axis === -1))) return bad(`${name} along an axis of a ${a.shape.length}-D array`, site);
    const d = a.data;
    const sumType: DType = isInt(a.dtype) ? 'int64' : a.dtype;
    const empty = (what: string) => interp.raise('ValueError', `zero-size array to reduction operation ${what} which has no identity`, site.line);
    switch (name) {
      case 'sum': return scalarOut(cast(d.reduce((p, x) => p + x, 0), sumType), sumType);
      case 'prod': return scalarOut(cast(d.reduce((p, x) => p * x, 1), sumType), sumType);
      case 'mean': return d.length ? d.reduce((p, x) => p + x, 0) / d.length : NaN;
      case 'max': case 'amax': return d.length ? scalarOut(Math.max(...d), a.dtype) : empty('maximum');
      case 'min': case 'amin': return d.length ? scalarOut(Math.min(...d), a.dtype) : empty('minimum');
      case 'argmax': return d.length ? d.indexOf(Math.max(...d)) : empty('argmax');
      case 'argmin': return d.length ? d.indexOf(Math.min(...d)) : empty('argmin');
      case 'all': return d.every((x) => x !== 0);
      case 'any': return d.some((x) => x !== 0);
      case 'cumsum': case 'cumprod': {
        let acc = name === 'cumsum' ? 0 : 1;
        const out = d.map((x) => (acc = cast(name === 'cumsum' ? acc + x : acc * x, sumType)));
        return build(out, [out.length], sumType, site);
      }
    }
    return bad(name, site);
  }

  function reshape(a: Operand, dims: Value[], site: CallSite): Value {
    const flat = dims.length === 1 && isObj(dims[0]) && (dims[0].k === 'tuple' || dims[0].k === 'list') ? dims[0].items : dims;
    const shape = flat.map((x) => toIndex(x));
    if (shape.some((x) => x === undefined)) return bad('reshape to an unknown shape', site);
    const known = (shape as number[]).filter((x) => x !== -1);
    const free = (shape as number[]).length - known.length;
    const out = (shape as number[]).map((x) => (x === -1 ? a.data.length / prodOf(known) : x));
    if (free > 1 || prodOf(out) !== a.data.length || !out.every(Number.isInteger)) {
      interp.raise('ValueError', `cannot reshape array of size ${a.data.length} into shape (${shape.join(', ')})`, site.line);
    }
    return build(a.data, out, a.dtype, site);
  }

  function clip(a: Operand, lo: Value, hi: Value, site: CallSite): Value {
    let v: Value = make(a.data, a.shape, a.dtype);
    const lim = (op: string, x: Value) => {
      if (x === null) return;
      const o = arg(x, site);
      v = isOperand(o) ? binary(op, operand(v) as Operand, o, site) : o;
    };
    lim('maximum', lo);
    if (isNdArray(v) || typeof v === 'number') lim('minimum', hi);
    return isNdArray(v) && a.shape.length === 0 ? v.data[0] : v;
  }

  function pad(a: Operand, width: Value, k: Map<string, Value>, site: CallSite): Value {
    const mode = k.get('mode') ?? 'constant';
    if (mode !== 'constant') return bad(`np.pad with mode='${str(mode)}'`, site);
    const w = arg(width, site);
    if (!isOperand(w)) return w;
    const rank = a.shape.length;
    // pad_width broadcasts to one (before, after) pair per axis
    const pairs = a.shape.map((_, ax) => {
      if (w.shape.length === 0) return [w.data[0], w.data[0]];
      if (w.shape.length === 1) return w.data.length === 1 ? [w.data[0], w.data[0]] : [w.data[0], w.data[1]];
      const r = w.shape[0] === 1 ? 0 : ax;
      return [w.data[r * 2], w.data[r * 2 + 1]];
    });
    const cv = k.get('constant_values') ?? 0;
    if (typeof cv !== 'number' && typeof cv !== 'boolean') return bad('np.pad with per-axis constant values', site);
    const shape = a.shape.map((n, ax) => n + pairs[ax][0] + pairs[ax][1]);
    if (prodOf(shape) > MAX_DATA) return bad(`an array of ${prodOf(shape)} elements is larger than ConvLens keeps values for`, site);
    const out: number[] = [];
    const walk = (ax: number, src: number): void => {
      if (ax === rank) { out.push(src < 0 ? +cv : a.data[src]); return; }
      const inner = prodOf(a.shape.slice(ax + 1));
      for (let i = 0; i < shape[ax]; i++) {
        const j = i - pairs[ax][0];
        walk(ax + 1, src < 0 || j < 0 || j >= a.shape[ax] ? -1 : src + j * inner);
      }
    };
    walk(0, 0);
    return build(out, shape, a.dtype, site);
  }

  const methods: Record<string, (a: NdArray, args: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
    astype: (a, x, k, s) => astype(a, x[0] ?? k.get('dtype') ?? null, s),
    tolist: (a) => nested(a),
    item: (a, x, _k, s) => (a.data.length === 1 && !x.length ? scalarOut(a.data[0], a.dtype) : x.length === 1 && typeof x[0] === 'number' ? scalarOut(a.data[x[0]], a.dtype) : bad('item() of an array of more than one element', s)),
    reshape: (a, x, _k, s) => reshape(operand(a) as Operand, x, s),
    flatten: (a, _x, _k, s) => build(a.data, [a.data.length], a.dtype, s),
    ravel: (a, _x, _k, s) => build(a.data, [a.data.length], a.dtype, s),
    copy: (a) => make(a.data.slice(), a.shape, a.dtype),
    round: (a, x, k, s) => mapArray(a, (v) => roundTo(v, toIndex(x[0] ?? k.get('decimals') ?? 0) ?? 0), a.dtype, s),
    clip: (a, x, k, s) => clip(operand(a) as Operand, x[0] ?? k.get('min') ?? null, x[1] ?? k.get('max') ?? null, s),
  };
  for (const r of ['sum', 'prod', 'mean', 'max', 'min', 'argmax', 'argmin', 'all', 'any', 'cumsum', 'cumprod']) {
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const method: (typeof methods)[string] = (a, x, k, s) => reduce(r, operand(a) as Operand, k, s, x[0]);
    methods[r] = method;
  }

  function arrayAttr(a: NdArray, name: string, site: CallSite): Value {
    switch (name) {
      case 'shape': return tuple(a.shape);
      case 'size': return a.data.length;
      case 'ndim': return a.shape.length;
      case 'dtype': return dtypeObj(a.dtype);
      case 'T': return a.shape.length === 2 ? transpose(a, site) : a.shape.length < 2 ? a : bad('.T of an array of more than 2 dimensions', site);
    }
    const m = methods[name];
    return m ? native(name, (x, k, s) => m(a, x, k, s)) : bad(`ndarray.${name}`, site);
  }

  function transpose(a: NdArray, site: CallSite): Value {
    const [r, c] = a.shape;
    return build(Array.from({ length: r * c }, (_, i) => a.data[(i % r) * c + Math.floor(i / r)]), [c, r], a.dtype, site);
  }

  const nested = (a: NdArray): Value => {
    const conv = (x: number): Value => scalarOut(x, a.dtype);
    if (!a.shape.length) return conv(a.data[0]);
    const walk = (ax: number, off: number): Value => {
      const inner = prodOf(a.shape.slice(ax + 1));
      return list(Array.from({ length: a.shape[ax] }, (_, i) => (ax === a.shape.length - 1 ? conv(a.data[off + i]) : walk(ax + 1, off + i * inner))));
    };
    return walk(0, 0);
  };

  const showNested = (a: NdArray): string => {
    const n = nested(a);
    const show = (v: Value): string => (isObj(v) && v.k === 'list' ? `[${v.items.map(show).join(', ')}]` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
    return show(n);
  };

  // dtypes: calling one makes a scalar (or casts an array); `dtype=` and astype() accept them.
  // numpy's aliases (int_, intp, double, float_) are the same class.
  const dtypeClasses = new Map<DType, PyClass>((['bool', 'int32', 'int64', 'float32', 'float64'] as DType[]).map((dtype) => {
    const cls = makeClass(dtype, (x, _k, site) => {
      const v = x[0] ?? 0;
      if (isNdArray(v)) return astype(v, dtype, site);
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return scalarOut(cast(Number(v), dtype), dtype);
      const o = operand(v);
      return o ? scalarOut(cast(o.data[0], dtype), dtype) : isUnknown(v) ? v : bad(`${dtype}(${str(v)})`, site);
    });
    return [dtype, cls];
  }));
  const dtypeObj = (d: DType): Value => dtypeClasses.get(d) ?? d;

  const ndarrayClass = makeClass('ndarray', undefined, 'ndarray');
  const one = (f: (a: Operand, x: Value[], k: Map<string, Value>, site: CallSite) => Value): Fn => (x, k, site) => {
    const a = arg(x[0] ?? null, site);
    return isOperand(a) ? f(a, x.slice(1), k, site) : a;
  };
  const two = (op: string): Fn => (x, _k, site) => {
    const a = arg(x[0] ?? null, site), b = arg(x[1] ?? null, site);
    if (!isOperand(a)) return a;
    if (!isOperand(b)) return b;
    return binary(op, a, b, site);
  };
  const creator = (fill: (k: Map<string, Value>, x: Value[]) => Value): Fn => (x, k, site) => {
    const shapeV = x[0] ?? k.get('shape') ?? null;
    const dims = typeof shapeV === 'number' ? [shapeV] : isObj(shapeV) && (shapeV.k === 'tuple' || shapeV.k === 'list') ? shapeV.items.map(toIndex) : [undefined];
    if (dims.some((d) => d === undefined || d < 0)) return bad(`an array of shape ${str(shapeV)}`, site);
    const v = fill(k, x);
    const o = operand(v);
    if (!o) return isUnknown(v) ? v : bad(`fill value ${str(v)}`, site);
    const dtype = dtypeOf(k.get('dtype') ?? x[2]) ?? (fill === fullFill ? (o.dtype === 'bool' ? 'bool' : o.dtype) : 'float64');
    const n = prodOf(dims as number[]);
    if (n > MAX_DATA) return bad(`an array of ${n} elements is larger than ConvLens keeps values for (${MAX_DATA})`, site);
    return build(Array<number>(n).fill(o.data[0]), dims as number[], dtype, site);
  };
  const fullFill = (k: Map<string, Value>, x: Value[]): Value => x[1] ?? k.get('fill_value') ?? null;
  const eye = (nV: Value, mV: Value, kV: Value, dtype: DType | undefined, site: CallSite): Value => {
    const n = toIndex(nV), m = mV === null ? n : toIndex(mV), d = toIndex(kV);
    if (n === undefined || m === undefined || d === undefined || n < 0 || m < 0) return [nV, mV, kV].find(isUnknown) ?? bad('eye of unknown sizes', site);
    if (n * m > MAX_DATA) return bad(`an array of ${n * m} elements is larger than ConvLens keeps values for (${MAX_DATA})`, site);
    return build(Array.from({ length: n * m }, (_, i) => (i % m - Math.floor(i / m) === d ? 1 : 0)), [n, m], dtype ?? 'float64', site);
  };

  const fns: Record<string, Fn> = {
    array: (x, k, site) => {
      const a = arg(x[0] ?? null, site);
      if (!isOperand(a)) return a;
      const d = dtypeOf(k.get('dtype') ?? x[1]);
      return build(a.data, a.shape, d ?? (a.weak && a.dtype === 'int32' ? 'int64' : a.dtype), site);
    },
    arange: (x, k, site) => {
      const nums = x.map((v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? +v : undefined));
      if (!nums.length || nums.some((v) => v === undefined)) return x.find(isUnknown) ?? bad('arange of unknown bounds', site);
      const [start, stop, step] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, (nums[2] ?? 1) as number];
      if (step === 0) interp.raise('ZeroDivisionError', 'division by zero', site.line);
      const n = Math.max(0, Math.ceil((stop - start) / step));
      const dtype = dtypeOf(k.get('dtype')) ?? (nums.every((v) => Number.isInteger(v)) ? 'int64' : 'float64');
      if (n > MAX_DATA) return bad(`an array of ${n} elements is larger than ConvLens keeps values for (${MAX_DATA})`, site);
      return build(Array.from({ length: n }, (_, i) => start + i * step), [n], dtype, site);
    },
    linspace: (x, k, site) => {
      const start = x[0] ?? k.get('start') ?? null, stop = x[1] ?? k.get('stop') ?? null, numV = x[2] ?? k.get('num') ?? 50;
      const endpoint = x[3] ?? k.get('endpoint') ?? true;
      if (typeof start !== 'number' || typeof stop !== 'number' || toIndex(numV) === undefined) {
        return [start, stop, numV].find(isUnknown) ?? bad('linspace of unknown bounds', site);
      }
      const num = toIndex(numV) as number;
      if (num < 0) interp.raise('ValueError', `Number of samples, ${num}, must be non-negative.`, site.line);
      // numpy's own arithmetic: i·step + start, the last value set to stop; integer dtypes floor
      const div = endpoint ? num - 1 : num;
      const step = (stop - start) / div;
      const data = Array.from({ length: num }, (_, i) => (div === 0 ? i * (stop - start) : step === 0 ? (i / div) * (stop - start) : i * step) + start);
      if (endpoint && num > 1) data[num - 1] = stop;
      const dtype = dtypeOf(k.get('dtype')) ?? 'float64';
      return build(isInt(dtype) ? data.map(Math.floor) : data, [num], dtype, site);
    },
    zeros: creator(() => 0), ones: creator(() => 1), full: creator(fullFill),
    // eye(N, M=None, k=0) and identity(n): PointNet's transform starts from np.eye(k).flatten()
    eye: (x, k, site) => eye(x[0] ?? k.get('N') ?? null, x[1] ?? k.get('M') ?? null, x[2] ?? k.get('k') ?? 0, dtypeOf(k.get('dtype') ?? null) ?? undefined, site),
    identity: (x, k, site) => eye(x[0] ?? k.get('n') ?? null, null, 0, dtypeOf(k.get('dtype') ?? x[1] ?? null) ?? undefined, site),
    zeros_like: one((a, _x, _k, site) => build(a.data.map(() => 0), a.shape, a.dtype, site)),
    ones_like: one((a, _x, _k, site) => build(a.data.map(() => 1), a.shape, a.dtype, site)),
    round: one((a, x, k, site) => mapArray(a, (v) => roundTo(v, toIndex(x[0] ?? k.get('decimals') ?? 0) ?? 0), a.dtype, site)),
    power: two('**'), divide: two('/'), true_divide: two('/'), floor_divide: two('//'), add: two('+'), subtract: two('-'),
    multiply: two('*'), mod: two('%'), remainder: two('%'), maximum: two('maximum'), minimum: two('minimum'),
    clip: one((a, x, k, site) => clip(a, x[0] ?? k.get('a_min') ?? k.get('min') ?? null, x[1] ?? k.get('a_max') ?? k.get('max') ?? null, site)),
    unique: one((a, _x, k, site) => {
      const values = [...new Set(a.data)].sort((p, q) => p - q);
      const u = build(values, [values.length], a.dtype, site);
      if (!k.get('return_counts')) return u;
      // RegNet's recipe: stage widths and how many blocks each has
      return tuple([u, build(values.map((v) => a.data.filter((x) => x === v).length), [values.length], 'int64', site)]);
    }),
    sort: one((a, _x, _k, site) => (a.shape.length <= 1 ? build(a.data.slice().sort((p, q) => p - q), [a.data.length], a.dtype, site) : bad('sort of an n-D array', site))),
    diff: one((a, _x, _k, site) => (a.shape.length === 1 ? build(a.data.slice(1).map((v, i) => v - a.data[i]), [Math.max(0, a.data.length - 1)], a.dtype === 'bool' ? 'bool' : a.dtype, site) : bad('diff of an n-D array', site))),
    pad: one((a, x, k, site) => pad(a, x[0] ?? k.get('pad_width') ?? null, k, site)),
    reshape: one((a, x, _k, site) => reshape(a, x, site)),
    expand_dims: one((a, x, k, site) => {
      const ax = toIndex(x[0] ?? k.get('axis') ?? null);
      if (ax === undefined) return bad('expand_dims along an unknown axis', site);
      const shape = [...a.shape];
      shape.splice(ax < 0 ? shape.length + 1 + ax : ax, 0, 1);
      return build(a.data, shape, a.dtype, site);
    }),
    concatenate: (x, k, site) => {
      const parts = interp.iterate(x[0] ?? null, site).map((v) => arg(v, site));
      const ops = parts.filter(isOperand);
      if (ops.length < parts.length) return parts.find((p) => !isOperand(p)) as PyUnknown;
      if ((k.get('axis') ?? 0) !== 0 || ops.some((p) => p.shape.length !== 1)) return bad('concatenate of arrays that are not 1-D', site);
      const dtype = ops.reduce<DType>((d, p) => promote({ ...p, weak: false }, { data: [], shape: [], dtype: d, weak: false }), ops[0]?.dtype ?? 'float64');
      const data = ops.flatMap((p) => p.data);
      return build(data, [data.length], dtype, site);
    },
    asarray: (x, k, site) => fns.array(x, k, site),
    // only a dataset's arrays (their shapes) take these here
    ...Object.fromEntries(['transpose', 'squeeze', 'ascontiguousarray', 'std', 'var'].map((n) => [n, (_x: Value[], _k: Map<string, Value>, site: CallSite) => bad(`np.${n}`, site)])),
  };
  for (const [name, u] of Object.entries(UNARY)) {
    fns[name] = one((a, _x, _k, site) => mapArray(a, u.f, u.keepsInt || !isInt(a.dtype) ? a.dtype : 'float64', site));
  }
  fns.around = fns.round;
  for (const r of ['sum', 'prod', 'mean', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'all', 'any', 'cumsum', 'cumprod']) {
    fns[r] = one((a, x, k, site) => reduce(r, a, k, site, x[0]));
  }

  const attrs: Record<string, Value> = {
    pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, newaxis: null, ndarray: ndarrayClass, random: numpyRandomModule(interp),
    ...Object.fromEntries(Object.entries(DTYPE_NAMES).filter(([n]) => !['int', 'float', 'bool', 'long'].includes(n)).map(([n, d]) => [n, dtypeObj(d)])),
  };
  // a dataset's array (shape known, values not read) takes the shape functions, and is named by the others
  const ofData = (x: Value[]) => x.some((v) => isDataArray(v) || (isObj(v) && (v.k === 'list' || v.k === 'tuple') && v.items.some(isDataArray)));
  // a dataset's class labels (every class occurs): np.unique(y_train) is known
  const ofLabels = (name: string, x: Value[], k: Map<string, Value>, site: CallSite): Value | undefined => {
    const n = name === 'unique' && isDataArray(x[0] ?? null) && x.length === 1 && !k.size ? (x[0] as DataArray).labels : undefined;
    return n === undefined ? undefined : build(Array.from({ length: n }, (_, i) => i), [n], 'int64', site);
  };
  for (const [name, f] of Object.entries(fns)) {
    attrs[name] = native(name, (x, k, site) => (ofData(x) ? ofLabels(name, x, k, site) ?? dataArrayFunction(interp, name, x, k, site) : f(x, k, site)));
  }
  // numpy gives arrays and numbers, never a torch tensor: no statement hint shows them as one
  return pyModule('numpy', attrs, (n) => ({ ...unknown(`numpy.${n} is not modelled: only the functions that compute constants are`), notTensor: true }));
}
