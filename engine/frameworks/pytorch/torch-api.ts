// The `torch`, `torch.nn`, `torch.nn.functional` and `torch.nn.init` modules as the interpreter
// sees them. Functional ops that have a layer twin (F.max_pool2d ↔ nn.MaxPool2d, F.conv2d ↔
// nn.Conv2d) reuse the layer catalogue's shape rules, so both spellings agree by construction.
import { arg } from '../../python/call-args';
import type { Interpreter } from '../../python/interpreter';
import { autogradModule } from './autograd';
import { complexViews, fftModule } from './fft';
import { cdist, linalgModule } from './linalg';
import { assembleFunctions } from './torch-assemble';
import { rnnUtilsModule } from './packed';
import { TRANSFORMER_CLASSES, TRANSFORMER_MODULE, TRANSFORMER_SOURCE } from './transformer-source';
import { COMPILE, PARALLEL_CLASSES, PARALLEL_MODULE, PARALLEL_SOURCE } from './parallel-source';
import { CONV_FORWARD_MODULE, CONV_FORWARD_SOURCE } from './conv-forward-source';
import { PARAMETRIZATIONS, WEIGHT_REPARAM_FUNCTIONS, WEIGHT_REPARAM_MODULE, WEIGHT_REPARAM_SOURCE } from './weight-reparam-source';
import { parseCached } from '../../python/imports';
import { makeClass, type BuiltinClasses } from '../../python/builtins';
import { asDim, fromDim } from '../../python/operators';
import { pyModule } from '../../python/stdlib';
import {
  isObj, isUnknown, madeUnknown, native, str, tuple, unknown,
  type CallSite, type PyClass, type PyModule, type PyUnknown, type Value,
} from '../../python/values';
import type { Dim, Shape } from '../../shapes/dim';
import * as dim from '../../shapes/dim';
import { broadcast } from '../../shapes/reshape';
import { perSample } from '../../shapes/layer-input';
import { TORCH_LAYERS } from './layers';
import { bindSignature, buildNn, type NnHooks } from './nn';
import { isTensor, shapeArgs, torchSize, type TensorObj } from './tensor';
import { fromPython } from '../../python/config-values';
import { MAX_DATA, flattenNumbers } from './tensor-data';
import { hubLoad } from './hub';
import { isDataArray } from '../../python/data-array';
import { isNdArray } from '../../python/numpy';
import type { Tracer } from './trace';

type Fn = (a: Value[], k: Map<string, Value>, site: CallSite) => Value;

export interface TorchEnv {
  interp: Interpreter;
  tracer: () => Tracer;
  hooks: NnHooks;
  classes: BuiltinClasses;
}

/**
 * Applies a catalogued layer's rule to a functional call whose arguments use the layer's names:
 * the tensors first (`tensors`, by position or keyword), then `names`; those that are forward()
 * arguments of the layer (max_unpool's output_size) go to the rule without constructor binding.
 */
function viaLayer(env: TorchEnv, layer: string, names: string[], fixed: Record<string, Value> = {}, tensors = ['input']): Fn {
  const spec = TORCH_LAYERS[layer];
  const forward = new Set((spec.forwardArgs ?? []).map(([n]) => n));
  // the graph names the op as F does (max_pool2d, adaptive_avg_pool2d): the training engine builds from it
  const opName = layer.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
  return (a, k, site) => {
    const given = tensors.map((n, i) => a[i] ?? k.get(n) ?? null);
    const x = given[0];
    if (!isTensor(x)) return isUnknown(x) ? x : unknown(`${layer} functional call without a tensor`, site.line);
    const kwargs = new Map<string, Value>(Object.entries(fixed));
    const late: Record<string, unknown> = {};
    names.forEach((n, i) => {
      const v = k.has(n) ? k.get(n) as Value : i + tensors.length < a.length ? a[i + tensors.length] : undefined;
      if (v === undefined) return;
      if (forward.has(n)) late[n] = fromPython(v); else kwargs.set(n, v);
    });
    const bound = bindSignature(env.interp, layer, spec, [], kwargs, site);
    const cfg = { ...(spec.normalize ? spec.normalize(bound) : bound), ...late };
    const t = env.tracer();
    const inputs = given.filter(isTensor);
    const indices = spec.returnsIndices?.(cfg);
    // an input of unknown shape gives an unknown shape, not the layer's complaint about a 0-D input
    if (inputs.length < given.length || inputs.some((i) => !i.shape)) return t.pooled(t.op(opName, cfg, inputs, null, site), indices, site);
    const res = spec.apply(cfg, inputs.map((i) => i.shape as Shape));
    for (const d of res.diagnostics) if (d.severity === 'error') t.diagnose(site, d.severity, d.code, d.message);
    return t.pooled(t.op(opName, cfg, inputs, res.output, site), indices, site);
  };
}

/** Shape-preserving ops (activations, dropout, normalisations). */
/** The keyword arguments (with PyTorch's defaults) of the functional activations that take any, in order after the input. */
const ACTIVATION_ARGS: Record<string, Array<[string, Value]>> = {
  elu: [['alpha', 1]], celu: [['alpha', 1]], gelu: [['approximate', 'none']], hardtanh: [['min_val', -1], ['max_val', 1]],
  softplus: [['beta', 1], ['threshold', 20]], normalize: [['p', 2], ['dim', 1], ['eps', 1e-12]], threshold: [['threshold', null], ['value', null]], rrelu: [['lower', 1 / 8], ['upper', 1 / 3]],
};

function same(env: TorchEnv, name: string, config: (a: Value[], k: Map<string, Value>) => Record<string, unknown> = () => ({})): Fn {
  return (a, k, site) => {
    const x = a[0] ?? k.get('input') ?? null;
    if (!isTensor(x)) return isUnknown(x) ? x : unknown(`${name} of a non-tensor`, site.line);
    return env.tracer().op(name, config(a, k), [x], x.shape, site);
  };
}

