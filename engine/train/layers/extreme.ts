// Reductions to the largest or smallest value (CBAM's `torch.max(x, dim=1, keepdim=True)`, PointNet's
// global max, `amax`). Their gradients follow PyTorch:
// `max`/`min` along a dim send it to the index they return (the first extreme), while `amax`/`amin` and a
// `max()` over every element share it evenly among equal extremes.
import { Scratch, type Tensor } from '../tensor/tensor';
import type { Layer } from './layer';
import { reduction } from './shape-ops';

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
    const red = reduction(x.shape, this.dims, this.keepdim, this.kind);
    this.inShape = x.shape;
    this.map = red.map;
    const y = this.out.get(red.shape);
    const m = this.map, xd = x.data, yd = y.data, sign = this.kind === 'max' ? 1 : -1;
    // kept between steps: a new array per forward would be garbage on every training step
    if (this.chosen.length !== yd.length) this.chosen = new Int32Array(yd.length);
    const chosen = this.chosen.fill(-1);
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
