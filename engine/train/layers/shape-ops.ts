// Ops that move or combine values without parameters: flatten/view/reshape, concatenation,
// element-wise add and multiply (with broadcasting, for residual and gating branches), and mean.
import { addArrays } from '../kernels/select';
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type ForwardContext, type Layer } from './layer';
import { evaluateDim } from '../../shapes/dim';

export const normDim = (d: number, rank: number, what: string): number => {
  const r = d < 0 ? d + rank : d;
  if (!Number.isInteger(r) || r < 0 || r >= rank) throw new TrainError(`${what}: dimension ${d} is out of range for a ${rank}-D tensor`);
  return r;
};

/** flatten(start_dim, end_dim): merges a run of dimensions; shares the input's values. */
export class Flatten implements Layer {
  private inShape: number[] = [];

  constructor(private readonly start: number, private readonly end: number) {}

  forward([x]: Tensor[]): Tensor {
    const r = x.shape.length, s = normDim(this.start, r, 'flatten'), e = normDim(this.end, r, 'flatten');
    this.inShape = x.shape;
    if (s > e) throw new TrainError(`flatten: start_dim ${this.start} comes after end_dim ${this.end}`);
    return { shape: [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)], data: x.data };
  }

  backward(dy: Tensor): Array<Tensor | null> {
    return [{ shape: this.inShape, data: dy.data }];
  }
}

/** view/reshape to a target shape; the batch entry (a name such as "N", or -1) is inferred. */
export class Reshape implements Layer {
  private inShape: number[] = [];

  constructor(private readonly target: unknown[]) {}

  forward([x]: Tensor[], ctx?: ForwardContext): Tensor {
    this.inShape = x.shape;
    // sizes traced as symbols (`H*W` of a model traced without an input size) take this batch's sizes
    const target = ctx?.sizes ? this.target.map((d) => (typeof d === 'string' ? evaluateDim(d, ctx.sizes!) ?? d : d)) : this.target;
    const free = target.map((d, i) => (typeof d === 'number' && d >= 0 ? -1 : i)).filter((i) => i >= 0);
    if (free.length > 1) throw new TrainError(`view/reshape to (${this.target.join(', ')}) has more than one size to infer`);
    const known = target.reduce<number>((a, d) => (typeof d === 'number' && d >= 0 ? a * d : a), 1);
    const shape = target.map((d) => (typeof d === 'number' && d >= 0 ? d : x.data.length / known));
    if (numel(shape) !== x.data.length || shape.some((d) => !Number.isInteger(d))) {
      throw new TrainError(`cannot view ${shapeText(x.shape)} as (${this.target.map((d) => d ?? -1).join(', ')})`);
    }
    return { shape, data: x.data };
  }

  backward(dy: Tensor): Array<Tensor | null> {
    return [{ shape: this.inShape, data: dy.data }];
  }
}

/** torch.cat along a dimension. */
export class Cat implements Layer {
  private shapes: number[][] = [];
  private readonly out = new Scratch();
  private readonly grads: Scratch[] = [];

  constructor(private readonly dim: number) {}

