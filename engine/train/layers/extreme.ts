// Reductions to the largest or smallest value (CBAM's `torch.max(x, dim=1, keepdim=True)`, PointNet's
// global max, `amax`). Their gradients follow PyTorch:
// `max`/`min` along a dim send it to the index they return (the first extreme), while `amax`/`amin` and a
// `max()` over every element share it evenly among equal extremes.
import { Scratch, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer } from './layer';
import { broadcastIndex } from './shape-ops';

const normDim = (d: number, rank: number): number => {
  const r = d < 0 ? d + rank : d;
  if (!Number.isInteger(r) || r < 0 || r >= rank) throw new TrainError(`max/min: dimension ${d} is out of range for a ${rank}-D tensor`);
  return r;
};

export class Extreme implements Layer {
  private inShape: number[] = [];
  private map: Int32Array = new Int32Array(0);
  /** Per output element: the input index chosen (first ties) or how many inputs share the extreme (even ties). */
  private chosen: Int32Array = new Int32Array(0);
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(private readonly kind: 'max' | 'min', private readonly dims: unknown, private readonly keepdim: boolean,
    private readonly ties: 'first' | 'even') {}

  forward([x]: Tensor[]): Tensor {
    const r = x.shape.length;
    const raw = this.dims === undefined || this.dims === null ? x.shape.map((_, i) => i) : Array.isArray(this.dims) ? this.dims : [this.dims];
    const dims = new Set(raw.map((d) => normDim(Number(d), r)));
    const kept = x.shape.map((s, i) => (dims.has(i) ? 1 : s));
    this.inShape = x.shape;
    this.map = broadcastIndex(kept, x.shape);
    const y = this.out.get(this.keepdim ? kept : x.shape.filter((_, i) => !dims.has(i)));
    const m = this.map, xd = x.data, yd = y.data, sign = this.kind === 'max' ? 1 : -1;
    const chosen = (this.chosen = new Int32Array(yd.length).fill(-1));
    for (let i = 0; i < xd.length; i++) {
      const o = m[i];
      if (chosen[o] < 0 || sign * (xd[i] - yd[o]) > 0) { yd[o] = xd[i]; chosen[o] = i; }
    }
    if (this.ties === 'even') {
      chosen.fill(0);
      for (let i = 0; i < xd.length; i++) if (xd[i] === yd[m[i]]) chosen[m[i]]++;
    }
    this.x = x; this.y = y;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const dx = this.dx.zeros(this.inShape), dd = dx.data, g = dy.data, c = this.chosen;
    if (this.ties === 'first') {
      for (let o = 0; o < c.length; o++) dd[c[o]] = g[o];
    } else {
      const m = this.map, xd = this.x!.data, yd = this.y!.data;
      for (let i = 0; i < xd.length; i++) if (xd[i] === yd[m[i]]) dd[i] = g[m[i]] / c[m[i]];
    }
    return [dx];
  }
}
