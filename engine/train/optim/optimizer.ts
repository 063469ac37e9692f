// Optimisers with PyTorch's update rules (torch.optim.SGD, Adam, AdamW), so that the same gradients
// give the same parameters. Weight decay applies to every parameter given, as with model.parameters();
// the training loop gives `Network.trained`, so a frozen parameter gets no step, no decay and no state,
// as PyTorch skips a parameter whose requires_grad is False (its .grad stays None). A Keras model steps
// with Keras 3's formulas (`keras`): SGD's velocity v ← μv − lr·g, w ← w + v (Nesterov: w + μv − lr·g);
// Adam's w ← w − lr·m̂ ⁄ (√v̂ + ε⁄√(1−β₂ᵗ)) with ε = 1e-7; weight decay decoupled, w ← w − lr·λ·w.
import { wasmKernels } from '../kernels/select';
import type { Param } from '../layers/layer';
import { floats } from '../tensor/floats';

export type OptimizerName = 'sgd' | 'adam' | 'adamw';

export interface OptimizerOptions {
  name: OptimizerName;
  lr: number;
  /** SGD only. */
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** Adam/AdamW only. */
  betas?: [number, number];
  eps?: number;
}

/**
 * What an optimiser carries from step to step, for a checkpoint: its step count and per-parameter
 * buffers named as in PyTorch's optimizer state_dict (momentum_buffer; exp_avg, exp_avg_sq), null
 * where PyTorch has none yet.
 */
export interface OptimizerState {
  step: number;
  slots: Record<string, Array<Float32Array | null>>;
}

export interface Optimizer {
  lr: number;
  step(): void;
  /** A copy of the state. */
  exportState(): OptimizerState;
  /** Takes over a state exported by an optimiser of the same kind over the same parameters. */
  importState(s: OptimizerState): void;
}

const copyOf = (a: Array<Float32Array | null>): Array<Float32Array | null> => a.map((b) => b && Float32Array.from(b));

/** A stored slot checked against the parameters' sizes (null only where allowed), copied. */
function importSlot(from: Array<Float32Array | null> | undefined, params: Param[], name: string, allowNull: boolean): Array<Float32Array | null> {
  if (!from || from.length !== params.length) throw new Error(`the optimiser state has no ${name} for ${params.length} parameters`);
  return from.map((b, k) => {
    if (b === null && allowNull) return null;
    if (!b || b.length !== params[k].value.length) throw new Error(`the optimiser's ${name} of ${params[k].name} does not fit it`);
    return Float32Array.from(b);
  });
}

/** Every hyper-parameter with PyTorch's default where none was given (AdamW decays by 0.01, the others by 0). */
export function resolveOptimizer(o: OptimizerOptions): Required<OptimizerOptions> {
  return {
    name: o.name, lr: o.lr, momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, nesterov: o.nesterov === true,
    weightDecay: o.weightDecay ?? (o.name === 'adamw' ? 0.01 : 0), betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8,
  };
}

/** `keras`: Keras 3's update rules, for a Keras model (its Adam's ε defaults to 1e-7). */
export function makeOptimizer(params: Param[], o: OptimizerOptions, keras = false): Optimizer {
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new Error(`the learning rate has to be a positive number, got ${o.lr}`);
  if (o.name === 'sgd') return new Sgd(params, o, keras);
  return new Adam(params, keras && o.eps === undefined ? { ...o, eps: 1e-7 } : o, o.name === 'adamw', keras);
}

class Sgd implements Optimizer {
  lr: number;
  private readonly buf: Array<Float32Array | null>;

  constructor(private readonly params: Param[], private readonly o: OptimizerOptions, private readonly keras: boolean) {
    this.lr = o.lr;
    if (o.nesterov && !((o.momentum ?? 0) > 0 && (o.dampening ?? 0) === 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening');
    this.buf = params.map(() => null);
  }

  exportState(): OptimizerState {
    return { step: 0, slots: { momentum_buffer: copyOf(this.buf) } };
  }

  importState(s: OptimizerState): void {
    importSlot(s.slots.momentum_buffer, this.params, 'momentum_buffer', true).forEach((b, k) => { this.buf[k] = b; });
  }

  step(): void {
    const { momentum: mu, dampening: damp, weightDecay: wd, nesterov } = resolveOptimizer(this.o), lr = this.lr, keras = this.keras;
    const wasm = wasmKernels();
    this.params.forEach((p, k) => {
      const v = p.value, g = p.grad;
      let b = this.buf[k];
      const first = b === null;
      if (mu !== 0 && !b) b = this.buf[k] = floats(v.length);
      // PyTorch's formulas also run in the WebAssembly module, with the same bits as the loop below.
      if (wasm && !keras) { wasm.sgdStep(v, g, b, lr, mu, damp, wd, nesterov, first); return; }
      if (keras) {
        for (let i = 0; i < v.length; i++) {
          v[i] -= lr * wd * v[i];
          if (!b) { v[i] -= lr * g[i]; continue; }
          b[i] = mu * b[i] - lr * g[i];
          v[i] += nesterov ? mu * b[i] - lr * g[i] : b[i];
        }
        return;
      }
      for (let i = 0; i < v.length; i++) {
        let d = g[i] + wd * v[i];
        if (b) {
          b[i] = first ? d : mu * b[i] + (1 - damp) * d;
          d = nesterov ? d + mu * b[i] : b[i];
        }
        v[i] -= lr * d;
      }
    });
  }
}

class Adam implements Optimizer {
  lr: number;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(private readonly params: Param[], private readonly o: OptimizerOptions, private readonly decoupled: boolean,
    private readonly keras: boolean) {
    this.lr = o.lr;
    this.m = params.map((p) => new Float32Array(p.value.length));
    this.v = params.map((p) => new Float32Array(p.value.length));
  }

  exportState(): OptimizerState {
    return { step: this.t, slots: { exp_avg: copyOf(this.m), exp_avg_sq: copyOf(this.v) } };
  }

  importState(s: OptimizerState): void {
    const m = importSlot(s.slots.exp_avg, this.params, 'exp_avg', false), v = importSlot(s.slots.exp_avg_sq, this.params, 'exp_avg_sq', false);
    m.forEach((b, k) => { this.m[k] = b!; });
    v.forEach((b, k) => { this.v[k] = b!; });
    this.t = s.step;
  }

  step(): void {
    const { betas: [b1, b2], eps, weightDecay: wd } = resolveOptimizer(this.o), lr = this.lr, keras = this.keras;
    this.t++;
    const bc1 = 1 - b1 ** this.t, bc2 = Math.sqrt(1 - b2 ** this.t), stepSize = lr / bc1;
    this.params.forEach((p, k) => {
      const x = p.value, g = p.grad, m = this.m[k], v = this.v[k];
      for (let i = 0; i < x.length; i++) {
        let gi = g[i];
        if (this.decoupled || keras) x[i] *= 1 - lr * wd;
        else gi += wd * x[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        x[i] -= (stepSize * m[i]) / (keras ? (Math.sqrt(v[i]) + eps) / bc2 : Math.sqrt(v[i]) / bc2 + eps);
      }
    });
  }
}
