// PyTorch buffers the memory estimate counts: the running statistics of the normalisation layers
// that track them (running_mean and running_var in the parameters' dtype, num_batches_tracked int64).
// Keras keeps them as non-trainable weights, already counted as parameters.
import type { LayerRow } from '../report/types';
import { elements, plus, ZERO, type Elements } from './size-affine';

const TRACKING = /^(BatchNorm[123]d|SyncBatchNorm|InstanceNorm[123]d)$/;

/** Elements of the buffers of the modules the forward pass called (each module once). */
export function bufferElements(rows: LayerRow[]): Elements {
  const seen = new Set<string>();
  let total = ZERO;
  for (const r of rows) {
    if (!TRACKING.test(r.type) || r.config.track_running_stats !== true || seen.has(r.path)) continue;
    seen.add(r.path);
    const c = r.config.num_features;
    if (typeof c === 'number') total = plus(plus(total, elements(2 * c, false)), elements(1, false, true));
  }
  return total;
}
