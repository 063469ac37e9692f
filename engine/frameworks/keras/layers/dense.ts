// Dense on any rank (it acts on the last axis), and Embedding.
import { product, type Dim } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { inputOfRank } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result } from '../../../shapes/layer-result';
import { shapeText } from './layout';
import { REQUIRED, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';
import type { Shape } from '../../../shapes/dim';

function denseWeights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const units = r.int('units', 1);
  const bias = r.bool('use_bias');
  const x = inputs[0];
  const inF = x?.[x.length - 1];
  if (units === null || bias === null || typeof inF !== 'number') return null;
  return [{ name: 'kernel', shape: [inF, units], trainable: true }, ...(bias ? [{ name: 'bias', shape: [units], trainable: true }] : [])];
}

const dense: KerasLayerSpec = {
  signature: [['units', REQUIRED], ['activation', null], ['use_bias', true]],
  weights: denseWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Dense');
    const units = r.int('units', 1);
    const formulas = paramsFormula('in·units + units', denseWeights(cfg, inputs));
    const x = inputOfRank(r, inputs, (k) => k >= 2, 'an input (batch, …, features) of at least 2 dimensions');
    if (!x || units === null) return result(r, null, null, formulas);
    if (x.length >= 4) {
      r.error('dense-unflattened', `Dense acts on the last axis only: on the ${x.length}-D input ${shapeText(x)} it keeps ${shapeText(x.slice(0, -1))} and maps ${x[x.length - 1] ?? '?'} features to ${units}; add Flatten() or a global pooling before it if one vector per sample is meant`, 'info');
    }
    const output = [...x.slice(0, -1), units];
    const factors: Dim[] = [x[x.length - 1], ...output.slice(1)];
    const macs = product(factors);
    formulas.push(macsFormula('in·units·(other non-batch dims)', factors, macs));
    return result(r, output, macs, formulas);
  },
};

function embeddingWeights(cfg: Cfg): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const n = r.int('input_dim', 1), d = r.int('output_dim', 1);
  return n === null || d === null ? null : [{ name: 'embeddings', shape: [n, d], trainable: true }];
}

const embedding: KerasLayerSpec = {
  signature: [['input_dim', REQUIRED], ['output_dim', REQUIRED]],
  weights: embeddingWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Embedding');
    const d = r.int('output_dim', 1);
    const x = inputOfRank(r, inputs, (k) => k >= 1, 'an input of indices');
    return result(r, x && d !== null ? [...x, d] : null, 0, paramsFormula('input_dim·output_dim', embeddingWeights(cfg)));
  },
};

export const DENSE_LAYERS: Record<string, KerasLayerSpec> = { Dense: dense, Embedding: embedding };
