// `keras.ops` functions (and the `tf.*` functions example code calls instead) as shape rules. On a
// functional model's tensors each is a Keras 3 operation that model.summary() lists as a row, named
// from the layers' counters after its class (checked with Keras 3.15: `ops.matmul` is `matmul
// (Matmul)`, `x[:, 0]` is `get_item (GetItem)`, `keras.activations.relu` is `re_lu (ReLU)`).
import { asDim } from '../../python/operators';
import { isObj, type Value } from '../../python/values';
import * as dim from '../../shapes/dim';
import type { Dim, Shape } from '../../shapes/dim';
import { broadcast, resolveView } from '../../shapes/reshape';

/** One output shape, several (`split`), or null when it cannot be computed. */
export type OpResult = Shape | null | { outputs: Shape[] };
export type OpRule = (shapes: Shape[]) => OpResult;

/** What a call of an operation reads: the tensors (in order) and the rule for their shapes. */
export interface OpCall { tensors: Value[]; rule: OpRule }

export interface KerasOp {
  /** Keras 3's operation class (the row's type); its snake case is the row's name. */
  cls: string;
  read(a: Value[], k: Map<string, Value>): OpCall;
}

/** A shape argument (`(28, 28, 1)`, `[None, 32]`): entries are sizes or None. */
export function readShape(v: Value | undefined): Shape | null {
  if (!isObj(v ?? null) || !['tuple', 'list'].includes((v as { k: string }).k)) {
    const d = v === undefined || v === null ? undefined : asDim(v);
    return d === undefined ? null : [d];
  }
  const out: Dim[] = [];
  for (const x of (v as { items: Value[] }).items) {
    if (x === null) out.push(null);
    else {
      const d = asDim(x);
      if (d === undefined) return null;
      out.push(d);
    }
  }
  return out;
}

const int = (v: Value | undefined): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
/** An int or a list/tuple of ints (axes, repeats); undefined when any entry is not known. */
function ints(v: Value | undefined): number[] | undefined {
  if (typeof v === 'number') return int(v) === undefined ? undefined : [v];
  if (!isObj(v ?? null) || !['tuple', 'list'].includes((v as { k: string }).k)) return undefined;
  const out = (v as { items: Value[] }).items.map(int);
  return out.every((x): x is number => x !== undefined) ? out : undefined;
}
const axisOf = (a: number, rank: number): number => (a < 0 ? rank + a : a);
/** The argument at position i or by one of its names. */
const arg = (a: Value[], k: Map<string, Value>, i: number, ...names: string[]): Value | undefined => {
  for (const n of names) if (k.has(n)) return k.get(n);
  return a[i];
};

function broadcastAll(shapes: Shape[]): Shape | null {
  let out = shapes[0];
  for (const s of shapes.slice(1)) {
    const r = broadcast(out, s);
    if (r.bad !== undefined) return null;
    out = r.shape;
  }
  return out ?? null;
}

function reduce(shapes: Shape[], axisV: Value | undefined, keep: boolean): Shape | null {
  const s = shapes[0];
  if (axisV === undefined || axisV === null) return keep ? s.map(() => 1) : [];
  const axes = ints(axisV)?.map((x) => axisOf(x, s.length));
  if (!axes) return null;
  return keep ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
}

/** `reshape(x, (batch, -1, h, d))`: a None first entry (`ops.shape(x)[0]` of a None batch) keeps the batch. */
function reshape(s: Shape, target: Shape): Shape | null {
  if (target[0] === null && s[0] === null && target.length > 1 && target.slice(1).every((d) => d !== null)) {
    const rest = reshape(s.slice(1), target.slice(1));
    return rest && [null, ...rest];
  }
  if (target.filter((d) => d === null || d === -1).length > 1) return null;
  const r = resolveView(s, target.map((d) => d ?? -1));
  return r.error ? null : r.shape;
}

function concatenate(shapes: Shape[], axis: number): Shape | null {
  const rank = shapes[0].length;
  const ax = axisOf(axis, rank);
  if (ax < 0 || ax >= rank || shapes.some((s) => s.length !== rank)) return null;
  return shapes[0].map((d, i) => (i === ax ? shapes.slice(1).reduce((sum: Dim, s) => dim.add(sum, s[i]), d) : d));
}

