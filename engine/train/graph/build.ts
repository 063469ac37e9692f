// From the model report to a trainable network: one layer per node of `report.graph`, parameters
// named and shaped as PyTorch's state_dict (`report.parameters`), shared by every call of a module.
// Each parameter tensor keeps its own requires_grad flag from the report (a frozen one is initialised
// and saved, never updated); one whose flag is unknown is refused, never guessed.
// Anything the engine cannot train is reported with its type and line, all at once.
import type { GraphNode, ModelReport } from '../../report/types';
import { Activation } from '../layers/activation';
import { ScalarOp, SqueezeView, SubDiv, type ArithOp } from '../layers/arith';
import { EXTRA_ACTIVATIONS, MATH_OPS, PReLU, extraActivation } from '../layers/activation-extra';
import { BatchNorm, batchNormConfig } from '../layers/batchnorm';
import { Conv, ConvTranspose, convConfig } from '../layers/conv';
import { Dropout } from '../layers/dropout';
import { Extreme } from '../layers/extreme';
import { Expand, ExpandAs, ViewAs } from '../layers/like';
import { Gather, channelShuffleMap, chunkMap, indexMap, padMap, repeatMap, permuteMap, pixelShuffleMap, sliceMap, type PadMode } from '../layers/gather';
import { TrainError, sizeAt, type Buffer, type Layer, type Param, type ParamFactory, type ParamRole } from '../layers/layer';
import { Linear } from '../layers/linear';
import { ParameterRead } from '../layers/parameter';
import { GroupNorm, LayerNorm, LayerNormFn, Normalize } from '../layers/norm';
import { AdaptiveAvgPool, Pool, poolConfig } from '../layers/pool';
import { upsampleLayer } from '../layers/resample';
import { Binary, Cat, Flatten, Mean, Reshape, Stack } from '../layers/shape-ops';
import { Matmul } from '../layers/matmul';
import { MultiheadAttention } from '../layers/attention';
import { Constant } from '../layers/parameter';
import { Softmax } from '../layers/softmax';
import { ImplicitSoftmax } from '../layers/softmax-implicit';
import { numel } from '../tensor/tensor';
import { Network, type NetNode, type StateEntry } from './network';

type Cfg = Record<string, unknown>;
/** `inputs`: how many tensors the node reads (x * 0.5 reads one, x * y two). */
type Factory = (cfg: Cfg, params: ParamFactory, type: string, inputs: number) => Layer;

const dimsOf = (type: string): number => Number(/([123])d$/.exec(type)?.[1] ?? 2);
const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);

const conv: Factory = (cfg, params, type) => new Conv(convConfig(type, cfg), type, params);
const convT: Factory = (cfg, params, type) => {
  const c = convConfig(type, cfg);
  if (c.padBefore.some((p, i) => 2 * p !== c.padTotal[i])) throw new TrainError(`${type} does not take padding='same'`);
  return new ConvTranspose(c, type, params);
};
const pool = (kind: 'max' | 'avg'): Factory => (cfg, _p, type) => {
  if (cfg.return_indices === true) throw new TrainError(`${type} with return_indices=True is not supported`);
  return new Pool(kind, poolConfig(type, cfg), type);
};
const adaptive: Factory = (cfg, _p, type) => new AdaptiveAvgPool(dimsOf(type), cfg.output_size, type);
/** Adaptive max pooling to 1 (CBAM, global max pooling): the largest value of each channel, gradient to its index. */
const adaptiveMax: Factory = (cfg, _p, type) => {
  const n = dimsOf(type), size = cfg.output_size;
  if (cfg.return_indices === true) throw new TrainError(`${type} with return_indices=True is not supported`);
  if (!(size === 1 || (Array.isArray(size) && size.length === n && size.every((v) => v === 1)))) {
    throw new TrainError(`${type} to a size other than 1 is not supported, got ${JSON.stringify(size)}`);
  }
  return new Extreme('max', Array.from({ length: n }, (_, i) => -1 - i), true, 'first');
};
const bn: Factory = (cfg, params, type) => new BatchNorm(batchNormConfig(type, cfg), type, params);
const act: Factory = (cfg, _p, type) => Activation.of(type, cfg);
const dropout = (channelwise: boolean): Factory => (cfg) => new Dropout(num(cfg.p, 0.5), channelwise, cfg.always === true);
const softmax = (log: boolean): Factory => (cfg, _p, type) => {
  if (cfg.dim === null || cfg.dim === undefined) return new ImplicitSoftmax(log);
  if (typeof cfg.dim !== 'number') throw new TrainError(`${type} needs a known dim`);
  return new Softmax(cfg.dim, log);
};

