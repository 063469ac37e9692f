// What each layer of a trained network makes of one image: the outputs of every node with a
// (1, C, H, W) result, the first channels of each scaled on their own to 0…255, for the panel.
import { writeView, type Normalization } from '../data/augment';
import type { Network } from '../graph/network';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/tensor';
import { range, toBytes } from './pixels';

export interface LayerMaps {
  type: string;
  path?: string;
  line: number;
  /** (C, H, W) of the node's output. */
  shape: [number, number, number];
  /** How many channels `pixels` holds (the first ones). */
  shown: number;
  /** shown × H × W bytes, each channel min-max scaled. */
  pixels: Uint8Array;
}

/** Runs `image` (C, H, W, values in [0, 1]) through the network in eval mode and keeps the feature maps. */
export function featureMaps(net: Network, image: Float32Array, shape: [number, number, number], norm: Normalization, maxChannels = 8): LayerMaps[] {
  const x = tensor([1, ...shape]);
  writeView(image, 0, shape, 0, { oy: 0, ox: 0, flip: false }, norm, x.data, 0);
  const maps: LayerMaps[] = [];
  net.forward(x, { training: false, rng: new Rng(0) }, (node, out) => {
    if (out.shape.length !== 4 || out.shape[2] * out.shape[3] < 4) return;
    const [, C, H, W] = out.shape, L = H * W, shown = Math.min(C, maxChannels);
    const pixels = new Uint8Array(shown * L);
    for (let c = 0; c < shown; c++) {
      const [lo, hi] = range(out.data, c * L, L);
      toBytes(out.data, c * L, L, lo, hi, pixels, c * L);
    }
    maps.push({ type: node.type, path: node.path, line: node.line, shape: [C, H, W], shown, pixels });
  });
  return maps;
}
