// Ops whose every output value is one input value (or a constant): slices (chunk, split), padding
// (constant, reflect, replicate, circular), PixelShuffle/PixelUnshuffle/ChannelShuffle and nearest
// upsampling, basic indexing (`x[:, 0]`, `x[..., 1:3]`). Each is an index map from output to input, made once per input shape; the backward
// pass adds each output gradient onto the input value it came from.
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, sizeAt, type ForwardContext, type Layer } from './layer';

/** The output shape and, per output element, the flat input index it reads (-1: the constant). */
export interface IndexMap {
  shape: number[];
  index: Int32Array;
}

/** Strides of a row-major shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/**
 * The map of an op that keeps the rank: output coordinate `o` along dimension `d` reads input
 * coordinate `source(d, o)` (or the constant, for -1) in every other dimension unchanged.
 */
export function axisMap(inShape: readonly number[], outShape: number[], source: (d: number, o: number) => number): IndexMap {
  const r = outShape.length, st = stridesOf(inShape);
  const per = outShape.map((n, d) => Int32Array.from({ length: n }, (_, o) => source(d, o)));
  const index = new Int32Array(numel(outShape)), pos = Array<number>(r).fill(0);
  for (let k = 0; k < index.length; k++) {
    let at = 0;
    for (let d = 0; d < r; d++) {
      const s = per[d][pos[d]];
      if (s < 0) { at = -1; break; }
      at += s * st[d];
    }
    index[k] = at;
    for (let d = r - 1; d >= 0; d--) {
      if (++pos[d] < outShape[d]) break;
      pos[d] = 0;
    }
  }
  return { shape: outShape, index };
}

export class Gather implements Layer {
  private key = '';
  private map: IndexMap | null = null;
  private inShape: number[] = [];
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  /**
   * `plan` gives the index map for an input shape (or throws a TrainError saying why it cannot); one that reads
   * the sizes of the batch (an index bound traced from `x.shape[0]`, an upsampling to a skip's `H, W`) says so by
   * `readsSizes`.
   */
  constructor(private readonly plan: (shape: number[], ctx?: ForwardContext) => IndexMap, private readonly fill = 0,
    private readonly readsSizes = false) {}

  forward([x]: Tensor[], ctx?: ForwardContext): Tensor {
    const sizes = this.readsSizes ? `/${ctx?.batch}/${[...ctx?.sizes?.values() ?? []].join(',')}` : '';
    const key = `${x.shape.join(',')}${sizes}`;
    if (key !== this.key || !this.map) { this.map = this.plan(x.shape, ctx); this.key = key; }
    this.inShape = x.shape;
    const { shape, index } = this.map, y = this.out.get(shape), xd = x.data, yd = y.data, c = this.fill;
    for (let k = 0; k < index.length; k++) { const i = index[k]; yd[k] = i < 0 ? c : xd[i]; }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const dx = this.dx.zeros(this.inShape), index = this.map!.index, g = dy.data, d = dx.data;
    for (let k = 0; k < index.length; k++) { const i = index[k]; if (i >= 0) d[i] += g[k]; }
    return [dx];
  }
}

const normAxis = (d: number, rank: number, what: string): number => {
  const r = d < 0 ? d + rank : d;
  if (!Number.isInteger(r) || r < 0 || r >= rank) throw new TrainError(`${what}: dimension ${d} is out of range for a ${rank}-D tensor`);
  return r;
};

/** `length` values from `start` along `dim` (one piece of chunk or split). */
export function sliceMap(dim: number, start: number, length: number): (shape: number[]) => IndexMap {
  return (shape) => {
    const d = normAxis(dim, shape.length, 'slice');
    if (start + length > shape[d]) throw new TrainError(`slice ${start}..${start + length} of dimension ${d} of ${shapeText(shape)}`);
    const out = shape.map((n, i) => (i === d ? length : n));
    return axisMap(shape, out, (i, o) => (i === d ? start + o : o));
  };
}

