// Keras's random image augmentation layers inside a model (RandomFlip, RandomRotation, RandomZoom,
// RandomTranslation): in training each sample gets its own random transform, in evaluation they pass the image
// through, as in Keras. A transform maps each output pixel to a point of the input plane, read bilinearly (or
// the nearest pixel) with Keras's fill modes outside the image; the gradient goes back along the same taps.
// The random draws are ConvLens's own (seeded by the run), so a run is not Keras's run, only the same kind.
import { Scratch, type Tensor } from '../tensor/tensor';
import { TrainError, type ForwardContext, type Layer } from './layer';

type Cfg = Record<string, unknown>;
type Fill = 'reflect' | 'wrap' | 'nearest' | 'constant';
/** Output (y, x) → input (y, x), both about the image's centre. */
type Warp = (y: number, x: number) => [number, number];

/** A factor as Keras reads it: f means (−f, f), a pair is (lower, upper). */
function range(v: unknown, what: string): [number, number] {
  if (typeof v === 'number') return [-Math.abs(v), Math.abs(v)];
  if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number')) return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  throw new TrainError(`${what} must be a known number or pair, got ${JSON.stringify(v)}`);
}

/** The index an out-of-range coordinate reads under a fill mode; -1 for the constant. */
function fillIndex(i: number, n: number, fill: Fill): number {
  if (i >= 0 && i < n) return i;
  if (fill === 'constant') return -1;
  if (fill === 'nearest') return i < 0 ? 0 : n - 1;
  if (fill === 'wrap') return ((i % n) + n) % n;
  // reflect about the edge (d c b a | a b c d | d c b a)
  const p = 2 * n, m = ((i % p) + p) % p;
  return m < n ? m : p - 1 - m;
}

export class RandomTransform implements Layer {
  private readonly fill: Fill;
  private readonly fillValue: number;
  private readonly nearest: boolean;
  /** Per sample and output pixel, four input pixels of the plane (−1: the constant) and their weights. */
  private taps = new Int32Array(0);
  private weights = new Float32Array(0);
  private active = false;
  private shape: number[] = [];
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(private readonly type: string, private readonly draw: (ctx: ForwardContext, h: number, w: number) => Warp | null, cfg: Cfg) {
    const fill = String(cfg.fill_mode ?? 'reflect');
    if (!['reflect', 'wrap', 'nearest', 'constant'].includes(fill)) throw new TrainError(`${type} fill_mode '${fill}' is not supported`);
    const interp = String(cfg.interpolation ?? 'bilinear');
    if (interp !== 'bilinear' && interp !== 'nearest') throw new TrainError(`${type} interpolation '${interp}' is not supported`);
    this.fill = fill as Fill; this.fillValue = typeof cfg.fill_value === 'number' ? cfg.fill_value : 0; this.nearest = interp === 'nearest';
  }

