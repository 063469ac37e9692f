// PyTorch buffers the memory estimate counts: the running statistics of the normalisation layers
// that track them (running_mean and running_var in the parameters' dtype, num_batches_tracked int64),
// of every such module the model holds, called or not; and the buffers the code registers (in the dtype). Keras keeps them as non-trainable weights,
// already counted as parameters.
import type { ModelReport } from '../report/types';
import { tracksRunningStats } from '../frameworks/pytorch/running-stats';
import { elements, plus, ZERO, type Elements } from './size-affine';

/** Elements of the buffers, each module once; a module the forward pass never calls is read from its weight and bias (2·C). */
export function bufferElements(m: Pick<ModelReport, 'layers' | 'modules' | 'buffers'>): { size: Elements; unknown: string[] } {
  const config = new Map(m.layers.map((r) => [r.path, r.config]));
  let size = ZERO;
  const unknown: string[] = [];
  for (const n of m.modules) {
    const c = config.get(n.path);
    const tracks = n.isLeaf ? tracksRunningStats(n.type, c?.track_running_stats) : false;
    if (tracks === null) { unknown.push(`${n.type} ${n.path} (track_running_stats not known)`); continue; }
    if (!tracks) continue;
    const features = c ? c.num_features : n.paramsKnown && n.params > 0 ? n.params / 2 : null;
    if (typeof features !== 'number') { unknown.push(`${n.type} ${n.path} (buffers of unknown size)`); continue; }
    size = plus(plus(size, elements(2 * features, false)), elements(1, false, true));
  }
  for (const b of m.buffers ?? []) {
    const n = b.shape?.every((d) => typeof d === 'number') ? (b.shape as number[]).reduce((x, y) => x * y, 1) : null;
    if (n === null) unknown.push(`buffer ${b.name} (unknown size)`);
    else size = plus(size, elements(n, false));
  }
  return { size, unknown };
}