/** The `index`-th of `chunks` pieces along `dim`, as torch.chunk cuts them (⌈size/chunks⌉ each, the last shorter). */
export function chunkMap(chunks: number, index: number, dim: number): (shape: number[]) => IndexMap {
  return (shape) => {
    const d = normAxis(dim, shape.length, 'chunk'), step = Math.ceil(shape[d] / chunks), start = index * step;
    return sliceMap(d, start, Math.min(step, shape[d] - start))(shape);
  };
}

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** F.pad's (left, right, top, bottom, …) padding of the last dimensions; a negative pad crops. */
export function padMap(pad: number[], mode: PadMode): (shape: number[]) => IndexMap {
  return (shape) => {
    const r = shape.length, k = pad.length / 2;
    if (!Number.isInteger(k) || k > r) throw new TrainError(`pad (${pad.join(', ')}) does not fit a ${r}-D input`);
    const before = shape.map((_, d) => (d >= r - k ? pad[2 * (r - 1 - d)] : 0));
    const after = shape.map((_, d) => (d >= r - k ? pad[2 * (r - 1 - d) + 1] : 0));
    const out = shape.map((n, d) => n + before[d] + after[d]);
    if (out.some((n) => n <= 0)) throw new TrainError(`padding ${shapeText(shape)} by (${pad.join(', ')}) leaves no values`);
    if (mode === 'reflect' && before.some((p, d) => p >= shape[d] || after[d] >= shape[d])) {
      throw new TrainError(`reflect padding (${pad.join(', ')}) must be smaller than the input ${shapeText(shape)}`);
    }
    return axisMap(shape, out, (d, o) => {
      const n = shape[d], i = o - before[d];
      if (i >= 0 && i < n) return i;
      if (mode === 'constant') return -1;
      if (mode === 'replicate') return i < 0 ? 0 : n - 1;
      if (mode === 'circular') return ((i % n) + n) % n;
      return i < 0 ? -i : 2 * (n - 1) - i;
    });
  };
}

/** Nearest-neighbour resampling of the spatial dimensions to `outSize` with PyTorch's source indices. */
export function nearestMap(outSize: (spatial: number[], ctx?: ForwardContext) => number[],
  scales: (spatial: number[], out: number[]) => number[], exact: boolean): (shape: number[], ctx?: ForwardContext) => IndexMap {
  return (shape, ctx) => {
    const sp = shape.slice(2), o = outSize(sp, ctx), s = scales(sp, o);
    const out = [...shape.slice(0, 2), ...o];
    // nearest: ⌊o·scale⌋; nearest-exact: ⌊(o + ½)·scale⌋; in float32 as PyTorch's floorf, clamped to the last index
    const src = (d: number, i: number): number => Math.min(Math.floor(Math.fround((exact ? i + 0.5 : i) * s[d])), sp[d] - 1);
    return axisMap(shape, out, (d, i) => (d < 2 ? i : src(d - 2, i)));
  };
}

/** PixelShuffle (r > 0: (C·r², H, W) → (C, H·r, W·r)) and PixelUnshuffle (its inverse, `down`). */
export function pixelShuffleMap(r: number, down: boolean): (shape: number[]) => IndexMap {
  return (shape) => {
    if (shape.length < 3) throw new TrainError(`pixel shuffle expects at least a 3-D input, got ${shapeText(shape)}`);
    const lead = shape.slice(0, -3), [c, h, w] = shape.slice(-3);
    if (down ? h % r || w % r : c % (r * r)) {
      throw new TrainError(down ? `PixelUnshuffle(${r}): height ${h} and width ${w} must be divisible by ${r}`
        : `PixelShuffle(${r}): ${c} channels are not divisible by ${r * r}`);
    }
    const oc = down ? c * r * r : c / (r * r), oh = down ? h / r : h * r, ow = down ? w / r : w * r;
    const out = [...lead, oc, oh, ow], index = new Int32Array(numel(out)), plane = c * h * w;
    let k = 0;
    for (let b = 0; b < numel(lead); b++) for (let ch = 0; ch < oc; ch++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
      // shuffle: out[ch, y, x] = in[ch·r² + (y%r)·r + x%r, y/r, x/r]; unshuffle is the inverse
      const src = down
        ? ((Math.floor(ch / (r * r)) * h + y * r + Math.floor((ch % (r * r)) / r)) * w + x * r + (ch % r))
        : (((ch * r + (y % r)) * r + (x % r)) * h + Math.floor(y / r)) * w + Math.floor(x / r);
      index[k++] = b * plane + src;
    }
    return { shape: out, index };
  };
}

/** ChannelShuffle(g): channels (g, C/g) transposed to (C/g, g). */
export function channelShuffleMap(groups: number): (shape: number[]) => IndexMap {
  return (shape) => {
    const c = shape[1];
    if (shape.length < 3 || c % groups) throw new TrainError(`ChannelShuffle(${groups}) needs channels divisible by ${groups}, got ${shapeText(shape)}`);
    const per = c / groups;
    return axisMap(shape, shape, (d, o) => (d === 1 ? (o % groups) * per + Math.floor(o / groups) : o));
  };
}