const upsample: Factory = (cfg, _p, type) => upsampleLayer(type, cfg);
const extraAct: Factory = (cfg, _p, type) => extraActivation(type, cfg);
const atLeast = (min: number) => (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new TrainError(`${what} must be a known int ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
};
const positive = atLeast(1), natural = atLeast(0);
const shuffle = (down: boolean): Factory => (cfg, _p, type) =>
  new Gather(pixelShuffleMap(positive(down ? cfg.downscale_factor : cfg.upscale_factor, `${type} factor`), down));
/** A padding module (ZeroPad2d, ReflectionPad1d, …): its padding, normalised to F.pad's list. */
const padModule = (mode: PadMode): Factory => (cfg, _p, type) => {
  const n = dimsOf(type), raw = cfg.padding, pad = Array.isArray(raw) ? raw : Array(2 * n).fill(raw);
  if (pad.length !== 2 * n || !pad.every((v) => Number.isInteger(v))) throw new TrainError(`${type} needs ${2 * n} known paddings, got ${JSON.stringify(raw)}`);
  return new Gather(padMap(pad as number[], mode), mode === 'constant' ? num(cfg.value, 0) : 0);
};
/** F.pad: constant (with its value), reflect, replicate or circular. */
const padOp: Factory = (cfg) => {
  const mode = String(cfg.mode ?? 'constant'), pad = cfg.pad;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) throw new TrainError(`pad mode '${mode}' is not supported`);
  if (!Array.isArray(pad) || !pad.every((v) => Number.isInteger(v) || typeof v === 'string')) throw new TrainError('pad needs known paddings');
  if (cfg.value !== undefined && cfg.value !== null && typeof cfg.value !== 'number') throw new TrainError('pad needs a known value');
  const fill = num(cfg.value, 0);
  if (pad.every((v) => Number.isInteger(v))) return new Gather(padMap(pad as number[], mode as PadMode), fill);
  // paddings traced from symbolic sizes (a UNet's `diffY // 2` between a skip and an upsampled map of a model traced
  // without an input size): their values at this batch's sizes
  return new Gather((shape, ctx) => {
    const sizes = pad.map((v) => sizeAt(v, ctx, cfg.batchSymbol));
    if (sizes.some((v) => v === null)) throw new TrainError(`pad (${pad.join(', ')}) has no value at an input of shape (${shape.join(', ')})`);
    return padMap(sizes as number[], mode as PadMode)(shape);
  }, fill, true);
};

/**
 * How a parameter no layer rule initialises is initialised (one the forward pass reads as a tensor, or
 * none reads): a weight by its fans when it has two dimensions or more, else a constant (1 for `weight`).
 * The file's own initial values (`torch.ones(d) * 1e-6`) are not known to the trace.
 */
function roleOf(name: string, shape: number[]): ParamRole {
  return shape.length >= 2
    ? { kind: 'weight', fanIn: numel(shape.slice(1)), fanOut: shape[0] * numel(shape.slice(2)) }
    : { kind: 'const', value: name === 'weight' ? 1 : 0 };
}

/** A parameter read as a tensor (its name within its module's path, and its shape). */
const parameterRead: Factory = (cfg, params) => {
  const shape = cfg.shape;
  if (typeof cfg.name !== 'string') throw new TrainError('a parameter the model does not register: PyTorch would not train it');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d))) throw new TrainError(`parameter ${cfg.name} has a shape ConvLens does not know`);
  return new ParameterRead(params.param(cfg.name, shape as number[], roleOf(cfg.name, shape as number[])));
};

/** Tensor ⊕ tensor, or tensor ⊕ a Python number (the graph's `scalar`, null when ConvLens cannot know it). */
const arith = (op: ArithOp): Factory => (cfg, _p, type, inputs) => {
  if (inputs === 2) return op === 'add' || op === 'mul' ? new Binary(op) : new SubDiv(op);
  if (typeof cfg.scalar !== 'number') throw new TrainError(`${type} with an operand ConvLens cannot know`);
  return new ScalarOp(op, cfg.scalar, cfg.reversed === true);
};