/** What `torch.load` / `torch.jit.load` read: a file ConvLens does not open, made at `site`. */
const fromFile = (name: string, site: CallSite): Value => madeUnknown(`${name} reads a file ConvLens does not open`, site.line, name, site);

function weightOp(env: TorchEnv, layer: string, transposed: boolean): Fn {
  // F.conv2d(input, weight, bias, stride, padding, dilation, groups): sizes come from the weight
  return (a, k, site) => {
    const x = a[0], w = arg(a, k, 1, 'weight');
    if (!isTensor(x) || !isTensor(w) || !w.shape) return unknown(`${layer} with unknown weight`, site.line);
    const groups = arg(a, k, transposed ? 7 : 6, 'groups', 1);
    const g = typeof groups === 'number' ? groups : 1;
    const [o, i, ...ks] = w.shape as Array<number | string | null>;
    const kw = new Map<string, Value>([
      ['in_channels', transposed ? (o as number) : typeof i === 'number' ? i * g : null],
      ['out_channels', transposed ? (typeof i === 'number' ? i * g : null) : (o as number)],
      ['kernel_size', tuple(ks.map((d) => (typeof d === 'number' ? d : null)))],
      ['stride', arg(a, k, 3, 'stride', 1)], ['padding', arg(a, k, 4, 'padding', 0)],
      ['groups', g], ['bias', arg(a, k, 2, 'bias') !== null],
    ]);
    if (transposed) { kw.set('output_padding', arg(a, k, 5, 'output_padding', 0)); kw.set('dilation', arg(a, k, 7, 'dilation', 1)); }
    else kw.set('dilation', arg(a, k, 5, 'dilation', 1));
    const spec = TORCH_LAYERS[layer];
    const bound = bindSignature(env.interp, layer, spec, [], kw, site);
    const cfg = spec.normalize ? spec.normalize(bound) : bound;
    const res = spec.apply(cfg, [x.shape ?? []]);
    const output = x.shape ? res.output : null;
    env.tracer().functionalMacs(`F.${layer.toLowerCase()}`, x.shape && typeof res.macs === 'number' ? res.macs : null, [x, w], output, site);
    return env.tracer().op(layer.toLowerCase(), cfg, [x, w], output, site);
  };
}

