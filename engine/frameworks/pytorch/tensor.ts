// Abstract tensors: values that carry a shape (and a node of the dataflow graph) instead of data.
// Tensor methods and operators compute output shapes the way PyTorch would, and report the
// mismatches PyTorch would raise on.
import * as dim from '../../shapes/dim';
import type { Dim, Shape } from '../../shapes/dim';
import { asDim, fromDim } from '../../python/operators';
import { toIndex } from '../../python/interpreter';
import {
  isObj, isUnknown, native, tuple, unknown,
  type CallSite, type PyHostObject, type PyNative, type PyTuple, type Value,
} from '../../python/values';
import type { Tracer } from './trace';
import { moreTensorMethod } from './tensor-more-ops';
import { BINARY_DATA, UNARY_DATA, broadcastData, combineData, nestedList } from './tensor-data';
import { broadcast, resolveView } from '../../shapes/reshape';
import { flagOf, requiresGradArg, type ParamFlag } from './requires-grad';

/** Attaches values computed from constant inputs to a result tensor. */
function withData<T extends Value>(r: T, data: number[] | undefined): T {
  if (data && isTensor(r)) r.data = data;
  return r;
}

export interface TensorObj extends PyHostObject {
  kind: 'Tensor';
  shape: Shape | null;
  node: number;
  /** The tracer whose graph `node` is in (a tensor of another one is brought in by `Tracer.ref`). */
  owner: Tracer;
  /** Set for nn.Parameter values. */
  param?: ParamFlag;
  /** The values, for small tensors made from constants (see tensor-data.ts). */
  data?: number[];
}

export const isTensor = (v: Value): v is TensorObj => isObj(v) && v.k === 'host' && v.kind === 'Tensor';

/** A `torch.Size`: a tuple of dims that may be symbolic. */
export function torchSize(dims: Dim[], line: number): Value {
  return { ...tuple(dims.map((d) => fromDim(d, line))), size: true };
}

/** Reads a shape given as `(a, b)`, `[a, b]` or as separate ints `a, b`; -1 stays -1. */
export function shapeArgs(args: Value[]): Dim[] | null {
  const items = args.length === 1 && isObj(args[0]) && (args[0].k === 'tuple' || args[0].k === 'list') ? args[0].items : args;
  const out: Dim[] = [];
  for (const v of items) {
    // a one-element tensor of known value stands for its integer (`torch.tensor([dy]) // 2` in U-Net's F.pad)
    const d = isTensor(v) && v.data?.length === 1 && Number.isInteger(v.data[0]) ? v.data[0] : asDim(v);
    if (d === undefined) return null;
    out.push(d);
  }
  return out;
}

/** x.rot90(k=1, dims=[0, 1]) (rotation pretext tasks, test-time augmentation): an odd number of quarter turns swaps the two dims. */
export function rot90Shape(shape: Shape, k: Value, dims: Value): Shape | null {
  const turns = typeof k === 'number' ? ((k % 4) + 4) % 4 : undefined;
  const listed = isObj(dims) && (dims.k === 'tuple' || dims.k === 'list') ? dims.items : undefined;
  const pair = dims === null ? [0, 1] : listed ? listed.map((d) => normDim(d, shape.length)) : [];
  if (turns === undefined || pair.length !== 2 || pair.some((d) => d === undefined)) return null;
  if (turns % 2 === 0) return shape;
  const out = shape.slice();
  const [i, j] = pair as number[];
  [out[i], out[j]] = [shape[j], shape[i]];
  return out;
}

export function normDim(d: Value, rank: number): number | undefined {
  const i = toIndex(d);
  if (i === undefined) return undefined;
  const j = i < 0 ? rank + i : i;
  return j >= 0 && j < rank ? j : undefined;
}