/** max/min (along one dim: the gradient goes to the index returned; over all: shared by ties) and amax/amin. */
const extreme = (kind: 'max' | 'min', shared: boolean): Factory => (cfg, _p, type) => {
  const d = reducedDims(cfg, type);
  return new Extreme(kind, d, cfg.keepdim === true, shared || d === null || d === undefined ? 'even' : 'first');
};
/** A reduction's `dim`: none (all), an int or a list of ints, else a TrainError. */
function reducedDims(cfg: Cfg, type: string): unknown {
  const d = cfg.dim;
  if (!(d === null || d === undefined || typeof d === 'number' || (Array.isArray(d) && d.every((v) => typeof v === 'number')))) {
    throw new TrainError(`${type} over dimensions ConvLens could not read`);
  }
  return d;
}

/** Leaf modules, by class name. */
const MODULES: Record<string, Factory> = {
  Conv1d: conv, Conv2d: conv, Conv3d: conv,
  ConvTranspose1d: convT, ConvTranspose2d: convT, ConvTranspose3d: convT,
  Linear: (cfg, params) => new Linear(Number(cfg.in_features), Number(cfg.out_features), cfg.bias !== false, params),
  MaxPool1d: pool('max'), MaxPool2d: pool('max'), MaxPool3d: pool('max'),
  AvgPool1d: pool('avg'), AvgPool2d: pool('avg'), AvgPool3d: pool('avg'),
  AdaptiveAvgPool1d: adaptive, AdaptiveAvgPool2d: adaptive, AdaptiveAvgPool3d: adaptive,
  AdaptiveMaxPool1d: adaptiveMax, AdaptiveMaxPool2d: adaptiveMax, AdaptiveMaxPool3d: adaptiveMax,
  BatchNorm1d: bn, BatchNorm2d: bn, BatchNorm3d: bn,
  Dropout: dropout(false), Dropout1d: dropout(true), Dropout2d: dropout(true), Dropout3d: dropout(true),
  ReLU: act, ReLU6: act, LeakyReLU: act, ELU: act, Tanh: act, Sigmoid: act, GELU: act, SiLU: act, Identity: act,
  Flatten: (cfg) => new Flatten(num(cfg.start_dim, 1), num(cfg.end_dim, -1)),
  Softmax: softmax(false), LogSoftmax: softmax(true),
  GroupNorm: (cfg, params, type) => GroupNorm.group(cfg, params, type),
  InstanceNorm1d: GroupNorm.instance, InstanceNorm2d: GroupNorm.instance, InstanceNorm3d: GroupNorm.instance,
  LayerNorm: (cfg, params, type) => new LayerNorm(cfg, params, type),
  MultiheadAttention: (cfg, params) => new MultiheadAttention(cfg, params),
  Upsample: upsample, UpsamplingNearest2d: upsample, UpsamplingBilinear2d: upsample,
  PixelShuffle: shuffle(false), PixelUnshuffle: shuffle(true),
  ChannelShuffle: (cfg) => new Gather(channelShuffleMap(positive(cfg.groups, 'ChannelShuffle groups'))),
  PReLU: (cfg, params) => new PReLU(cfg, params),
  ...Object.fromEntries(EXTRA_ACTIVATIONS.map((t) => [t, extraAct])),
  ZeroPad1d: padModule('constant'), ZeroPad2d: padModule('constant'), ZeroPad3d: padModule('constant'),
  ConstantPad1d: padModule('constant'), ConstantPad2d: padModule('constant'), ConstantPad3d: padModule('constant'),
  ReflectionPad1d: padModule('reflect'), ReflectionPad2d: padModule('reflect'), ReflectionPad3d: padModule('reflect'),
  ReplicationPad1d: padModule('replicate'), ReplicationPad2d: padModule('replicate'), ReplicationPad3d: padModule('replicate'),
  CircularPad1d: padModule('circular'), CircularPad2d: padModule('circular'), CircularPad3d: padModule('circular'),
};

