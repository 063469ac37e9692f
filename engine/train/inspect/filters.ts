// The first convolution's kernels as small pictures: RGB when it reads three channels, otherwise
// the mean over its input channels; one scale for the whole layer, with zero at mid-grey.
import type { Network } from '../graph/network';
import { toBytes } from './pixels';

export interface Filters {
  path: string;
  line: number;
  count: number;
  /** 3 (RGB) or 1. */
  channels: number;
  kh: number;
  kw: number;
  /** count × channels × kh × kw bytes. */
  pixels: Uint8Array;
}

export function firstLayerFilters(net: Network): Filters | null {
  const node = net.nodes.find((n) => n.type === 'Conv2d' && n.path !== undefined);
  const w = node && net.state.find((e) => e.name === `${node.path}.weight`);
  if (!node || !w || w.shape.length !== 4) return null;
  const [count, cin, kh, kw] = w.shape, taps = kh * kw, channels = cin === 3 ? 3 : 1;
  const values = new Float32Array(count * channels * taps);
  for (let o = 0; o < count; o++) for (let t = 0; t < taps; t++) {
    if (channels === 3) for (let c = 0; c < 3; c++) values[(o * 3 + c) * taps + t] = w.value[(o * cin + c) * taps + t];
    else {
      let s = 0;
      for (let c = 0; c < cin; c++) s += w.value[(o * cin + c) * taps + t];
      values[o * taps + t] = s / cin;
    }
  }
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  const pixels = new Uint8Array(values.length);
  toBytes(values, 0, values.length, -m, m, pixels, 0);
  return { path: node.path!, line: node.line, count, channels, kh, kw, pixels };
}