function matmul(x: Shape, y: Shape, ta = false, tb = false): Shape | null {
  const a = ta && x.length >= 2 ? [...x.slice(0, -2), x[x.length - 1], x[x.length - 2]] : x;
  const b = tb && y.length >= 2 ? [...y.slice(0, -2), y[y.length - 1], y[y.length - 2]] : y;
  if (a.length === 1 && b.length === 1) return [];
  if (b.length === 1) return a.slice(0, -1);
  if (a.length === 1) return [...b.slice(0, -2), b[b.length - 1]];
  const batch = broadcast(a.slice(0, -2), b.slice(0, -2));
  if (batch.bad !== undefined || dim.sameDim(a[a.length - 1], b[b.length - 2]) === false) return null;
  return [...batch.shape, a[a.length - 2], b[b.length - 1]];
}

/** `ops.einsum("bqhd,bkhd->bhqk", q, k)`: each letter's size from the operands (an ellipsis broadcasts). */
function einsum(spec: string, shapes: Shape[]): Shape | null {
  const [lhs, rhs] = spec.replace(/\s/g, '').split('->');
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) return null;
  const size = new Map<string, Dim>();
  let ellipsis: Shape = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i], s = shapes[i];
    const [pre, post] = t.includes('...') ? t.split('...') : [t, ''];
    const rest = s.length - pre.length - post.length;
    if (rest < 0 || (!t.includes('...') && rest !== 0)) return null;
    [...pre].forEach((c, j) => size.set(c, s[j]));
    [...post].forEach((c, j) => size.set(c, s[pre.length + rest + j]));
    if (t.includes('...')) {
      const r = broadcast(ellipsis, s.slice(pre.length, pre.length + rest));
      if (r.bad !== undefined) return null;
      ellipsis = r.shape;
    }
  }
  const out = rhs ?? [...new Set(lhs.replace(/[,.]/g, ''))].filter((c) => lhs.split(c).length === 2).sort().join('');
  const [pre, post] = out.includes('...') ? out.split('...') : [out, ''];
  const get = (c: string) => (size.has(c) ? size.get(c) as Dim : undefined);
  const dims = [...[...pre].map(get), ...(out.includes('...') ? ellipsis : []), ...[...post].map(get)];
  return dims.every((d) => d !== undefined) ? dims as Shape : null;
}

/** Sliding patches (`ops.image.extract_patches`, `tf.image.extract_patches`), channels last. */
function patches(s: Shape, size: number[], strides: number[], rates: number[], padding: string): Shape | null {
  if (s.length !== 4 && s.length !== 3) return null;
  const batch = s.length === 4 ? [s[0]] : [];
  const [h, w, c] = s.slice(-3);
  const out = [h, w].map((d, i) => {
    const k = (size[i] - 1) * rates[i] + 1;
    return padding === 'same' ? dim.ceilDiv(d, strides[i]) : dim.add(dim.floorDiv(dim.sub(d, k), strides[i]), 1);
  });
  return [...batch, ...out, dim.mul(dim.mul(c, size[0]), size[1])];
}

const pair = (v: Value | undefined, d: number): number[] | undefined => {
  const x = v === undefined || v === null ? [d] : ints(v);
  return x && (x.length === 1 ? [x[0], x[0]] : x.length === 2 ? x : x.length === 4 ? [x[1], x[2]] : undefined);
};

function split(s: Shape, sections: Value | undefined, axisV: Value | undefined, tfSizes: boolean): OpResult {
  const ax = axisOf(int(axisV ?? 0) ?? NaN, s.length);
  const d = s[ax];
  if (!(ax >= 0 && ax < s.length)) return null;
  const n = int(sections);
  const at = (x: Dim) => s.map((v, i) => (i === ax ? x : v));
  if (n !== undefined) return { outputs: Array.from({ length: n }, () => at(typeof d === 'number' ? d / n : dim.floorDiv(d, n))) };
  const list = ints(sections);
  if (!list) return null;
  if (tfSizes) return { outputs: list.map((x) => at(x === -1 && typeof d === 'number' ? d - list.reduce((a, b) => a + (b === -1 ? 0 : b), 0) : x)) };
  // keras.ops.split's indices: the pieces between them
  const bounds = [0, ...list, d];
  return { outputs: bounds.slice(1).map((b, i) => at(typeof b === 'number' && typeof bounds[i] === 'number' ? b - (bounds[i] as number) : null)) };
}

