// BatchNorm, InstanceNorm, LayerNorm, GroupNorm, LocalResponseNorm. Parameters only: PyTorch keeps
// running statistics as buffers, which a parameter count does not include.
import { formatShape, sameDim } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { checkChannels, inputOfRank } from '../../../shapes/layer-input';
import { paramsFormula, result, weightAndBias } from '../../../shapes/layer-result';
import { REQUIRED, type Cfg, type ParamEntry, type TorchLayerSpec } from './spec';

const DEVICE: Array<[string, unknown]> = [['device', null], ['dtype', null]];

/** weight and bias of `shape` when `flag` (affine / elementwise_affine) is set; null if unknown. */
function affineParams(cfg: Cfg, sizeArg: string, flag: string, list = false): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const on = r.bool(flag);
  const shape = list ? r.intList(sizeArg, 0) : r.int(sizeArg, 1);
  if (on === null || shape === null) return null;
  if (!on) return [];
  const dims = typeof shape === 'number' ? [shape] : shape;
  const bias = list && r.has('bias') ? r.bool('bias') : true;
  if (bias === null) return null;
  return weightAndBias(dims, bias ? dims : null);
}

function batchNormSpec(n: number): TorchLayerSpec {
  const name = `BatchNorm${n}d`;
  const ranks = n === 1 ? [2, 3] : [n + 2];
  return {
    signature: [['num_features', REQUIRED], ['eps', 1e-5], ['momentum', 0.1], ['affine', true], ['track_running_stats', true], ...DEVICE],
    parameters: (cfg) => affineParams(cfg, 'num_features', 'affine'),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const c = r.int('num_features', 1);
      const params = affineParams(cfg, 'num_features', 'affine');
      const x = inputOfRank(r, inputs, (k) => ranks.includes(k), `a ${ranks.join('-D or ')}-D input (N, C${n === 1 ? '[, L]' : ', …'})`);
      if (x) checkChannels(r, c, x[1]);
      return result(r, x, 0, paramsFormula('2·C', params));
    },
  };
}

function instanceNormSpec(n: number): TorchLayerSpec {
  const name = `InstanceNorm${n}d`;
  return {
    signature: [['num_features', REQUIRED], ['eps', 1e-5], ['momentum', 0.1], ['affine', false], ['track_running_stats', false], ...DEVICE],
    parameters: (cfg) => affineParams(cfg, 'num_features', 'affine'),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const c = r.int('num_features', 1);
      const affine = r.bool('affine');
      const params = affineParams(cfg, 'num_features', 'affine');
      const x = inputOfRank(r, inputs, (k) => k === n + 1 || k === n + 2, `a ${n + 2}-D (N, C, …) or ${n + 1}-D unbatched input`);
      // Without affine parameters PyTorch only warns about the mismatch.
      if (x) checkChannels(r, c, x[x.length - n - 1], 'channels', affine === false ? 'warning' : 'error');
      return result(r, x, 0, paramsFormula('2·C', params));
    },
  };
}

const layerNorm: TorchLayerSpec = {
  signature: [['normalized_shape', REQUIRED], ['eps', 1e-5], ['elementwise_affine', true], ['bias', true], ...DEVICE],
  normalize: (cfg) => ({ ...cfg, normalized_shape: typeof cfg.normalized_shape === 'number' ? [cfg.normalized_shape] : cfg.normalized_shape }),
  parameters: (cfg) => affineParams(cfg, 'normalized_shape', 'elementwise_affine', true),
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'LayerNorm');
    const shape = r.intList('normalized_shape', 0);
    const params = affineParams(cfg, 'normalized_shape', 'elementwise_affine', true);
    const x = inputOfRank(r, inputs, (k) => k >= (shape?.length ?? 0), `an input of at least ${shape?.length ?? 0} dimensions`);
    if (x && shape) {
      const tail = x.slice(x.length - shape.length);
      if (tail.some((d, i) => sameDim(d, shape[i]) === false)) {
        r.error('normalized-shape', `LayerNorm normalises over the last dimensions ${formatShape(shape)} but receives ${formatShape(x)}`);
      }
    }
    return result(r, x, 0, paramsFormula('2·∏normalized_shape', params));
  },
};

const groupNorm: TorchLayerSpec = {
  signature: [['num_groups', REQUIRED], ['num_channels', REQUIRED], ['eps', 1e-5], ['affine', true], ...DEVICE],
  parameters: (cfg) => affineParams(cfg, 'num_channels', 'affine'),
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'GroupNorm');
    const g = r.int('num_groups', 1);
    const c = r.int('num_channels', 1);
    if (g !== null && c !== null && c % g !== 0) r.error('groupnorm-groups', `GroupNorm: num_channels=${c} must be divisible by num_groups=${g}`);
    const params = affineParams(cfg, 'num_channels', 'affine');
    const x = inputOfRank(r, inputs, (k) => k >= 2, 'an input (N, C, …) of at least 2 dimensions');
    if (x) checkChannels(r, c, x[1]);
    return result(r, x, 0, paramsFormula('2·C', params));
  },
};

const localResponseNorm: TorchLayerSpec = {
  signature: [['size', REQUIRED], ['alpha', 1e-4], ['beta', 0.75], ['k', 1.0]],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'LocalResponseNorm');
    r.int('size', 1);
    return result(r, inputOfRank(r, inputs, (k) => k >= 3, 'an input (N, C, …) of at least 3 dimensions'), 0);
  },
};

export const NORM_LAYERS: Record<string, TorchLayerSpec> = {
  ...Object.fromEntries([1, 2, 3].flatMap((n) => [[`BatchNorm${n}d`, batchNormSpec(n)], [`InstanceNorm${n}d`, instanceNormSpec(n)]])),
  LayerNorm: layerNorm,
  GroupNorm: groupNorm,
  LocalResponseNorm: localResponseNorm,
};
