// nn.Upsample / F.interpolate and their fixed-mode aliases: nearest and nearest-exact (a gather),
// linear/bilinear/trilinear (separable two-tap interpolation, one spatial dimension at a time, with
// PyTorch's source coordinates for align_corners both ways), and area (adaptive average pooling).
import { Scratch, numel, type Tensor } from '../tensor/tensor';
import { Gather, nearestMap } from './gather';
import { TrainError, sizeAt, type ForwardContext, type Layer } from './layer';
import { AdaptiveAvgPool } from './pool';

type Cfg = Record<string, unknown>;

const LINEAR_RANK: Record<string, number> = { linear: 1, bilinear: 2, trilinear: 3 };

/** What the output size and PyTorch's per-dimension scales are, from `size` or `scale_factor`. */
interface Sizing {
  /** Sizes traced as symbols (`size=skip.shape[2:]` of a model traced without an input size) read this batch's. */
  out(sp: number[], ctx?: ForwardContext): number[];
  /** input/output per dimension, as the kernels use it: 1/scale_factor when one was given. */
  scale(sp: number[], out: number[]): number[];
}

function sizing(cfg: Cfg, type: string, n: number): Sizing {
  const each = (v: unknown, symbols: boolean): unknown[] | null => {
    const a = Array.isArray(v) ? v : [v];
    const r = a.length === 1 ? Array<unknown>(n).fill(a[0]) : a;
    return r.length === n && r.every((x) => (typeof x === 'number' && x > 0) || (symbols && typeof x === 'string')) ? r : null;
  };
  if (cfg.size !== null && cfg.size !== undefined) {
    const size = each(cfg.size, true);
    if (!size) throw new TrainError(`${type}: size ${JSON.stringify(cfg.size)} is not ${n} positive ints`);
    const out = (_sp: number[], ctx?: ForwardContext): number[] => size.map((d) => {
      const v = sizeAt(d, ctx, undefined);
      if (v === null) throw new TrainError(`${type}: size ${String(d)} is not known at this batch`);
      return v;
    });
    return { out, scale: (sp, o) => sp.map((l, i) => l / o[i]) };
  }
  const f = each(cfg.scale_factor, false) as number[] | null;
  if (!f) throw new TrainError(`${type} needs a known size or scale_factor`);
  // recompute_scale_factor=True: the kernels see only the sizes
  const given = cfg.recompute_scale_factor !== true;
  return {
    out: (sp) => sp.map((l, i) => Math.floor(l * f[i])),
    scale: (sp, o) => sp.map((l, i) => (given ? 1 / f[i] : l / o[i])),
  };
}

/** One spatial dimension of a linear interpolation: per output index, two input indices and weights. */
interface Taps { i0: Int32Array; i1: Int32Array; l0: Float32Array; l1: Float32Array }

/** PyTorch's area_pixel_compute_source_index and neighbours for one dimension. */
function taps(inSize: number, outSize: number, scale: number, alignCorners: boolean): Taps {
  const t: Taps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), l0: new Float32Array(outSize), l1: new Float32Array(outSize) };
  const s = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : scale;
  for (let o = 0; o < outSize; o++) {
    const src = alignCorners ? s * o : Math.max(s * (o + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inSize - 1), l1 = Math.min(Math.max(src - i0, 0), 1);
    t.i0[o] = i0; t.i1[o] = i0 < inSize - 1 ? i0 + 1 : i0; t.l0[o] = 1 - l1; t.l1[o] = l1;
  }
  return t;
}

/** Linear interpolation of every spatial dimension, applied one dimension at a time (it is separable). */
export class LinearResample implements Layer {
  private shapes: number[][] = [];
  private taps: Taps[] = [];
  private readonly bufs: Scratch[] = [];
  private readonly grads: Scratch[] = [];

  constructor(private readonly sizing: Sizing, private readonly alignCorners: boolean, private readonly rank: number, private readonly type: string) {}

