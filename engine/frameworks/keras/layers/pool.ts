// MaxPooling/AveragePooling 1D/2D/3D (strides default to pool_size, TensorFlow padding) and the
// global poolings (the spatial axes go, or stay as 1 with keepdims).
import { ArgReader } from '../../../shapes/args';
import { axesOf } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { assemble, readPaddingMode, readSpatial, tfWindows } from './layout';
import { noWeights, REQUIRED, type KerasLayerSpec } from './spec';

// Keras 3: MaxPooling's pool_size defaults to 2; AveragePooling's has no default (`AveragePooling2D()` raises)
function poolSpec(name: string, n: number, poolSize: unknown): KerasLayerSpec {
  return {
    signature: [['pool_size', poolSize], ['strides', null], ['padding', 'valid'], ['data_format', null]],
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = readSpatial(r, inputs, n);
      const k = r.ints('pool_size', n, 1);
      const s = r.has('strides') ? r.ints('strides', n, 1) : k;
      const padding = readPaddingMode(r, false);
      if (!x || !k || !s || !padding) return result(r, null, 0);
      const win = tfWindows(r, x.spatial, k, s, k.map(() => 1), padding, axesOf(n));
      return result(r, win.spatial && assemble(x, x.channels, win.spatial), 0, win.formulas, { padding: win.padding, window: win.window });
    },
  };
}

function globalSpec(name: string, n: number): KerasLayerSpec {
  return {
    signature: [['data_format', null], ['keepdims', false]],
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = readSpatial(r, inputs, n);
      const keep = r.bool('keepdims');
      if (!x || keep === null) return result(r, null, 0);
      return result(r, keep ? assemble(x, x.channels, x.spatial.map(() => 1)) : [x.batch, x.channels], 0);
    },
  };
}

export const POOL_LAYERS: Record<string, KerasLayerSpec> = Object.fromEntries([1, 2, 3].flatMap((n) => [
  [`MaxPooling${n}D`, poolSpec(`MaxPooling${n}D`, n, 2)],
  [`AveragePooling${n}D`, poolSpec(`AveragePooling${n}D`, n, REQUIRED)],
  [`GlobalMaxPooling${n}D`, globalSpec(`GlobalMaxPooling${n}D`, n)],
  [`GlobalAveragePooling${n}D`, globalSpec(`GlobalAveragePooling${n}D`, n)],
]));
