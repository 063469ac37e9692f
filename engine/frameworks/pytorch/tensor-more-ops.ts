// Tensor methods past the core catalogue of tensor.ts, by the shape rule each follows in torch: comparisons and
// other broadcasting binaries, reductions to a bool or a count, gathers and scatters, reshuffles of dims, and
// small linear algebra. Each is also `torch.<name>(x, …)`. Anything whose size depends on the values
// (`nonzero`, `bincount`) gets that dimension unknown, never a guess.
import { arg } from '../../python/call-args';
import { toIndex } from '../../python/interpreter';
import { isObj, native, tuple, unknown, PyRaise, type CallSite, type PyNative, type Value } from '../../python/values';
import type { Dim, Shape } from '../../shapes/dim';
import * as dim from '../../shapes/dim';
import { broadcast } from '../../shapes/reshape';
import { isTensor, normDim, reduceDims, shapeArgs, type TensorObj } from './tensor';
import type { Tracer } from './trace';

const BROADCASTING = new Set([
  'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal', 'atan2', 'hypot', 'fmod',
  'remainder', 'floor_divide', 'true_divide', 'logical_and', 'logical_or', 'logical_xor', 'isclose', 'lerp', 'addcmul', 'addcdiv',
  'bitwise_and', 'bitwise_or', 'xlogy', 'copysign', 'nextafter', 'logaddexp', 'logaddexp2', 'float_power', 'heaviside', 'fmax',
  'fmin', 'ldexp',
]);
/** Same shape as the tensor, whatever the other arguments (in-place fills and scatters, ranks, samples). */
const SAME = new Set([
  'scatter', 'scatter_', 'scatter_add', 'scatter_add_', 'index_add', 'index_add_', 'index_fill', 'index_fill_', 'index_copy',
  'masked_fill_', 'masked_scatter', 'fill_diagonal_', 'bernoulli', 'bernoulli_', 'clip_', 'logcumsumexp', 'cross', 'exponential_',
  'geometric_', 'log_normal_', 'cauchy_', 'random_', 'renorm', 'renorm_',
]);
/** torch.hsplit / vsplit / dsplit: the dim each splits (hsplit the columns of a 1-D tensor), and the rank it needs. */
const NAMED_SPLITS: Record<string, { dim: (rank: number) => number; rank: number }> = {
  hsplit: { dim: (rank) => (rank === 1 ? 0 : 1), rank: 1 }, vsplit: { dim: () => 0, rank: 2 }, dsplit: { dim: () => 2, rank: 3 },
};

/** tensor_split's sizes: n sections (the first len % n one longer), or the pieces between the indices given. */
function sectionSizes(len: number, how: Value): number[] | undefined {
  if (typeof how === 'number') {
    const n = how, base = Math.floor(len / n), extra = len % n;
    return n > 0 ? Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0)) : undefined;
  }
  const cuts = ints(how);
  if (!cuts) return undefined;
  const at = [0, ...cuts.map((c) => Math.min(Math.max(c < 0 ? c + len : c, 0), len)), len];
  return at.slice(1).map((c, i) => Math.max(c - at[i], 0));
}

const ints = (v: Value): number[] | undefined => {
  const items = isObj(v) && (v.k === 'tuple' || v.k === 'list') ? v.items : [v];
  const out = items.map((x) => toIndex(x));
  return out.some((x) => x === undefined) ? undefined : out as number[];
};

