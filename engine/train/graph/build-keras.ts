// Keras models as trainable networks. The layers compute in PyTorch's layout (NCHW, conv weights
// (cout, cin, kh, kw)); Keras's channels-last is mapped at the boundary: a tensor of rank ≥ 3 is kept
// with its last (channel) axis second, so the data pipeline's (C, H, W) images feed the input as they
// are, and only layers that see the layout change it (Flatten flattens in Keras's H·W·C order, so Dense
// weights mean what they mean in Keras; Reshape, Concatenate's axis, Dense on feature maps). Weights are
// Keras's (names `conv2d/kernel`, shapes (kh, kw, cin, cout), Dense (in, out)), initialised as Keras does
// (glorot_uniform kernels, zero biases) and copied into the layers' layout (relaid.ts). Keras's
// conventions: 'same' padding with the odd pixel after, pooling 'same' averaging only real values,
// BatchNormalization's momentum 0.99 / epsilon 1e-3 with the biased moving variance, frozen
// (trainable=False) BatchNormalization in inference mode. A final softmax is left out of the network:
// the loop's cross-entropy on its logits is Keras's sparse categorical cross-entropy with
// from_logits=False on the probabilities (the same value, without Keras's clipping of p to [1e-7, 1 − 1e-7]).
import type { Dim, GraphNode } from '../../report/types';
import { windowOut } from '../kernels/geometry';
import { Activation } from '../layers/activation';
import { extraActivation } from '../layers/activation-extra';
import { ScalarOp, SubDiv } from '../layers/arith';
import { BatchNorm, type BatchNormConfig } from '../layers/batchnorm';
import { Conv, ConvTranspose, type ConvConfig } from '../layers/conv';
import { Dropout } from '../layers/dropout';
import { KERAS_AUGMENTATIONS, kerasAugmentation } from '../layers/augment';
import { Gather, padMap, permuteMap } from '../layers/gather';
import { TrainError, type Buffer, type Layer, type Param, type ParamFactory, type ParamRole } from '../layers/layer';
import { Linear } from '../layers/linear';
import { Pool } from '../layers/pool';
import { Relaid, type Relayout } from '../layers/relaid';
import { upsampleLayer } from '../layers/resample';
import { Binary, Cat, Flatten, Mean, Reshape } from '../layers/shape-ops';
import { Softmax } from '../layers/softmax';
import { numel } from '../tensor/tensor';
import { assembleNetwork, type FrameworkLayers, type Step } from './build';
import type { Network } from './network';
import type { ModelReport } from '../../report/types';

type Cfg = Record<string, unknown>;

/** Keras's sizes of a node's output without the batch; every one must be known to train. */
function sizes(shape: Dim[] | null | undefined, what: string): number[] {
  const s = (shape ?? []).slice(1);
  if (!shape || !s.every((d) => typeof d === 'number')) throw new TrainError(`${what} has sizes ConvLens does not know`);
  return s as number[];
}

/** Where Keras's axis `a` of a rank-`r` tensor (batch included) lives in the NCHW layout. */
export function internalAxis(a: number, r: number): number {
  const k = a < 0 ? a + r : a;
  if (!Number.isInteger(k) || k < 0 || k >= r) throw new TrainError(`axis ${a} is out of range for a ${r}-D tensor`);
  if (r < 3 || k === 0) return k;
  return k === r - 1 ? 1 : k + 1;
}

/** (N, C, *spatial) → (N, *spatial, C) and back, for a rank-r tensor. */
const toLast = (r: number): number[] => [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
const toSecond = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];

/** An int per spatial dimension from an int or a list (kernel_size, strides, dilation_rate, pool_size). */
function each(v: unknown, n: number, what: string, d?: number): number[] {
  if ((v === null || v === undefined) && d !== undefined) return Array(n).fill(d);
  const a = typeof v === 'number' ? Array(n).fill(v) : v;
  if (!Array.isArray(a) || a.length !== n || !a.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new TrainError(`${what} must be an int or ${n} ints ≥ 1, got ${JSON.stringify(v)}`);
  }
  return a as number[];
}

const channelsLast = (cfg: Cfg, type: string): void => {
  if (cfg.data_format !== undefined && cfg.data_format !== null && cfg.data_format !== 'channels_last') {
    throw new TrainError(`${type} with data_format='${String(cfg.data_format)}' is not supported (channels_last is)`);
  }
};