const unary = (cls: string): KerasOp => ({ cls, read: (a, k) => ({ tensors: [arg(a, k, 0, 'x') ?? null], rule: (s) => s[0] }) });
const binary = (cls: string): KerasOp => ({
  cls, read: (a, k) => ({ tensors: [arg(a, k, 0, 'x1', 'x', 'a') ?? null, arg(a, k, 1, 'x2', 'y', 'b') ?? null], rule: broadcastAll }),
});
const reduction = (cls: string, keepName = 'keepdims'): KerasOp => ({
  cls, read: (a, k) => ({ tensors: [a[0] ?? k.get('x') ?? k.get('input_tensor') ?? null], rule: (s) => reduce(s, arg(a, k, 1, 'axis'), arg(a, k, 2, keepName) === true) }),
});

const UNARY: Record<string, string> = {
  relu: 'Relu', relu6: 'Relu6', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', log_softmax: 'LogSoftmax',
  elu: 'Elu', selu: 'Selu', gelu: 'Gelu', silu: 'Silu', swish: 'Silu', softplus: 'Softplus', softsign: 'Softsign',
  hard_sigmoid: 'HardSigmoid', hard_silu: 'HardSilu', hard_swish: 'HardSilu', leaky_relu: 'LeakyRelu', mish: 'Mish',
  exp: 'Exp', log: 'Log', sqrt: 'Sqrt', rsqrt: 'Rsqrt', square: 'Square', abs: 'Absolute', absolute: 'Absolute',
  negative: 'Negative', sin: 'Sin', cos: 'Cos', floor: 'Floor', ceil: 'Ceil', round: 'Round', sign: 'Sign', erf: 'Erf',
  log1p: 'Log1p', cast: 'Cast', clip: 'Clip', cumsum: 'Cumsum', flip: 'Flip', stop_gradient: 'StopGradient',
  logical_not: 'LogicalNot', nan_to_num: 'NanToNum', reciprocal: 'Reciprocal',
};
const BINARY: Record<string, string> = {
  add: 'Add', subtract: 'Subtract', multiply: 'Multiply', divide: 'Divide', true_divide: 'TrueDivide', power: 'Power',
  maximum: 'Maximum', minimum: 'Minimum', equal: 'Equal', not_equal: 'NotEqual', greater: 'Greater', less: 'Less',
  greater_equal: 'GreaterEqual', less_equal: 'LessEqual', floor_divide: 'FloorDivide', mod: 'Mod',
  logical_and: 'LogicalAnd', logical_or: 'LogicalOr',
};
const REDUCTIONS: Record<string, string> = {
  mean: 'Mean', sum: 'Sum', max: 'Max', min: 'Min', prod: 'Prod', std: 'Std', var: 'Var', any: 'Any', all: 'All',
  logsumexp: 'Logsumexp', amax: 'Amax', amin: 'Amin',
};

const depthToSpace = (up: boolean): KerasOp => ({
  cls: up ? 'DepthToSpace' : 'SpaceToDepth',
  read: (a, k) => {
    const b = int(arg(a, k, 1, 'block_size'));
    return {
      tensors: [a[0] ?? k.get('x') ?? k.get('input') ?? null],
      rule: ([s]) => {
        if (b === undefined || s.length !== 4) return null;
        const [n, h, w, c] = s;
        return up ? [n, dim.mul(h, b), dim.mul(w, b), typeof c === 'number' ? c / (b * b) : dim.floorDiv(c, b * b)]
          : [n, dim.floorDiv(h, b), dim.floorDiv(w, b), dim.mul(c, b * b)];
      },
    };
  },
});

