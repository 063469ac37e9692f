// Softmax cross-entropy on logits (N, C), averaged over the batch, computed stably:
// loss_n = logΣ exp(z − max) − (z_y − max). The gradient is (softmax − onehot)/N.
// With `clip` (a Keras model's softmax output, sparse categorical cross-entropy with from_logits=False),
// the probability is clipped to [clip, 1 − clip] first, as Keras does: a row whose p_y is clipped has the
// loss −log of the bound and no gradient.
import { Scratch, type Tensor } from '../tensor/tensor';
import { TrainError } from '../layers/layer';

export interface LossResult {
  loss: number;
  /** How many rows the arg-max got right. */
  correct: number;
  grad: Tensor;
}

export class CrossEntropy {
  private readonly g = new Scratch();

  constructor(private readonly clip = 0) {}

  /** labels[offset + n] is the class of row n. */
  compute(logits: Tensor, labels: ArrayLike<number>, offset = 0, withGrad = true): LossResult {
    if (logits.shape.length !== 2) throw new TrainError(`the model's output has to be (N, classes) for cross-entropy, got (${logits.shape.join(', ')})`);
    const [N, C] = logits.shape, z = logits.data;
    const grad = this.g.get(logits.shape), gd = grad.data;
    let total = 0, correct = 0;
    for (let n = 0; n < N; n++) {
      const y = labels[offset + n], row = n * C;
      if (!(y >= 0 && y < C)) throw new TrainError(`label ${y} is outside the model's ${C} outputs`);
      let m = -Infinity, arg = 0;
      for (let c = 0; c < C; c++) if (z[row + c] > m) { m = z[row + c]; arg = c; }
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[row + c] - m);
      let nll = Math.log(s) - (z[row + y] - m);
      const lo = this.clip, clipped = lo > 0 && (nll > -Math.log(lo) || nll < -Math.log1p(-lo));
      if (clipped) nll = Math.min(Math.max(nll, -Math.log1p(-lo)), -Math.log(lo));
      total += nll;
      if (arg === y) correct++;
      if (withGrad) for (let c = 0; c < C; c++) gd[row + c] = clipped ? 0 : (Math.exp(z[row + c] - m) / s - (c === y ? 1 : 0)) / N;
    }
    return { loss: total / N, correct, grad };
  }
}

/** Row-wise softmax of logits (N, C) into `out` (for averaging predictions). */
export function softmaxRows(logits: Tensor, out: Float64Array): void {
  const [N, C] = logits.shape, z = logits.data;
  for (let n = 0; n < N; n++) {
    let m = -Infinity, s = 0;
    for (let c = 0; c < C; c++) m = Math.max(m, z[n * C + c]);
    for (let c = 0; c < C; c++) s += Math.exp(z[n * C + c] - m);
    for (let c = 0; c < C; c++) out[n * C + c] = Math.exp(z[n * C + c] - m) / s;
  }
}