/** Keras's fans of a kernel shape (compute_fans): (…receptive, in, out). */
function kerasRole(shape: number[]): ParamRole {
  const rf = numel(shape.slice(0, -2));
  return { kind: 'weight', fanIn: shape[shape.length - 2] * rf, fanOut: shape[shape.length - 1] * rf, glorot: true };
}

interface Weight {
  /** Keras's weight name within the layer (kernel, bias, gamma, …); null: not saved (BatchNorm's step count). */
  name: string | null;
  /** Keras's shape and how its axes are ordered in the layer's shape; none for vectors. */
  shape?: number[];
  perm?: number[];
}

/**
 * A ParamFactory that gives a PyTorch layer its weights by PyTorch's suffix from the Keras weights
 * of `spec`, and wraps the layer so the Keras ones are what trains (relaid.ts).
 */
function kerasWeights(params: ParamFactory, spec: Record<string, Weight>) {
  const maps: Relayout[] = [];
  let frozen = false;
  const factory: ParamFactory = {
    param(suffix, shape, role) {
      const w = spec[suffix];
      if (!w?.name) throw new TrainError(`no Keras weight for ${suffix}`);
      const outerRole: ParamRole = role.kind === 'weight' ? kerasRole(w.shape ?? shape) : role.kind === 'bias' ? { kind: 'const', value: 0 } : role;
      const outer = params.param(w.name, w.shape ?? shape, outerRole);
      if (!outer.trainable) frozen = true;
      if (!w.perm) return outer;
      const index = permuteMap(w.perm)(w.shape!).index;
      if (index.length !== numel(shape)) throw new TrainError(`${w.name} (${w.shape!.join(', ')}) does not fit the layer's (${shape.join(', ')})`);
      const n = index.length;
      const inner: Param = { name: outer.name, shape, value: new Float32Array(n), grad: new Float32Array(n), role, trainable: outer.trainable };
      maps.push({ outer, inner, index });
      return inner;
    },
    buffer(suffix, shape, fill, integer): Buffer {
      const w = spec[suffix];
      if (!w) throw new TrainError(`no Keras weight for ${suffix}`);
      if (!w.name) return { name: suffix, shape, value: new Float32Array(numel(shape)).fill(fill), integer };
      return params.buffer(w.name, shape, fill, integer);
    },
  };
  return { factory, wrap: (layer: Layer): Layer => (maps.length ? new Relaid(layer, maps) : layer), frozen: () => frozen };
}

/** Keras's `activation=` names and their layers; null for none. */
function activationLayer(name: unknown, rank: number): Layer | null {
  if (name === null || name === undefined || name === 'linear') return null;
  const torch: Record<string, [string, Cfg]> = {
    relu: ['relu', {}], sigmoid: ['sigmoid', {}], tanh: ['tanh', {}], elu: ['elu', {}], relu6: ['relu6', {}],
    gelu: ['gelu', {}], silu: ['silu', {}], swish: ['silu', {}], leaky_relu: ['leaky_relu', { negative_slope: 0.2 }],
  };
  const extra: Record<string, string> = {
    selu: 'SELU', softplus: 'Softplus', softsign: 'Softsign', hard_sigmoid: 'Hardsigmoid', hard_silu: 'Hardswish', hard_swish: 'Hardswish', mish: 'Mish',
  };
  if (typeof name !== 'string') throw new TrainError(`activation ${JSON.stringify(name)} is not one ConvLens knows`);
  if (name in torch) return Activation.of(torch[name][0], torch[name][1]);
  if (name in extra) return extraActivation(extra[name], {});
  if (name === 'softmax' || name === 'log_softmax') return new Softmax(rank >= 3 ? 1 : rank - 1, name === 'log_softmax');
  throw new TrainError(`activation '${name}' is not one the training engine has`);
}

const isSoftmax = (g: GraphNode): boolean => g.type === 'Softmax' || g.config?.activation === 'softmax';

