// Embedding: a lookup table; the output is the index tensor's shape plus embedding_dim.
import { ArgReader } from '../../../shapes/args';
import { singleInput } from '../../../shapes/layer-input';
import { paramsFormula, result } from '../../../shapes/layer-result';
import { REQUIRED, type Cfg, type ParamEntry, type TorchLayerSpec } from './spec';

function embeddingParameters(cfg: Cfg): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const [n, d] = [r.int('num_embeddings', 0), r.int('embedding_dim', 0)];
  const frozen = r.bool('_freeze');
  return n === null || d === null || frozen === null ? null : [{ name: 'weight', shape: [n, d], trainable: !frozen }];
}

const embedding: TorchLayerSpec = {
  signature: [
    ['num_embeddings', REQUIRED], ['embedding_dim', REQUIRED], ['padding_idx', null], ['max_norm', null], ['norm_type', 2.0],
    ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ['_freeze', false], ['device', null], ['dtype', null],
  ],
  parameters: embeddingParameters,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Embedding');
    const n = r.int('num_embeddings', 0);
    const d = r.int('embedding_dim', 0);
    const pad = r.optInt('padding_idx', -Number.MAX_SAFE_INTEGER);
    if (typeof pad === 'number' && n !== null && (pad < -n || pad >= n)) r.error('invalid-argument', `Embedding: padding_idx=${pad} must be within num_embeddings=${n}`);
    const x = singleInput(r, inputs);
    return result(r, x && d !== null ? [...x, d] : null, 0, paramsFormula('num_embeddings·embedding_dim', embeddingParameters(cfg)));
  },
};

export const EMBEDDING_LAYERS: Record<string, TorchLayerSpec> = { Embedding: embedding };
