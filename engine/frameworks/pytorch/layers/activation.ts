// Activations: element-wise (the shape passes through), PReLU (learned slopes), GLU (halves a
// dimension) and the softmax family (a dimension argument, checked against the rank).
import { floorDiv } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { checkChannels, dimIndex, fmt, fmtValue, inputOfRank, singleInput } from '../../../shapes/layer-input';
import { paramsFormula, result } from '../../../shapes/layer-result';
import { REQUIRED, type Cfg, type ParamEntry, type TorchLayerSpec } from './spec';

const INPLACE: [string, unknown] = ['inplace', false];

/** A layer whose output has its input's shape and that owns no parameters. */
export function passThrough(name: string, signature: Array<[string, unknown]>): TorchLayerSpec {
  return {
    signature,
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      return result(r, singleInput(r, inputs), 0);
    },
  };
}

function preluParameters(cfg: Cfg): ParamEntry[] | null {
  const n = new ArgReader(cfg, '').int('num_parameters', 1);
  return n === null ? null : [{ name: 'weight', shape: [n], trainable: true }];
}

const prelu: TorchLayerSpec = {
  signature: [['num_parameters', 1], ['init', 0.25], ['device', null], ['dtype', null]],
  parameters: preluParameters,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'PReLU');
    const n = r.int('num_parameters', 1);
    const x = singleInput(r, inputs);
    // One slope per channel (dimension 1) unless there is a single shared one.
    if (x && n !== null && n > 1) {
      if (x.length < 2) r.error('rank-mismatch', `PReLU with num_parameters=${n} needs a channel dimension, but the input is ${x.length}-D`);
      else checkChannels(r, n, x[1], 'channels (num_parameters)');
    }
    return result(r, x, 0, paramsFormula('num_parameters', preluParameters(cfg)));
  },
};

/** Softmax, LogSoftmax, Softmin: `dim` must exist (None lets PyTorch pick one, with a warning). */
function softmaxLike(name: string): TorchLayerSpec {
  return {
    signature: [['dim', null]],
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = singleInput(r, inputs);
      if (x && r.has('dim') && dimIndex(r, 'dim', x.length) === null) return result(r, null, 0);
      return result(r, x, 0);
    },
  };
}

const glu: TorchLayerSpec = {
  signature: [['dim', -1]],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'GLU');
    const x = inputOfRank(r, inputs, (k) => k >= 1, 'an input of at least 1 dimension');
    const i = x && dimIndex(r, 'dim', x.length);
    if (!x || i === null) return result(r, null, 0);
    const size = x[i];
    if (typeof size === 'number' && size % 2 !== 0) {
      r.error('glu-odd', `GLU halves dimension ${i}, but its size ${size} is odd`);
      return result(r, null, 0);
    }
    // PyTorch requires an even size, so the floor is exact whenever the model runs.
    const out = [...x];
    out[i] = floorDiv(size, 2);
    return result(r, out, 0, [{ label: 'out', general: 'size(dim)/2', substituted: `${fmt(size)}/2 = ${fmtValue(out[i])}` }]);
  },
};

const softmax2d: TorchLayerSpec = {
  signature: [],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Softmax2d');
    return result(r, inputOfRank(r, inputs, (k) => k === 3 || k === 4, 'a 3-D (C, H, W) or 4-D (N, C, H, W) input'), 0);
  },
};

const ELEMENTWISE: Record<string, Array<[string, unknown]>> = {
  ReLU: [INPLACE],
  ReLU6: [INPLACE],
  LeakyReLU: [['negative_slope', 0.01], INPLACE],
  ELU: [['alpha', 1.0], INPLACE],
  SELU: [INPLACE],
  CELU: [['alpha', 1.0], INPLACE],
  GELU: [['approximate', 'none']],
  SiLU: [INPLACE],
  Mish: [INPLACE],
  Sigmoid: [],
  Tanh: [],
  Hardtanh: [['min_val', -1.0], ['max_val', 1.0], INPLACE, ['min_value', null], ['max_value', null]],
  Hardswish: [INPLACE],
  Hardsigmoid: [INPLACE],
  Hardshrink: [['lambd', 0.5]],
  Softshrink: [['lambd', 0.5]],
  Softplus: [['beta', 1.0], ['threshold', 20.0]],
  Softsign: [],
  Tanhshrink: [],
  LogSigmoid: [],
  RReLU: [['lower', 1 / 8], ['upper', 1 / 3], INPLACE],
  Threshold: [['threshold', REQUIRED], ['value', REQUIRED], INPLACE],
};

export const ACTIVATION_LAYERS: Record<string, TorchLayerSpec> = {
  ...Object.fromEntries(Object.entries(ELEMENTWISE).map(([name, sig]) => [name, passThrough(name, sig)])),
  PReLU: prelu,
  Softmax: softmaxLike('Softmax'),
  LogSoftmax: softmaxLike('LogSoftmax'),
  Softmin: softmaxLike('Softmin'),
  Softmax2d: softmax2d,
  GLU: glu,
};
