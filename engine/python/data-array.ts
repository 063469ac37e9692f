// A numpy array whose shape and dtype are known but whose values ConvLens does not read: a dataset's arrays
// (`keras.datasets.mnist.load_data()`), so that `Input(shape=x_train.shape[1:])` and
// `np.expand_dims(x_train, -1)` give the real sizes. Shape operations give data arrays again; anything that
// needs the values (np.unique, a sum, iteration) is unknown with the reason, never a guess.
import type { Interpreter } from './interpreter';
import { sliceIndices, toIndex } from './interpreter';
import { broadcast } from '../shapes/reshape';
import { isObj, isUnknown, native, str, tuple, unknown, type CallSite, type PyHostObject, type Value } from './values';

export interface DataArray extends PyHostObject {
  kind: 'data-array';
  shape: number[];
  dtype: string;
  /** What the values come from, for the reason of an unknown (`keras.datasets.mnist`). */
  origin: string;
  /** Class labels: every one of 0 … labels − 1 occurs (a dataset's y), so np.unique, max and min are known. */
  labels?: number;
}

export const isDataArray = (v: Value): v is DataArray => isObj(v) && v.k === 'host' && v.kind === 'data-array';

const FLOAT = /^float|^complex/;
const prodOf = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** The dtype name of `astype("float32")`, `astype(np.float32)` or `dtype=float`; undefined when unreadable. */
function dtypeName(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v) && v.k === 'class') return v.name === 'float' ? 'float64' : v.name === 'int' ? 'int64' : v.name;
  return undefined;
}

/** The shape an index gives (ints drop an axis, slices keep part of one, None adds one, `...` fills the rest). */
function indexShape(interp: Interpreter, a: DataArray, index: Value, site: CallSite): number[] | Value {
  const items = isObj(index) && index.k === 'tuple' ? index.items : [index];
  const isDots = (v: Value) => isUnknown(v) && v.reason === '...';
  const used = items.filter((v) => v !== null && !isDots(v)).length;
  if (used > a.shape.length) interp.raise('IndexError', `too many indices for array: array is ${a.shape.length}-dimensional`, site.line);
  const out: number[] = [];
  let ax = 0;
  for (const it of items) {
    if (it === null) { out.push(1); continue; }
    if (isDots(it)) {
      const skip = a.shape.length - used;
      out.push(...a.shape.slice(ax, ax + skip));
      ax += skip;
      continue;
    }
    if (isObj(it) && it.k === 'slice') { out.push(sliceIndices(a.shape[ax++], it, site, interp).length); continue; }
    const i = toIndex(it);
    if (i === undefined) return unknown(`an index ${str(it)} into ${a.origin}, whose values ConvLens does not read`, site.line);
    const n = a.shape[ax++];
    if (i < -n || i >= n) interp.raise('IndexError', `index ${i} is out of bounds for axis ${ax - 1} with size ${n}`, site.line);
  }
  return [...out, ...a.shape.slice(ax)];
}

/** `-1` in a reshape takes what is left; numpy's ValueError when the sizes do not match. */
function reshaped(interp: Interpreter, a: DataArray, dims: Value[], site: CallSite): number[] | Value {
  const flat = dims.length === 1 && isObj(dims[0]) && (dims[0].k === 'tuple' || dims[0].k === 'list') ? dims[0].items : dims;
  const shape = flat.map(toIndex);
  if (shape.some((x) => x === undefined)) return unknown(`a reshape of ${a.origin} to unknown sizes`, site.line);
  const known = prodOf((shape as number[]).filter((x) => x !== -1));
  const out = (shape as number[]).map((x) => (x === -1 ? prodOf(a.shape) / known : x));
  if (shape.filter((x) => x === -1).length > 1 || prodOf(out) !== prodOf(a.shape) || !out.every(Number.isInteger)) {
    interp.raise('ValueError', `cannot reshape array of size ${prodOf(a.shape)} into shape (${shape.join(', ')})`, site.line);
  }
  return out;
}