/** BatchNorm's buffers, which reports written by hand (the tests' fixtures) list beside the parameters. */
const BUFFERS = new Set(['running_mean', 'running_var', 'num_batches_tracked', 'moving_mean', 'moving_variance']);

/** Functional ops, by name. */
const OPS: Record<string, Factory> = {
  add: arith('add'), mul: arith('mul'), sub: arith('sub'), div: arith('div'), parameter: parameterRead,
  squeeze: (cfg) => {
    if ('dim' in cfg && typeof cfg.dim !== 'number') throw new TrainError('squeeze of a dimension ConvLens could not read');
    return new SqueezeView('squeeze', cfg.dim as number | undefined);
  },
  unsqueeze: (cfg) => {
    if (typeof cfg.dim !== 'number') throw new TrainError('unsqueeze of a dimension ConvLens could not read');
    return new SqueezeView('unsqueeze', cfg.dim);
  },
  cat: (cfg) => new Cat(num(cfg.dim, 0)),
  stack: (cfg) => new Stack(natural(cfg.dim, 'stack dim')),
  matmul: (_cfg, _p, type, inputs) => {
    if (inputs !== 2) throw new TrainError(`${type} of ${inputs} tensors`);
    return new Matmul();
  },
  repeat: (cfg) => {
    const reps = Array.isArray(cfg.batchRepeats) ? cfg.batchRepeats : cfg.repeats;
    if (!Array.isArray(reps) || reps.includes(null)) throw new TrainError('repeat with counts ConvLens could not read');
    return new Gather(repeatMap(reps, cfg.batchSymbol), 0, reps.some((r) => typeof r === 'string'));
  },
  constant: (cfg) => {
    if (cfg.batchSized === true) throw new TrainError('a tensor made in forward() whose size follows the batch: its values are not known at other batch sizes');
    if (!Array.isArray(cfg.values) || !Array.isArray(cfg.shape)) throw new TrainError('a tensor made in forward() whose values ConvLens does not know');
    return new Constant(cfg.shape as number[], Float32Array.from(cfg.values as number[]));
  },
  flatten: (cfg) => new Flatten(num(cfg.start_dim, 0), num(cfg.end_dim, -1)),
  view: (cfg) => new Reshape(shapeArg(cfg)), reshape: (cfg) => new Reshape(shapeArg(cfg)),
  max_pool1d: pool('max'), max_pool2d: pool('max'), max_pool3d: pool('max'),
  avg_pool1d: pool('avg'), avg_pool2d: pool('avg'), avg_pool3d: pool('avg'),
  adaptive_avg_pool1d: adaptive, adaptive_avg_pool2d: adaptive, adaptive_avg_pool3d: adaptive,
  adaptive_max_pool1d: adaptiveMax, adaptive_max_pool2d: adaptiveMax, adaptive_max_pool3d: adaptiveMax,
  dropout: dropout(false), dropout1d: dropout(true), dropout2d: dropout(true), dropout3d: dropout(true),
  layer_norm: (cfg, _p, type) => new LayerNormFn(cfg, type),
  mean: (cfg, _p, type) => new Mean(reducedDims(cfg, type), cfg.keepdim === true),
  sum: (cfg, _p, type) => new Mean(reducedDims(cfg, type), cfg.keepdim === true, false),
  normalize: (cfg, _p, type) => new Normalize(cfg, type),
  softmax: softmax(false), log_softmax: softmax(true),
  upsample, pad: padOp,
  pixel_shuffle: shuffle(false), pixel_unshuffle: shuffle(true),
  chunk: (cfg) => new Gather(chunkMap(positive(cfg.chunks, 'chunk count'), natural(cfg.index, 'chunk index'), num(cfg.dim, 0))),
  permute: (cfg) => {
    if (!Array.isArray(cfg.dims) || !cfg.dims.every((d) => Number.isInteger(d))) throw new TrainError('permute needs known dims');
    return new Gather(permuteMap(cfg.dims as number[]));
  },
  transpose: (cfg) => {
    const a = natural(cfg.dim0, 'transpose dim0'), b = natural(cfg.dim1, 'transpose dim1');
    return new Gather((shape) => permuteMap(shape.map((_, i) => (i === a ? b : i === b ? a : i)))(shape));
  },
  split: (cfg) => new Gather(sliceMap(num(cfg.dim, 0), natural(cfg.start, 'split start'), positive(cfg.length, 'split size'))),
  max: extreme('max', false), min: extreme('min', false), amax: extreme('max', true), amin: extreme('min', true),
  expand: (cfg) => {
    const sizes = Array.isArray(cfg.batchShape) ? cfg.batchShape : cfg.shape;
    if (!Array.isArray(sizes) || sizes.includes(null)) throw new TrainError('expand to sizes ConvLens could not read');
    return new Expand(sizes, cfg.batchSymbol);
  },
  index: (cfg) => {
    const items = Array.isArray(cfg.batchItems) ? cfg.batchItems : cfg.items;
    if (!Array.isArray(items)) throw new TrainError('indexing with a tensor or an index ConvLens could not read is not supported');
    const symbolic = (v: unknown): boolean => (typeof v === 'string' && v !== 'none' && v !== '...')
      || (typeof v === 'object' && v !== null && 'slice' in v && (v as { slice: unknown[] }).slice.some(symbolic));
    return new Gather(indexMap(items, cfg.batchSymbol), 0, items.some(symbolic));
  },
  expand_as: () => new ExpandAs(), view_as: () => new ViewAs(), reshape_as: () => new ViewAs(),
};
for (const name of [...EXTRA_ACTIVATIONS.map((n) => n.toLowerCase()), ...MATH_OPS]) OPS[name] = extraAct;
// made once, at module load: old space is where they belong
// eslint-disable-next-line no-restricted-syntax
for (const name of ['relu', 'relu6', 'leaky_relu', 'elu', 'tanh', 'sigmoid', 'gelu', 'silu']) OPS[name] = (cfg) => Activation.of(name, cfg);

