// Layers whose output has their input's shape: activations (PReLU learns one slope per input
// element unless axes are shared), dropout and noise, Rescaling, Normalization (with mean and
// variance adapted later, Keras keeps them as non-trainable weights, plus a count) and the
// shape-keeping augmentation layers.
import { ArgReader } from '../../../shapes/args';
import { paramsFormula, result } from '../../../shapes/layer-result';
import { singleInput } from '../../../shapes/layer-input';
import { REQUIRED, noWeights, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';
import type { Shape } from '../../../shapes/dim';

/** A layer that keeps the shape and owns no weights. */
export function sameShape(name: string, signature: Array<[string, unknown]>): KerasLayerSpec {
  return {
    signature,
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      return result(r, singleInput(r, inputs), 0);
    },
  };
}

function preluWeights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const x = inputs[0];
  if (!x) return null;
  const shared = new ArgReader(cfg, '').raw('shared_axes');
  const axes = shared === null || shared === undefined ? [] : Array.isArray(shared) ? shared : [shared];
  const shape = x.slice(1).map((d, i) => (axes.includes(i + 1) ? 1 : d));
  return shape.every((d): d is number => typeof d === 'number') ? [{ name: 'alpha', shape, trainable: true }] : null;
}

const prelu: KerasLayerSpec = {
  signature: [['alpha_initializer', 'zeros'], ['alpha_regularizer', null], ['alpha_constraint', null], ['shared_axes', null]],
  weights: preluWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'PReLU');
    return result(r, singleInput(r, inputs), 0, paramsFormula('∏ input dims (1 on shared axes)', preluWeights(cfg, inputs)));
  },
};

function normalizationWeights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const x = inputs[0];
  if (r.has('mean') || r.has('variance') || !x) return [];
  const v = r.raw('axis');
  const axes = v === null ? [] : Array.isArray(v) ? v : [v];
  const sizes = axes.map((a) => x[typeof a === 'number' && a < 0 ? x.length + a : Number(a)]);
  if (!sizes.every((d): d is number => typeof d === 'number')) return null;
  return [
    { name: 'mean', shape: sizes, trainable: false },
    { name: 'variance', shape: sizes, trainable: false },
    { name: 'count', shape: [], trainable: false },
  ];
}

const normalization: KerasLayerSpec = {
  signature: [['axis', -1], ['mean', null], ['variance', null], ['invert', false]],
  weights: normalizationWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Normalization');
    return result(r, singleInput(r, inputs), 0, paramsFormula('2·C + 1 (mean, variance, count; not trainable)', normalizationWeights(cfg, inputs)));
  },
};

const SAME: Record<string, Array<[string, unknown]>> = {
  Activation: [['activation', REQUIRED]],
  ReLU: [['max_value', null], ['negative_slope', 0], ['threshold', 0]],
  LeakyReLU: [['negative_slope', 0.3]],
  ELU: [['alpha', 1.0]],
  Softmax: [['axis', -1]],
  ThresholdedReLU: [['theta', 1.0]],
  Dropout: [['rate', REQUIRED], ['noise_shape', null], ['seed', null]],
  SpatialDropout1D: [['rate', REQUIRED]],
  SpatialDropout2D: [['rate', REQUIRED], ['data_format', null]],
  SpatialDropout3D: [['rate', REQUIRED], ['data_format', null]],
  GaussianNoise: [['stddev', REQUIRED]],
  GaussianDropout: [['rate', REQUIRED]],
  AlphaDropout: [['rate', REQUIRED]],
  ActivityRegularization: [['l1', 0], ['l2', 0]],
  Identity: [],
  Masking: [['mask_value', 0]],
  Rescaling: [['scale', REQUIRED], ['offset', 0]],
  RandomFlip: [['mode', 'horizontal_and_vertical'], ['seed', null]],
  RandomRotation: [['factor', REQUIRED], ['fill_mode', 'reflect'], ['interpolation', 'bilinear'], ['seed', null]],
  RandomZoom: [['height_factor', REQUIRED], ['width_factor', null]],
  RandomTranslation: [['height_factor', REQUIRED], ['width_factor', REQUIRED]],
  RandomContrast: [['factor', REQUIRED], ['seed', null]],
  RandomBrightness: [['factor', REQUIRED], ['value_range', [0, 255]], ['seed', null]],
  // output_mode="int" (the default): one index per token, the input's shape
  StringLookup: [['max_tokens', null], ['num_oov_indices', 1], ['mask_token', null], ['oov_token', '[UNK]'], ['vocabulary', null]],
  IntegerLookup: [['max_tokens', null], ['num_oov_indices', 1], ['mask_token', null], ['oov_token', -1], ['vocabulary', null]],
};

export const ELEMENTWISE_LAYERS: Record<string, KerasLayerSpec> = {
  ...Object.fromEntries(Object.entries(SAME).map(([name, sig]) => [name, sameShape(name, sig)])),
  PReLU: prelu,
  Normalization: normalization,
};