/** Creates tensor values bound to a tracer (the dataflow graph). */
export function makeTensor(tracer: Tracer, shape: Shape | null, node: number): TensorObj {
  // ops on it are recorded by the tracer running then: a parameter or constant made while the model was built
  // takes part in the forward pass's graph, not in the one of its making
  const live = () => tracer.current();
  const t: TensorObj = {
    k: 'host', kind: 'Tensor', shape, node, owner: tracer,
    getattr: (name, site) => tensorAttr(live(), t, name, site),
    // `p.requires_grad = False`: freezing a parameter; other attributes of a tensor are not modelled
    setattr: (name, v, site) => {
      if (name === 'requires_grad' && t.param) t.param = flagOf(v, site);
      return name === 'requires_grad';
    },
    binop: (op, other, reflected, site) => tensorBinop(live(), t, op, other, reflected, site),
    // `out += shortcut` writes into out's storage (the graph's `inplace`); the other in-place operators
    // are recorded as their out-of-place op: what autograd keeps for them is the same
    inplaceBinop: (op, other, site) => {
      if (op !== '+' && op !== '-') return undefined;
      const r = tensorBinop(live(), t, op, other, false, site);
      if (!r || !isTensor(r)) return r;
      const node = r.owner.graph[r.node];
      // in place only when the result keeps the target's shape (else PyTorch raises; left as it is)
      const same = !!r.shape && !!t.shape && r.shape.length === t.shape.length && r.shape.every((d, i) => dim.sameDim(d, (t.shape as Shape)[i]) === true);
      if (same && node.inputs[0] === r.owner.refs([t], site)[0]) node.config = { ...node.config, inplace: true };
      return r;
    },
    unop: (op, site) => (op === '-' || op === '+' || op === '~' ? live().op('neg', {}, [t], t.shape, site) : undefined),
    // `x > 0`, `a < b`: an elementwise bool tensor (`x == None` and the like are left to Python's rules)
    compare: (op, other, site) => (COMPARISONS.has(op) && (isTensor(other) || typeof other === 'number' || typeof other === 'boolean')
      ? tensorBinop(live(), t, op, other, false, site) : undefined),
    getitem: (index, site) => tensorIndex(live(), t, index, site),
    iterate: () => {
      const n = t.shape?.[0];
      if (typeof n !== 'number' || n > 4096) return undefined;
      // the rows of a constant keep their values (`[x.item() for x in torch.linspace(0, rate, depth)]`)
      const rest = t.shape ? t.shape.slice(1) : null;
      const size = rest && rest.every((d) => typeof d === 'number') ? (rest as number[]).reduce((a, b) => a * b, 1) : undefined;
      return Array.from({ length: n }, (_, i) => withData(live().op('select', { dim: 0 }, [t], rest, live().noSite),
        t.data && size !== undefined && t.data.length === n * size ? t.data.slice(i * size, (i + 1) * size) : undefined));
    },
    len: () => (t.shape && t.shape.length ? fromDim(t.shape[0]) : unknown('len() of a tensor of unknown shape')),
    repr: () => `tensor${t.shape ? dim.formatShape(t.shape) : '(?)'}`,
  };
  return t;
}

/**
 * The dim argument of a reduction as the graph records it: null (every dimension), an int, a list of ints
 * (`x.mean((2, 3))`), or '?' for one ConvLens cannot read (never null: that would mean every dimension).
 */
function reducedDims(dims: Value): number | number[] | null | '?' {
  if (dims === null || typeof dims === 'number') return dims;
  if (isObj(dims) && (dims.k === 'tuple' || dims.k === 'list') && dims.items.every((d) => typeof d === 'number')) return dims.items as number[];
  return '?';
}

/** x op y between tensors; constant operands of known shapes give values, broadcast as NumPy does. */
function elementwiseWithData(tracer: Tracer, op: string, x: TensorObj, y: TensorObj, site: CallSite): TensorObj {
  const r = tracer.elementwise(op, [x, y], site);
  const f = BINARY_DATA[op];
  const known = (sh: Shape | null): sh is number[] => !!sh && sh.every((d) => typeof d === 'number');
  if (!x.data || !y.data || !f || !known(x.shape) || !known(y.shape) || !known(r.shape)) return r;
  return withData(r, broadcastData(x.data, x.shape, y.data, y.shape, r.shape, f));
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

function tensorBinop(tracer: Tracer, t: TensorObj, op: string, other: Value, reflected: boolean, site: CallSite): Value | undefined {
  const names: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'remainder', '**': 'pow', '@': 'matmul' };
  const name = names[op];
  if (!name) {
    // comparisons and & | ^ broadcast as arithmetic does (`x[:, :1] < x` has x's shape, not the left one's)
    if (!['<', '>', '<=', '>=', '==', '!=', '&', '|', '^'].includes(op)) return undefined;
    const type = ['&', '|', '^'].includes(op) ? 'logical' : 'compare';
    if (isTensor(other)) return tracer.elementwise(type, reflected ? [other, t] : [t, other], site);
    return tracer.op(type, {}, [t], t.shape, site);
  }
  if (name === 'matmul') return isTensor(other) ? tracer.matmul(reflected ? other : t, reflected ? t : other, site) : undefined;
  const od = isTensor(other) ? other.data : typeof other === 'number' ? [other] : typeof other === 'boolean' ? [+other] : undefined;
  if (isTensor(other)) return elementwiseWithData(tracer, name, reflected ? other : t, reflected ? t : other, site);
  const data = combineData(reflected ? od : t.data, reflected ? t.data : od, BINARY_DATA[name]);
  if (isUnknown(other)) return tracer.op(name, {}, [t], t.shape, site);
  if (typeof other === 'number' || typeof other === 'boolean' || asDim(other) !== undefined) {
    // `reversed`: the scalar is the left operand (1 - x, 2 / x)
    const cfg = { scalar: typeof other === 'number' ? other : typeof other === 'boolean' ? +other : null, ...(reflected ? { reversed: true } : {}) };
    return withData(tracer.op(name, cfg, [t], t.shape, site), data);
  }
  return undefined;
}

