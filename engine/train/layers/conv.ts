// Convolution (Conv1d/2d/3d) through img2col + matrix multiply, and transposed convolution as its
// adjoint. Forward per sample and group: Y_g = W_g · X̂_g. Backward: ∂W_g += ∂Y_g · X̂_gᵀ and
// ∂X̂_g = W_gᵀ · ∂Y_g, scattered back onto the input with col2im (the lecture's accumulation).
// With the WebAssembly kernels selected, Conv hands the whole batch to WasmKernels (direct
// convolution for stride 1, the same img2col scheme otherwise); the loops here are the TypeScript
// path and the reference the WebAssembly one is tested against.
import { perDim, windowOut, to3, type Window } from '../kernels/geometry';
import { col2im, im2col } from '../kernels/im2col';
import { mat } from '../kernels/matmul';
import { matmulNN, matmulNT, matmulTN, wasmKernels } from '../kernels/select';
import type { ConvShape } from '../kernels/wasm/wasm-kernels';
import { FloatPool, Scratch, numel, type Tensor } from '../tensor/tensor';
import { GradScratch } from '../tensor/grad-pool';
import { TrainError, expectRank, type Layer, type Param, type ParamFactory } from './layer';

export interface ConvConfig {
  dims: number;
  inChannels: number;
  outChannels: number;
  kernel: number[];
  stride: number[];
  /** Padding before and the total per spatial dimension (they differ for an even kernel with 'same'). */
  padBefore: number[];
  padTotal: number[];
  dilation: number[];
  groups: number;
  bias: boolean;
  /** Transposed convolution only. */
  outputPadding: number[];
}

/** Reads a PyTorch Conv*d / ConvTranspose*d config (kernel_size, stride, padding, …). */
export function convConfig(type: string, cfg: Record<string, unknown>): ConvConfig {
  const dims = Number(/([123])d$/.exec(type)?.[1] ?? 2);
  const kernel = perDim(cfg.kernel_size, dims, `${type} kernel_size`);
  const stride = perDim(cfg.stride ?? 1, dims, `${type} stride`);
  const dilation = perDim(cfg.dilation ?? 1, dims, `${type} dilation`);
  const mode = cfg.padding_mode ?? 'zeros';
  if (mode !== 'zeros') throw new TrainError(`${type} with padding_mode='${String(mode)}' is not supported (only 'zeros')`);
  let padBefore: number[], padTotal: number[];
  if (cfg.padding === 'valid') {
    padBefore = padTotal = Array(dims).fill(0);
  } else if (cfg.padding === 'same') {
    padTotal = kernel.map((k, i) => dilation[i] * (k - 1));
    padBefore = padTotal.map((t) => Math.floor(t / 2));
  } else {
    padBefore = perDim(cfg.padding ?? 0, dims, `${type} padding`);
    padTotal = padBefore.map((p) => 2 * p);
  }
  const groups = Number(cfg.groups ?? 1);
  const inChannels = Number(cfg.in_channels), outChannels = Number(cfg.out_channels);
  if (!Number.isInteger(inChannels) || !Number.isInteger(outChannels)) throw new TrainError(`${type} needs known in_channels and out_channels`);
  if (inChannels % groups || outChannels % groups) throw new TrainError(`${type}: in_channels ${inChannels} and out_channels ${outChannels} must be divisible by groups ${groups}`);
  return {
    dims, inChannels, outChannels, kernel, stride, padBefore, padTotal, dilation, groups,
    bias: cfg.bias !== false,
    outputPadding: perDim(cfg.output_padding ?? 0, dims, `${type} output_padding`),
  };
}

abstract class ConvBase implements Layer {
  protected readonly weight: Param;
  protected readonly bias: Param | null;
  protected readonly taps: number;
  protected x: Tensor | null = null;
  protected g: Window | null = null;
  protected readonly out = new Scratch();
  protected readonly dx = new GradScratch();

  constructor(protected readonly c: ConvConfig, protected readonly type: string, params: ParamFactory, transposed: boolean) {
    this.taps = c.kernel.reduce((a, b) => a * b, 1);
    const [cin, cout, g] = [c.inChannels, c.outChannels, c.groups];
    const wShape = transposed ? [cin, cout / g, ...c.kernel] : [cout, cin / g, ...c.kernel];
    // PyTorch's fans: fan_in = weight.size(1)·taps, fan_out = weight.size(0)·taps.
    const fanIn = wShape[1] * this.taps, fanOut = wShape[0] * this.taps;
    this.weight = params.param('weight', wShape, { kind: 'weight', fanIn, fanOut });
    this.bias = c.bias ? params.param('bias', [cout], { kind: 'bias', fanIn }) : null;
  }