/** permute(dims) and transpose(dim0, dim1) (given as the permutation it makes). */
export function permuteMap(dims: number[]): (shape: number[]) => IndexMap {
  return (shape) => {
    const r = shape.length, p = dims.map((d) => normAxis(d, r, 'permute'));
    if (p.length !== r || new Set(p).size !== r) throw new TrainError(`permute (${dims.join(', ')}) is not a permutation of the dimensions of ${shapeText(shape)}`);
    const st = stridesOf(shape), out = p.map((d) => shape[d]), index = new Int32Array(numel(out)), pos = Array<number>(r).fill(0);
    for (let k = 0, at = 0; k < index.length; k++) {
      index[k] = at;
      for (let j = r - 1; j >= 0; j--) {
        at += st[p[j]];
        if (++pos[j] < out[j]) break;
        at -= st[p[j]] * pos[j]; pos[j] = 0;
      }
    }
    return { shape: out, index };
  };
}

/** One item of a basic index as the tracer records it: an int, a slice, a new axis or an ellipsis. */
type IndexItem = unknown;

/**
 * `x[items]` with ints, slices (positive steps, as PyTorch takes), None and `...`: ints drop their dimension,
 * slices keep what Python's slice keeps, None adds a dimension of 1. Sizes traced as symbols read this batch.
 */
export function indexMap(items: IndexItem[], batchSymbol: unknown): (shape: number[], ctx?: ForwardContext) => IndexMap {
  return (shape, ctx) => {
    const at = (v: unknown): number => {
      const n = sizeAt(v, ctx, batchSymbol);
      if (n === null) throw new TrainError(`an index of ${String(v)} is not known at this batch`);
      return n;
    };
    const used = items.filter((v) => v !== 'none' && v !== '...').length;
    if (used > shape.length) throw new TrainError(`too many indices for a ${shape.length}-D tensor`);
    const st = stridesOf(shape), out: number[] = [];
    // per output axis, the input stride and step it walks (0 for a new axis); `base` the fixed offset
    const walk: Array<{ stride: number; step: number }> = [];
    let base = 0, axis = 0;
    const keep = (d: number, start: number, length: number, step: number): void => {
      base += start * st[d];
      out.push(length); walk.push({ stride: st[d], step });
    };
    for (const v of items) {
      if (v === 'none') { out.push(1); walk.push({ stride: 0, step: 0 }); continue; }
      if (v === '...') {
        for (const end = axis + shape.length - used; axis < end; axis++) keep(axis, 0, shape[axis], 1);
        continue;
      }
      const n = shape[axis];
      if (typeof v === 'object' && v !== null && 'slice' in v) {
        const [lo, hi, stepV] = (v as { slice: unknown[] }).slice, step = stepV === null ? 1 : at(stepV);
        if (step <= 0) throw new TrainError('slices with a step below 1 are not supported (PyTorch refuses them too)');
        const clamp = (b: number): number => Math.min(Math.max(b < 0 ? b + n : b, 0), n);
        const a = lo === null ? 0 : clamp(at(lo)), b = hi === null ? n : clamp(at(hi));
        keep(axis++, a, Math.max(0, Math.ceil((b - a) / step)), step);
        continue;
      }
      const i = at(v), j = i < 0 ? i + n : i;
      if (j < 0 || j >= n) throw new TrainError(`index ${i} is out of bounds for dimension ${axis} with size ${n}`);
      base += j * st[axis++];
    }
    for (; axis < shape.length; axis++) keep(axis, 0, shape[axis], 1);
    const index = new Int32Array(numel(out)), pos = Array<number>(out.length).fill(0);
    for (let k = 0, p = base; k < index.length; k++) {
      index[k] = p;
      for (let d = out.length - 1; d >= 0; d--) {
        const w = walk[d].stride * walk[d].step;
        p += w;
        if (++pos[d] < out[d]) break;
        p -= w * pos[d]; pos[d] = 0;
      }
    }
    return { shape: out, index };
  };
}

/** `x.repeat(r0, r1, …)`: the input tiled r times along each dimension (new leading dimensions for extra counts). */
export function repeatMap(repeats: unknown[], batchSymbol: unknown): (shape: number[], ctx?: ForwardContext) => IndexMap {
  return (shape, ctx) => {
    const reps = repeats.map((r) => {
      const v = sizeAt(r, ctx, batchSymbol);
      if (v === null || v < 0) throw new TrainError(`repeat count ${String(r)} is not known at this batch`);
      return v;
    });
    if (reps.length < shape.length) throw new TrainError(`repeat needs at least ${shape.length} counts, got ${reps.length}`);
    const inShape = [...Array<number>(reps.length - shape.length).fill(1), ...shape];
    return axisMap(inShape, inShape.map((d, i) => d * reps[i]), (d, o) => o % inShape[d]);
  };
}
