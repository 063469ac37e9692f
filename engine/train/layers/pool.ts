// Max and average pooling over 1-3 spatial dimensions (stride, padding, dilation for max, ceil_mode,
// count_include_pad), and adaptive average pooling, with PyTorch's window rules.
import { perDim, to3, windowOut } from '../kernels/geometry';
import { wasmKernels } from '../kernels/select';
import { Scratch, numel, type Tensor } from '../tensor/tensor';
import { GradScratch } from '../tensor/grad-pool';
import { TrainError, type Layer } from './layer';

export interface PoolConfig {
  dims: number;
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** Reads MaxPool*d / AvgPool*d module configs and max_pool*d / avg_pool*d op arguments. */
export function poolConfig(type: string, cfg: Record<string, unknown>): PoolConfig {
  const dims = Number(/([123])d$/.exec(type)?.[1] ?? 2);
  const kernel = perDim(cfg.kernel_size, dims, `${type} kernel_size`);
  const stride = cfg.stride === undefined || cfg.stride === null || (Array.isArray(cfg.stride) && cfg.stride.length === 0)
    ? kernel : perDim(cfg.stride, dims, `${type} stride`);
  const padding = perDim(cfg.padding ?? 0, dims, `${type} padding`);
  if (padding.some((p, i) => 2 * p > kernel[i])) throw new TrainError(`${type}: padding should be at most half the kernel size`);
  return {
    dims, kernel, stride, padding,
    dilation: perDim(cfg.dilation ?? 1, dims, `${type} dilation`),
    ceilMode: cfg.ceil_mode === true,
    countIncludePad: cfg.count_include_pad !== false,
  };
}

/** Splits (N, C, *spatial) — or unbatched (C, *spatial) — into planes and the 3-D spatial size. */
function planes(x: Tensor, dims: number, what: string): { P: number; sp: number[] } {
  if (x.shape.length !== dims + 2 && x.shape.length !== dims + 1) {
    throw new TrainError(`${what} expects a ${dims + 2}-D input, got shape (${x.shape.join(', ')})`);
  }
  const sp = x.shape.slice(x.shape.length - dims);
  return { P: numel(x.shape.slice(0, x.shape.length - dims)), sp };
}

export class Pool implements Layer {
  private x: Tensor | null = null;
  private argmax = new Int32Array(0);
  private readonly out = new Scratch();
  private readonly dx = new GradScratch();

  constructor(private readonly kind: 'max' | 'avg', private readonly c: PoolConfig, private readonly type: string) {
    if (kind === 'avg' && c.dilation.some((d) => d !== 1)) throw new TrainError(`${type} has no dilation`);
  }

