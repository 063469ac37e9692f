// The rest of torch.nn's element-wise activations (Hardswish, Hardsigmoid, Mish, Softplus, SELU, CELU,
// Hardtanh, LogSigmoid, Softsign, Tanhshrink) and element-wise math ops (sqrt, exp, clamp, pow…) as PyTorch defines
// them and their gradients, and PReLU, whose slope is a parameter (one, or one per channel).
import { Scratch, numel, type Tensor } from '../tensor/tensor';
import { Activation } from './activation';
import { TrainError, type Layer, type Param, type ParamFactory } from './layer';

type Cfg = Record<string, unknown>;
interface Elementwise { f(x: number): number; df(x: number, y: number): number }

const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number): number => (x > 20 ? x : Math.log1p(Math.exp(x)));
const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;

function extra(type: string, cfg: Cfg): Elementwise | null {
  switch (type.toLowerCase()) {
    case 'hardsigmoid': return { f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6, df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0) };
    case 'hardswish': return {
      f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
      df: (x) => (x <= -3 ? 0 : x < 3 ? x / 3 + 0.5 : 1),
    };
    case 'mish': return {
      f: (x) => x * Math.tanh(softplus(x)),
      df: (x) => { const t = Math.tanh(softplus(x)); return t + x * sigmoid(x) * (1 - t * t); },
    };
    case 'softplus': {
      const beta = num(cfg.beta, 1), threshold = num(cfg.threshold, 20);
      return {
        f: (x) => (x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta),
        df: (x) => (x * beta > threshold ? 1 : sigmoid(beta * x)),
      };
    }
    case 'selu': return {
      f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
      df: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
    };
    case 'celu': {
      const a = num(cfg.alpha, 1);
      return { f: (x) => (x > 0 ? x : a * Math.expm1(x / a)), df: (x) => (x > 0 ? 1 : Math.exp(x / a)) };
    }
    case 'hardtanh': {
      const lo = num(cfg.min_val, -1), hi = num(cfg.max_val, 1);
      return { f: (x) => Math.min(Math.max(x, lo), hi), df: (x) => (x > lo && x < hi ? 1 : 0) };
    }
    case 'logsigmoid': return { f: (x) => -softplus(-x), df: (x) => 1 - sigmoid(x) };
    case 'softsign': return { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / ((1 + Math.abs(x)) ** 2) };
    case 'tanhshrink': return { f: (x) => x - Math.tanh(x), df: (x) => Math.tanh(x) ** 2 };
    default: return math(type, cfg);
  }
}

/** Element-wise functions of tensors in a forward pass (`x.clamp(0, 6)`, `x.pow(2)`, `torch.sqrt`), with PyTorch's gradients. */
function math(type: string, cfg: Cfg): Elementwise | null {
  switch (type) {
    case 'sqrt': return { f: Math.sqrt, df: (_x, y) => 0.5 / y };
    case 'rsqrt': return { f: (x) => 1 / Math.sqrt(x), df: (_x, y) => -0.5 * y * y * y };
    case 'exp': return { f: Math.exp, df: (_x, y) => y };
    case 'log': return { f: Math.log, df: (x) => 1 / x };
    case 'abs': return { f: Math.abs, df: (x) => Math.sign(x) };
    case 'square': return { f: (x) => x * x, df: (x) => 2 * x };
    case 'neg': return { f: (x) => -x, df: () => -1 };
    case 'pow': {
      if (typeof cfg.scalar !== 'number' || cfg.reversed === true) throw new TrainError('pow is supported with a known number as the exponent');
      const p = cfg.scalar;
      return { f: (x) => x ** p, df: (x) => (p === 0 ? 0 : p * x ** (p - 1)) };
    }
    case 'clamp': case 'clip': case 'clamp_min': {
      const bound = (v: unknown, none: number): number => {
        if (v === null) return none;
        if (typeof v !== 'number') throw new TrainError(`${type} with a bound ConvLens cannot know`);
        return v;
      };
      const lo = bound(cfg.min, -Infinity), hi = bound(cfg.max, Infinity);
      // PyTorch passes the gradient where lo ≤ x ≤ hi, bounds included
      return { f: (x) => Math.min(Math.max(x, lo), hi), df: (x) => (x >= lo && x <= hi ? 1 : 0) };
    }
    default: return null;
  }
}

/** Module classes and op names this file adds. */
export const EXTRA_ACTIVATIONS = ['Hardsigmoid', 'Hardswish', 'Mish', 'Softplus', 'SELU', 'CELU', 'Hardtanh', 'LogSigmoid', 'Softsign', 'Tanhshrink'];
/** Op names of element-wise math this file adds. */
export const MATH_OPS = ['sqrt', 'rsqrt', 'exp', 'log', 'abs', 'square', 'neg', 'pow', 'clamp', 'clip', 'clamp_min'];

export function extraActivation(type: string, cfg: Cfg): Activation {
  const fn = extra(type, cfg);
  if (!fn) throw new TrainError(`${type} is not an activation`);
  return new Activation(fn);
}

/** PReLU(num_parameters): y = x for x > 0, a·x otherwise, with a per channel (dimension 1) when there are several. */
export class PReLU implements Layer {
  private readonly weight: Param;
  private x: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(cfg: Cfg, params: ParamFactory) {
    const n = num(cfg.num_parameters, 1);
    this.weight = params.param('weight', [n], { kind: 'const', value: num(cfg.init, 0.25) });
  }

  /** For flat index k, which slope applies: per channel, or the one. */
  private slopeIndex(shape: number[]): (k: number) => number {
    const n = this.weight.value.length;
    if (n === 1) return () => 0;
    if (shape.length < 2 || shape[1] !== n) throw new TrainError(`PReLU with ${n} parameters expects ${n} channels, got (${shape.join(', ')})`);
    const L = numel(shape.slice(2));
    return (k) => Math.floor(k / L) % n;
  }

  forward([x]: Tensor[]): Tensor {
    const at = this.slopeIndex(x.shape), a = this.weight.value, y = this.out.get(x.shape), xd = x.data, yd = y.data;
    for (let k = 0; k < xd.length; k++) { const v = xd[k]; yd[k] = v > 0 ? v : a[at(k)] * v; }
    this.x = x;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const x = this.x!, at = this.slopeIndex(x.shape), a = this.weight.value, ga = this.weight.grad, g = dy.data, xd = x.data;
    for (let k = 0; k < xd.length; k++) if (xd[k] <= 0) ga[at(k)] += g[k] * xd[k];
    if (!needInput[0]) return [null];
    const dx = this.dx.get(x.shape), d = dx.data;
    for (let k = 0; k < xd.length; k++) d[k] = xd[k] > 0 ? g[k] : a[at(k)] * g[k];
    return [dx];
  }
}