/** keras.ops (and keras.ops.nn / keras.ops.numpy) functions on tensors. */
export const KERAS_OPS: Record<string, KerasOp> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([n, c]) => [n, unary(c)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([n, c]) => [n, binary(c)])),
  ...Object.fromEntries(Object.entries(REDUCTIONS).map(([n, c]) => [n, reduction(c)])),
  argmax: { cls: 'Argmax', read: (a, k) => ({ tensors: [a[0] ?? null], rule: (s) => reduce(s, arg(a, k, 1, 'axis'), arg(a, k, 2, 'keepdims') === true) }) },
  argmin: { cls: 'Argmin', read: (a, k) => ({ tensors: [a[0] ?? null], rule: (s) => reduce(s, arg(a, k, 1, 'axis'), arg(a, k, 2, 'keepdims') === true) }) },
  where: { cls: 'Where', read: (a, k) => ({ tensors: [a[0] ?? k.get('condition') ?? null, arg(a, k, 1, 'x1', 'x') ?? null, arg(a, k, 2, 'x2', 'y') ?? null], rule: broadcastAll }) },
  reshape: {
    cls: 'Reshape',
    read: (a, k) => {
      const target = readShape(arg(a, k, 1, 'newshape', 'shape'));
      return { tensors: [a[0] ?? k.get('x') ?? k.get('tensor') ?? null], rule: ([s]) => (target ? reshape(s, target) : null) };
    },
  },
  transpose: {
    cls: 'Transpose',
    read: (a, k) => {
      const axesV = arg(a, k, 1, 'axes', 'perm');
      const axes = axesV === undefined || axesV === null ? null : ints(axesV);
      return { tensors: [a[0] ?? k.get('x') ?? k.get('a') ?? null], rule: ([s]) => (axes === undefined ? null : axes === null ? [...s].reverse() : axes.length === s.length ? axes.map((i) => s[axisOf(i, s.length)]) : null) };
    },
  },
  swapaxes: {
    cls: 'Swapaxes',
    read: (a, k) => {
      const [p, q] = [int(arg(a, k, 1, 'axis1')), int(arg(a, k, 2, 'axis2'))];
      return {
        tensors: [a[0] ?? null],
        rule: ([s]) => {
          if (p === undefined || q === undefined) return null;
          const out = [...s], [i, j] = [axisOf(p, s.length), axisOf(q, s.length)];
          [out[i], out[j]] = [s[j], s[i]];
          return out;
        },
      };
    },
  },
  expand_dims: {
    cls: 'ExpandDims',
    read: (a, k) => {
      const ax = int(arg(a, k, 1, 'axis'));
      return { tensors: [a[0] ?? k.get('x') ?? k.get('input') ?? null], rule: ([s]) => (ax === undefined ? null : [...s.slice(0, ax < 0 ? s.length + 1 + ax : ax), 1, ...s.slice(ax < 0 ? s.length + 1 + ax : ax)]) };
    },
  },
  squeeze: {
    cls: 'Squeeze',
    read: (a, k) => {
      const axV = arg(a, k, 1, 'axis');
      const axes = axV === undefined || axV === null ? null : ints(axV);
      return {
        tensors: [a[0] ?? k.get('x') ?? k.get('input') ?? null],
        // without an axis every size-1 axis goes: unknown sizes leave the rank unknown
        rule: ([s]) => (axes === undefined ? null : axes === null ? (s.every((d) => typeof d === 'number' || d === null) && !s.slice(1).some((d) => d === null) ? s.filter((d, i) => d !== 1 || (i === 0 && d === null)) : null)
          : s.filter((_, i) => !axes.map((x) => axisOf(x, s.length)).includes(i))),
      };
    },
  },
  concatenate: {
    cls: 'Concatenate',
    read: (a, k) => {
      const ax = int(arg(a, k, 1, 'axis') ?? 0);
      return { tensors: [a[0] ?? k.get('xs') ?? null], rule: (s) => (ax === undefined ? null : concatenate(s, ax)) };
    },
  },
  stack: {
    cls: 'Stack',
    read: (a, k) => {
      const ax = int(arg(a, k, 1, 'axis') ?? 0);
      return {
        tensors: [a[0] ?? k.get('x') ?? null],
        rule: (s) => {
          const b = broadcastAll(s);
          if (!b || ax === undefined) return null;
          const at = ax < 0 ? b.length + 1 + ax : ax;
          return [...b.slice(0, at), s.length, ...b.slice(at)];
        },
      };
    },
  },
  split: { cls: 'Split', read: (a, k) => ({ tensors: [a[0] ?? null], rule: ([s]) => split(s, arg(a, k, 1, 'indices_or_sections'), arg(a, k, 2, 'axis'), false) }) },
  tile: {
    cls: 'Tile',
    read: (a, k) => {
      const reps = readShape(arg(a, k, 1, 'repeats', 'multiples'));
      return {
        tensors: [a[0] ?? null],
        rule: ([s]) => {
          if (!reps) return null;
          const base = [...Array(Math.max(0, reps.length - s.length)).fill(1), ...s];
          const r = [...Array(Math.max(0, s.length - reps.length)).fill(1), ...reps];
          return base.map((d, i) => dim.mul(d, r[i]));
        },
      };
    },
  },
  repeat: {
    cls: 'Repeat',
    read: (a, k) => {
      const [reps, axV] = [int(arg(a, k, 1, 'repeats')), arg(a, k, 2, 'axis')];
      return {
        tensors: [a[0] ?? null],
        rule: ([s]) => {
          if (reps === undefined) return null;
          if (axV === undefined || axV === null) return [dim.mul(dim.product(s), reps)];
          const ax = int(axV);
          return ax === undefined ? null : s.map((d, i) => (i === axisOf(ax, s.length) ? dim.mul(d, reps) : d));
        },
      };
    },
  },
  pad: {
    cls: 'Pad',
    read: (a, k) => {
      const w = arg(a, k, 1, 'pad_width', 'paddings');
      const rows = isObj(w ?? null) && ['list', 'tuple'].includes((w as { k: string }).k) ? (w as { items: Value[] }).items.map(ints) : [];
      return { tensors: [a[0] ?? k.get('x') ?? null], rule: ([s]) => (rows.length === s.length && rows.every((r) => r) ? s.map((d, i) => dim.add(d, (rows[i] as number[]).reduce((x, y) => x + y, 0))) : null) };
    },
  },
  matmul: { cls: 'Matmul', read: (a, k) => ({ tensors: [arg(a, k, 0, 'x1', 'a') ?? null, arg(a, k, 1, 'x2', 'b') ?? null], rule: ([x, y]) => (y ? matmul(x, y) : null) }) },
  einsum: {
    cls: 'Einsum',
    read: (a) => ({ tensors: a.slice(1), rule: (s) => (typeof a[0] === 'string' ? einsum(a[0], s) : null) }),
  },
  one_hot: {
    cls: 'OneHot',
    read: (a, k) => {
      const n = int(arg(a, k, 1, 'num_classes', 'depth'));
      return { tensors: [a[0] ?? k.get('x') ?? null], rule: ([s]) => (n === undefined ? null : [...s, n]) };
    },
  },
  depth_to_space: depthToSpace(true),
  space_to_depth: depthToSpace(false),
};