  forward([x]: Tensor[], ctx?: ForwardContext): Tensor {
    if (x.shape.length !== this.rank + 2) throw new TrainError(`${this.type} expects a ${this.rank + 2}-D input, got (${x.shape.join(', ')})`);
    const sp = x.shape.slice(2), out = this.sizing.out(sp, ctx), scale = this.sizing.scale(sp, out);
    if (out.some((o) => !Number.isInteger(o) || o < 1)) throw new TrainError(`${this.type}: output size (${out.join(', ')}) is not positive`);
    this.taps = sp.map((l, i) => taps(l, out[i], scale[i], this.alignCorners));
    this.shapes = [x.shape];
    let cur = x;
    // the last dimension first, as PyTorch's kernels weight the innermost pair first
    for (let d = this.rank - 1; d >= 0; d--) {
      const shape = cur.shape.map((n, i) => (i === d + 2 ? out[d] : n));
      const y = (this.bufs[d] ??= new Scratch()).get(shape);
      const t = this.taps[d], inner = numel(shape.slice(d + 3)), outer = numel(shape.slice(0, d + 2)), L = cur.shape[d + 2], O = out[d];
      const xd = cur.data, yd = y.data;
      for (let a = 0; a < outer; a++) for (let o = 0; o < O; o++) {
        const y0 = (a * O + o) * inner, p = (a * L + t.i0[o]) * inner, q = (a * L + t.i1[o]) * inner, l0 = t.l0[o], l1 = t.l1[o];
        for (let k = 0; k < inner; k++) yd[y0 + k] = l0 * xd[p + k] + l1 * xd[q + k];
      }
      this.shapes.push(shape);
      cur = y;
    }
    return cur;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    let g = dy;
    for (let d = 0, s = this.rank; d < this.rank; d++, s--) {
      const shape = this.shapes[s - 1], dx = (this.grads[d] ??= new Scratch()).zeros(shape);
      const t = this.taps[d], inner = numel(shape.slice(d + 3)), outer = numel(shape.slice(0, d + 2)), L = shape[d + 2], O = g.shape[d + 2];
      const gd = g.data, xd = dx.data;
      for (let a = 0; a < outer; a++) for (let o = 0; o < O; o++) {
        const y0 = (a * O + o) * inner, p = (a * L + t.i0[o]) * inner, q = (a * L + t.i1[o]) * inner, l0 = t.l0[o], l1 = t.l1[o];
        for (let k = 0; k < inner; k++) { xd[p + k] += l0 * gd[y0 + k]; xd[q + k] += l1 * gd[y0 + k]; }
      }
      g = dx;
    }
    return [g];
  }
}

/** The layer for an Upsample module (or alias) or an interpolate op. */
export function upsampleLayer(type: string, cfg: Cfg): Layer {
  const mode = type === 'UpsamplingNearest2d' ? 'nearest' : type === 'UpsamplingBilinear2d' ? 'bilinear' : String(cfg.mode ?? 'nearest');
  if (cfg.antialias === true) throw new TrainError(`${type} with antialias=True is not supported`);
  const rank = LINEAR_RANK[mode];
  if (rank) {
    // UpsamplingBilinear2d is bilinear with align_corners=True
    const align = type === 'UpsamplingBilinear2d' || cfg.align_corners === true;
    return new LinearResample(sizing(cfg, type, rank), align, rank, type);
  }
  if (mode === 'nearest' || mode === 'nearest-exact') {
    let s: Sizing | null = null;
    const ready = (n: number): Sizing => (s ??= sizing(cfg, type, n));
    // PyTorch computes the source index in float32: ⌊o·scale⌋ with scale rounded to float
    const scales = (sp: number[], o: number[]) => ready(sp.length).scale(sp, o).map((v) => Math.fround(v));
    const symbolic = (Array.isArray(cfg.size) ? cfg.size : [cfg.size]).some((d) => typeof d === 'string');
    return new Gather(nearestMap((sp, ctx) => ready(sp.length).out(sp, ctx), scales, mode === 'nearest-exact'), 0, symbolic);
  }
  if (mode === 'area') {
    const size = cfg.size;
    if (size === null || size === undefined) throw new TrainError(`${type} mode='area' with scale_factor is not supported (give size)`);
    const n = Array.isArray(size) ? size.length : 2;
    return new AdaptiveAvgPool(n, size, type);
  }
  throw new TrainError(`${type} mode='${mode}' is not supported (nearest, nearest-exact, linear, bilinear, trilinear and area are)`);
}
