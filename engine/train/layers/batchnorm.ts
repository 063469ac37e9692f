// Batch normalisation over (N, C, *): in training it normalises with the batch statistics and
// updates the running ones (running_var takes the unbiased variance, as PyTorch does); in
// evaluation it uses the running statistics. With the WebAssembly kernels selected, the statistics
// are one SIMD pass in f64 and the transforms are PyTorch's own (y = x·scale + shift); the backward
// pass then recomputes x̂ from the kept input instead of storing it (one activation less per layer),
// and a ReLU or ReLU6 that follows can run inside it (forward's `act`; graph/network.ts decides).
import { wasmKernels } from '../kernels/select';
import type { KernelAct } from '../kernels/wasm/wasm-kernels';
import { Scratch, numel, type Tensor } from '../tensor/tensor';
import { GradScratch } from '../tensor/grad-pool';
import { TrainError, type Buffer, type Layer, type Param, type ParamFactory } from './layer';

export interface BatchNormConfig {
  channels: number;
  eps: number;
  /** null: cumulative moving average (PyTorch's momentum=None). */
  momentum: number | null;
  affine: boolean;
  trackRunningStats: boolean;
  /** Keras: the moving variance takes the biased batch variance. */
  biasedRunningVar?: boolean;
  /** Keras's BatchNormalization with trainable=False: always its moving statistics, in training too. */
  frozen?: boolean;
}

export function batchNormConfig(type: string, cfg: Record<string, unknown>): BatchNormConfig {
  const channels = Number(cfg.num_features);
  if (!Number.isInteger(channels)) throw new TrainError(`${type} needs a known num_features`);
  return {
    channels,
    eps: typeof cfg.eps === 'number' ? cfg.eps : 1e-5,
    momentum: cfg.momentum === null ? null : typeof cfg.momentum === 'number' ? cfg.momentum : 0.1,
    affine: cfg.affine !== false,
    trackRunningStats: cfg.track_running_stats !== false,
  };
}

export class BatchNorm implements Layer {
  private readonly weight: Param | null;
  private readonly bias: Param | null;
  private readonly runMean: Buffer | null;
  private readonly runVar: Buffer | null;
  private readonly steps: Buffer | null;
  private readonly out = new Scratch();
  private readonly dx = new GradScratch();
  private xhat = new Float32Array(0);
  private readonly invStd: Float64Array;
  private usedBatchStats = false;
  /** WebAssembly path: the input, the per-channel mean, and scratch for the kernels' per-channel figures. */
  private x: Tensor | null = null;
  /** The activation the last forward took in, with that forward's output (backward's mask), else null. */
  private taken: { act: KernelAct; y: Float32Array } | null = null;
  private readonly mean: Float32Array;
  private readonly stats: Float64Array;
  /** [scale (C) | shift (C)]: y = x·scale[c] + shift[c]. */
  private readonly scaleShift: Float32Array;
  private readonly coefs: Float32Array;

  /** The weight of each batch in the running statistics (null: a cumulative average; 0 when they are not updated). */
  get momentum(): number | null {
    return this.c.frozen || !this.c.trackRunningStats ? 0 : this.c.momentum;
  }

  constructor(private readonly c: BatchNormConfig, private readonly type: string, params: ParamFactory) {
    const C = c.channels;
    this.weight = c.affine ? params.param('weight', [C], { kind: 'const', value: 1 }) : null;
    this.bias = c.affine ? params.param('bias', [C], { kind: 'const', value: 0 }) : null;
    this.runMean = c.trackRunningStats ? params.buffer('running_mean', [C], 0) : null;
    this.runVar = c.trackRunningStats ? params.buffer('running_var', [C], 1) : null;
    this.steps = c.trackRunningStats ? params.buffer('num_batches_tracked', [], 0, true) : null;
    this.invStd = new Float64Array(C);
    this.mean = new Float32Array(C);
    this.stats = new Float64Array(2 * C);
    this.scaleShift = new Float32Array(2 * C);
    this.coefs = new Float32Array(4 * C);
  }

  /** Whether forward can take a following activation in (only the WebAssembly kernels do). */
  canTakeAct(): boolean {
    return wasmKernels() !== null;
  }