  protected checkInput(x: Tensor, channels: number): number[] {
    expectRank(x, [this.c.dims + 2], this.type);
    if (x.shape[1] !== channels) {
      throw new TrainError(`${this.type} expects ${channels} input channels, got ${x.shape[1]} (input shape (${x.shape.join(', ')}))`);
    }
    return x.shape.slice(2);
  }

  protected addBias(y: Tensor): void {
    if (!this.bias) return;
    const [N, C] = y.shape, L = numel(y.shape.slice(2)), b = this.bias.value, d = y.data;
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
      const bv = b[c], o = (n * C + c) * L;
      for (let i = 0; i < L; i++) d[o + i] += bv;
    }
  }

  protected biasGrad(dy: Tensor): void {
    if (!this.bias) return;
    const [N, C] = dy.shape, L = numel(dy.shape.slice(2)), gb = this.bias.grad, d = dy.data;
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
      let s = 0;
      const o = (n * C + c) * L;
      for (let i = 0; i < L; i++) s += d[o + i];
      gb[c] += s;
    }
  }

  abstract forward(inputs: Tensor[]): Tensor;
  abstract backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null>;
}

export class Conv extends ConvBase {
  private readonly cols = new FloatPool();
  private readonly dcols = new FloatPool();
  /** A 1×1 convolution with stride 1 and no padding reads its input directly as the column matrix. */
  private readonly pointwise: boolean;

  constructor(c: ConvConfig, type: string, params: ParamFactory) {
    super(c, type, params, false);
    this.pointwise = this.taps === 1 && c.stride.every((s) => s === 1) && c.padTotal.every((p) => p === 0);
  }

  forward([x]: Tensor[]): Tensor {
    const c = this.c, sp = this.checkInput(x, c.inChannels);
    const outSp = sp.map((l, i) => windowOut(l, c.kernel[i], c.stride[i], c.padBefore[i], c.padTotal[i], c.dilation[i], false));
    if (outSp.some((o) => o <= 0)) throw new TrainError(`${this.type}: input (${x.shape.join(', ')}) is smaller than the kernel`);
    const g: Window = { inSize: to3(sp, 1), outSize: to3(outSp, 1), k: to3(c.kernel, 1), s: to3(c.stride, 1), p: to3(c.padBefore, 0), d: to3(c.dilation, 1) };
    this.x = x; this.g = g;
    const N = x.shape[0], L = numel(outSp), inL = numel(sp), K = c.inChannels * this.taps;
    const G = c.groups, cog = c.outChannels / G, kg = K / G;
    const y = this.out.get([N, c.outChannels, ...outSp]);
    const wasm = wasmKernels();
    if (wasm) {
      wasm.convForward(this.shape(N, inL, L, g), x.data, this.weight.value, this.bias?.value ?? null, y.data);
      return y;
    }
    const cols = this.pointwise ? x.data : this.cols.get(N * K * L);
    for (let n = 0; n < N; n++) {
      if (!this.pointwise) im2col(x.data, n * c.inChannels * inL, c.inChannels, g, cols.subarray(n * K * L, (n + 1) * K * L));
      for (let gi = 0; gi < G; gi++) {
        matmulNN(cog, L, kg, mat(this.weight.value, gi * cog * kg, kg), mat(cols, (n * K + gi * kg) * L, L),
          mat(y.data, (n * c.outChannels + gi * cog) * L, L), false);
      }
    }
    this.addBias(y);
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const x = this.x!, g = this.g!, c = this.c;
    const N = x.shape[0], L = numel(dy.shape.slice(2)), inL = numel(x.shape.slice(2)), K = c.inChannels * this.taps;
    const G = c.groups, cog = c.outChannels / G, kg = K / G;
    const wasm = wasmKernels();
    if (wasm) {
      const dx = needInput[0] ? this.dx.get(x.shape) : null;
      wasm.convBackward(this.shape(N, inL, L, g), x.data, this.weight.value, dy.data, this.weight.grad, this.bias?.grad ?? null, dx?.data ?? null);
      return [dx];
    }
    const cols = this.pointwise ? x.data : this.cols.get(N * K * L);
    for (let n = 0; n < N; n++) for (let gi = 0; gi < G; gi++) {
      matmulNT(cog, kg, L, mat(dy.data, (n * c.outChannels + gi * cog) * L, L), mat(cols, (n * K + gi * kg) * L, L),
        mat(this.weight.grad, gi * cog * kg, kg), true);
    }
    this.biasGrad(dy);
    if (!needInput[0]) return [null];
    const dx = this.dx.zeros(x.shape);
    const dcols = this.pointwise ? null : this.dcols.get(K * L);
    for (let n = 0; n < N; n++) {
      // For a pointwise conv the columns are the input itself, so ∂X̂ lands in ∂X directly.
      const target = dcols ?? dx.data, base = dcols ? 0 : n * K * L;
      for (let gi = 0; gi < G; gi++) {
        matmulTN(kg, L, cog, mat(this.weight.value, gi * cog * kg, kg), mat(dy.data, (n * c.outChannels + gi * cog) * L, L),
          mat(target, base + gi * kg * L, L), false);
      }
      if (dcols) col2im(dcols, c.inChannels, g, dx.data, n * c.inChannels * inL);
    }
    return [dx];
  }