function tensorIndex(tracer: Tracer, t: TensorObj, index: Value, site: CallSite): Value {
  const shape = t.shape;
  if (!shape) return tracer.op('index', {}, [t], null, site);
  const items = isObj(index) && index.k === 'tuple' ? index.items : [index];
  const out: Shape = [];
  let axis = 0;
  const ellipsisAt = items.findIndex((v) => isUnknown(v) && v.reason === '...');
  const consumed = items.filter((v) => v !== null && !(isUnknown(v) && v.reason === '...')).length;
  // more indices than dimensions: PyTorch raises; here the shape is only unknown (the rank may be a guess)
  if (consumed > shape.length) return tracer.op('index', {}, [t], null, site);
  const tensorAt = items.flatMap((v, i) => (isTensor(v) ? [i] : []));
  const firstTensor = tensorAt[0] ?? -1;
  const adjacent = tensorAt.every((p, j) => p === firstTensor + j);
  let advanced: Shape = [];
  for (const i of tensorAt) {
    const s = (items[i] as TensorObj).shape;
    if (!s) return tracer.op('index', {}, [t], null, site);
    const b = broadcast(advanced, s);
    if (b.bad !== undefined) return tracer.op('index', {}, [t], null, site);
    advanced = b.shape;
  }
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (i === ellipsisAt) {
      const skip = shape.length - consumed;
      for (let j = 0; j < skip; j++) out.push(shape[axis++]);
    } else if (v === null) out.push(1);
    else if (isObj(v) && v.k === 'slice') {
      const len = shape[axis++];
      if (v.lo === null && v.hi === null && v.step === null) { out.push(len); continue; }
      const lo = toIndex(v.lo ?? 0), hi = v.hi === null ? undefined : toIndex(v.hi), step = toIndex(v.step ?? 1) ?? 1;
      if (typeof len === 'number' && lo !== undefined && (v.hi === null || hi !== undefined)) {
        const a = Math.min(lo < 0 ? Math.max(len + lo, 0) : lo, len);
        const b = hi === undefined ? len : Math.min(hi < 0 ? Math.max(len + hi, 0) : hi, len);
        out.push(Math.max(0, Math.ceil((b - a) / step)));
      } else out.push(null);
    } else if (typeof v === 'number' || typeof v === 'boolean' || (isObj(v) && v.k === 'sym')) axis++;
    else if (isTensor(v)) {
      // index tensors broadcast together; their shape replaces the indexed dimensions, in place when
      // they are adjacent, else in front (NumPy's rule)
      if (i === firstTensor) {
        if (adjacent) out.push(...advanced);
        else out.unshift(...advanced);
      }
      axis++;
    } else { out.push(null); axis++; }
  }
  while (axis < shape.length) out.push(shape[axis++]);
  return withData(tracer.op('index', indexItems(items), [t], out, site), viewData(t, items));
}

/** A sized dimension of an index (an int, a slice bound): a number, a symbol's text, or undefined if unknown. */
function indexDim(v: Value): Dim | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return +v;
  if (isObj(v) && v.k === 'sym') return v.d;
  return undefined;
}

/**
 * What training needs of a basic index (ints, slices, None, ...): `items`, each an int, a
 * `{ slice: [start, stop, step] }` (null: omitted), 'none' or '...'. Left out when an index is a tensor or
 * unknown (advanced indexing, which training refuses by name).
 */
function indexItems(items: Value[]): Record<string, unknown> {
  const out: unknown[] = [];
  for (const v of items) {
    if (v === null) out.push('none');
    else if (isUnknown(v) && v.reason === '...') out.push('...');
    else if (isObj(v) && v.k === 'slice') {
      const bounds = [v.lo, v.hi, v.step].map((b) => (b === null ? null : indexDim(b)));
      if (bounds.includes(undefined)) return {};
      out.push({ slice: bounds });
    } else {
      const d = indexDim(v);
      if (d === undefined) return {};
      out.push(d);
    }
  }
  return { items: out };
}