  /** y = BN(x), or act(BN(x)) with `act` (see canTakeAct): the same bits as the two layers apart. */
  forward([x]: Tensor[], ctx: { training: boolean }, act: KernelAct | null = null): Tensor {
    const C = this.c.channels;
    if (x.shape.length < 2 || x.shape[1] !== C) {
      throw new TrainError(`${this.type} expects ${C} channels in dimension 1, got shape (${x.shape.join(', ')})`);
    }
    const N = x.shape[0], L = numel(x.shape.slice(2)), count = N * L;
    const y = this.out.get(x.shape);
    this.usedBatchStats = (ctx.training && !this.c.frozen) || !this.c.trackRunningStats;
    if (this.usedBatchStats && count <= 1) throw new TrainError(`${this.type} needs more than one value per channel in training (got shape (${x.shape.join(', ')}))`);
    const wasm = wasmKernels();
    if (act && !wasm) throw new Error('BatchNorm takes an activation in only with the WebAssembly kernels');
    this.taken = act ? { act, y: y.data } : null;
    if (wasm) {
      this.x = x;
      wasm.bnForward(x.data, N, C, L, this.usedBatchStats ? this.stats : null, () => {
        const k = this.scaleShift;
        for (let c = 0; c < C; c++) {
          const [mean, variance] = this.usedBatchStats ? [this.stats[2 * c], this.stats[2 * c + 1]] : [this.runMean!.value[c], this.runVar!.value[c]];
          if (ctx.training && this.usedBatchStats) this.updateRunning(c, mean, variance, count);
          const inv = 1 / Math.sqrt(variance + this.c.eps), gamma = this.weight ? this.weight.value[c] : 1, beta = this.bias ? this.bias.value[c] : 0;
          this.invStd[c] = inv; this.mean[c] = mean;
          k[c] = inv * gamma; k[C + c] = beta - mean * inv * gamma;
        }
        return k;
      }, y.data, act ?? 0);
      if (ctx.training && this.usedBatchStats && this.steps) this.steps.value[0] += 1;
      return y;
    }
    this.x = null;
    if (this.xhat.length < x.data.length) this.xhat = new Float32Array(x.data.length);
    const xd = x.data, yd = y.data, xh = this.xhat;
    for (let c = 0; c < C; c++) {
      let mean: number, variance: number;
      if (this.usedBatchStats) {
        let s = 0;
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) s += xd[i];
        mean = s / count;
        let v = 0;
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) { const t = xd[i] - mean; v += t * t; }
        variance = v / count;
        if (ctx.training) this.updateRunning(c, mean, variance, count);
      } else {
        mean = this.runMean!.value[c];
        variance = this.runVar!.value[c];
      }
      const inv = 1 / Math.sqrt(variance + this.c.eps);
      this.invStd[c] = inv;
      const gamma = this.weight ? this.weight.value[c] : 1, beta = this.bias ? this.bias.value[c] : 0;
      for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) {
        const h = (xd[i] - mean) * inv;
        xh[i] = h;
        yd[i] = h * gamma + beta;
      }
    }
    if (ctx.training && this.usedBatchStats && this.steps) this.steps.value[0] += 1;
    return y;
  }

  /** running = (1 − m)·running + m·batch, with PyTorch's unbiased variance (Keras: the biased one). */
  private updateRunning(c: number, mean: number, variance: number, count: number): void {
    if (!this.runMean || !this.runVar) return;
    const m = this.c.momentum ?? 1 / (this.steps!.value[0] + 1);
    const v = this.c.biasedRunningVar ? variance : (variance * count) / (count - 1);
    this.runMean.value[c] = (1 - m) * this.runMean.value[c] + m * mean;
    this.runVar.value[c] = (1 - m) * this.runVar.value[c] + m * v;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const C = this.c.channels, N = dy.shape[0], L = numel(dy.shape.slice(2)), count = N * L;
    const dyd = dy.data, xh = this.xhat;
    const dx = needInput[0] ? this.dx.get(dy.shape) : null;
    const wasm = wasmKernels();
    if (wasm && this.x) {
      wasm.bnBackward(this.x.data, dyd, N, C, L, this.mean, this.stats, (sums) => {
        const k = this.coefs;
        for (let c = 0; c < C; c++) {
          const inv = this.invStd[c], sdy = sums[2 * c], sdyx = sums[2 * c + 1] * inv;
          if (this.weight) { this.weight.grad[c] += sdyx; this.bias!.grad[c] += sdy; }
          // PyTorch's batch_norm_backward_cpu: proj = Σdy·(x − mean)·inv²/count, gs = inv·γ.
          k[4 * c] = this.mean[c];
          k[4 * c + 1] = this.usedBatchStats ? sdy / count : 0;
          k[4 * c + 2] = this.usedBatchStats ? (sdyx * inv) / count : 0;
          k[4 * c + 3] = inv * (this.weight ? this.weight.value[c] : 1);
        }
        return k;
      }, dx?.data ?? null, this.taken);
      return [dx];
    }
    for (let c = 0; c < C; c++) {
      let sdy = 0, sdyx = 0;
      for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) { sdy += dyd[i]; sdyx += dyd[i] * xh[i]; }
      if (this.weight) { this.weight.grad[c] += sdyx; this.bias!.grad[c] += sdy; }
      if (!dx) continue;
      const k = (this.weight ? this.weight.value[c] : 1) * this.invStd[c];
      if (this.usedBatchStats) {
        const mdy = sdy / count, mdyx = sdyx / count;
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) dx.data[i] = k * (dyd[i] - mdy - xh[i] * mdyx);
      } else {
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * L, e = i + L; i < e; i++) dx.data[i] = k * dyd[i];
      }
    }
    return [dx];
  }
}