  forward(xs: Tensor[]): Tensor {
    const r = xs[0].shape.length, d = normDim(this.dim, r, 'cat');
    for (const x of xs) {
      if (x.shape.length !== r || x.shape.some((s, i) => i !== d && s !== xs[0].shape[i])) {
        throw new TrainError(`cat along dimension ${this.dim}: shapes ${xs.map((t) => shapeText(t.shape)).join(' and ')} differ elsewhere`);
      }
    }
    this.shapes = xs.map((x) => x.shape);
    const total = xs.reduce((a, x) => a + x.shape[d], 0);
    const outer = numel(xs[0].shape.slice(0, d)), inner = numel(xs[0].shape.slice(d + 1));
    const y = this.out.get([...xs[0].shape.slice(0, d), total, ...xs[0].shape.slice(d + 1)]);
    let at = 0;
    for (const x of xs) {
      const run = x.shape[d] * inner;
      for (let o = 0; o < outer; o++) y.data.set(x.data.subarray(o * run, (o + 1) * run), o * total * inner + at);
      at += run;
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const d = normDim(this.dim, dy.shape.length, 'cat'), outer = numel(dy.shape.slice(0, d)), inner = numel(dy.shape.slice(d + 1));
    const total = dy.shape[d] * inner;
    let at = 0;
    return this.shapes.map((s, k) => {
      const run = s[d] * inner, start = at;
      at += run;
      if (!needInput[k]) return null;
      const g = (this.grads[k] ??= new Scratch()).get(s);
      for (let o = 0; o < outer; o++) g.data.set(dy.data.subarray(o * total + start, o * total + start + run), o * run);
      return g;
    });
  }
}

/** Broadcast shape of two shapes (NumPy rules), or an error naming both. */
export function broadcastShape(a: number[], b: number[], what: string): number[] {
  const r = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1, y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new TrainError(`${what}: shapes ${shapeText(a)} and ${shapeText(b)} do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** For each element of `out`, the flat index into a tensor of shape `s` broadcast to it. */
export function broadcastIndex(s: number[], out: number[]): Int32Array {
  const r = out.length, n = numel(out), idx = new Int32Array(n);
  const strides = Array<number>(r).fill(0);
  for (let i = r - 1, st = 1; i >= 0; i--) {
    const si = s[s.length - r + i] ?? 1;
    strides[i] = si === 1 ? 0 : st;
    st *= si;
  }
  const pos = Array<number>(r).fill(0);
  for (let k = 0, at = 0; k < n; k++) {
    idx[k] = at;
    for (let i = r - 1; i >= 0; i--) {
      pos[i]++; at += strides[i];
      if (pos[i] < out[i]) break;
      at -= strides[i] * pos[i]; pos[i] = 0;
    }
  }
  return idx;
}

/** Element-wise add (residual connections) or multiply, with broadcasting. */
export class Binary implements Layer {
  private a: Tensor | null = null;
  private b: Tensor | null = null;
  private ia: Int32Array | null = null;
  private ib: Int32Array | null = null;
  private readonly out = new Scratch();
  private readonly ga = new Scratch();
  private readonly gb = new Scratch();

  constructor(private readonly op: 'add' | 'mul') {}

  forward([a, b]: Tensor[]): Tensor {
    const shape = broadcastShape(a.shape, b.shape, this.op);
    const y = this.out.get(shape), n = y.data.length;
    this.a = a; this.b = b;
    const same = a.data.length === n && b.data.length === n;
    this.ia = same ? null : broadcastIndex(a.shape, shape);
    this.ib = same ? null : broadcastIndex(b.shape, shape);
    const ad = a.data, bd = b.data, yd = y.data, ia = this.ia, ib = this.ib;
    if (this.op === 'add') {
      if (!ia || !ib) addArrays(ad, bd, yd);
      else for (let i = 0; i < n; i++) yd[i] = ad[ia[i]] + bd[ib[i]];
    } else if (!ia || !ib) for (let i = 0; i < n; i++) yd[i] = ad[i] * bd[i];
    else for (let i = 0; i < n; i++) yd[i] = ad[ia[i]] * bd[ib[i]];
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const a = this.a!, b = this.b!;
    return [this.grad(dy, a, b, this.ia, this.ib, this.ga, needInput[0]), this.grad(dy, b, a, this.ib, this.ia, this.gb, needInput[1])];
  }

  /** ∂L/∂self, summed over the dimensions that self was broadcast along. */
  private grad(dy: Tensor, self: Tensor, other: Tensor, is: Int32Array | null, io: Int32Array | null, s: Scratch, need: boolean): Tensor | null {
    if (!need) return null;
    // A same-shape add hands dy on to both inputs, as Flatten does: the network copies a borrowed
    // gradient before summing another into it, and layers only read the dy they are given.
    if (this.op === 'add' && !is) return dy;
    const g = s.zeros(self.shape), n = dy.data.length, gd = g.data, d = dy.data, od = other.data;
    if (this.op === 'add') for (let i = 0; i < n; i++) gd[is![i]] += d[i];
    else if (!is || !io) for (let i = 0; i < n; i++) gd[i] = d[i] * od[i];
    else for (let i = 0; i < n; i++) gd[is[i]] += d[i] * od[io[i]];
    return g;
  }
}

/**
 * A reduction over `dims` (one, several, or all when null): the output shape, the shape with the reduced dims kept
 * as 1, and each input element's output index (the kept shape broadcast back onto the input).
 */
export function reduction(shape: number[], dims: unknown, keepdim: boolean, what: string): { shape: number[]; kept: number[]; map: Int32Array } {
  const raw = dims === undefined || dims === null ? shape.map((_, i) => i) : Array.isArray(dims) ? dims : [dims];
  const reduced = new Set(raw.map((d) => normDim(Number(d), shape.length, what)));
  const kept = shape.map((s, i) => (reduced.has(i) ? 1 : s));
  return { shape: keepdim ? kept : shape.filter((_, i) => !reduced.has(i)), kept, map: broadcastIndex(kept, shape) };
}

/** torch.stack along a new dimension `dim` (0 ≤ dim ≤ rank): a cat of the inputs, each with a dimension of 1 there. */
export class Stack extends Cat {
  private inShapes: number[][] = [];

  constructor(private readonly at: number) {
    super(at);
  }

  override forward(xs: Tensor[]): Tensor {
    this.inShapes = xs.map((x) => x.shape);
    return super.forward(xs.map((x) => ({ shape: [...x.shape.slice(0, this.at), 1, ...x.shape.slice(this.at)], data: x.data })));
  }

  override backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    return super.backward(dy, needInput).map((g, i) => (g ? { shape: this.inShapes[i], data: g.data } : null));
  }
}

/** mean (or sum) over one or more dimensions, with keepdim. */
export class Mean implements Layer {
  private inShape: number[] = [];
  private readonly out = new Scratch();
  private readonly dx = new Scratch();
  private map: Int32Array = new Int32Array(0);
  private count = 1;

  /** `average`: mean, else sum. */
  constructor(private readonly dims: unknown, private readonly keepdim: boolean, private readonly average = true) {}

  forward([x]: Tensor[]): Tensor {
    const red = reduction(x.shape, this.dims, this.keepdim, this.average ? 'mean' : 'sum');
    this.inShape = x.shape;
    this.count = this.average ? x.data.length / numel(red.kept) : 1;
    this.map = red.map;
    const y = this.out.zeros(red.shape), m = this.map;
    for (let i = 0; i < x.data.length; i++) y.data[m[i]] += x.data[i];
    for (let i = 0; i < y.data.length; i++) y.data[i] /= this.count;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const dx = this.dx.get(this.inShape), m = this.map;
    for (let i = 0; i < dx.data.length; i++) dx.data[i] = dy.data[m[i]] / this.count;
    return [dx];
  }
}
