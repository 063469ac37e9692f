// `convlens train --save FILE`: the weights in FILE and the metrics beside them (FILE without
// `.safetensors`, plus `.metrics.json`), saved at every checkpoint and at the end. Both are staged
// in full first, and the old metrics are removed before the new weights are renamed into place, so
// a metrics file always describes the weights beside it: a kill between two steps leaves the old
// weights without metrics, or the new ones without, never a torn file or a mismatched pair.
import { createHash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { stageFile } from './atomic-file';

export const metricsPath = (save: string): string => save.replace(/\.safetensors$/, '') + '.metrics.json';

/** `status` is `interrupted` for a checkpoint: what a killed run leaves. */
export function saveWeightsAndMetrics(save: string, weights: Uint8Array, metrics: { status: string; [k: string]: unknown }): void {
  const file = metricsPath(save);
  const w = stageFile(save, weights);
  let m;
  try {
    const weightsSha256 = createHash('sha256').update(weights).digest('hex');
    m = stageFile(file, JSON.stringify({ ...metrics, weightsSha256 }, null, 1));
  } catch (e) {
    w.discard();
    throw e;
  }
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') { w.discard(); m.discard(); throw e; }
  }
  w.commit();
  m.commit();
}