export function moreTensorMethod(tracer: Tracer, t: TensorObj, name: string, site: CallSite): PyNative | undefined {
  const shape = t.shape;
  const rank = shape?.length ?? 0;
  const m = (f: (a: Value[], k: Map<string, Value>, s: CallSite) => Value) => native(name, f);
  const op = (out: Shape | null, inputs: TensorObj[] = [t], s = site) => tracer.op(name, {}, inputs, out, s);
  if (BROADCASTING.has(name)) {
    return m((a, _k, s) => {
      let out: Shape | null = shape;
      const inputs = [t];
      for (const other of a) {
        if (!isTensor(other)) continue;
        inputs.push(other);
        out = out && other.shape ? broadcast(out, other.shape).shape : null;
      }
      return inputs.length === 2 ? tracer.elementwise(name, inputs, s) : op(out, inputs, s);
    });
  }
  if (SAME.has(name)) return m((_a, _k, s) => op(shape, [t], s));
  const pieces = (sizes: number[] | undefined, d: number | undefined, s: CallSite): Value =>
    (sizes && d !== undefined ? tracer.split(t, tuple(sizes), d, s) : unknown(`tensor.${name} of sizes not known`, s.line));
  switch (name) {
    case 'tensor_split': return m((a, k, s) => {
      const d = shape ? normDim(arg(a, k, 1, 'dim', 0), rank) : undefined;
      const len = shape && d !== undefined ? shape[d] : null;
      const how = arg(a, k, 0, k.has('sections') ? 'sections' : 'indices');
      return pieces(typeof len === 'number' ? sectionSizes(len, how) : undefined, d, s);
    });
    case 'hsplit': case 'vsplit': case 'dsplit': return m((a, _k, s) => {
      const spec = NAMED_SPLITS[name];
      if (rank < spec.rank) throw new PyRaise('RuntimeError', `torch.${name} requires a tensor with at least ${spec.rank} dimension, but got a tensor with ${rank} dimensions!`, s.line);
      const d = spec.dim(rank), len = shape ? shape[d] : null, how = a[0] ?? null;
      if (typeof how === 'number' && typeof len === 'number' && len % how !== 0) {
        throw new PyRaise('RuntimeError', `torch.${name} attempted to split along dimension ${d}, but the size of the dimension ${len} is not divisible by the split_size ${how}!`, s.line);
      }
      return pieces(typeof len === 'number' ? sectionSizes(len, how) : undefined, d, s);
    });
    // quantiles along a dim (all values when none): a 1-D q of n quantiles puts n in front
    case 'quantile': case 'nanquantile': return m((a, k, s) => {
      const q = arg(a, k, 0, 'q');
      const reduced = shape ? reduceDims(shape, arg(a, k, 1, 'dim'), arg(a, k, 2, 'keepdim', false) === true) : null;
      const lead = isTensor(q) ? (q.shape?.length === 1 ? [q.shape[0]] : q.shape?.length === 0 ? [] : null) : [];
      return op(reduced && lead ? [...lead, ...reduced] : null, [t], s);
    });
    // the last dim becomes a diagonal matrix (offset k widens it by |k|); other dims than the last two are not modelled
    case 'diag_embed': return m((a, k, s) => {
      const offset = toIndex(arg(a, k, 0, 'offset', 0));
      const dims = [arg(a, k, 1, 'dim1', -2), arg(a, k, 2, 'dim2', -1)];
      if (!shape || !rank || offset === undefined || dims[0] !== -2 || dims[1] !== -1) return unknown('diag_embed into other dims', s.line);
      const n = dim.add(shape[rank - 1], Math.abs(offset));
      return op([...shape.slice(0, -1), n, n], [t], s);
    });
    case 'as_strided': return m((a, k, s) => op(shapeArgs([arg(a, k, 0, 'size')]), [t], s));
    // data like torch.tensor's: nested lists' lengths, a tensor's shape, a number 0-d
    case 'new_tensor': return m((a, k, s) => {
      let v = arg(a, k, 0, 'data');
      if (isTensor(v)) return tracer.fresh(v.shape, s);
      const out: number[] = [];
      while (isObj(v) && (v.k === 'list' || v.k === 'tuple')) { out.push(v.items.length); v = v.items[0] ?? null; }
      return typeof v === 'number' || typeof v === 'boolean' ? tracer.fresh(out, s) : unknown('new_tensor of data not known', s.line);
    });
    // the engine does not follow dtypes: whether it is a float or complex tensor is not known, and no tensor
    case 'is_floating_point': case 'is_complex': case 'is_signed': return m((_a, _k, s) => ({ ...unknown(`tensor.${name}()`, s.line), notTensor: true }));
    case 'all': case 'any': case 'count_nonzero': return m((a, k, s) => {
      const dims = arg(a, k, 0, 'dim');
      return op(shape ? reduceDims(shape, dims, arg(a, k, 1, 'keepdim', false) === true) : null, [t], s);
    });
    case 'std_mean': case 'var_mean': return m((a, k, s) => {
      const out = shape ? reduceDims(shape, arg(a, k, 0, 'dim'), k.get('keepdim') === true) : null;
      return tuple([op(out, [t], s), tracer.op('mean', {}, [t], out, s)]);
    });
    case 'gather': case 'take_along_dim': return m((a, k, s) => {
      const index = arg(a, k, 1, 'index');
      return op(isTensor(index) ? index.shape : null, isTensor(index) ? [t, index] : [t], s);
    });
    case 'take': return m((a, k, s) => { const index = arg(a, k, 0, 'index'); return op(isTensor(index) ? index.shape : null, [t], s); });
    case 'index_select': return m((a, k, s) => {
      const d = shape ? normDim(arg(a, k, 0, 'dim'), rank) : undefined;
      const index = arg(a, k, 1, 'index');
      const n = isTensor(index) && index.shape?.length === 1 ? index.shape[0] : undefined;
      return op(shape && d !== undefined && n !== undefined ? shape.map((x, i) => (i === d ? n : x)) : null, [t], s);
    });
    case 'broadcast_to': case 'expand_as': return m((a, k, s) => {
      const target = name === 'expand_as' ? (isTensor(a[0]) ? a[0].shape : null) : shapeArgs(k.has('size') ? [k.get('size') as Value] : a);
      return op(target ?? null, [t], s);
    });
    case 'tile': return m((a, k, s) => {
      const reps = shapeArgs(k.has('dims') ? [k.get('dims') as Value] : a);
      if (!shape || !reps) return op(null, [t], s);
      const n = Math.max(rank, reps.length);
      const padded = [...Array(n - rank).fill(1), ...shape] as Shape;
      const r = [...Array(n - reps.length).fill(1), ...reps] as Shape;
      return op(padded.map((d, i) => dim.mul(d, r[i])), [t], s);
    });
    case 'movedim': case 'moveaxis': return m((a, k, s) => {
      const src = ints(arg(a, k, 0, 'source')), dst = ints(arg(a, k, 1, 'destination'));
      if (!shape || !src || !dst || src.length !== dst.length) return op(null, [t], s);
      const from = src.map((d) => normDim(d, rank)), to = dst.map((d) => normDim(d, rank));
      if (from.some((d) => d === undefined) || to.some((d) => d === undefined)) return op(null, [t], s);
      const rest = shape.map((_, i) => i).filter((i) => !from.includes(i));
      const order: number[] = Array(rank).fill(-1);
      to.forEach((d, i) => { order[d as number] = from[i] as number; });
      for (let i = 0, r = 0; i < rank; i++) if (order[i] < 0) order[i] = rest[r++];
      return op(order.map((i) => shape[i]), [t], s);
    });
    case 'diag': return m((a, k, s) => {
      const offset = toIndex(arg(a, k, 0, 'diagonal', 0)) ?? 0;
      if (!shape || (rank !== 1 && rank !== 2)) return op(null, [t], s);
      if (rank === 1) { const n = dim.add(shape[0], Math.abs(offset)); return op([n, n], [t], s); }
      return op([diagonalLength(shape[0], shape[1], offset)], [t], s);
    });
    case 'diagonal': return m((a, k, s) => {
      const offset = toIndex(arg(a, k, 0, 'offset', 0)) ?? 0;
      const d1 = shape ? normDim(arg(a, k, 1, 'dim1', 0), rank) : undefined, d2 = shape ? normDim(arg(a, k, 2, 'dim2', 1), rank) : undefined;
      if (!shape || d1 === undefined || d2 === undefined) return op(null, [t], s);
      return op([...shape.filter((_, i) => i !== d1 && i !== d2), diagonalLength(shape[d1], shape[d2], offset)], [t], s);
    });
    case 'trace': case 'dot': case 'vdot': return m((_a, _k, s) => op([], [t], s));
    case 'inner': return m((a, _k, s) => {
      const o = a[0];
      return op(isTensor(o) && shape && o.shape ? [...shape.slice(0, -1), ...o.shape.slice(0, -1)] : null, isTensor(o) ? [t, o] : [t], s);
    });
    case 'outer': case 'ger': return m((a, _k, s) => {
      const o = a[0];
      return op(isTensor(o) && shape?.length === 1 && o.shape?.length === 1 ? [shape[0], o.shape[0]] : null, isTensor(o) ? [t, o] : [t], s);
    });
    case 'mv': return m((a, _k, s) => op(shape?.length === 2 ? [shape[0]] : null, isTensor(a[0]) ? [t, a[0]] : [t], s));
    case 'kron': return m((a, _k, s) => {
      const o = a[0];
      if (!isTensor(o) || !shape || !o.shape) return op(null, isTensor(o) ? [t, o] : [t], s);
      const n = Math.max(rank, o.shape.length);
      const p = (x: Shape): Shape => [...Array(n - x.length).fill(1), ...x];
      return op(p(shape).map((d, i) => dim.mul(d, p(o.shape as Shape)[i])), [t, o], s);
    });
    // addmm(input, m1, m2): input + m1 @ m2; baddbmm the same per batch
    case 'addmm': case 'baddbmm': case 'addbmm': return m((a, _k, s) => {
      const [m1, m2] = a;
      if (!isTensor(m1) || !isTensor(m2)) return op(null, [t], s);
      const prod = tracer.matmul(m1, m2, s);
      const out = name === 'addbmm' ? prod.shape && prod.shape.slice(1) : prod.shape;
      return op(out && shape ? broadcast(shape, out).shape : null, [t, prod], s);
    });
    case 'nonzero': return m((a, k, s) => (arg(a, k, 0, 'as_tuple', false) === true
      ? unknown('nonzero(as_tuple=True): as many tensors as the input has dims, of a length set by its values', s.line)
      : op([null, rank], [t], s)));
    case 'bincount': return m((_a, _k, s) => op([null], [t], s));
    case 'histc': return m((a, k, s) => op([toIndex(arg(a, k, 0, 'bins', 100)) ?? null], [t], s));
    case 'multinomial': return m((a, k, s) => {
      const n = toIndex(arg(a, k, 0, 'num_samples'));
      return op(shape && n !== undefined ? [...shape.slice(0, -1), n] : null, [t], s);
    });
    default: return undefined;
  }
}

/** The length of a matrix's diagonal at an offset (0 when it falls outside). */
function diagonalLength(rows: Dim, cols: Dim, offset: number): Dim {
  if (typeof rows !== 'number' || typeof cols !== 'number') return null;
  return Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
}
