// Element-wise activations with their derivatives: ReLU, ReLU6, LeakyReLU, ELU, Tanh, Sigmoid,
// GELU (exact and tanh approximation), SiLU, and Identity.
import { wasmKernels } from '../kernels/select';
import { KernelAct } from '../kernels/wasm/wasm-kernels';
import { Scratch, type Tensor } from '../tensor/tensor';
import { GradScratch } from '../tensor/grad-pool';
import { TrainError, type Layer } from './layer';

/** y = f(x) and ∂y/∂x given x and y. */
interface Elementwise {
  f(x: number): number;
  df(x: number, y: number): number;
}

const SQRT1_2 = Math.SQRT1_2, INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI), GELU_C = Math.sqrt(2 / Math.PI);

/** erf(x) with relative error below 1.2e-7 (Numerical Recipes' erfc, Chebyshev fit). */
export function erf(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

// max(x, 0) keeps NaN and takes −∞ to 0 (x + |x| gave NaN there), as PyTorch's relu.
const RELU: Elementwise = { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) };
const RELU6: Elementwise = { f: (x) => Math.min(Math.max(x, 0), 6), df: (x) => (x > 0 && x < 6 ? 1 : 0) };

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The activation for a module type or op name with its config; null when it is not an activation. */
export function activationOf(type: string, cfg: Record<string, unknown>): Elementwise | null {
  switch (type.toLowerCase()) {
    case 'relu': return RELU;
    case 'relu6': return RELU6;
    case 'leakyrelu': case 'leaky_relu': {
      const a = typeof cfg.negative_slope === 'number' ? cfg.negative_slope : 0.01;
      return { f: (x) => (x > 0 ? x : a * x), df: (x) => (x > 0 ? 1 : a) };
    }
    case 'elu': {
      const a = typeof cfg.alpha === 'number' ? cfg.alpha : 1;
      return { f: (x) => (x > 0 ? x : a * Math.expm1(x)), df: (x, y) => (x > 0 ? 1 : y + a) };
    }
    case 'tanh': return { f: Math.tanh, df: (_x, y) => 1 - y * y };
    case 'sigmoid': return { f: sigmoid, df: (_x, y) => y * (1 - y) };
    case 'silu': return { f: (x) => x * sigmoid(x), df: (x) => { const s = sigmoid(x); return s * (1 + x * (1 - s)); } };
    case 'gelu': {
      if (cfg.approximate === 'tanh') {
        return {
          f: (x) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x))),
          df: (x) => {
            const u = GELU_C * (x + 0.044715 * x * x * x), t = Math.tanh(u);
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
          },
        };
      }
      return { f: (x) => 0.5 * x * (1 + erf(x * SQRT1_2)), df: (x) => 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x) };
    }
    case 'identity': return { f: (x) => x, df: () => 1 };
    default: return null;
  }
}

export class Activation implements Layer {
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new GradScratch();

  constructor(private readonly fn: Elementwise) {}

  /** The WebAssembly kernels' code of this activation (ReLU, ReLU6), else null: what a BatchNorm before it can take in (graph/network.ts). */
  get kernelAct(): KernelAct | null {
    return this.fn === RELU ? KernelAct.Relu : this.fn === RELU6 ? KernelAct.Relu6 : null;
  }

  static of(type: string, cfg: Record<string, unknown>): Activation {
    const fn = activationOf(type, cfg);
    if (!fn) throw new TrainError(`${type} is not an activation`);
    return new Activation(fn);
  }

  forward([x]: Tensor[]): Tensor {
    const y = this.out.get(x.shape), f = this.fn.f, xd = x.data, yd = y.data;
    // ReLU is by far the most common: a plain, branch-free loop (signs are random, so a branch
    // mispredicts half the time; Math.max is a branch-free max) instead of a call per value; ReLU and
    // ReLU6 have kernels.
    const act = this.kernelAct, wasm = act ? wasmKernels() : null;
    if (wasm && act) wasm.activate(act, xd, yd);
    else if (this.fn === RELU) for (let i = 0; i < xd.length; i++) yd[i] = Math.max(xd[i], 0);
    else for (let i = 0; i < xd.length; i++) yd[i] = f(xd[i]);
    this.x = x; this.y = y;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const dx = this.dx.get(dy.shape), df = this.fn.df, xd = this.x!.data, yd = this.y!.data, g = dy.data, d = dx.data;
    const act = this.kernelAct, wasm = act ? wasmKernels() : null;
    if (wasm && act) wasm.activateBackward(act, xd, g, d);
    else if (this.fn === RELU) for (let i = 0; i < g.length; i++) d[i] = g[i] * +(xd[i] > 0);
    else for (let i = 0; i < g.length; i++) d[i] = g[i] * df(xd[i], yd[i]);
    return [dx];
  }
}