export function dataArray(interp: Interpreter, shape: number[], dtype: string, origin: string, labels?: number): DataArray {
  const again = (s: number[] | Value, d = dtype): Value => (Array.isArray(s) ? dataArray(interp, s, d, origin) : s);
  const values = (what: string, site: CallSite) => unknown(`${what} of ${origin}: ConvLens reads its shape, not its values`, site.line);
  const binary = (other: Value, site: CallSite, op: string, compare = false): Value | undefined => {
    const o = isDataArray(other) ? other.shape : isObj(other) && other.k === 'host' && other.kind === 'ndarray'
      ? (other as unknown as { shape: number[] }).shape : typeof other === 'number' || typeof other === 'boolean' ? [] : undefined;
    if (!o) return isUnknown(other) ? other : undefined;
    const b = broadcast(shape, o);
    if (b.bad !== undefined) return interp.raise('ValueError', `operands could not be broadcast together with shapes (${shape}) (${o})`, site.line);
    const s = b.shape as number[];
    const float = FLOAT.test(dtype) || (isDataArray(other) && FLOAT.test(other.dtype)) || (typeof other === 'number' && !Number.isInteger(other));
    return again(s, compare ? 'bool' : op === '/' || float ? (FLOAT.test(dtype) ? dtype : 'float64') : dtype);
  };
  const methods: Record<string, (x: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
    astype: (x, k, site) => {
      const d = dtypeName(x[0] ?? k.get('dtype') ?? null);
      return d ? again(shape, d) : values('astype to an unknown dtype', site);
    },
    reshape: (x, _k, site) => again(reshaped(interp, a, x, site)),
    transpose: (x, _k, site) => again(transposed(x, site)),
    squeeze: (x, k, site) => again(squeezed(x[0] ?? k.get('axis') ?? null, site)),
    flatten: () => again([prodOf(shape)]), ravel: () => again([prodOf(shape)]), copy: () => a,
  };
  // reductions along axes keep a shape (`x_train.mean(axis=0)` to normalise); over everything they are values,
  // known only for class labels (`y_train.max() + 1` classes)
  for (const r of ['mean', 'std', 'var', 'sum', 'max', 'min', 'amax', 'amin']) {
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const reduce: (typeof methods)[string] = (x, k, site) => {
      const axis = x[0] ?? k.get('axis') ?? null;
      if (axis === null) {
        if (labels !== undefined && (r === 'max' || r === 'min')) return r === 'max' ? labels - 1 : 0;
        return values(`${r}()`, site);
      }
      const axes = (isObj(axis) && axis.k === 'tuple' ? axis.items : [axis]).map(toIndex);
      if (axes.some((i) => i === undefined)) return values(`${r} along unknown axes`, site);
      const drop = new Set((axes as number[]).map((i) => (i < 0 ? i + shape.length : i)));
      const keep = k.get('keepdims') === true;
      return again(shape.flatMap((d, i) => (!drop.has(i) ? [d] : keep ? [1] : [])), FLOAT.test(dtype) || r === 'mean' || r === 'std' || r === 'var' ? (FLOAT.test(dtype) ? dtype : 'float64') : dtype);
    };
    methods[r] = reduce;
  }
  const transposed = (x: Value[], site: CallSite): number[] | Value => {
    const flat = x.length === 1 && isObj(x[0]) && (x[0].k === 'tuple' || x[0].k === 'list') ? x[0].items : x;
    if (!flat.length) return [...shape].reverse();
    const axes = flat.map(toIndex);
    if (axes.length !== shape.length || axes.some((i) => i === undefined)) return values('a transpose by unknown axes', site);
    return (axes as number[]).map((i) => shape[i < 0 ? i + shape.length : i]);
  };
  const squeezed = (axis: Value, site: CallSite): number[] | Value => {
    if (axis === null) return shape.filter((d) => d !== 1);
    const ax = toIndex(axis);
    if (ax === undefined) return values('a squeeze along an unknown axis', site);
    const i = ax < 0 ? ax + shape.length : ax;
    if (shape[i] !== 1) interp.raise('ValueError', 'cannot select an axis to squeeze out which has size not equal to one', site.line);
    return shape.filter((_, j) => j !== i);
  };
  const a: DataArray = {
    k: 'host', kind: 'data-array', shape, dtype, origin, ...(labels === undefined ? {} : { labels }),
    getattr(name, site) {
      switch (name) {
        case 'shape': return tuple(shape);
        case 'ndim': return shape.length;
        case 'size': return prodOf(shape);
        case 'dtype': return dtype;
        case 'T': return again([...shape].reverse());
      }
      const m = methods[name];
      return m ? native(name, m) : values(`ndarray.${name}`, site);
    },
    binop: (op, other, _reflected, site) => binary(other, site, op),
    compare: (op, other, site) => binary(other, site, op, true),
    unop: (op) => (op === '-' || op === '+' || op === '~' ? a : undefined),
    getitem: (index, site) => {
      if (isDataArray(index) || (isObj(index) && index.k === 'host')) return values('an index by an array', site);
      return again(indexShape(interp, a, index, site));
    },
    len: () => (shape.length ? shape[0] : unknown('len() of a 0-d array')),
    repr: () => `array(<${shape.join('×')} values of ${origin}, not read>, dtype=${dtype})`,
  };
  return a;
}

/** numpy functions on data arrays: the shape ones; any other is unknown, with the reason. */
export function dataArrayFunction(interp: Interpreter, name: string, x: Value[], k: Map<string, Value>, site: CallSite): Value {
  const first = x[0] ?? null;
  const a = isDataArray(first) ? first : null;
  const call = (m: string, args: Value[]) => interp.call(a ? a.getattr(m, site) : null, args, new Map(), site);
  if (a && ['mean', 'std', 'var', 'sum', 'max', 'min', 'amax', 'amin'].includes(name)) {
    return interp.call(a.getattr(name === 'amax' ? 'max' : name === 'amin' ? 'min' : name, site), x.slice(1), k, site);
  }
  switch (a && name) {
    case 'array': case 'asarray': case 'ascontiguousarray': {
      const d = dtypeName(k.get('dtype') ?? x[1] ?? null);
      return d ? call('astype', [d]) : a as DataArray;
    }
    case 'reshape': return call('reshape', [x[1] ?? k.get('newshape') ?? k.get('shape') ?? null]);
    case 'transpose': return call('transpose', x[1] === undefined && !k.has('axes') ? [] : [x[1] ?? k.get('axes') ?? null]);
    case 'squeeze': return call('squeeze', [x[1] ?? k.get('axis') ?? null]);
    case 'expand_dims': {
      const ax = toIndex(x[1] ?? k.get('axis') ?? null);
      if (ax === undefined || !a) break;
      const s = [...a.shape];
      s.splice(ax < 0 ? s.length + 1 + ax : ax, 0, 1);
      return dataArray(interp, s, a.dtype, a.origin);
    }
  }
  const origin = [first, ...(isObj(first) && (first.k === 'list' || first.k === 'tuple') ? first.items : [])].find(isDataArray);
  return unknown(`numpy.${name} of ${origin?.origin ?? 'a dataset'}: ConvLens reads its shape, not its values`, site.line);
}
