// Resuming a run: what the loop carries from one epoch to the next, taken at every epoch end
// (`onEpochEnd` of train.ts), so that a run continued from there draws the same random numbers,
// visits the images in the same order and steps the optimiser from the same moments as one that
// was never interrupted. The file format is engine/train/save/checkpoint.ts.
import type { Normalization } from '../data/augment';
import type { Network } from '../graph/network';
import { TrainError } from '../layers/layer';
import type { Optimizer, OptimizerName, OptimizerState } from '../optim/optimizer';
import type { Rng, RngState } from '../tensor/rng';
import type { EpochMetrics } from './train';

export interface ResumeState {
  /** Epochs finished; a resumed run goes on with the next one. */
  epoch: number;
  step: number;
  /** Early stopping had decided to stop after this epoch: a resumed run only evaluates. */
  stoppedEarly: boolean;
  epochs: EpochMetrics[];
  rng: RngState;
  /** The training images' order after the last shuffle (every epoch shuffles it again). */
  order: Int32Array;
  /** Every state_dict entry of the network, in its order (the latest weights, not the best). */
  weights: Float32Array[];
  optimizer: OptimizerState & { name: OptimizerName };
  /** Early stopping's best epoch, its validation loss and weights. */
  best: { loss: number; epoch: number; weights: Float32Array[] } | null;
  /** The lowest validation loss so far (a new best saves the best weights); null before any. */
  bestVal: number | null;
  trainMs: number;
  trainImages: number;
  /** The options a continuation must share: the same seed, batches, split and optimiser. */
  options: { seed: number; batchSize: number; valSplit: number };
  /** dataFingerprint of the data trained on. */
  data: string;
  /** The per-channel statistics the run normalises with (what loading code needs). */
  normalization: Normalization;
}

/** Why a run cannot be resumed: the checkpoint is unreadable, or the model or the data changed. */
export class ResumeError extends TrainError {
  override name = 'ResumeError';
}

/** Checks a state against the network, the data and the options, then puts it into them. */
export function applyResume(s: ResumeState, at: {
  net: Network; opt: Optimizer; optimizer: OptimizerName; rng: Rng; order: Int32Array; data: string;
  options: ResumeState['options'];
}): void {
  const o = s.options, want = at.options;
  if (s.data !== at.data) throw new ResumeError('the training data changed since the run was saved (other images, labels or sizes): resuming would train on other data');
  for (const k of ['seed', 'batchSize', 'valSplit'] as const) {
    if (o[k] !== want[k]) throw new ResumeError(`the run was trained with ${k} ${o[k]}, not ${want[k]}`);
  }
  if (s.optimizer.name !== at.optimizer) throw new ResumeError(`the run was trained with ${s.optimizer.name}, not ${at.optimizer}`);
  if (s.order.length !== at.order.length) throw new ResumeError(`the checkpoint orders ${s.order.length} training images, the data has ${at.order.length}`);
  if (s.weights.length !== at.net.state.length || s.weights.some((w, i) => w.length !== at.net.state[i].value.length)) {
    throw new ResumeError('the checkpoint\'s weights do not fit the model');
  }
  try {
    at.opt.importState(s.optimizer);
  } catch (e) {
    throw new ResumeError(e instanceof Error ? e.message : String(e));
  }
  at.net.restore(s.weights);
  at.rng.state = s.rng;
  at.order.set(s.order);
}