/**
 * Values of `t[items]` when the index only selects a contiguous block: leading integers, then
 * full slices, None and `...` (relative-position tables: `rel[0]`, `pos[..., :, None]`).
 */
function viewData(t: TensorObj, items: Value[]): number[] | undefined {
  const shape = t.shape;
  if (!t.data || !shape?.every((d): d is number => typeof d === 'number')) return undefined;
  let lead = 0;
  while (lead < items.length && typeof items[lead] === 'number') lead++;
  const rest = items.slice(lead);
  const full = (v: Value) => v === null || (isUnknown(v) && v.reason === '...') || (isObj(v) && v.k === 'slice' && v.lo === null && v.hi === null && v.step === null);
  if (!rest.every(full)) return undefined;
  let offset = 0, size = t.data.length;
  for (let i = 0; i < lead; i++) {
    size /= shape[i];
    const n = items[i] as number;
    offset += (n < 0 ? shape[i] + n : n) * size;
  }
  return t.data.slice(offset, offset + size);
}

/** The values of a constant tensor reversed along the given axes (row-major). */
function flipData(data: number[], shape: number[], axes: number[]): number[] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  return data.map((_, flat) => {
    let src = 0;
    for (let i = 0; i < shape.length; i++) {
      const c = Math.floor(flat / strides[i]) % shape[i];
      src += (axes.includes(i) ? shape[i] - 1 - c : c) * strides[i];
    }
    return data[src];
  });
}

/** What torch returns as `torch.return_types`: a pair whose items are also `.values` and `.indices`. */
const valuesAndIndices = (values: Value, indices: Value): PyTuple => ({ ...tuple([values, indices]), fields: ['values', 'indices'] });

export function reduceDims(shape: Shape, dims: Value, keepdim: boolean): Shape | null {
  if (dims === null) return keepdim ? shape.map(() => 1) : [];
  const list = isObj(dims) && (dims.k === 'tuple' || dims.k === 'list') ? dims.items : [dims];
  const idx = list.map((d) => normDim(d, shape.length));
  if (idx.some((i) => i === undefined)) return null;
  return keepdim ? shape.map((d, i) => (idx.includes(i) ? 1 : d)) : shape.filter((_, i) => !idx.includes(i));
}

