// PairwiseDistance and CosineSimilarity (siamese and metric-learning nets): two tensors broadcast
// together and one dimension reduced — the last for the distance, `dim` for the similarity. No
// parameters, no MACs (the convention counts convolution and linear layers only).
import { formatShape, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { broadcast } from '../../../shapes/reshape';
import { result } from '../../../shapes/layer-result';
import type { Cfg, LayerResult, TorchLayerSpec } from './spec';

/** The two inputs broadcast, with dimension `axis` (negative counts from the end) dropped or kept as 1. */
function reduced(r: ArgReader, inputs: Shape[], axis: number | null, keepdim: boolean): LayerResult {
  if (inputs.length !== 2) {
    r.error('rank-mismatch', `${r.layer} takes two input tensors but receives ${inputs.length}`);
    return result(r, null, 0);
  }
  const [a, b] = inputs;
  const both = broadcast(a, b);
  if (both.bad !== undefined) {
    r.error('add-mismatch', `${r.layer}: shapes ${formatShape(a)} and ${formatShape(b)} do not match at dimension ${both.bad}`);
    return result(r, null, 0);
  }
  const rank = both.shape.length;
  if (axis === null) return result(r, null, 0);
  const d = axis < 0 ? axis + Math.max(rank, 1) : axis;
  if (d < 0 || d >= Math.max(rank, 1)) {
    r.error('rank-mismatch', `${r.layer}: dim ${axis} is out of range for ${rank}-D inputs`);
    return result(r, null, 0);
  }
  if (rank === 0) return result(r, [], 0);
  const out = keepdim ? both.shape.map((x, i) => (i === d ? 1 : x)) : both.shape.filter((_, i) => i !== d);
  return result(r, out, 0);
}

const pairwiseDistance: TorchLayerSpec = {
  signature: [['p', 2.0], ['eps', 1e-6], ['keepdim', false]],
  parameters: () => [],
  apply(cfg: Cfg, inputs: Shape[]) {
    const r = new ArgReader(cfg, 'PairwiseDistance');
    const keepdim = r.bool('keepdim');
    return keepdim === null ? result(r, null, 0) : reduced(r, inputs, -1, keepdim);
  },
};

const cosineSimilarity: TorchLayerSpec = {
  signature: [['dim', 1], ['eps', 1e-8]],
  parameters: () => [],
  apply(cfg: Cfg, inputs: Shape[]) {
    const r = new ArgReader(cfg, 'CosineSimilarity');
    return reduced(r, inputs, r.int('dim', -64), false);
  },
};

export const DISTANCE_LAYERS: Record<string, TorchLayerSpec> = {
  PairwiseDistance: pairwiseDistance,
  CosineSimilarity: cosineSimilarity,
};