  private shape(N: number, inL: number, outL: number, window: Window): ConvShape {
    const c = this.c;
    return { N, inChannels: c.inChannels, outChannels: c.outChannels, groups: c.groups, inL, outL, taps: this.taps, window, pointwise: this.pointwise };
  }
}

export class ConvTranspose extends ConvBase {
  private readonly cols = new FloatPool();

  constructor(c: ConvConfig, type: string, params: ParamFactory) {
    super(c, type, params, true);
  }

  /** The window of the convolution this op is the adjoint of: from the output back to the input (its padding may be uneven, as Keras's 'same'). */
  private window(inSp: number[], outSp: number[]): Window {
    const c = this.c;
    return { inSize: to3(outSp, 1), outSize: to3(inSp, 1), k: to3(c.kernel, 1), s: to3(c.stride, 1), p: to3(c.padBefore, 0), d: to3(c.dilation, 1) };
  }

  forward([x]: Tensor[]): Tensor {
    const c = this.c, sp = this.checkInput(x, c.inChannels);
    const outSp = sp.map((l, i) => (l - 1) * c.stride[i] - c.padTotal[i] + c.dilation[i] * (c.kernel[i] - 1) + c.outputPadding[i] + 1);
    if (outSp.some((o) => o <= 0)) throw new TrainError(`${this.type}: output size (${outSp.join(', ')}) is not positive`);
    const g = this.window(sp, outSp);
    this.x = x; this.g = g;
    const N = x.shape[0], Lin = numel(sp), outL = numel(outSp), G = c.groups;
    const cig = c.inChannels / G, rows = (c.outChannels / G) * this.taps;
    const y = this.out.zeros([N, c.outChannels, ...outSp]);
    const cols = this.cols.get(c.outChannels * this.taps * Lin);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < G; gi++) {
        matmulTN(rows, Lin, cig, mat(this.weight.value, gi * cig * rows, rows), mat(x.data, (n * c.inChannels + gi * cig) * Lin, Lin),
          mat(cols, gi * rows * Lin, Lin), false);
      }
      col2im(cols, c.outChannels, g, y.data, n * c.outChannels * outL);
    }
    this.addBias(y);
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const x = this.x!, g = this.g!, c = this.c;
    const N = x.shape[0], Lin = numel(x.shape.slice(2)), outL = numel(dy.shape.slice(2)), G = c.groups;
    const cig = c.inChannels / G, rows = (c.outChannels / G) * this.taps;
    const dcols = this.cols.get(c.outChannels * this.taps * Lin);
    const dx = needInput[0] ? this.dx.get(x.shape) : null;
    for (let n = 0; n < N; n++) {
      im2col(dy.data, n * c.outChannels * outL, c.outChannels, g, dcols);
      for (let gi = 0; gi < G; gi++) {
        const xg = mat(x.data, (n * c.inChannels + gi * cig) * Lin, Lin), wg = gi * cig * rows;
        matmulNT(cig, rows, Lin, xg, mat(dcols, gi * rows * Lin, Lin), mat(this.weight.grad, wg, rows), true);
        if (dx) matmulNN(cig, Lin, rows, mat(this.weight.value, wg, rows), mat(dcols, gi * rows * Lin, Lin), mat(dx.data, (n * c.inChannels + gi * cig) * Lin, Lin), false);
      }
    }
    this.biasGrad(dy);
    return [dx];
  }
}