/** The target traced with a symbolic batch (its batch-dependent entries are symbols), else the traced one. */
function shapeArg(cfg: Cfg): unknown[] {
  if (Array.isArray(cfg.batchShape)) return cfg.batchShape;
  if (!Array.isArray(cfg.shape)) throw new TrainError('view/reshape needs its resolved shape');
  return cfg.shape;
}

/** The module classes and op names the engine can train (the rest are listed as problems before a run). */
export const TRAINABLE_MODULES: ReadonlySet<string> = new Set(Object.keys(MODULES));
export const TRAINABLE_OPS: ReadonlySet<string> = new Set(Object.keys(OPS));

/** A node the engine cannot train: which layer, where, and why. */
export interface LayerProblem {
  type: string;
  line: number;
  path?: string;
  why: string;
}

/** Every node of a model that the engine cannot train, listed in the message and as data for the panel. */
export class UnsupportedModel extends TrainError {
  constructor(readonly problems: LayerProblem[]) {
    super(`cannot train this model:\n  ${problems.map((p) => `${p.type} (line ${p.line}): ${p.why}`).join('\n  ')}`);
  }
}

/** One layer of a graph node's expansion; `reads` index the node's inputs, then the steps before (default: the step before). */
export interface Step {
  layer: Layer;
  reads?: number[];
}

/** How a framework's graph nodes become layers: PyTorch's one module per node, Keras's (build-keras.ts) a few. */
export interface FrameworkLayers {
  /** Between a module path and a weight name: `features.0.weight`, `conv2d/kernel`. */
  separator: string;
  /** The input node's shape without the batch, in the layout the layers compute in (NCHW). */
  inputShape(g: GraphNode): Array<number | null>;
  /** The layers of one node, given the nodes it reads; throws a TrainError saying why it cannot. */
  steps(g: GraphNode, params: ParamFactory, inputs: GraphNode[]): Step[];
  /** Keras's training conventions (Network.conventions); PyTorch's when absent. */
  conventions?: Network['conventions'];
}

const TORCH_LAYERS: FrameworkLayers = {
  separator: '.',
  inputShape: (g) => (g.outputShape ?? []).slice(1).map((d) => (typeof d === 'number' ? d : null)),
  steps(g, params) {
    const factory = g.kind === 'module' ? MODULES[g.type] : OPS[g.type];
    if (!factory) throw new TrainError(`the training engine has no ${g.kind === 'module' ? 'layer' : 'op'} '${g.type}'`);
    if (g.config?.reparametrizedWeight === true) throw new TrainError(`${g.type} with weight_norm/spectral_norm is not supported`);
    return [{ layer: factory(g.config ?? {}, params, g.type, g.inputs.length) }];
  },
};

