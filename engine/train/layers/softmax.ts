// softmax and log_softmax along a dimension, computed stably (the maximum is subtracted first).
import { Scratch, numel, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer } from './layer';

export class Softmax implements Layer {
  private y: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(private readonly dim: number, private readonly log: boolean) {}

  private split(shape: number[]): [number, number, number] {
    const r = shape.length, d = this.dim < 0 ? this.dim + r : this.dim;
    if (!Number.isInteger(d) || d < 0 || d >= r) throw new TrainError(`softmax: dimension ${this.dim} is out of range for a ${r}-D tensor`);
    return [numel(shape.slice(0, d)), shape[d], numel(shape.slice(d + 1))];
  }

  forward([x]: Tensor[]): Tensor {
    const [outer, D, inner] = this.split(x.shape), y = this.out.get(x.shape), xd = x.data, yd = y.data;
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      const base = o * D * inner + i;
      let m = -Infinity;
      for (let k = 0; k < D; k++) m = Math.max(m, xd[base + k * inner]);
      let s = 0;
      for (let k = 0; k < D; k++) s += Math.exp(xd[base + k * inner] - m);
      const ls = Math.log(s);
      for (let k = 0; k < D; k++) {
        const z = xd[base + k * inner] - m - ls;
        yd[base + k * inner] = this.log ? z : Math.exp(z);
      }
    }
    this.y = y;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const [outer, D, inner] = this.split(dy.shape), dx = this.dx.get(dy.shape), yd = this.y!.data, g = dy.data;
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      const base = o * D * inner + i;
      let s = 0;
      // softmax: dx = y·(g − Σ g·y); log_softmax: dx = g − softmax·Σ g.
      for (let k = 0; k < D; k++) s += this.log ? g[base + k * inner] : g[base + k * inner] * yd[base + k * inner];
      for (let k = 0; k < D; k++) {
        const j = base + k * inner;
        dx.data[j] = this.log ? g[j] - Math.exp(yd[j]) * s : yd[j] * (g[j] - s);
      }
    }
    return [dx];
  }
}