  forward([x]: Tensor[]): Tensor {
    const c = this.c, { P, sp } = planes(x, c.dims, this.type);
    const outSp = sp.map((l, i) => windowOut(l, c.kernel[i], c.stride[i], c.padding[i], 2 * c.padding[i], c.dilation[i], c.ceilMode));
    if (outSp.some((o) => o <= 0)) throw new TrainError(`${this.type}: input (${x.shape.join(', ')}) is smaller than the window`);
    this.x = x;
    const y = this.out.get([...x.shape.slice(0, x.shape.length - c.dims), ...outSp]);
    const [D, H, W] = to3(sp, 1), [OD, OH, OW] = to3(outSp, 1), [KD, KH, KW] = to3(c.kernel, 1);
    const [sd, sh, sw] = to3(c.stride, 1), [pd, ph, pw] = to3(c.padding, 0), [dd, dh, dw] = to3(c.dilation, 1);
    const inL = D * H * W, outL = OD * OH * OW, xd = x.data, yd = y.data;
    if (this.kind === 'max' && this.argmax.length < P * outL) this.argmax = new Int32Array(P * outL);
    const am = this.argmax;
    if (this.kind === 'max' && D === 1 && OD === 1 && pd === 0 && ph === 0 && pw === 0 && dh === 1 && dw === 1
      && (OH - 1) * sh + KH <= H && (OW - 1) * sw + KW <= W) {
      const wasm = wasmKernels();
      if (wasm) wasm.maxPool2d(xd, P, H, W, OH, OW, KH, KW, sh, sw, yd, am);
      else maxPlain2d(xd, yd, am, P, H, W, OH, OW, KH, KW, sh, sw);
      return y;
    }
    for (let p = 0; p < P; p++) {
      const xo = p * inL;
      let q = p * outL;
      for (let od = 0; od < OD; od++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, q++) {
        const d0 = od * sd - pd, h0 = oh * sh - ph, w0 = ow * sw - pw;
        if (this.kind === 'max') {
          let best = -Infinity, bi = -1;
          for (let a = 0; a < KD; a++) {
            const id = d0 + a * dd;
            if (id < 0 || id >= D) continue;
            for (let b = 0; b < KH; b++) {
              const ih = h0 + b * dh;
              if (ih < 0 || ih >= H) continue;
              const row = (id * H + ih) * W;
              for (let e = 0; e < KW; e++) {
                const iw = w0 + e * dw;
                if (iw < 0 || iw >= W) continue;
                const v = xd[xo + row + iw];
                // NaN propagates like PyTorch's max.
                if (v > best || Number.isNaN(v) || bi < 0) { best = v; bi = row + iw; if (Number.isNaN(v)) break; }
              }
            }
          }
          yd[q] = best; am[q] = bi;
        } else {
          const d1 = Math.min(d0 + KD, D + pd), h1 = Math.min(h0 + KH, H + ph), w1 = Math.min(w0 + KW, W + pw);
          const padded = (d1 - d0) * (h1 - h0) * (w1 - w0);
          const da = Math.max(d0, 0), ha = Math.max(h0, 0), wa = Math.max(w0, 0);
          const db = Math.min(d1, D), hb = Math.min(h1, H), wb = Math.min(w1, W);
          let s = 0;
          for (let id = da; id < db; id++) for (let ih = ha; ih < hb; ih++) {
            const row = xo + (id * H + ih) * W;
            for (let iw = wa; iw < wb; iw++) s += xd[row + iw];
          }
          yd[q] = s / (c.countIncludePad ? padded : (db - da) * (hb - ha) * (wb - wa));
        }
      }
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const x = this.x!, c = this.c, { P, sp } = planes(x, c.dims, this.type);
    const inL = numel(sp), outL = numel(dy.shape.slice(dy.shape.length - c.dims));
    const wasm = this.kind === 'max' ? wasmKernels() : null;
    if (wasm) {
      const dx = this.dx.get(x.shape);
      wasm.maxPoolBackward(dy.data, this.argmax, P, inL, outL, dx.data);
      return [dx];
    }
    const dx = this.dx.zeros(x.shape), g = dx.data, dyd = dy.data;
    if (this.kind === 'max') {
      const am = this.argmax;
      for (let p = 0; p < P; p++) for (let q = p * outL, e = q + outL; q < e; q++) if (am[q] >= 0) g[p * inL + am[q]] += dyd[q];
      return [dx];
    }
    const [D, H, W] = to3(sp, 1), [OD, OH, OW] = to3(dy.shape.slice(dy.shape.length - c.dims), 1), [KD, KH, KW] = to3(c.kernel, 1);
    const [sd, sh, sw] = to3(c.stride, 1), [pd, ph, pw] = to3(c.padding, 0);
    for (let p = 0; p < P; p++) {
      let q = p * outL;
      for (let od = 0; od < OD; od++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, q++) {
        const d0 = od * sd - pd, h0 = oh * sh - ph, w0 = ow * sw - pw;
        const d1 = Math.min(d0 + KD, D + pd), h1 = Math.min(h0 + KH, H + ph), w1 = Math.min(w0 + KW, W + pw);
        const da = Math.max(d0, 0), ha = Math.max(h0, 0), wa = Math.max(w0, 0);
        const db = Math.min(d1, D), hb = Math.min(h1, H), wb = Math.min(w1, W);
        const div = c.countIncludePad ? (d1 - d0) * (h1 - h0) * (w1 - w0) : (db - da) * (hb - ha) * (wb - wa);
        const v = dyd[q] / div;
        for (let id = da; id < db; id++) for (let ih = ha; ih < hb; ih++) {
          const row = p * inL + (id * H + ih) * W;
          for (let iw = wa; iw < wb; iw++) g[row + iw] += v;
        }
      }
    }
    return [dx];
  }
}

/** Adaptive average pooling: output cell i averages input [⌊i·L/O⌋, ⌈(i+1)·L/O⌉). */
export class AdaptiveAvgPool implements Layer {
  private x: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new GradScratch();
  private readonly size: Array<number | null>;