/** The model's output: the node of the tensor forward() returned when the report knows it, else the last node no
 * other node reads (a Keras graph ends there). */
export function outputNode(graph: readonly GraphNode[], graphOutput?: number): GraphNode | undefined {
  const returned = graphOutput === undefined ? undefined : graph.find((g) => g.id === graphOutput);
  if (returned) return returned;
  const read = new Set(graph.flatMap((g) => g.inputs));
  return [...graph].reverse().find((g) => !read.has(g.id));
}

/** The nodes the output depends on, by id. */
function liveNodes(graph: readonly GraphNode[], graphOutput?: number): Set<number> {
  const output = outputNode(graph, graphOutput);
  const byId = new Map(graph.map((g) => [g.id, g]));
  const live = new Set<number>();
  const stack = output ? [output.id] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  return live;
}

/** The network for a PyTorch model report, or a TrainError listing every node it cannot train. */
export function buildNetwork(report: Pick<ModelReport, 'graph' | 'parameters' | 'graphOutput'>): Network {
  return assembleNetwork(report, TORCH_LAYERS);
}

/** The network of a report's graph with a framework's layers. */
export function assembleNetwork(report: Pick<ModelReport, 'graph' | 'parameters' | 'graphOutput'>, fw: FrameworkLayers): Network {
  const graph = report.graph;
  if (!graph || graph.length === 0) throw new TrainError('the model report has no dataflow graph to train');
  const declared = new Map(report.parameters.map((p, i) => [p.name, { ...p, order: i }]));
  const entries = new Map<string, StateEntry>();
  const params: Param[] = [];
  /** Parameters some layer reads: only these get gradients. */
  const used = new Set<Param>();

  const factoryFor = (path: string | undefined): ParamFactory => {
    const key = (suffix: string): string => {
      // a layer with weights outside the model's modules (a plain list, made in forward()): PyTorch would not train them
      if (path === undefined) throw new TrainError('its weights are not registered with the model (a plain list or dict, or made in forward()), so PyTorch would not train them');
      return path ? `${path}${fw.separator}${suffix}` : suffix;
    };
    const check = (name: string, shape: number[]): void => {
      const d = declared.get(name);
      if (d && (d.shape.length !== shape.length || d.shape.some((s, i) => s !== shape[i]))) {
        throw new TrainError(`${name} has shape (${shape.join(', ')}) from the layer's arguments but (${d.shape.join(', ')}) in the report`);
      }
    };
    return {
      param(suffix: string, shape: number[], role: ParamRole): Param {
        const name = key(suffix), seen = entries.get(name);
        if (seen) return seen as Param;
        check(name, shape);
        const d = declared.get(name);
        if (d?.trainableKnown === false) {
          throw new TrainError(`whether ${name} trains is unknown: its requires_grad was set to a value ConvLens cannot know (a not-modelled warning names the line)`);
        }
        const n = numel(shape);
        const p: Param = { name, shape, value: new Float32Array(n), grad: new Float32Array(n), role, trainable: d?.trainable ?? true };
        entries.set(name, p); params.push(p); used.add(p);
        return p;
      },
      buffer(suffix: string, shape: number[], fill: number, integer?: boolean): Buffer {
        const name = key(suffix), seen = entries.get(name);
        if (seen) return seen;
        check(name, shape);
        const b: Buffer = { name, shape, value: new Float32Array(numel(shape)).fill(fill), integer };
        entries.set(name, b);
        return b;
      },
    };
  };

  const index = new Map<number, number>();
  const nodes: NetNode[] = [];
  const problems: LayerProblem[] = [];
  let inputShape: Array<number | null> = [];
  const byId = new Map(graph.map((g) => [g.id, g]));
  const live = liveNodes(graph, report.graphOutput);
  /** Nodes the output does not depend on that could not be built (`_` of `torch.max(x, 1)`): left out. */
  const skipped = new Set<number>();
  /** A layer with running statistics updates them in PyTorch's training even where the output does not read it. */
  const keepsStatistics = (g: GraphNode): boolean => /BatchNorm/.test(g.type)
    || (/InstanceNorm/.test(g.type) && g.config?.track_running_stats === true);
  const skip = (g: GraphNode): void => {
    skipped.add(g.id);
    if (keepsStatistics(g)) {
      problems.push({ type: g.type, line: g.line, path: g.path, why: 'the output does not depend on it, but PyTorch '
        + 'would still update its running statistics, and it reads a value ConvLens cannot train' });
    }
  };
  graph.forEach((g: GraphNode) => {
    if (!live.has(g.id) && g.inputs.some((id) => skipped.has(id))) { skip(g); return; }
    const inputs = g.inputs.map((id) => {
      const j = index.get(id);
      if (j === undefined) problems.push({ type: g.type, line: g.line, path: g.path, why: `reads node ${id}, which comes later or does not exist` });
      return j ?? 0;
    });
    if (g.kind === 'input') {
      inputShape = fw.inputShape(g);
      index.set(g.id, nodes.length);
      nodes.push({ id: g.id, type: 'input', line: g.line, layer: null, inputs: [], needsGrad: false });
      return;
    }
    const before = params.length;
    let steps: Step[];
    try {
      steps = fw.steps(g, factoryFor(g.path), g.inputs.map((id) => byId.get(id)!));
    } catch (e) {
      if (!(e instanceof TrainError) && !(e instanceof Error)) throw e;
      if (!live.has(g.id)) { skip(g); return; }
      problems.push({ type: g.type, line: g.line, path: g.path, why: e.message });
      index.set(g.id, 0); // its readers are built (and checked) all the same
      return;
    }
    // Only a trainable parameter needs ∂L/∂output: a frozen stem with nothing trainable before it runs no backward.
    const trains = params.slice(before).some((p) => p.trainable)
      || (g.path !== undefined && params.some((p) => p.trainable && p.name.startsWith(`${g.path}${fw.separator}`)));
    const first = nodes.length;
    steps.forEach((s, k) => {
      const reads = s.reads ?? [k === 0 ? -1 : inputs.length + k - 1];
      const ins = reads.length === 1 && reads[0] === -1 ? inputs : reads.map((r) => (r < inputs.length ? inputs[r] : first + r - inputs.length));
      nodes.push({ id: g.id, type: g.type, line: g.line, path: g.path, layer: s.layer, inputs: ins, needsGrad: trains || ins.some((j) => nodes[j]?.needsGrad) });
    });
    index.set(g.id, nodes.length - 1);
  });
  if (problems.length) throw new UnsupportedModel(problems);
  if (!nodes.some((n) => n.layer === null)) throw new TrainError('the model graph has no input node');

  // Declared entries no call touched (a module defined but never used) are still saved, so that
  // load_state_dict finds every key; they keep their initial values (PyTorch's optimisers skip a
  // parameter without a gradient: no step, no weight decay).
  for (const d of report.parameters) {
    if (entries.has(d.name)) continue;
    const n = numel(d.shape), leaf = d.name.slice(d.name.lastIndexOf(fw.separator) + 1);
    if (d.trainable || !BUFFERS.has(leaf)) {
      const p: Param = { name: d.name, shape: d.shape, value: new Float32Array(n), grad: new Float32Array(n), role: roleOf(leaf, d.shape), trainable: d.trainable };
      entries.set(d.name, p); params.push(p);
    } else {
      entries.set(d.name, { name: d.name, shape: d.shape, value: new Float32Array(n).fill(leaf === 'running_var' || leaf === 'moving_variance' ? 1 : 0), integer: leaf === 'num_batches_tracked' });
    }
  }
  const order = (name: string): number => declared.get(name)?.order ?? Number.MAX_SAFE_INTEGER;
  const state = [...entries.values()].map((e, i) => ({ e, i })).sort((a, b) => order(a.e.name) - order(b.e.name) || a.i - b.i).map((x) => x.e);
  const output = index.get(outputNode(graph, report.graphOutput)?.id ?? -1) ?? nodes.length - 1;
  const first = graph.find((g) => g.kind === 'input');
  return new Network(nodes, params, params.filter((p) => p.trainable && used.has(p)), state, inputShape, output, fw.conventions,
    first?.outputShape ?? []);
}
