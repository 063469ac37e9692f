// Linear and Bilinear: they act on the last dimension, whatever the rank before it.
import { formatShape, product, sameDim, type Dim } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { fmt, inputOfRank, perSample } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result, weightAndBias } from '../../../shapes/layer-result';
import { REQUIRED, type Cfg, type ParamEntry, type TorchLayerSpec } from './spec';

function linearParameters(cfg: Cfg): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const i = r.int('in_features', 0);
  const o = r.int('out_features', 0);
  const bias = r.bool('bias');
  return i === null || o === null || bias === null ? null : weightAndBias([o, i], bias ? [o] : null);
}

const linear: TorchLayerSpec = {
  signature: [['in_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
  parameters: linearParameters,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Linear');
    const inF = r.int('in_features', 0);
    const outF = r.int('out_features', 0);
    const formulas = paramsFormula('in·out + out', linearParameters(cfg));
    const x = inputOfRank(r, inputs, (k) => k >= 1, 'an input (…, in_features) of at least 1 dimension');
    if (!x || outF === null) return result(r, null, null, formulas);
    const got = x[x.length - 1];
    if (inF !== null && sameDim(got, inF) === false) {
      r.error('linear-in-features', `Linear expects in_features=${inF} but receives ${fmt(got)} features; set in_features=${fmt(got)}`);
    }
    const output = [...x.slice(0, -1), outF];
    // MACs per sample: in_features for every output element after the batch dimension.
    const factors: Dim[] = [inF, ...perSample(output, output.length > 1)];
    const macs = product(factors);
    formulas.push(macsFormula('in·out·(other non-batch dims)', factors, macs));
    return result(r, output, macs, formulas);
  },
};

function bilinearParameters(cfg: Cfg): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const [a, b, o] = [r.int('in1_features', 0), r.int('in2_features', 0), r.int('out_features', 0)];
  const bias = r.bool('bias');
  return a === null || b === null || o === null || bias === null ? null : weightAndBias([o, a, b], bias ? [o] : null);
}

const bilinear: TorchLayerSpec = {
  signature: [['in1_features', REQUIRED], ['in2_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
  parameters: bilinearParameters,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Bilinear');
    const formulas = paramsFormula('out·in1·in2 + out', bilinearParameters(cfg));
    const outF = r.int('out_features', 0);
    if (inputs.length !== 2 || !inputs.every(Array.isArray)) {
      r.error('rank-mismatch', `Bilinear takes two input tensors but receives ${inputs.length}`);
      return result(r, null, 0, formulas);
    }
    const [x1, x2] = inputs;
    if (x1.length < 1 || x2.length !== x1.length) {
      r.error('rank-mismatch', `Bilinear inputs must have the same rank ≥ 1, got ${formatShape(x1)} and ${formatShape(x2)}`);
      return result(r, null, 0, formulas);
    }
    for (const [x, arg] of [[x1, 'in1_features'], [x2, 'in2_features']] as const) {
      const want = r.int(arg, 0);
      const got = x[x.length - 1];
      if (want !== null && sameDim(got, want) === false) r.error('linear-in-features', `Bilinear expects ${arg}=${want} but receives ${fmt(got)} features; set ${arg}=${fmt(got)}`);
    }
    return result(r, outF === null ? null : [...x1.slice(0, -1), outF], 0, formulas);
  },
};

export const LINEAR_LAYERS: Record<string, TorchLayerSpec> = { Linear: linear, Bilinear: bilinear };