  forward([x]: Tensor[], ctx: ForwardContext): Tensor {
    this.active = ctx.training;
    if (!this.active) return x;
    if (x.shape.length !== 4) throw new TrainError(`${this.type} expects images (N, H, W, C), got a ${x.shape.length}-D tensor`);
    const [n, c, h, w] = x.shape, plane = h * w;
    this.shape = x.shape;
    if (this.taps.length !== n * plane * 4) { this.taps = new Int32Array(n * plane * 4); this.weights = new Float32Array(n * plane * 4); }
    const y = this.out.get(x.shape), xd = x.data, yd = y.data, T = this.taps, W = this.weights;
    const tap = (a: number, b: number): number => (a < 0 || b < 0 ? -1 : a * w + b);
    for (let s = 0; s < n; s++) {
      const warp = this.draw(ctx, h, w);
      for (let oy = 0, k = s * plane * 4; oy < h; oy++) for (let ox = 0; ox < w; ox++, k += 4) {
        if (!warp) { T[k] = oy * w + ox; W[k] = 1; T[k + 1] = T[k + 2] = T[k + 3] = 0; W[k + 1] = W[k + 2] = W[k + 3] = 0; continue; }
        const [sy, sx] = warp(oy, ox);
        const y0 = this.nearest ? Math.round(sy) : Math.floor(sy), x0 = this.nearest ? Math.round(sx) : Math.floor(sx);
        const fy = this.nearest ? 0 : sy - y0, fx = this.nearest ? 0 : sx - x0;
        const ya = fillIndex(y0, h, this.fill), yb = fillIndex(y0 + 1, h, this.fill);
        const xa = fillIndex(x0, w, this.fill), xb = fillIndex(x0 + 1, w, this.fill);
        // taps (y0, x0), (y0, x0 + 1), (y0 + 1, x0), (y0 + 1, x0 + 1)
        T[k] = tap(ya, xa); T[k + 1] = tap(ya, xb); T[k + 2] = tap(yb, xa); T[k + 3] = tap(yb, xb);
        W[k] = (1 - fy) * (1 - fx); W[k + 1] = (1 - fy) * fx; W[k + 2] = fy * (1 - fx); W[k + 3] = fy * fx;
      }
      for (let ch = 0; ch < c; ch++) {
        const base = (s * c + ch) * plane;
        for (let p = 0, k = s * plane * 4; p < plane; p++, k += 4) {
          let v = 0;
          for (let t = 0; t < 4; t++) v += W[k + t] * (T[k + t] < 0 ? this.fillValue : xd[base + T[k + t]]);
          yd[base + p] = v;
        }
      }
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    if (!this.active) return [dy];
    const [n, c, h, w] = this.shape, plane = h * w, dx = this.dx.zeros(this.shape), g = dy.data, d = dx.data, T = this.taps, W = this.weights;
    for (let s = 0; s < n; s++) for (let ch = 0; ch < c; ch++) {
      const base = (s * c + ch) * plane;
      for (let p = 0, k = s * plane * 4; p < plane; p++, k += 4) {
        for (let t = 0; t < 4; t++) if (T[k + t] >= 0) d[base + T[k + t]] += W[k + t] * g[base + p];
      }
    }
    return [dx];
  }
}

/** Keras's RandomFlip, RandomRotation, RandomZoom and RandomTranslation as random transforms. */
export function kerasAugmentation(type: string, cfg: Cfg): RandomTransform {
  const centre = (h: number, w: number): [number, number] => [(h - 1) / 2, (w - 1) / 2];
  const u = (ctx: ForwardContext, [lo, hi]: [number, number]): number => lo + (hi - lo) * ctx.rng.uniform();
  switch (type) {
    case 'RandomFlip': {
      const mode = String(cfg.mode ?? 'horizontal_and_vertical');
      if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(mode)) throw new TrainError(`RandomFlip mode '${mode}' is not supported`);
      // one draw per sample, as Keras: horizontal_and_vertical flips both axes or neither
      const fx = mode !== 'vertical', fy = mode !== 'horizontal';
      return new RandomTransform(type, (ctx, h, w) => (ctx.rng.uniform() <= 0.5
        ? (y, x) => [fy ? h - 1 - y : y, fx ? w - 1 - x : x] : null), { ...cfg, interpolation: 'nearest' });
    }
    case 'RandomRotation': {
      const r = range(cfg.factor, 'RandomRotation factor');
      return new RandomTransform(type, (ctx, h, w) => {
        const a = u(ctx, r) * 2 * Math.PI, cos = Math.cos(a), sin = Math.sin(a), [cy, cx] = centre(h, w);
        return (y, x) => [cy + (y - cy) * cos + (x - cx) * sin, cx - (y - cy) * sin + (x - cx) * cos];
      }, cfg);
    }
    case 'RandomZoom': {
      const hr = range(cfg.height_factor, 'RandomZoom height_factor');
      const wr = cfg.width_factor === null || cfg.width_factor === undefined ? null : range(cfg.width_factor, 'RandomZoom width_factor');
      return new RandomTransform(type, (ctx, h, w) => {
        // a positive factor zooms out: each output pixel reads further from the centre
        const zy = 1 + u(ctx, hr), zx = wr ? 1 + u(ctx, wr) : zy, [cy, cx] = centre(h, w);
        return (y, x) => [cy + (y - cy) * zy, cx + (x - cx) * zx];
      }, cfg);
    }
    case 'RandomTranslation': {
      const hr = range(cfg.height_factor, 'RandomTranslation height_factor'), wr = range(cfg.width_factor, 'RandomTranslation width_factor');
      return new RandomTransform(type, (ctx, h, w) => {
        const ty = u(ctx, hr) * h, tx = u(ctx, wr) * w;
        return (y, x) => [y - ty, x - tx];
      }, cfg);
    }
    default: throw new TrainError(`${type} is not an augmentation layer`);
  }
}

/** The Keras augmentation layers `kerasAugmentation` makes. */
export const KERAS_AUGMENTATIONS = ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation'];
