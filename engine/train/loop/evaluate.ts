// Evaluation in eval mode (BatchNorm on running statistics, dropout off): loss and accuracy, plain or
// with test-time augmentation (softmax outputs of the ten views averaged), and per-class counts.
import { writeView, ttaViews, type Normalization, type View } from '../data/augment';
import { imageSize, type Dataset } from '../data/dataset';
import type { Network } from '../graph/network';
import { CrossEntropy, softmaxRows } from '../loss/cross-entropy';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/tensor';

export interface EvalResult {
  loss: number;
  accuracy: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Per image: the predicted class and its probability. */
  predicted: Int32Array;
  confidence: Float32Array;
}

const EVAL_BATCH = 256;

/** `tta`: average the views of the augmentations the run trained with (see ttaViews). */
export function evaluate(net: Network, d: Dataset, norm: Normalization, opts: { tta?: { crop?: boolean; flip?: boolean }; pad?: number; classes: number }): EvalResult {
  const sz = imageSize(d), pad = opts.pad ?? 0;
  const views: View[] = opts.tta ? ttaViews(pad, opts.tta) : [{ oy: pad, ox: pad, flip: false }];
  const ce = new CrossEntropy(net.lossClip()), ctx = { training: false, rng: new Rng(0) };
  const confusion = Array.from({ length: opts.classes }, () => new Array<number>(opts.classes).fill(0));
  const predicted = new Int32Array(d.n), confidence = new Float32Array(d.n);
  let loss = 0, correct = 0;
  for (let start = 0; start < d.n; start += EVAL_BATCH) {
    const B = Math.min(EVAL_BATCH, d.n - start);
    const x = tensor([B, ...d.shape]);
    let probs: Float64Array | null = null, K = 0;
    for (const v of views) {
      for (let i = 0; i < B; i++) writeView(d.x, (start + i) * sz, d.shape, pad, v, norm, x.data, i * sz);
      const logits = net.forward(x, ctx);
      K = logits.shape[1];
      if (views.length === 1) {
        const r = ce.compute(logits, d.y, start, false);
        loss += r.loss * B;
        probs = new Float64Array(B * K);
        softmaxRows(logits, probs);
        break;
      }
      const p = new Float64Array(B * K);
      softmaxRows(logits, p);
      probs ??= new Float64Array(B * K);
      for (let i = 0; i < p.length; i++) probs[i] += p[i] / views.length;
    }
    for (let i = 0; i < B; i++) {
      let arg = 0;
      for (let k = 1; k < K; k++) if (probs![i * K + k] > probs![i * K + arg]) arg = k;
      const y = d.y[start + i];
      predicted[start + i] = arg;
      confidence[start + i] = probs![i * K + arg];
      if (views.length > 1) loss -= Math.log(Math.max(probs![i * K + y], 1e-30));
      if (arg === y) correct++;
      if (y < opts.classes && arg < opts.classes) confusion[y][arg]++;
    }
  }
  return { loss: loss / Math.max(d.n, 1), accuracy: correct / Math.max(d.n, 1), confusion, predicted, confidence };
}
