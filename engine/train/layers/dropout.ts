// Inverted dropout: in training each value (Dropout) or each whole channel (Dropout1d/2d/3d) is
// zeroed with probability p and the survivors are scaled by 1/(1−p); in evaluation it is the identity, unless
// it drops `always` (F.dropout(x, p) with its default training=True, which model.eval() does not turn off).
import { Scratch, type Tensor } from '../tensor/tensor';
import { TrainError, type ForwardContext, type Layer } from './layer';

export class Dropout implements Layer {
  private mask = new Float32Array(0);
  private active = false;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(private readonly p: number, private readonly channelwise: boolean, readonly always = false) {
    if (!(p >= 0 && p <= 1)) throw new TrainError(`dropout probability has to be between 0 and 1, got ${p}`);
  }

  forward([x]: Tensor[], ctx: ForwardContext): Tensor {
    this.active = (ctx.training || this.always) && this.p > 0;
    if (!this.active) return x;
    const y = this.out.get(x.shape), n = x.data.length;
    // The mask covers one value per unit dropped together: a value, or a (sample, channel) plane.
    const unit = this.channelwise && x.shape.length > 2 ? x.shape.slice(2).reduce((a, b) => a * b, 1) : 1;
    if (this.mask.length < n) this.mask = new Float32Array(n);
    const keep = this.p === 1 ? 0 : 1 / (1 - this.p), m = this.mask;
    for (let i = 0; i < n; i += unit) {
      const v = ctx.rng.uniform() < this.p ? 0 : keep;
      for (let j = i; j < i + unit; j++) m[j] = v;
    }
    for (let i = 0; i < n; i++) y.data[i] = x.data[i] * m[i];
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    if (!this.active) return [dy];
    const dx = this.dx.get(dy.shape);
    for (let i = 0; i < dy.data.length; i++) dx.data[i] = dy.data[i] * this.mask[i];
    return [dx];
  }
}