/** keras.ops.image functions. */
export const KERAS_IMAGE_OPS: Record<string, KerasOp> = {
  resize: {
    cls: 'Resize',
    read: (a, k) => {
      const size = readShape(arg(a, k, 1, 'size'));
      return { tensors: [a[0] ?? k.get('images') ?? null], rule: ([s]) => (size && size.length === 2 && s.length >= 3 ? [...s.slice(0, -3), size[0], size[1], s[s.length - 1]] : null) };
    },
  },
  extract_patches: {
    cls: 'ExtractPatches',
    read: (a, k) => {
      const size = pair(arg(a, k, 1, 'size'), NaN);
      const strides = arg(a, k, 2, 'strides');
      const rate = pair(arg(a, k, 3, 'dilation_rate') ?? 1, 1);
      const padding = arg(a, k, 4, 'padding') ?? 'valid';
      return {
        tensors: [a[0] ?? k.get('images') ?? null],
        rule: ([s]) => {
          const st = strides === undefined || strides === null ? size : pair(strides, NaN);
          return size && st && rate && typeof padding === 'string' && !size.some(Number.isNaN) ? patches(s, size, st, rate, padding.toLowerCase()) : null;
        },
      };
    },
  },
};

/**
 * `tf.*` spellings with TensorFlow's own arguments, as the keras.ops operation computing the same.
 * Keras 3 refuses a tf function on a functional model's KerasTensor (it works inside `call()` and in a
 * Lambda); tf.keras 2 made a TFOpLambda row of it.
 */
