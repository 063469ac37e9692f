// Dropout variants: the shape passes through; p must be a probability. The channel-wise variants
// expect (N, C, *spatial) or its unbatched form: Dropout1d raises on other ranks, 2d/3d only warn.
import { ArgReader } from '../../../shapes/args';
import { inputOfRank, singleInput } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import type { TorchLayerSpec } from './spec';

function dropoutSpec(name: string, spatial?: number): TorchLayerSpec {
  return {
    signature: [['p', 0.5], ['inplace', false]],
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const p = r.num('p');
      if (p !== null && (p < 0 || p > 1)) r.invalid('p', `must be a probability between 0 and 1, got ${p}`);
      const x = spatial === undefined
        ? singleInput(r, inputs)
        : inputOfRank(r, inputs, (k) => k === spatial + 1 || k === spatial + 2, `a ${spatial + 2}-D (N, C, …) or ${spatial + 1}-D unbatched input`, spatial === 1 ? 'error' : 'warning');
      return result(r, x, 0);
    },
  };
}

export const DROPOUT_LAYERS: Record<string, TorchLayerSpec> = {
  Dropout: dropoutSpec('Dropout'),
  Dropout1d: dropoutSpec('Dropout1d', 1),
  Dropout2d: dropoutSpec('Dropout2d', 2),
  Dropout3d: dropoutSpec('Dropout3d', 3),
  AlphaDropout: dropoutSpec('AlphaDropout'),
  FeatureAlphaDropout: dropoutSpec('FeatureAlphaDropout'),
};
