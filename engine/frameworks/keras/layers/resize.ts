// Layers that set the spatial size of an image batch: Resizing, CenterCrop and RandomCrop, all to
// (height, width) with the channels kept.
import { ArgReader } from '../../../shapes/args';
import { result } from '../../../shapes/layer-result';
import { assemble, readSpatial } from './layout';
import { REQUIRED, noWeights, type KerasLayerSpec } from './spec';

function resizeSpec(name: string): KerasLayerSpec {
  return {
    signature: [['height', REQUIRED], ['width', REQUIRED]],
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = readSpatial(r, inputs, 2);
      const h = r.int('height', 1), w = r.int('width', 1);
      return result(r, x && h !== null && w !== null ? assemble(x, x.channels, [h, w]) : null, 0);
    },
  };
}

export const RESIZE_LAYERS: Record<string, KerasLayerSpec> = {
  Resizing: resizeSpec('Resizing'),
  CenterCrop: resizeSpec('CenterCrop'),
  RandomCrop: resizeSpec('RandomCrop'),
};