export const TF_OPS: Record<string, KerasOp> = {
  reshape: KERAS_OPS.reshape, transpose: KERAS_OPS.transpose, expand_dims: KERAS_OPS.expand_dims, squeeze: KERAS_OPS.squeeze,
  stack: KERAS_OPS.stack, tile: KERAS_OPS.tile, pad: KERAS_OPS.pad, cast: KERAS_OPS.cast, one_hot: KERAS_OPS.one_hot, where: KERAS_OPS.where,
  ...Object.fromEntries(['add', 'subtract', 'multiply', 'divide', 'maximum', 'minimum', 'pow', 'equal', 'not_equal', 'greater', 'less']
    .map((n) => [n, KERAS_OPS[n === 'pow' ? 'power' : n]])),
  ...Object.fromEntries(['exp', 'sqrt', 'square', 'abs', 'tanh', 'sigmoid', 'log', 'rsqrt', 'negative', 'stop_gradient', 'identity',
    'sin', 'cos', 'floor', 'ceil', 'round', 'sign', 'log1p', 'reciprocal', 'erf', 'cumsum', 'softplus']
    .map((n) => [n, n === 'identity' ? unary('Identity') : KERAS_OPS[n]])),
  clip_by_value: KERAS_OPS.clip,
  ...Object.fromEntries(['mean', 'sum', 'max', 'min', 'prod', 'any', 'all', 'std', 'variance', 'logsumexp']
    .map((n) => [`reduce_${n}`, reduction(REDUCTIONS[n === 'variance' ? 'var' : n], 'keepdims')])),
  argmax: KERAS_OPS.argmax, argmin: KERAS_OPS.argmin, einsum: KERAS_OPS.einsum,
  concat: {
    cls: 'Concatenate',
    read: (a, k) => {
      const ax = int(arg(a, k, 1, 'axis'));
      return { tensors: [a[0] ?? k.get('values') ?? null], rule: (s) => (ax === undefined ? null : concatenate(s, ax)) };
    },
  },
  split: { cls: 'Split', read: (a, k) => ({ tensors: [a[0] ?? k.get('value') ?? null], rule: ([s]) => split(s, arg(a, k, 1, 'num_or_size_splits'), arg(a, k, 2, 'axis'), true) }) },
  matmul: {
    cls: 'Matmul',
    read: (a, k) => ({
      tensors: [a[0] ?? k.get('a') ?? null, a[1] ?? k.get('b') ?? null],
      rule: ([x, y]) => (y ? matmul(x, y, (a[2] ?? k.get('transpose_a')) === true, (a[3] ?? k.get('transpose_b')) === true) : null),
    }),
  },
};

/** tf.linalg functions (matrix_transpose swaps the last two axes: keras.ops.swapaxes(x, -2, -1)). */
export const TF_LINALG_OPS: Record<string, KerasOp> = {
  matmul: TF_OPS.matmul,
  matrix_transpose: {
    cls: 'Swapaxes',
    read: (a, k) => ({ tensors: [a[0] ?? k.get('a') ?? null], rule: ([s]) => (s.length < 2 ? null : [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]]) }),
  },
};

/** tf.nn functions (activations with TensorFlow's arguments, depth_to_space / space_to_depth). */
export const TF_NN_OPS: Record<string, KerasOp> = {
  ...Object.fromEntries(['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'elu', 'selu', 'gelu', 'silu', 'swish', 'softplus', 'softsign', 'leaky_relu']
    .map((n) => [n, KERAS_OPS[n]])),
  depth_to_space: depthToSpace(true),
  space_to_depth: depthToSpace(false),
};

/** tf.image functions with TensorFlow's arguments. */
export const TF_IMAGE_OPS: Record<string, KerasOp> = {
  resize: KERAS_IMAGE_OPS.resize,
  extract_patches: {
    cls: 'ExtractPatches',
    read: (a, k) => {
      const [size, strides, rates] = [pair(arg(a, k, 1, 'sizes'), NaN), pair(arg(a, k, 2, 'strides'), NaN), pair(arg(a, k, 3, 'rates') ?? 1, 1)];
      const padding = arg(a, k, 4, 'padding');
      return {
        tensors: [a[0] ?? k.get('images') ?? null],
        rule: ([s]) => (size && strides && rates && typeof padding === 'string' && ![...size, ...strides].some(Number.isNaN) ? patches(s, size, strides, rates, padding.toLowerCase()) : null),
      };
    },
  },
};