function tensorAttr(tracer: Tracer, t: TensorObj, name: string, site: CallSite): Value {
  const shape = t.shape;
  const rank = shape?.length ?? 0;
  const m = (f: (a: Value[], k: Map<string, Value>, s: CallSite) => Value) => native(name, f);
  // reshapes keep the row-major order, so a constant tensor keeps its values
  const keepsOrder = (f: (a: Value[], k: Map<string, Value>, s: CallSite) => Value) => m((a, k, s) => withData(f(a, k, s), t.data));
  const same = () => m((a, k, s) => {
    const op = name.replace(/_$/, '');
    const f = UNARY_DATA[op];
    // clamp's bounds change what training computes (null: none; undefined, unknown: training refuses it)
    const bound = (key: string, at: number): unknown => { const v = kwOr(k, key, a[at], null); return v === null || typeof v === 'number' ? v : undefined; };
    const cfg = op === 'clamp' || op === 'clip' ? { min: bound('min', 0), max: bound('max', 1) } : op === 'clamp_min' ? { min: bound('min', 0), max: null } : {};
    return withData(tracer.op(op, cfg, [t], shape, s), t.data && f ? t.data.map(f) : undefined);
  });
  const kwOr = (k: Map<string, Value>, key: string, v: Value | undefined, dflt: Value): Value => v ?? (k.has(key) ? (k.get(key) as Value) : dflt);
  switch (name) {
    case 'shape': return shape ? torchSize(shape, site.line) : unknown('shape of a tensor not known', site.line);
    case 'ndim': return shape ? rank : unknown('rank not known', site.line);
    case 'T': return tracer.op('transpose', {}, [t], shape ? shape.slice().reverse() : null, site);
    case 'data': return t;
    case 'real': case 'imag': return tracer.op(name, {}, [t], shape, site);
    case 'device': return tracer.device;
    case 'dtype': return { ...unknown(`tensor.${name}`, site.line), notTensor: true };
    case 'requires_grad': return !t.param ? false : t.param.trainable ?? unknown('requires_grad was set to a value not known', site.line);
    case 'is_cuda': return false;
    // facts of the storage, not tensors: get_device() is -1 on the CPU, as is_cuda says
    case 'get_device': return m(() => -1);
    case 'stride': case 'is_contiguous': case 'element_size': case 'data_ptr': case 'storage_offset':
      return m((_a, _k, s) => ({ ...unknown(`tensor.${name}() (its storage)`, s.line), notTensor: true }));
    case 'size': return m((a, _k, s) => {
      if (!shape) return unknown('size of a tensor not known', s.line);
      if (!a.length) return torchSize(shape, s.line);
      const i = normDim(a[0], rank);
      return i === undefined ? unknown('size() of an unknown dimension', s.line) : fromDim(shape[i], s.line);
    });
    case 'dim': case 'ndimension': return m(() => (shape ? rank : unknown('rank not known', site.line)));
    case 'numel': case 'nelement': return m((_a, _k, s) => (shape ? fromDim(dim.product(shape), s.line) : unknown('numel not known', s.line)));
    case 'view': case 'reshape': return keepsOrder((a, _k, s) => tracer.view(t, shapeArgs(a), name, s));
    case 'view_as': case 'reshape_as': case 'expand_as': case 'type_as':
      // the other tensor is an input of the op: the trainer takes its shape at the batch it trains with
      return m((a, _k, s) => (name === 'type_as' ? t : tracer.op(name, {}, isTensor(a[0]) ? [t, a[0]] : [t], isTensor(a[0]) ? a[0].shape : null, s)));
    case 'flatten': return keepsOrder((a, k, s) => tracer.flatten(t, kwOr(k, 'start_dim', a[0], 0), kwOr(k, 'end_dim', a[1], -1), s));
    case 'unflatten': return m((a, k, s) => {
      const d = shape ? normDim(kwOr(k, 'dim', a[0], 0), rank) : undefined;
      const sizes = shapeArgs([kwOr(k, 'sizes', a[1], null)]);
      if (!shape || d === undefined || !sizes) return tracer.op('unflatten', {}, [t], null, s);
      const sub = resolveView([shape[d]], sizes).shape;
      return tracer.op('unflatten', {}, [t], [...shape.slice(0, d), ...sub, ...shape.slice(d + 1)], s);
    });
    case 'permute': return m((a, _k, s) => {
      const order = shapeArgs(a);
      if (!shape || !order) return tracer.op('permute', {}, [t], null, s);
      const idx = order.map((d) => normDim(d, rank));
      return tracer.op('permute', { dims: idx }, [t], idx.map((i) => (i === undefined ? null : shape[i])), s);
    });
    case 'transpose': case 'swapaxes': return m((a, _k, s) => {
      if (!shape) return tracer.op('transpose', {}, [t], null, s);
      const i = normDim(a[0], rank), j = normDim(a[1], rank);
      if (i === undefined || j === undefined) return tracer.op('transpose', {}, [t], null, s);
      const out = shape.slice();
      [out[i], out[j]] = [out[j], out[i]];
      return tracer.op('transpose', { dim0: i, dim1: j }, [t], out, s);
    });
    case 't': return m((_a, _k, s) => tracer.op('transpose', {}, [t], shape ? shape.slice().reverse() : null, s));
    case 'unsqueeze': return keepsOrder((a, _k, s) => {
      if (!shape) return tracer.op('unsqueeze', {}, [t], null, s);
      const i = normDim(a[0], rank + 1);
      if (i === undefined) return tracer.op('unsqueeze', {}, [t], null, s);
      return tracer.op('unsqueeze', { dim: i }, [t], [...shape.slice(0, i), 1, ...shape.slice(i)], s);
    });
    case 'squeeze': return keepsOrder((a, _k, s) => {
      if (!shape) return tracer.op('squeeze', {}, [t], null, s);
      if (!a.length) return tracer.op('squeeze', {}, [t], shape.filter((d) => d !== 1), s);
      const i = normDim(a[0], rank);
      // null: a dimension ConvLens cannot read (training refuses it; no dim at all squeezes every 1)
      return tracer.op('squeeze', { dim: i ?? null }, [t], i !== undefined && shape[i] === 1 ? shape.filter((_, j) => j !== i) : shape, s);
    });
    case 'expand': return m((a, _k, s) => {
      const sizes = shapeArgs(a);
      if (!sizes) return tracer.op('expand', {}, [t], null, s);
      const off = sizes.length - rank;
      const out = sizes.map((d, i) => (d === -1 && shape ? shape[i - off] : d));
      return tracer.op('expand', { shape: out }, [t], out, s);
    });
    case 'repeat': return m((a, k, s) => {
      // repeat(2, 1, 1), repeat((2, 1, 1)) or repeat(repeats=(2, 1, 1))
      const reps = shapeArgs(k.has('repeats') ? [k.get('repeats') as Value] : a);
      if (!shape || !reps) return tracer.op('repeat', {}, [t], null, s);
      const off = reps.length - rank;
      return tracer.op('repeat', { repeats: reps }, [t], reps.map((r, i) => (i < off ? r : dim.mul(shape[i - off], r))), s);
    });
    // each element (of the flattened tensor, or along `dim`) repeated: a count, or one count per element
    case 'repeat_interleave': return m((a, k, s) => {
      const reps = kwOr(k, 'repeats', a[0], null);
      const d = kwOr(k, 'dim', a[1], null);
      const total = typeof reps === 'number' ? reps
        : isTensor(reps) && reps.data ? reps.data.reduce((x, y) => x + y, 0) : undefined;
      const perElement = isTensor(reps) && reps.data && reps.data.length > 1;
      let out: Shape | null = null;
      if (shape && total !== undefined) {
        const axis = d === null ? undefined : normDim(d, rank);
        if (d === null) out = perElement ? [total] : [dim.mul(dim.product(shape), total)];
        else if (axis !== undefined) out = shape.map((n, i) => (i !== axis ? n : perElement ? total : dim.mul(n, total)));
      }
      return tracer.op('repeat_interleave', { dim: d }, [t], out, s);
    });
    case 'mean': case 'sum': case 'amax': case 'amin': case 'std': case 'var': case 'prod': case 'logsumexp': case 'norm': case 'nanmean': case 'nansum':
      return m((a, k, s) => {
        const dims = kwOr(k, 'dim', name === 'norm' ? a[1] : a[0], null);
        const keep = kwOr(k, 'keepdim', name === 'norm' ? a[2] : a[1], false) === true;
        const out = shape ? reduceDims(shape, dims, keep) : null;
        const r = tracer.op(name, { dim: reducedDims(dims), keepdim: keep }, [t], out, s);
        if (dims === null && t.data?.length) {
          const d = t.data;
          const total = d.reduce((a, b) => a + b, 0);
          const v = name === 'sum' ? total : name === 'mean' ? total / d.length : name === 'amax' ? Math.max(...d) : name === 'amin' ? Math.min(...d) : name === 'prod' ? d.reduce((a, b) => a * b, 1) : undefined;
          if (v !== undefined) r.data = [v];
        }
        return r;
      });
    case 'max': case 'min': case 'argmax': case 'argmin': case 'median':
      return m((a, k, s) => {
        const dims = kwOr(k, 'dim', a[0], null);
        if (isTensor(dims)) return tracer.elementwise(name === 'max' ? 'maximum' : 'minimum', [t, dims], s);
        const keep = kwOr(k, 'keepdim', a[1], false) === true;
        const out = shape ? reduceDims(shape, dims, keep) : null;
        const values = tracer.op(name, { dim: typeof dims === 'number' ? dims : null, keepdim: keep }, [t], out, s);
        if (dims === null && t.data?.length && (name === 'max' || name === 'min')) values.data = [name === 'max' ? Math.max(...t.data) : Math.min(...t.data)];
        if (dims === null || name.startsWith('arg')) return values;
        return valuesAndIndices(values, tracer.op('indices', {}, [t], out, s));
      });
    // (values, indices) pairs: the k largest along a dim, the k-th smallest, a sort, running maxima
    case 'topk': case 'kthvalue': case 'sort': case 'cummax': case 'cummin':
      return m((a, k, s) => {
        const count = name === 'topk' || name === 'kthvalue' ? toIndex(kwOr(k, 'k', a[0], null)) : undefined;
        const dimArg = name === 'topk' || name === 'kthvalue' ? kwOr(k, 'dim', a[1], -1) : kwOr(k, 'dim', a[0], -1);
        const dim = shape ? normDim(dimArg, rank) : undefined;
        let out: Shape | null = null;
        if (shape && dim !== undefined && (count !== undefined || (name !== 'topk' && name !== 'kthvalue'))) {
          if (name === 'topk') out = shape.map((d, i) => (i === dim ? count as number : d));
          else if (name === 'kthvalue') out = reduceDims(shape, dim, kwOr(k, 'keepdim', a[2], false) === true);
          else out = shape;
        }
        const values = tracer.op(name, { dim: dim ?? null }, [t], out, s);
        return valuesAndIndices(values, tracer.op('indices', {}, [t], out, s));
      });
    // the most frequent value along a dim (the last by default), with its index
    case 'mode': return m((a, k, s) => {
      const out = shape ? reduceDims(shape, kwOr(k, 'dim', a[0], -1), kwOr(k, 'keepdim', a[1], false) === true) : null;
      return valuesAndIndices(tracer.op('mode', {}, [t], out, s), tracer.op('indices', {}, [t], out, s));
    });
    case 'argsort': return m((a, k, s) => tracer.op('argsort', { dim: kwOr(k, 'dim', a[0], -1) }, [t], shape, s));
    // torch.unique of constant values (RegNet's stage widths and depths); sorted, as torch.unique sorts
    case 'unique': return m((_a, k, s) => {
      const values = t.data ? [...new Set(t.data)].sort((x, y) => x - y) : undefined;
      const out = withData(tracer.op('unique', {}, [t], [values ? values.length : null], s), values);
      const extra: Value[] = [];
      if (kwOr(k, 'return_inverse', null, false) === true) extra.push(withData(tracer.op('unique_inverse', {}, [t], shape, s), values && t.data?.map((v) => values.indexOf(v))));
      if (kwOr(k, 'return_counts', null, false) === true) extra.push(withData(tracer.op('unique_counts', {}, [t], [values ? values.length : null], s), values?.map((v) => (t.data as number[]).filter((x) => x === v).length)));
      return extra.length ? tuple([out, ...extra]) : out;
    });
    case 'softmax': case 'log_softmax': return m((a, k, s) => tracer.op(name, { dim: kwOr(k, 'dim', a[0], -1) }, [t], shape, s));
    case 'chunk': return m((a, k, s) => tracer.chunk(t, kwOr(k, 'chunks', a[0], 1), kwOr(k, 'dim', a[1], 0), s));
    case 'unbind': return m((a, k, s) => tracer.unbind(t, kwOr(k, 'dim', a[0], 0), s));
    case 'split': return m((a, k, s) => tracer.split(t, kwOr(k, 'split_size_or_sections', a[0], 1), kwOr(k, 'dim', a[1], 0), s));
    case 'split_with_sizes': return m((a, k, s) => tracer.split(t, kwOr(k, 'split_sizes', a[0], null), kwOr(k, 'dim', a[1], 0), s));
    case 'matmul': case 'mm': case 'bmm': return m((a, _k, s) => (isTensor(a[0]) ? tracer.matmul(t, a[0], s) : unknown('matmul with a non-tensor', s.line)));
    case 'add': case 'sub': case 'mul': case 'div': case 'add_': case 'sub_': case 'mul_': case 'div_': case 'pow': case 'maximum': case 'minimum':
      return m((a, k, s) => {
        const op = name.replace(/_$/, '');
        const rounding = op === 'div' ? kwOr(k, 'rounding_mode', a[1], null) : null;
        if (rounding === 'floor') return tensorBinop(tracer, t, '//', a[0] ?? null, false, s) ?? tracer.op(op, {}, [t], shape, s);
        // 'trunc' rounds toward zero: the shape of a division, values not carried
        if (rounding !== null) return tracer.op(op, {}, [t], isTensor(a[0] ?? null) ? null : shape, s);
        const symbol: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', pow: '**' };
        if (symbol[op]) return tensorBinop(tracer, t, symbol[op], a[0] ?? null, false, s) ?? tracer.op(op, {}, [t], shape, s);
        const other = a[0];
        return isTensor(other) ? elementwiseWithData(tracer, op, t, other, s) : tracer.op(op, {}, [t], shape, s);
      });
    case 'masked_fill': case 'where': return m((_a, _k, s) => tracer.op(name, {}, [t], shape, s));
    // Tensor.unfold(dim, size, step): sliding windows along dim, window elements as a new last axis
    case 'unfold': return m((a, k, s) => {
      const d = shape ? normDim(kwOr(k, 'dimension', a[0], null), rank) : undefined;
      const size = asDim(kwOr(k, 'size', a[1], null)), step = kwOr(k, 'step', a[2], null);
      if (!shape || d === undefined || size === undefined || typeof step !== 'number' || step < 1) return tracer.op('unfold', {}, [t], null, s);
      const out = shape.slice();
      out[d] = dim.add(dim.floorDiv(dim.sub(shape[d], size), step), 1);
      return tracer.op('unfold', {}, [t], [...out, size], s);
    });
    case 'narrow': return m((a, _k, s) => {
      const d = shape ? normDim(a[0], rank) : undefined;
      if (!shape || d === undefined) return tracer.op('narrow', {}, [t], null, s);
      const out = shape.slice();
      out[d] = asDim(a[2]) ?? null;
      return tracer.op('narrow', {}, [t], out, s);
    });
    // new_zeros(2, 8) takes sizes as varargs like torch.zeros; new_full's second argument is its fill value
    case 'new_zeros': case 'new_ones': case 'new_empty':
      return m((a, _k, s) => tracer.fresh(shapeArgs(a), s));
    case 'new_full':
      return m((a, _k, s) => tracer.fresh(shapeArgs(a.slice(0, 1)), s));
    case 'rot90': return m((a, k, s) => tracer.op('rot90', {}, [t], shape && rot90Shape(shape, kwOr(k, 'k', a[0], 1), kwOr(k, 'dims', a[1], null)), s));
    case 'flip': return m((a, k, s) => {
      const dims = kwOr(k, 'dims', a.length > 1 ? tuple(a) : a[0], null);
      const axes = (isObj(dims) && (dims.k === 'tuple' || dims.k === 'list') ? dims.items : [dims]).map((d) => normDim(d, rank));
      const known = t.data && shape?.every((d) => typeof d === 'number') && axes.every((d) => d !== undefined);
      return withData(tracer.op('flip', {}, [t], shape, s), known ? flipData(t.data as number[], shape as number[], axes as number[]) : undefined);
    });
    case 'relu': case 'relu_': case 'sigmoid': case 'sigmoid_': case 'tanh': case 'tanh_': case 'exp': case 'log': case 'sqrt': case 'rsqrt': case 'abs':
    case 'neg': case 'clamp': case 'clamp_': case 'clamp_min': case 'clip': case 'contiguous': case 'float': case 'double': case 'half': case 'bfloat16':
    case 'long': case 'int': case 'bool': case 'to': case 'cuda': case 'cpu': case 'detach': case 'clone': case 'requires_grad_': case 'type':
    case 'zero_': case 'fill_': case 'normal_': case 'uniform_': case 'copy_': case 'sign': case 'floor': case 'ceil': case 'round': case 'square':
    case 'sin': case 'cos': case 'reciprocal': case 'exp_': case 'softplus': case 'gelu': case 'silu': case 'hardswish':
    case 'tan': case 'asin': case 'acos': case 'atan': case 'sinh': case 'cosh': case 'asinh': case 'acosh': case 'atanh':
    case 'exp2': case 'expm1': case 'log2': case 'log10': case 'log1p': case 'erf': case 'erfc': case 'erfinv': case 'trunc':
    case 'frac': case 'sgn': case 'isnan': case 'isinf': case 'isfinite': case 'nan_to_num': case 'deg2rad': case 'rad2deg':
    case 'lgamma': case 'digamma': case 'logit': case 'angle': case 'conj': case 'positive':
    case 'sin_': case 'cos_': case 'abs_': case 'neg_': case 'sqrt_': case 'log_':
    case 'cumsum': case 'cumprod': case 'logical_not': case 'roll': case 'triu': case 'tril': case 'triu_': case 'tril_':
      if (t.data && (name === 'int' || name === 'long' || name === 'bool')) return same();
      if (['contiguous', 'float', 'double', 'half', 'to', 'cuda', 'cpu', 'detach', 'clone', 'requires_grad_', 'type', 'zero_', 'fill_', 'normal_', 'uniform_', 'copy_', 'long', 'int', 'bool', 'bfloat16'].includes(name)) {
        return m((a, k, s) => {
          if (name === 'requires_grad_' && t.param) t.param = flagOf(requiresGradArg(a, k), s);
          // x.type() names the type ('torch.FloatTensor'); x.type(dtype) converts
          if (name === 'type' && !a.length && !k.has('dtype')) return { ...unknown('the name of a tensor type', s.line), notTensor: true };
          return t;
        });
      }
      return same();
    case 'item': case 'tolist': case 'numpy': return m((_a, _k, s) => {
      if (t.data && shape && shape.every((d) => typeof d === 'number')) return name === 'item' ? t.data[0] ?? null : nestedList(t.data, shape);
      return { ...unknown('the values of this tensor are not known (only its shape)', s.line), notTensor: true };
    });
    case 'register_hook': case 'retain_grad': case 'backward': return m(() => null);
    // In place: the tensor itself takes the new shape (and node), and is returned, as in PyTorch;
    // `logits.squeeze_(-1)` with the result unused must still change `logits`.
    case 'squeeze_': case 'unsqueeze_': case 'transpose_': case 't_': case 'swapaxes_': return m((a, k, s) => {
      const out = (tensorAttr(tracer, t, name.slice(0, -1), s) as PyNative).call(a, k, s);
      if (isTensor(out)) Object.assign(t, { shape: out.shape, node: out.node, owner: out.owner, data: out.data });
      return t;
    });
    default: return moreTensorMethod(tracer, t, name, site) ?? unknown(`tensor.${name} is not modelled`, site.line);
  }
}