/** Convolutions: Conv1D/2D/3D, DepthwiseConv1D/2D, SeparableConv1D/2D, Conv1D/2D/3DTranspose. */
function convSteps(g: GraphNode, params: ParamFactory, x: GraphNode, final: boolean): Step[] {
  const cfg = g.config ?? {}, type = g.type;
  channelsLast(cfg, type);
  const inS = sizes(x.outputShape, `${type}'s input`), outS = sizes(g.outputShape, type);
  const dims = inS.length - 1, cin = inS[dims], sp = inS.slice(0, dims), osp = outS.slice(0, dims);
  const k = each(cfg.kernel_size, dims, `${type} kernel_size`);
  const s = each(cfg.strides, dims, `${type} strides`, 1), d = each(cfg.dilation_rate, dims, `${type} dilation_rate`, 1);
  const groups = Number(cfg.groups ?? 1), bias = cfg.use_bias !== false, pad = cfg.padding ?? 'valid';
  const transposed = type.endsWith('Transpose');
  if (pad !== 'valid' && pad !== 'same' && !(pad === 'causal' && dims === 1 && !transposed)) throw new TrainError(`${type} padding='${String(pad)}' is not supported`);
  let padBefore: number[], padTotal: number[], outputPadding = Array(dims).fill(0);
  if (transposed) {
    if (cfg.output_padding !== null && cfg.output_padding !== undefined) throw new TrainError(`${type} with output_padding is not supported`);
    // the adjoint of the forward convolution from the output back to the input, with its 'same' padding
    const t = sp.map((l, i) => (l - 1) * s[i] + d[i] * (k[i] - 1) + 1 - osp[i]);
    outputPadding = t.map((v) => Math.max(-v, 0));
    padTotal = t.map((v) => Math.max(v, 0));
    padBefore = padTotal.map((v) => Math.floor(v / 2));
  } else {
    padTotal = sp.map((l, i) => (pad === 'valid' ? 0 : Math.max((osp[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - l, 0)));
    padBefore = padTotal.map((v) => (pad === 'causal' ? v : Math.floor(v / 2)));
  }
  const conv = (c: Partial<ConvConfig>): ConvConfig => ({
    dims, inChannels: cin, outChannels: Number(cfg.filters), kernel: k, stride: s, padBefore, padTotal, dilation: d,
    groups: 1, bias, outputPadding, ...c,
  });
  const kPerm = [dims + 1, dims, ...Array.from({ length: dims }, (_, i) => i)];
  const spatialFirst = [dims, dims + 1, ...Array.from({ length: dims }, (_, i) => i)];
  const steps: Step[] = [];
  if (type.startsWith('Separable') || type.startsWith('Depthwise')) {
    const dm = Number(cfg.depth_multiplier ?? 1), sep = type.startsWith('Separable');
    const dw = kerasWeights(params, {
      weight: { name: sep ? 'depthwise_kernel' : 'kernel', shape: [...k, cin, dm], perm: spatialFirst },
      bias: { name: 'bias' },
    });
    steps.push({ layer: dw.wrap(new Conv(conv({ outChannels: cin * dm, groups: cin, bias: bias && !sep }), type, dw.factory)) });
    if (sep) {
      const pw = kerasWeights(params, { weight: { name: 'pointwise_kernel', shape: [...Array(dims).fill(1), cin * dm, Number(cfg.filters)], perm: kPerm }, bias: { name: 'bias' } });
      const one = Array(dims).fill(1), zero = Array(dims).fill(0);
      steps.push({ layer: pw.wrap(new Conv(conv({ inChannels: cin * dm, kernel: one, stride: one, dilation: one, padBefore: zero, padTotal: zero }), type, pw.factory)) });
    }
  } else if (transposed) {
    const w = kerasWeights(params, { weight: { name: 'kernel', shape: [...k, Number(cfg.filters), cin], perm: kPerm }, bias: { name: 'bias' } });
    steps.push({ layer: w.wrap(new ConvTranspose(conv({}), type, w.factory)) });
  } else {
    if (!Number.isInteger(groups) || cin % groups) throw new TrainError(`${type}: ${cin} input channels are not divisible by groups ${String(cfg.groups)}`);
    const w = kerasWeights(params, { weight: { name: 'kernel', shape: [...k, cin / groups, Number(cfg.filters)], perm: kPerm }, bias: { name: 'bias' } });
    steps.push({ layer: w.wrap(new Conv(conv({ groups }), type, w.factory)) });
  }
  return withActivation(steps, cfg.activation, outS.length + 1, final);
}

/** A layer's `activation=` as one more step; a softmax that ends the model is left to the loss. */
function withActivation(steps: Step[], activation: unknown, rank: number, final: boolean): Step[] {
  if (final && activation === 'softmax') return steps;
  const act = activationLayer(activation, rank);
  return act ? [...steps, { layer: act }] : steps;
}

function denseSteps(g: GraphNode, params: ParamFactory, x: GraphNode, final: boolean): Step[] {
  const cfg = g.config ?? {}, inS = sizes(x.outputShape, 'Dense\'s input'), r = inS.length + 1;
  const inF = inS[inS.length - 1], units = Number(cfg.units);
  const w = kerasWeights(params, { weight: { name: 'kernel', shape: [inF, units], perm: [1, 0] }, bias: { name: 'bias' } });
  const dense = { layer: w.wrap(new Linear(inF, units, cfg.use_bias !== false, w.factory)) };
  // on a feature map, Dense acts on the channels: moved last and back
  const steps = r >= 3 ? [{ layer: new Gather(permuteMap(toLast(r))) }, dense, { layer: new Gather(permuteMap(toSecond(r))) }] : [dense];
  return withActivation(steps, cfg.activation, r, final);
}

function batchNormSteps(g: GraphNode, params: ParamFactory, x: GraphNode): Step[] {
  const cfg = g.config ?? {}, inS = sizes(x.outputShape, 'BatchNormalization\'s input'), r = inS.length + 1;
  const axis = cfg.axis ?? -1;
  if (axis !== -1 && axis !== r - 1) throw new TrainError(`BatchNormalization over axis ${JSON.stringify(axis)} is not supported (the channel axis, -1, is)`);
  if ((cfg.center === false) !== (cfg.scale === false)) throw new TrainError('BatchNormalization with only one of center and scale is not supported');
  const c: BatchNormConfig = {
    channels: inS[inS.length - 1], eps: typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3,
    momentum: 1 - (typeof cfg.momentum === 'number' ? cfg.momentum : 0.99), affine: cfg.center !== false,
    trackRunningStats: true, biasedRunningVar: true,
  };
  const w = kerasWeights(params, {
    weight: { name: 'gamma' }, bias: { name: 'beta' }, running_mean: { name: 'moving_mean' }, running_var: { name: 'moving_variance' },
    num_batches_tracked: { name: null },
  });
  const layer = new BatchNorm(c, 'BatchNormalization', w.factory);
  c.frozen = w.frozen() || cfg.trainable === false;
  return [{ layer }];
}

function poolSteps(g: GraphNode, x: GraphNode): Step[] {
  const cfg = g.config ?? {}, type = g.type;
  channelsLast(cfg, type);
  const inS = sizes(x.outputShape, `${type}'s input`), outS = sizes(g.outputShape, type), dims = inS.length - 1;
  const sp = inS.slice(0, dims), osp = outS.slice(0, dims);
  const kernel = each(cfg.pool_size, dims, `${type} pool_size`, 2);
  const stride = cfg.strides === null || cfg.strides === undefined ? kernel : each(cfg.strides, dims, `${type} strides`);
  const same = cfg.padding === 'same';
  if (!same && (cfg.padding ?? 'valid') !== 'valid') throw new TrainError(`${type} padding='${String(cfg.padding)}' is not supported`);
  // 'same': PyTorch's ceil_mode windows with the smaller half of the padding before and only real values
  // averaged are Keras's windows whenever they give Keras's output size (checked, never assumed)
  const padding = sp.map((l, i) => (same ? Math.floor(Math.max((osp[i] - 1) * stride[i] + kernel[i] - l, 0) / 2) : 0));
  const got = sp.map((l, i) => windowOut(l, kernel[i], stride[i], padding[i], 2 * padding[i], 1, same));
  if (got.some((o, i) => o !== osp[i])) throw new TrainError(`${type} 'same' windows of (${sp.join(', ')}) that ConvLens cannot line up with Keras's (${osp.join(', ')})`);
  const kind = type.startsWith('Max') ? 'max' : 'avg';
  return [{ layer: new Pool(kind, { dims, kernel, stride, padding, dilation: Array(dims).fill(1), ceilMode: same, countIncludePad: false }, type) }];
}

function globalPoolSteps(g: GraphNode, x: GraphNode): Step[] {
  const cfg = g.config ?? {};
  channelsLast(cfg, g.type);
  const inS = sizes(x.outputShape, `${g.type}'s input`), dims = inS.length - 1, keep = cfg.keepdims === true;
  if (g.type.includes('Average')) return [{ layer: new Mean(Array.from({ length: dims }, (_, i) => i + 2), keep) }];
  const sp = inS.slice(0, dims), zero = Array(dims).fill(0);
  const pool = new Pool('max', { dims, kernel: sp, stride: sp, padding: zero, dilation: zero.map(() => 1), ceilMode: false, countIncludePad: true }, g.type);
  return keep ? [{ layer: pool }] : [{ layer: pool }, { layer: new Flatten(1, -1) }];
}

/** Flatten in Keras's order: the channels last. */
function flattenSteps(x: GraphNode): Step[] {
  const r = sizes(x.outputShape, 'Flatten\'s input').length + 1;
  return r >= 3 ? [{ layer: new Gather(permuteMap(toLast(r))) }, { layer: new Flatten(1, -1) }] : [{ layer: new Flatten(1, -1) }];
}

function reshapeSteps(g: GraphNode, x: GraphNode): Step[] {
  const r = sizes(x.outputShape, 'Reshape\'s input').length + 1, out = sizes(g.outputShape, 'Reshape'), ro = out.length + 1;
  const steps: Step[] = r >= 3 ? [{ layer: new Gather(permuteMap(toLast(r))) }] : [];
  steps.push({ layer: new Reshape(['N', ...out]) });
  if (ro >= 3) steps.push({ layer: new Gather(permuteMap(toSecond(ro))) });
  return steps;
}

/** Add, Subtract, Multiply, Average, Maximum…: the first ones element-wise, folded over the inputs. */
function mergeSteps(g: GraphNode, ins: GraphNode[]): Step[] {
  if (g.type === 'Concatenate') {
    const r = sizes(g.outputShape, 'Concatenate').length + 1;
    return [{ layer: new Cat(internalAxis(Number(g.config?.axis ?? -1), r)) }];
  }
  if (ins.length < 2) throw new TrainError(`${g.type} needs at least two inputs`);
  if (g.type === 'Subtract') {
    if (ins.length !== 2) throw new TrainError('Subtract takes exactly two inputs');
    return [{ layer: new SubDiv('sub') }];
  }
  const op = g.type === 'Multiply' ? 'mul' : 'add';
  const steps: Step[] = [{ layer: new Binary(op), reads: [0, 1] }];
  for (let i = 2; i < ins.length; i++) steps.push({ layer: new Binary(op), reads: [ins.length + i - 2, i] });
  if (g.type === 'Average') steps.push({ layer: new ScalarOp('mul', 1 / ins.length, false) });
  return steps;
}

/** ZeroPadding1D/2D/3D and Cropping1D/2D/3D as F.pad's list (last dimension first), cropping negative. */
function padSteps(g: GraphNode, x: GraphNode): Step[] {
  const cfg = g.config ?? {}, crop = g.type.startsWith('Cropping');
  channelsLast(cfg, g.type);
  const dims = sizes(x.outputShape, `${g.type}'s input`).length - 1, raw = crop ? cfg.cropping : cfg.padding;
  const pairs: unknown[] = typeof raw === 'number' ? Array(dims).fill([raw, raw])
    : Array.isArray(raw) && dims === 1 && raw.length === 2 && raw.every((v) => typeof v === 'number') ? [raw]
      : Array.isArray(raw) && raw.length === dims ? raw.map((v) => (typeof v === 'number' ? [v, v] : v)) : [];
  if (pairs.length !== dims || !pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new TrainError(`${g.type} needs known sizes, got ${JSON.stringify(raw)}`);
  }
  const pad = (pairs as number[][]).slice().reverse().flatMap(([a, b]) => (crop ? [-a, -b] : [a, b]));
  return [{ layer: new Gather(padMap(pad, 'constant')) }];
}

function upsampleSteps(g: GraphNode, x: GraphNode): Step[] {
  const cfg = g.config ?? {};
  channelsLast(cfg, g.type);
  const out = sizes(g.outputShape, g.type);
  sizes(x.outputShape, `${g.type}'s input`);
  const mode = String(cfg.interpolation ?? 'nearest');
  if (mode !== 'nearest' && mode !== 'bilinear') throw new TrainError(`${g.type} interpolation='${mode}' is not supported (nearest and bilinear are)`);
  return [{ layer: upsampleLayer('Upsample', { size: out.slice(0, -1), mode: out.length === 2 ? (mode === 'bilinear' ? 'linear' : mode) : mode }) }];
}

/** Rescaling(scale, offset) and Normalization(mean, variance) of known numbers: x·a + b. */
function affineSteps(g: GraphNode): Step[] {
  const cfg = g.config ?? {};
  let scale: unknown = cfg.scale ?? 1, offset: unknown = cfg.offset ?? 0;
  if (g.type === 'Normalization') {
    if (typeof cfg.mean !== 'number' || typeof cfg.variance !== 'number') {
      throw new TrainError('Normalization needs its mean and variance as numbers in the code (an adapt() to data is not known before training)');
    }
    if (cfg.invert === true) throw new TrainError('Normalization with invert=True is not supported');
    // Keras: (x − mean) / max(√variance, 1e-7)
    scale = 1 / Math.max(Math.sqrt(cfg.variance), 1e-7);
    offset = -cfg.mean * (scale as number);
  }
  if (typeof scale !== 'number' || typeof offset !== 'number') throw new TrainError(`${g.type} needs a scale and offset that are single known numbers`);
  const steps: Step[] = [{ layer: new ScalarOp('mul', scale, false) }];
  if (offset !== 0) steps.push({ layer: new ScalarOp('add', offset, false) });
  return steps;
}

function activationSteps(g: GraphNode, final: boolean): Step[] {
  const cfg = g.config ?? {}, r = (g.outputShape ?? []).length;
  switch (g.type) {
    case 'Activation': {
      if (final && cfg.activation === 'softmax') return [{ layer: Activation.of('identity', {}) }];
      return [{ layer: activationLayer(cfg.activation, r) ?? Activation.of('identity', {}) }];
    }
    case 'ReLU': {
      const max = cfg.max_value, slope = Number(cfg.negative_slope ?? 0);
      if (Number(cfg.threshold ?? 0) !== 0) throw new TrainError('ReLU with a threshold is not supported');
      if (max === 6 && slope === 0) return [{ layer: Activation.of('relu6', {}) }];
      if (max !== null && max !== undefined) throw new TrainError(`ReLU with max_value=${JSON.stringify(max)} is not supported (None and 6 are)`);
      return [{ layer: slope ? Activation.of('leaky_relu', { negative_slope: slope }) : Activation.of('relu', {}) }];
    }
    case 'LeakyReLU': return [{ layer: Activation.of('leaky_relu', { negative_slope: Number(cfg.negative_slope ?? cfg.alpha ?? 0.3) }) }];
    case 'ELU': return [{ layer: Activation.of('elu', { alpha: Number(cfg.alpha ?? 1) }) }];
    case 'Softmax': {
      if (final) return [{ layer: Activation.of('identity', {}) }];
      return [{ layer: new Softmax(internalAxis(Number(cfg.axis ?? -1), r), false) }];
    }
  }
  throw new TrainError(`the training engine has no Keras layer '${g.type}'`);
}

/** Operations in a call() or on a functional model's tensors: activations, and `+`, `-`, `*` of two tensors. */
function opSteps(g: GraphNode, ins: GraphNode[]): Step[] {
  const binary: Record<string, Layer | undefined> = { '+': new Binary('add'), '-': new SubDiv('sub'), '*': new Binary('mul'), add: new Binary('add'), subtract: new SubDiv('sub'), multiply: new Binary('mul') };
  if (g.type in binary) {
    if (ins.length !== 2) throw new TrainError(`${g.type} with an operand that is not a tensor of the model is not supported`);
    return [{ layer: binary[g.type]! }];
  }
  if (ins.length === 1 && Object.keys(g.config ?? {}).length === 0 && ACTIVATION_OPS.has(g.type)) {
    return [{ layer: activationLayer(g.type, (g.outputShape ?? []).length)! }];
  }
  throw new TrainError(`the training engine has no Keras op '${g.type}'`);
}

/** keras.ops / keras.activations / tf.nn functions that are an activation with Keras's defaults. */
const ACTIVATION_OPS = new Set(['relu', 'sigmoid', 'tanh', 'relu6', 'elu', 'gelu', 'silu', 'swish', 'selu', 'softplus', 'softsign', 'hard_sigmoid', 'mish']);

type KerasStep = (g: GraphNode, params: ParamFactory, ins: GraphNode[], final: boolean) => Step[];

const conv: KerasStep = (g, p, [x], f) => convSteps(g, p, x, f);
const pool: KerasStep = (g, _p, [x]) => poolSteps(g, x);
const globalPool: KerasStep = (g, _p, [x]) => globalPoolSteps(g, x);
const pad: KerasStep = (g, _p, [x]) => padSteps(g, x);
const merge: KerasStep = (g, _p, ins) => mergeSteps(g, ins);
const act: KerasStep = (g, _p, _i, f) => activationSteps(g, f);
const dropout = (channelwise: boolean): KerasStep => (g) => [{ layer: new Dropout(Number(g.config?.rate ?? 0.5), channelwise) }];

/** The Keras layers the engine trains, by class name. */
const KERAS: Record<string, KerasStep> = {
  Conv1D: conv, Conv2D: conv, Conv3D: conv, DepthwiseConv1D: conv, DepthwiseConv2D: conv,
  SeparableConv1D: conv, SeparableConv2D: conv, Conv1DTranspose: conv, Conv2DTranspose: conv, Conv3DTranspose: conv,
  Dense: (g, p, [x], f) => denseSteps(g, p, x, f),
  BatchNormalization: (g, p, [x]) => batchNormSteps(g, p, x),
  MaxPooling1D: pool, MaxPooling2D: pool, MaxPooling3D: pool, AveragePooling1D: pool, AveragePooling2D: pool, AveragePooling3D: pool,
  GlobalAveragePooling1D: globalPool, GlobalAveragePooling2D: globalPool, GlobalAveragePooling3D: globalPool,
  GlobalMaxPooling1D: globalPool, GlobalMaxPooling2D: globalPool, GlobalMaxPooling3D: globalPool,
  Flatten: (_g, _p, [x]) => flattenSteps(x),
  Reshape: (g, _p, [x]) => reshapeSteps(g, x),
  Dropout: dropout(false), SpatialDropout1D: dropout(true), SpatialDropout2D: dropout(true), SpatialDropout3D: dropout(true),
  Add: merge, Subtract: merge, Multiply: merge, Average: merge, Concatenate: merge,
  ZeroPadding1D: pad, ZeroPadding2D: pad, ZeroPadding3D: pad, Cropping1D: pad, Cropping2D: pad, Cropping3D: pad,
  UpSampling1D: (g, _p, [x]) => upsampleSteps(g, x), UpSampling2D: (g, _p, [x]) => upsampleSteps(g, x),
  Rescaling: (g) => affineSteps(g), Normalization: (g) => affineSteps(g),
  Activation: act, ReLU: act, LeakyReLU: act, ELU: act, Softmax: act,
  ...Object.fromEntries(KERAS_AUGMENTATIONS.map((t): [string, KerasStep] => [t, (g) => [{ layer: kerasAugmentation(t, g.config ?? {}) }]])),
};

/** The Keras layer classes the engine can train (the rest are listed as problems before a run). */
export const TRAINABLE_KERAS_LAYERS: ReadonlySet<string> = new Set(Object.keys(KERAS));

/** The network of a Keras model report, or a TrainError listing every layer it cannot train. */
export function buildKerasNetwork(report: Pick<ModelReport, 'graph' | 'parameters'>): Network {
  const read = new Set(report.graph.flatMap((g) => g.inputs));
  const finals = report.graph.filter((g) => !read.has(g.id));
  // the output the loop trains against: the model's one output, whose softmax the loss takes over
  const final = finals.length === 1 && isSoftmax(finals[0]) ? finals[0].id : null;
  const fw: FrameworkLayers = {
    separator: '/',
    conventions: { keras: true, softmaxOutput: final !== null },
    inputShape(g) {
      const s = (g.outputShape ?? []).slice(1).map((d) => (typeof d === 'number' ? d : null));
      return s.length >= 2 ? [s[s.length - 1], ...s.slice(0, -1)] : s;
    },
    steps(g, params, ins) {
      if (g.kind !== 'module') return opSteps(g, ins);
      const rule = KERAS[g.type];
      if (!rule) throw new TrainError(`the training engine has no Keras layer '${g.type}'`);
      if (ins.length !== 1 && !['Add', 'Subtract', 'Multiply', 'Average', 'Concatenate'].includes(g.type)) {
        throw new TrainError(`${g.type} called on ${ins.length} tensors`);
      }
      return rule(g, params, ins, g.id === final);
    },
  };
  return assembleNetwork(report, fw);
}