  constructor(private readonly dims: number, outputSize: unknown, private readonly type: string) {
    const raw = Array.isArray(outputSize) ? outputSize : Array(dims).fill(outputSize);
    if (raw.length !== dims || raw.some((v) => v !== null && !(typeof v === 'number' && Number.isInteger(v) && v > 0))) {
      throw new TrainError(`${type} output_size must be ${dims} positive ints (or None), got ${JSON.stringify(outputSize)}`);
    }
    this.size = raw as Array<number | null>;
  }

  private bins(sp: number[]): number[][][] {
    // Per dimension, the [start, end) of each output cell.
    return sp.map((l, i) => {
      const o = this.size[i] ?? l;
      return Array.from({ length: o }, (_, j) => [Math.floor((j * l) / o), Math.ceil(((j + 1) * l) / o)]);
    });
  }

  forward([x]: Tensor[]): Tensor {
    const { P, sp } = planes(x, this.dims, this.type);
    this.x = x;
    const bins = this.bins(sp), outSp = bins.map((b) => b.length);
    const y = this.out.get([...x.shape.slice(0, x.shape.length - this.dims), ...outSp]);
    if (global(bins, sp)) {
      // Global average pooling (the usual head): each plane's sum in the general path's order, without its index lists.
      const L = numel(sp), xd = x.data;
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (let i = p * L, e = i + L; i < e; i++) s += xd[i];
        y.data[p] = s / L;
      }
      return y;
    }
    this.walk(P, sp, bins, (q, idx, n) => {
      let s = 0;
      for (const i of idx) s += x.data[i];
      y.data[q] = s / n;
    });
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const x = this.x!, { P, sp } = planes(x, this.dims, this.type), bins = this.bins(sp);
    if (global(bins, sp)) {
      const L = numel(sp), dx = this.dx.get(x.shape);
      // + 0: the general path adds v to zeros, which turns −0 into +0.
      for (let p = 0; p < P; p++) dx.data.fill(dy.data[p] / L + 0, p * L, (p + 1) * L);
      return [dx];
    }
    const dx = this.dx.zeros(x.shape);
    this.walk(P, sp, bins, (q, idx, n) => {
      const v = dy.data[q] / n;
      for (const i of idx) dx.data[i] += v;
    });
    return [dx];
  }

  /** Calls f(output index, input indices, count) for every output cell. */
  private walk(P: number, sp: number[], bins: number[][][], f: (q: number, idx: number[], n: number) => void): void {
    const [D, H, W] = to3(sp, 1), [bd, bh, bw] = [to3Bins(bins, 0), to3Bins(bins, 1), to3Bins(bins, 2)];
    const inL = D * H * W, idx: number[] = [];
    let q = 0;
    for (let p = 0; p < P; p++) for (const [d0, d1] of bd) for (const [h0, h1] of bh) for (const [w0, w1] of bw) {
      idx.length = 0;
      for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) idx.push(p * inL + (d * H + h) * W + w);
      f(q++, idx, idx.length);
    }
  }
}

/** Whether every output cell is a whole plane: one bin per dimension, over all of it. */
const global = (bins: number[][][], sp: number[]): boolean => bins.every((b, i) => b.length === 1 && b[0][0] === 0 && b[0][1] === sp[i]);

/** The bins of 3-D dimension i (leading dimensions of size 1 when the op has fewer than 3). */
function to3Bins(bins: number[][][], i: number): number[][] {
  const lead = 3 - bins.length;
  return i < lead ? [[0, 1]] : bins[i - lead];
}

/** Max pooling without padding or dilation (every window inside the image): the common case, kept tight. */
function maxPlain2d(xd: Float32Array, yd: Float32Array, am: Int32Array, P: number, H: number, W: number,
  OH: number, OW: number, KH: number, KW: number, sh: number, sw: number): void {
  let q = 0;
  for (let p = 0; p < P; p++) {
    const xo = p * H * W;
    for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, q++) {
      let bi = oh * sh * W + ow * sw, best = xd[xo + bi];
      for (let b = 0; b < KH; b++) {
        const row = (oh * sh + b) * W + ow * sw;
        for (let e = 0; e < KW; e++) {
          const v = xd[xo + row + e];
          if (v > best || (v !== v && best === best)) { best = v; bi = row + e; }
        }
      }
      yd[q] = best; am[q] = bi;
    }
  }
}