function functional(env: TorchEnv): PyModule {
  const t = env.tracer;
  const fns: Record<string, Fn> = {
    linear: (a, k, site) => {
      const x = a[0], w = arg(a, k, 1, 'weight');
      if (!isTensor(x) || !isTensor(w) || !x.shape || !w.shape) return unknown('F.linear of unknown shapes', site.line);
      const output = [...x.shape.slice(0, -1), w.shape[0]];
      // per sample, as nn.Linear counts: one multiply-add per weight per output row after the batch dimension
      const macs = dim.product([...perSample(x.shape.slice(0, -1), x.shape.length > 1), ...w.shape]);
      t().functionalMacs('F.linear', typeof macs === 'number' ? macs : null, [x, w], output, site);
      return t().op('linear', {}, [x, w], output, site);
    },
    conv1d: weightOp(env, 'Conv1d', false), conv2d: weightOp(env, 'Conv2d', false), conv3d: weightOp(env, 'Conv3d', false),
    conv_transpose1d: weightOp(env, 'ConvTranspose1d', true), conv_transpose2d: weightOp(env, 'ConvTranspose2d', true),
    conv_transpose3d: weightOp(env, 'ConvTranspose3d', true),
    interpolate: viaLayer(env, 'Upsample', ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor']),
    upsample: viaLayer(env, 'Upsample', ['size', 'scale_factor', 'mode', 'align_corners']),
    pixel_shuffle: viaLayer(env, 'PixelShuffle', ['upscale_factor']),
    unfold: viaLayer(env, 'Unfold', ['kernel_size', 'dilation', 'padding', 'stride']),
    fold: viaLayer(env, 'Fold', ['output_size', 'kernel_size', 'dilation', 'padding', 'stride']),
    pixel_unshuffle: viaLayer(env, 'PixelUnshuffle', ['downscale_factor']),
    pad: (a, k, site) => {
      const x = a[0], p = arg(a, k, 1, 'pad');
      const pads = shapeArgs([p]);
      if (!isTensor(x) || !x.shape || !pads) return unknown('F.pad of unknown sizes', site.line);
      const out: Shape = x.shape.slice();
      for (let i = 0; i + 1 < pads.length; i += 2) {
        const axis = out.length - 1 - i / 2;
        if (axis < 0) break;
        const lo = asDim(pads[i] as Value), hi = asDim(pads[i + 1] as Value);
        out[axis] = typeof out[axis] === 'number' && typeof lo === 'number' && typeof hi === 'number' ? (out[axis] as number) + lo + hi : null;
      }
      return t().op('pad', { pad: pads, mode: arg(a, k, 2, 'mode', 'constant'), value: arg(a, k, 3, 'value', 0) }, [x], out, site);
    },
    embedding: (a, k, site) => {
      const x = a[0], w = arg(a, k, 1, 'weight');
      if (!isTensor(x) || !isTensor(w) || !x.shape || !w.shape) return unknown('F.embedding of unknown shapes', site.line);
      return t().op('embedding', {}, [x, w], [...x.shape, w.shape[1]], site);
    },
    glu: (a, k, site) => {
      const x = a[0];
      if (!isTensor(x) || !x.shape) return unknown('F.glu of unknown shape', site.line);
      const d = arg(a, k, 1, 'dim', -1);
      const i = typeof d === 'number' ? (d < 0 ? x.shape.length + d : d) : -1;
      const out = x.shape.slice();
      if (i >= 0 && typeof out[i] === 'number') out[i] = (out[i] as number) / 2;
      return t().op('glu', { dim: d }, [x], out, site);
    },
    cross_entropy: (_a, _k, site) => t().fresh([], site),
    mse_loss: (_a, _k, site) => t().fresh([], site),
    nll_loss: (_a, _k, site) => t().fresh([], site),
    // one_hot(labels, num_classes=-1): a trailing dim of num_classes, or of max label + 1 when the labels are known
    one_hot: (a, k, site) => {
      const x = a[0] ?? k.get('tensor') ?? null, n = arg(a, k, 1, 'num_classes', -1);
      if (!isTensor(x)) return isUnknown(x) ? x : unknown('F.one_hot of a value that is not a tensor', site.line);
      const classes = typeof n === 'number' && n >= 0 ? n : x.data?.length ? Math.max(...x.data) + 1 : asDim(n) ?? null;
      if (classes === null || (typeof classes === 'number' && classes < 0)) return unknown('F.one_hot needs the number of classes', site.line);
      return t().op('one_hot', {}, [x], x.shape && [...x.shape, classes], site);
    },
    // a spatial transformer's sampling grid: theta (N, 2, 3) and size (N, C, H, W) give (N, H, W, 2); in 3D (N, D, H, W, 3)
    affine_grid: (a, k, site) => {
      const theta = a[0], size = shapeArgs([arg(a, k, 1, 'size')]);
      if (!isTensor(theta) || !size || size.length < 4) return unknown('F.affine_grid of an unknown size', site.line);
      return t().op('affine_grid', {}, [theta], [size[0], ...size.slice(2), size.length - 2], site);
    },
    // samples the input at the grid's places: (N, C) of the input, the grid's spatial sizes
    grid_sample: (a, k, site) => {
      const x = a[0], grid = arg(a, k, 1, 'grid');
      if (!isTensor(x) || !isTensor(grid) || !x.shape || !grid.shape) return unknown('F.grid_sample of unknown shapes', site.line);
      return t().op('grid_sample', {}, [x, grid], [x.shape[0], x.shape[1], ...grid.shape.slice(1, -1)], site);
    },
  };
  for (const n of [1, 2, 3]) {
    fns[`max_pool${n}d`] = viaLayer(env, `MaxPool${n}d`, ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices']);
    fns[`max_pool${n}d_with_indices`] = viaLayer(env, `MaxPool${n}d`, ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode'], { return_indices: true });
    fns[`max_unpool${n}d`] = viaLayer(env, `MaxUnpool${n}d`, ['kernel_size', 'stride', 'padding', 'output_size'], {}, ['input', 'indices']);
    fns[`avg_pool${n}d`] = viaLayer(env, `AvgPool${n}d`, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override']);
    fns[`adaptive_avg_pool${n}d`] = viaLayer(env, `AdaptiveAvgPool${n}d`, ['output_size']);
    fns[`adaptive_max_pool${n}d`] = viaLayer(env, `AdaptiveMaxPool${n}d`, ['output_size', 'return_indices']);
    if (n > 1) {
      fns[`fractional_max_pool${n}d`] = viaLayer(env, `FractionalMaxPool${n}d`,
        ['kernel_size', 'output_size', 'output_ratio', 'return_indices', '_random_samples']);
    }
    if (TORCH_LAYERS[`LPPool${n}d`]) fns[`lp_pool${n}d`] = viaLayer(env, `LPPool${n}d`, ['norm_type', 'kernel_size', 'stride', 'ceil_mode']);
  }
  for (const name of ['relu', 'relu6', 'elu', 'selu', 'celu', 'gelu', 'silu', 'mish', 'hardswish', 'hardsigmoid', 'hardtanh', 'sigmoid',
    'tanh', 'softplus', 'softsign', 'logsigmoid', 'tanhshrink', 'prelu', 'rrelu', 'threshold', 'dropout', 'dropout1d', 'dropout2d', 'dropout3d',
    'alpha_dropout', 'feature_alpha_dropout', 'normalize', 'local_response_norm', 'batch_norm', 'layer_norm', 'group_norm', 'instance_norm',
    'relu_', 'elu_', 'leaky_relu_', 'hardtanh_']) {
    const own = ACTIVATION_ARGS[name.replace(/_$/, '')] ?? [];
    // the arguments that change the function (F.elu(x, 0.5)): training computes with them; the memory
    // estimate needs dropout's p, the normalised shape and the number of groups. F.dropout's training defaults to
    // True: without it (or with True) PyTorch drops in evaluation too; False is what `training=self.training` gives
    // in this eval-mode trace, so it follows the mode
    fns[name] = same(env, name.replace(/_$/, ''), (a, k) => (name.startsWith('dropout')
      ? { p: arg(a, k, 1, 'p', 0.5), ...(arg(a, k, 2, 'training', true) === true ? { always: true } : {}) }
      : name === 'group_norm' ? { num_groups: fromPython(arg(a, k, 1, 'num_groups')) }
          : Object.fromEntries(own.map(([n, d], i) => [n, arg(a, k, i + 1, n, d)]))));
  }
  fns.layer_norm = layerNorm(env);
  fns.pairwise_distance = viaLayer(env, 'PairwiseDistance', ['p', 'eps', 'keepdim'], {}, ['x1', 'x2']);
  fns.cosine_similarity = viaLayer(env, 'CosineSimilarity', ['dim', 'eps'], {}, ['x1', 'x2']);
  fns.leaky_relu = same(env, 'leaky_relu', (a, k) => ({ negative_slope: arg(a, k, 1, 'negative_slope', 0.01) }));
  for (const name of ['softmax', 'log_softmax', 'softmin']) fns[name] = same(env, name, (a, k) => ({ dim: arg(a, k, 1, 'dim') }));
  // PyTorch 2's fused attention: (…, L, E) queries, (…, S, E) keys and (…, S, Ev) values give (…, L, Ev), the
  // leading dims broadcast (its documented shapes); like matmul/einsum attention, its products are not counted
  // made before it is assigned: see eslint.config.mjs, pretenured closures
  const attention: Fn = (a, k, site) => {
    const [q, key, v] = [arg(a, k, 0, 'query'), arg(a, k, 1, 'key'), arg(a, k, 2, 'value')];
    const unknownArg = [q, key, v].find((x) => isUnknown(x));
    if (unknownArg !== undefined) return unknownArg;
    const names = ['query', 'key', 'value'];
    const bad = [q, key, v].findIndex((x) => !isTensor(x));
    // what torch raises for it
    if (bad >= 0) env.interp.raise('TypeError', `scaled_dot_product_attention(): argument '${names[bad]}' must be Tensor`, site.line);
    if (!isTensor(q) || !isTensor(key) || !isTensor(v)) return null;
    const [qs, ks, vs] = [q.shape, key.shape, v.shape];
    let out: Shape | null = null;
    if (qs && ks && vs && qs.length >= 2 && ks.length >= 2 && vs.length >= 2) {
      const lead = broadcast(broadcast(qs.slice(0, -2), ks.slice(0, -2)).shape, vs.slice(0, -2)).shape;
      out = [...lead, qs[qs.length - 2], vs[vs.length - 1]];
    }
    return env.tracer().op('scaled_dot_product_attention', {}, [q, key, v], out, site);
  };
  fns.scaled_dot_product_attention = attention;
  return pyModule('torch.nn.functional', Object.fromEntries(Object.entries(fns).map(([n, f]) => [n, native(n, f)])));
}

/**
 * F.layer_norm(input, normalized_shape, weight, bias, eps): the weight and bias tensors are inputs of the node
 * (a parameter read as a tensor becomes a `parameter` node), so that training computes with them and their
 * gradients reach the parameters; `affine` says which of the two were given.
 */
function layerNorm(env: TorchEnv): Fn {
  return (a, k, site) => {
    const x = a[0] ?? k.get('input') ?? null;
    if (!isTensor(x)) return isUnknown(x) ? x : unknown('layer_norm of a non-tensor', site.line);
    const weight = arg(a, k, 2, 'weight', null), bias = arg(a, k, 3, 'bias', null);
    const affine = { weight: isTensor(weight) ? true : weight === null ? false : null, bias: isTensor(bias) ? true : bias === null ? false : null };
    const cfg = { normalized_shape: fromPython(arg(a, k, 1, 'normalized_shape')), eps: fromPython(arg(a, k, 4, 'eps', 1e-5)), ...affine };
    return env.tracer().op('layer_norm', cfg, [x, ...[weight, bias].filter(isTensor)], x.shape, site);
  };
}

function creation(env: TorchEnv): Fn {
  return (a, k, site) => {
    const dims = shapeArgs(a.length ? a : [k.get('size') ?? tuple([])]);
    return env.tracer().fresh(dims, site);
  };
}

/** Context managers and decorators that change nothing about shapes (no_grad, jit.script…). */
function passthrough(name: string): Value {
  const cls = makeClass(name, () => ({ k: 'inst', cls, attrs: new Map() }));
  cls.dict.set('__call__', native('__call__', (a) => a[1] ?? null));
  return cls;
}

export function torchModules(env: TorchEnv): Map<string, PyModule> {
  const { interp, tracer } = env;
  const t = tracer;
  const nnAttrs = buildNn(interp, env.hooks, env.classes.object);
  const F = functional(env);
  const init = pyModule('torch.nn.init', {
    calculate_gain: native('calculate_gain', () => 1),
    // initialisers that scale by fan (timm's variance_scaling_, lecun_normal_) unpack these
    _calculate_fan_in_and_fan_out: native('_calculate_fan_in_and_fan_out', (a, _k, site) => {
      const w = a[0] ?? null;
      if (!isTensor(w) || !w.shape || w.shape.length < 2) return unknown('fan in/out of a weight of unknown shape', site.line);
      const receptive = dim.product(w.shape.slice(2));
      return tuple([fromDim(dim.mul(w.shape[1], receptive), site.line), fromDim(dim.mul(w.shape[0], receptive), site.line)]);
    }),
  }, (name) => native(name, (a) => a[0] ?? null));
  const utils = pyModule('torch.nn.modules.utils', Object.fromEntries([['_single', 1], ['_pair', 2], ['_triple', 3], ['_quadruple', 4]].map(([n, c]) =>
    [n as string, native(n as string, (a) => (isObj(a[0]) && (a[0].k === 'tuple' || a[0].k === 'list') ? tuple(a[0].items) : tuple(Array(c as number).fill(a[0] ?? null))))])));
  const rnn = rnnUtilsModule(interp, tracer);
  // PyTorch's own Python for a module, run once on first use, so what it builds registers as PyTorch names it
  const sourceModule = (name: string, source: string): ((attr: string) => Value | undefined) => {
    let globals: Map<string, Value> | undefined;
    return (attr) => {
      if (!globals) {
        globals = new Map<string, Value>();
        const file = `<torch>/${name.slice('torch.'.length).replace(/\./g, '/')}.py`;
        interp.runModule(parseCached(file, source, true).body, { name, file, pkg: name.slice(0, name.lastIndexOf('.')) }, globals);
      }
      return globals.get(attr);
    };
  };
  const reparam = sourceModule(WEIGHT_REPARAM_MODULE, WEIGHT_REPARAM_SOURCE);
  const convForward = sourceModule(CONV_FORWARD_MODULE, CONV_FORWARD_SOURCE);
  for (const n of ['Conv1d', 'Conv2d', 'Conv3d']) {
    (nnAttrs.get(n) as PyClass).dict.set('_conv_forward', native('_conv_forward', (a, k, site) =>
      interp.call(convForward('_conv_forward') ?? null, a, k, site)));
  }
  // parametrize, parametrizations.*, …: not modelled, so unknown (a row and a warning where called), never a crash
  const notModelled = (name: string) => pyModule(name, {}, (attr) => unknown(`${name}.${attr} is not modelled`));
  const parametrizations = pyModule('torch.nn.utils.parametrizations', {},
    (attr) => (PARAMETRIZATIONS.includes(attr) ? reparam(`p_${attr}`) : undefined) ?? unknown(`torch.nn.utils.parametrizations.${attr} is not modelled`));
  const parametrize = notModelled('torch.nn.utils.parametrize');
  const nnUtils = pyModule('torch.nn.utils', { utils, rnn, parametrizations, parametrize }, (name) => (WEIGHT_REPARAM_FUNCTIONS.includes(name) ? reparam(name) : undefined)
    ?? unknown(`torch.nn.utils.${name} is not modelled`));
  const transformer = sourceModule(TRANSFORMER_MODULE, TRANSFORMER_SOURCE);
  const transformerClass = (name: string): Value => transformer(name) ?? unknown(`torch.nn.${name} is not modelled`);
  const parallel = sourceModule(PARALLEL_MODULE, PARALLEL_SOURCE);
  const parallelModule = pyModule(PARALLEL_MODULE, {}, (name) => (PARALLEL_CLASSES.includes(name) ? parallel(name) : undefined)
    ?? unknown(`${PARALLEL_MODULE}.${name} is not modelled`));
  // torch.nn.parameter: torchvision's maxvit writes `nn.parameter.Parameter(…)`
  const parameterModule = pyModule('torch.nn.parameter', { Parameter: nnAttrs.get('Parameter') ?? null }, () => undefined);
  const nn = pyModule('torch.nn', Object.fromEntries(nnAttrs), (name) => {
    if (name === 'functional') return F;
    if (name === 'init') return init;
    if (name === 'parameter') return parameterModule;
    if (name === 'modules') return pyModule('torch.nn.modules', { utils }, () => undefined);
    if (name === 'utils') return nnUtils;
    if (TRANSFORMER_CLASSES.includes(name)) return transformerClass(name);
    if (name === 'parallel') return parallelModule;
    if (PARALLEL_CLASSES.includes(name)) return parallel(name);
    return undefined;
  });

  // torch.Tensor(…) and the legacy FloatTensor/LongTensor: sizes (ints or a torch.Size), data (lists), or a tensor
  const tensorClass = makeClass('Tensor', (a, _k, site) => {
    const x = a[0] ?? null;
    if (a.length === 1 && isTensor(x)) return t().fresh(x.shape, site);
    if (a.length === 1 && isDataArray(x)) return fromNumpy(a, site);
    if (a.length === 1 && isObj(x) && (x.k === 'list' || (x.k === 'tuple' && !x.size))) return interp.call(torchAttrs.tensor, [x], new Map(), site);
    const sizes = shapeArgs(a);
    return sizes ? t().fresh(sizes, site) : unknown('torch.Tensor(…) of arguments that are not sizes or data', site.line);
  }, 'Tensor');
  const fn = (name: string, f: Fn) => native(name, f);
  const fromNumpy = (a: Value[], site: CallSite): Value => {
    const nd = a[0] ?? null;
    // a dataset's array: its shape, its values unread
    if (isDataArray(nd)) return t().fresh(nd.shape, site);
    if (!isNdArray(nd)) return unknown('torch.from_numpy of a value that is not a known numpy array', site.line);
    const r = t().fresh(nd.shape, site);
    if (nd.data.length <= MAX_DATA) r.data = nd.data.slice();
    return r;
  };
  const viaTensor = (name: string, method = name) => fn(name, (a, k, site) => {
    const given = a[0] ?? k.get('input') ?? null;
    // a Python number is a 0-d tensor of that value (`torch.div(c, g, rounding_mode='floor')` in channel shuffles)
    const x = typeof given === 'number' || typeof given === 'boolean' ? interp.call(torchAttrs.tensor, [given], new Map(), site) : given;
    if (!isTensor(x)) return isUnknown(x) ? x : unknown(`torch.${name} of a non-tensor`, site.line);
    k.delete('input');
    return interp.call(interp.getattr(x, method, site), a.slice(1), k, site);
  });
  const torchAttrs: Record<string, Value> = {
    Tensor: tensorClass, FloatTensor: tensorClass, LongTensor: tensorClass,
    Size: makeClass('Size', (a, _k, site) => torchSize(shapeArgs(a) ?? [], site.line), 'tuple'),
    nn,
    randn: fn('randn', creation(env)), rand: fn('rand', creation(env)), zeros: fn('zeros', creation(env)),
    ones: fn('ones', creation(env)), empty: fn('empty', creation(env)),
    full: fn('full', (a, _k, site) => t().fresh(shapeArgs(a.slice(0, 1)), site)),
    randint: fn('randint', (a, k, site) => t().fresh(shapeArgs([a[a.length - 1] ?? k.get('size') ?? tuple([])]), site)),
    arange: fn('arange', (a, _k, site) => {
      const nums = a.map((v) => (typeof v === 'number' ? v : NaN));
      const [lo, hi, st] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
      const n = Math.ceil((hi - lo) / st);
      const r = t().fresh(Number.isFinite(n) ? [Math.max(0, n)] : [null], site);
      if (Number.isFinite(n) && n <= MAX_DATA) r.data = Array.from({ length: Math.max(0, n) }, (_, i) => lo + i * st);
      return r;
    }),
    // torch.linspace(0, drop_path_rate, sum(depths)): stochastic-depth rates, values kept for .tolist()
    linspace: fn('linspace', (a, k, site) => {
      const [lo, hi, steps] = [a[0] ?? k.get('start'), a[1] ?? k.get('end'), a[2] ?? k.get('steps')];
      const n = typeof steps === 'number' ? steps : NaN;
      const r = t().fresh(Number.isInteger(n) ? [n] : [null], site);
      if (typeof lo === 'number' && typeof hi === 'number' && Number.isInteger(n) && n <= MAX_DATA) {
        r.data = Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
      }
      return r;
    }),
    // torch.eye(n, m=None): the identity (a capsule net's one-hot rows of eye(10).index_select), values kept
    eye: fn('eye', (a, k, site) => {
      const n = a[0] ?? k.get('n') ?? null, m = a[1] ?? k.get('m') ?? null;
      const r = t().fresh(shapeArgs([n, m ?? n]), site);
      const [rows, cols] = r.shape ?? [];
      if (typeof rows === 'number' && typeof cols === 'number' && rows * cols <= MAX_DATA) {
        r.data = Array.from({ length: rows * cols }, (_, i) => (i % cols === Math.floor(i / cols) ? 1 : 0));
      }
      return r;
    }),
    tensor: fn('tensor', (a, _k, site) => {
      if (isNdArray(a[0] ?? null) || isDataArray(a[0] ?? null)) return fromNumpy(a, site);
      // data not known: its shape is not either (never a 0-d tensor by default)
      if (isUnknown(a[0] ?? null)) return unknown(`torch.tensor of a value not known (${(a[0] as PyUnknown).reason})`, site.line);
      const shape: Shape = [];
      let v: Value = a[0] ?? null;
      while (isObj(v) && (v.k === 'list' || v.k === 'tuple')) { shape.push(v.items.length); v = v.items[0] ?? null; }
      const r = t().fresh(shape, site);
      const data = flattenNumbers(a[0] ?? null);
      if (data) r.data = data;
      return r;
    }),
    // a numpy array's shape and values (PointNet's identity from np.eye(k).flatten())
    from_numpy: fn('from_numpy', (a, _k, site) => fromNumpy(a, site)),
    as_tensor: fn('as_tensor', (a, k, site) => (isTensor(a[0] ?? null) ? a[0] : interp.call(torchAttrs.tensor, [a[0] ?? null], k, site))),
    cat: fn('cat', (a, k, site) => t().cat(arg(a, k, 0, 'tensors'), arg(a, k, 1, 'dim', 0), site)),
    // meshgrid(*1-D tensors, indexing='ij'|'xy'): one grid per input; values kept when all are known
    meshgrid: fn('meshgrid', (a, k, site) => {
      const ins = a.length === 1 && isObj(a[0]) && (a[0].k === 'list' || a[0].k === 'tuple') ? a[0].items : a;
      if (!ins.length || !ins.every(isTensor)) return unknown('torch.meshgrid of unknown tensors', site.line);
      const ts = ins as TensorObj[];
      const sizes = ts.map((x) => (x.shape?.length === 1 ? x.shape[0] : x.shape?.length === 0 ? 1 : null));
      const xy = k.get('indexing') === 'xy' && ts.length > 1;
      const order = ts.map((_, i) => (xy && i < 2 ? 1 - i : i)); // output axis j holds input order[j]
      const shape = order.map((i) => sizes[i]);
      const known = shape.every((d): d is number => typeof d === 'number') && ts.every((x) => x.data) && shape.reduce((p, d) => p * d, 1) <= MAX_DATA;
      return tuple(ts.map((x, i) => {
        const r = t().op('meshgrid', {}, ts, shape, site);
        if (known) {
          const dims = shape as number[], axis = order.indexOf(i);
          const stride = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
          r.data = Array.from({ length: dims.reduce((p, d) => p * d, 1) }, (_, flat) => (x.data as number[])[Math.floor(flat / stride) % dims[axis]]);
        }
        return r;
      }));
    }),
    stack: fn('stack', (a, k, site) => t().cat(arg(a, k, 0, 'tensors'), arg(a, k, 1, 'dim', 0), site, 'stack')),
    where: fn('where', (a, _k, site) => {
      const ts = a.filter(isTensor) as TensorObj[];
      if (ts.length < 2) return ts[0] ?? unknown('torch.where', site.line);
      return t().elementwise('where', [ts[ts.length - 2], ts[ts.length - 1]], site);
    }),
    // of an unknown value, unknown: a library's `if not torch.is_tensor(x): raise` must not fail on what ConvLens
    // does not know
    is_tensor: fn('is_tensor', (a) => (isUnknown(a[0] ?? null) ? a[0] : isTensor(a[0] ?? null))),
    numel: viaTensor('numel'),
    manual_seed: fn('manual_seed', () => null),
    set_grad_enabled: passthrough('set_grad_enabled'),
    no_grad: passthrough('no_grad'), enable_grad: passthrough('enable_grad'), inference_mode: passthrough('inference_mode'),
    _assert: fn('_assert', () => null),
    device: fn('device', (a) => str(a[0] ?? 'cpu')),
    float32: 'float32', float: 'float32', float16: 'float16', half: 'float16', float64: 'float64', double: 'float64',
    int64: 'int64', long: 'int64', int32: 'int32', bool: 'bool', uint8: 'uint8', bfloat16: 'bfloat16',
    // the default never changes here (set_default_dtype would change no count ConvLens makes)
    get_default_dtype: fn('get_default_dtype', () => 'float32'),
    // a checkpoint or a whole pickled model: unknown, but made here (`model = torch.load(…)` is named, not silence)
    load: fn('load', (_a, _k, site) => fromFile('torch.load', site)),
    save: fn('save', () => null),
    pow: fn('pow', (a, k, site) => {
      const [x, y] = [a[0] ?? k.get('input') ?? null, a[1] ?? k.get('exponent') ?? null];
      if (isTensor(x)) return interp.binop('**', x, y, site);
      if (isTensor(y)) return interp.binop('**', x, y, site);
      return unknown('torch.pow of non-tensors', site.line);
    }),
    diff: fn('diff', (a, _k, site) => {
      const x = a[0];
      if (!isTensor(x) || !x.shape || x.shape.length !== 1) return unknown('torch.diff beyond one dimension is not modelled', site.line);
      const n = x.shape[0];
      const r = t().op('diff', {}, [x], [typeof n === 'number' ? Math.max(0, n - 1) : null], site);
      if (x.data) r.data = x.data.slice(1).map((v, i) => v - (x.data as number[])[i]);
      return r;
    }),
    // a dtype's limits (attention masks fill with -torch.finfo(x.dtype).max): numbers, not known here, no tensors
    ...Object.fromEntries(['finfo', 'iinfo'].map((name) => [name, fn(name, () => pyModule(`torch.${name}`, {},
      (attr) => ({ ...unknown(`torch.${name}(…).${attr}`), notTensor: true })))])),
    // weight_norm's g (invertible ResNets' LipNorm layers call it directly): sizes kept along dim, 1 elsewhere; dim -1 a 0-d norm
    norm_except_dim: fn('norm_except_dim', (a, k, site) => {
      const v = a[0] ?? k.get('v') ?? null, d = arg(a, k, 2, 'dim', 0);
      if (!isTensor(v) || !v.shape || typeof d !== 'number') return unknown('torch.norm_except_dim of unknown shape or dim', site.line);
      const axis = d < 0 ? d + v.shape.length : d;
      return t().op('norm_except_dim', { dim: d }, [v], d === -1 ? [] : v.shape.map((s, i) => (i === axis ? s : 1)), site);
    }),
    einsum: fn('einsum', (a, _k, site) => {
      const operands = a.length === 2 && isObj(a[1]) && (a[1].k === 'list' || a[1].k === 'tuple') ? a[1].items : a.slice(1);
      const ts = operands.filter(isTensor);
      if (typeof a[0] !== 'string' || ts.length !== operands.length) return unknown('torch.einsum with an equation or operands not known', site.line);
      return t().op('einsum', { equation: a[0] }, ts, einsumShape(a[0], ts.map((x) => x.shape)), site);
    }),
  };
  for (const name of ['flatten', 'reshape', 'transpose', 'permute', 'squeeze', 'unsqueeze', 'relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax',
    'add', 'mul', 'sub', 'div', 'matmul', 'mm', 'bmm', 'mean', 'sum', 'max', 'min', 'amax', 'amin', 'argmax', 'chunk', 'split', 'unbind', 'clamp', 'exp',
    'log', 'sqrt', 'abs', 'narrow', 'std', 'var', 'maximum', 'minimum', 'neg', 'sign', 'round', 'floor', 'ceil', 'clone', 'detach',
    'swapaxes', 'unflatten', 'norm', 'logsumexp', 'unique', 'roll', 'flip', 'cumsum', 'triu', 'tril', 'topk', 'kthvalue', 'sort', 'argsort',
    'cummax', 'cummin', 'argmin', 'median', 'repeat_interleave', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh',
    'acosh', 'atanh', 'exp2', 'expm1', 'log2', 'log10', 'log1p', 'rsqrt', 'reciprocal', 'square', 'erf', 'erfc', 'erfinv', 'trunc', 'frac',
    'sgn', 'isnan', 'isinf', 'isfinite', 'nan_to_num', 'deg2rad', 'rad2deg', 'lgamma', 'digamma', 'logit', 'angle', 'conj', 'logical_not',
    'cumprod', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal', 'atan2', 'hypot', 'fmod',
    'remainder', 'floor_divide', 'true_divide', 'logical_and', 'logical_or', 'logical_xor', 'isclose', 'lerp', 'addcmul', 'addcdiv', 'all', 'any',
    'count_nonzero', 'std_mean', 'var_mean', 'gather', 'take', 'take_along_dim', 'index_select', 'broadcast_to', 'tile', 'movedim',
    'moveaxis', 'diag', 'diagonal', 'trace', 'dot', 'vdot', 'inner', 'outer', 'ger', 'mv', 'kron', 'addmm', 'baddbmm', 'addbmm', 'nonzero',
    'bincount', 'histc', 'multinomial', 'bernoulli', 'scatter', 'scatter_add', 'index_add', 'index_fill', 'index_copy', 'logcumsumexp',
    'cross', 'masked_fill', 'prod', 'clip', 't', 'xlogy', 'bitwise_and', 'bitwise_or', 'rot90', 'nanmean', 'nansum', 'mode',
    'quantile', 'nanquantile', 'logaddexp', 'logaddexp2', 'float_power', 'heaviside', 'fmax', 'fmin', 'ldexp', 'tensor_split',
    'hsplit', 'vsplit', 'dsplit', 'diag_embed', 'as_strided', 'renorm', 'split_with_sizes', 'is_floating_point', 'is_complex']) {
    torchAttrs[name] = viaTensor(name);
  }
  for (const name of ['zeros_like', 'ones_like', 'randn_like', 'rand_like', 'empty_like', 'full_like']) {
    torchAttrs[name] = fn(name, (a, _k, site) => (isTensor(a[0]) ? t().fresh(a[0].shape, site) : unknown(`torch.${name}`, site.line)));
  }
  // torch.cosine_similarity / torch.pairwise_distance are F's
  for (const name of ['cosine_similarity', 'pairwise_distance']) torchAttrs[name] = F.attrs.get(name) as Value;
  torchAttrs.concat = torchAttrs.cat;
  torchAttrs.divide = torchAttrs.div;
  torchAttrs.multiply = torchAttrs.mul;
  torchAttrs.concatenate = torchAttrs.cat;
  torchAttrs.sigmoid_ = torchAttrs.sigmoid;
  torchAttrs.relu_ = torchAttrs.relu;
  const jit = pyModule('torch.jit', {
    is_scripting: fn('is_scripting', () => false), is_tracing: fn('is_tracing', () => false),
    annotate: fn('annotate', (a) => a[1] ?? null), Final: makeClass('Final'), load: fn('load', (_a, _k, site) => fromFile('torch.jit.load', site)),
    // a ScriptModule subclass is an nn.Module whose forward is compiled; here it simply runs
    ScriptModule: nnAttrs.get('Module') ?? null,
  }, (name) => native(name, (a) => a[0] ?? null));
  const cuda = pyModule('torch.cuda', { is_available: fn('is_available', () => false), device_count: fn('device_count', () => 0) });
  const checkpoint = pyModule('torch.utils.checkpoint', {
    checkpoint: fn('checkpoint', (a, _k, site) => interp.call(a[0], a.slice(1), new Map(), site)),
    checkpoint_sequential: fn('checkpoint_sequential', (a, _k, site) => interp.call(a[0], a.slice(2), new Map(), site)),
  });
  // torch.utils.data is the data stand-in (bundled/data.ts), reached through the import system
  const utilsMod = pyModule('torch.utils', { checkpoint }, (name) => (name === 'data'
    ? interp.importer.importModule(['torch', 'utils', 'data'], 0, { name: '<convlens>', file: '<convlens>', pkg: '' }, { line: 0, from: 0, to: 0, file: '<convlens>' })
    : unknown(`torch.utils.${name} is not modelled`)));
  const fx = pyModule('torch.fx', { wrap: fn('wrap', (a) => a[0] ?? null) }, (name) => unknown(`torch.fx.${name}`));
  const hub = pyModule('torch.hub', {
    load_state_dict_from_url: fn('load_state_dict_from_url', (_a, _k, site) => unknown('pretrained weights are not downloaded', site.line)),
    load: hubLoad(interp),
  }, (name) => unknown(`torch.hub.${name}`));
  const autograd = autogradModule(interp, env.classes.object);
  const fft = fftModule(t);
  const linalg = linalgModule(t);
  torchAttrs.cdist = cdist(t);
  Object.assign(torchAttrs, assembleFunctions(t));
  Object.assign(torchAttrs, complexViews(t));
  const torch = pyModule('torch', torchAttrs, (name) => {
    switch (name) {
      case 'jit': return jit;
      case 'cuda': return cuda;
      case 'utils': return utilsMod;
      case 'fx': return fx;
      case 'hub': return hub;
      case 'autograd': return autograd;
      case 'fft': return fft;
      case 'linalg': return linalg;
      case COMPILE: return parallel(COMPILE);
      case 'backends': case 'distributed': case 'onnx': case 'overrides': case 'ops': case 'library':
        return pyModule(`torch.${name}`, {}, (n) => unknown(`torch.${name}.${n} is not modelled`));
      default: return undefined;
    }
  });
  const mods = new Map<string, PyModule>([
    ['torch', torch], ['torch.nn', nn], ['torch.nn.functional', F], ['torch.nn.init', init],
    ['torch.nn.modules', nn], ['torch.nn.modules.utils', utils], ['torch.nn.parallel', parallelModule], ['torch.nn.parameter', parameterModule], ['torch.nn.utils.rnn', rnn],
    ['torch.nn.utils', nnUtils], ['torch.nn.utils.parametrizations', parametrizations], ['torch.nn.utils.parametrize', parametrize],
    ['torch.jit', jit], ['torch.cuda', cuda], ['torch.utils', utilsMod], ['torch.utils.checkpoint', checkpoint],
    ['torch.fx', fx], ['torch.hub', hub], ['torch.autograd', autograd], ['torch.linalg', linalg],
  ]);
  return mods;
}

/** Resolves `torch.*` names not listed explicitly (`torch.nn.modules.conv` → torch.nn). */
export function torchModuleFor(mods: Map<string, PyModule>, name: string): PyModule | undefined {
  if (mods.has(name)) return mods.get(name);
  if (name.startsWith('torch.nn.modules.') || name.startsWith('torch.nn.')) return mods.get('torch.nn');
  if (name.startsWith('torch.')) return pyModule(name, {}, (n) => unknown(`${name}.${n} is not modelled`));
  return undefined;
}

/** Output shape of an einsum equation ('bnc,bmc->bnm', '...ij,...jk', implicit output), or null. */
function einsumShape(equation: string, shapes: Array<Shape | null>): Shape | null {
  const [lhs, rhs] = equation.replace(/\s/g, '').split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== shapes.length) return null;
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: Shape = [];
  for (let i = 0; i < inputs.length; i++) {
    const shape = shapes[i];
    if (!shape) return null;
    const [before, after] = inputs[i].includes('...') ? inputs[i].split('...') : [inputs[i], undefined];
    const rest = after === undefined ? 0 : shape.length - before.length - after.length;
    if (rest < 0 || (after === undefined && before.length !== shape.length)) return null;
    if (after !== undefined) {
      const mid = shape.slice(before.length, before.length + rest);
      if (mid.length >= ellipsis.length) ellipsis = mid;
    }
    const letters: string[] = after === undefined ? [...before] : [...before, ...Array<string>(rest).fill(''), ...after];
    letters.forEach((c, j) => {
      if (!c) return;
      const known = sizes.get(c);
      if (known === undefined || known === 1) sizes.set(c, shape[j]);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    });
  }
  const out = rhs ?? ((inputs.some((x) => x.includes('...')) ? '...' : '') + [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join(''));
  const result: Shape = [];
  for (const part of out.split('...').flatMap((p, i) => (i ? ['...', p] : [p]))) {
    if (part === '...') result.push(...ellipsis);
    else for (const c of part) { const d = sizes.get(c); if (d === undefined) return null; result.push(d); }
  }
  return result;
}
