// PixelShuffle (C·r², H, W) → (C, H·r, W·r), PixelUnshuffle the reverse, ChannelShuffle (same shape).
import { floorDiv, mul, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { fmt, fmtValue, inputOfRank } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { REQUIRED, type TorchLayerSpec } from './spec';

/** a / k, which PyTorch requires to be exact (so the floor is right whenever the model runs); undefined, reported, when it is certainly not. */
function divideExactly(r: ArgReader, a: Dim, k: number, what: string): Dim | undefined {
  if (typeof a === 'number' && a % k !== 0) {
    r.error('shape-divisibility', `${r.layer}: ${what} ${a} is not divisible by ${k}`);
    return undefined;
  }
  return floorDiv(a, k);
}

function shuffleSpec(name: string, arg: string, up: boolean): TorchLayerSpec {
  return {
    signature: [[arg, REQUIRED]],
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const f = r.int(arg, 1);
      const x = inputOfRank(r, inputs, (k) => k >= 3, 'an input (…, C, H, W) of at least 3 dimensions');
      if (!x || f === null) return result(r, null, 0);
      const [c, h, w] = x.slice(-3);
      const lead = x.slice(0, -3);
      let out: Shape;
      if (up) {
        const q = divideExactly(r, c, f * f, `the channel count`);
        if (q === undefined) return result(r, null, 0);
        out = [...lead, q, mul(h, f), mul(w, f)];
      } else {
        const [qh, qw] = [divideExactly(r, h, f, 'the height'), divideExactly(r, w, f, 'the width')];
        if (qh === undefined || qw === undefined) return result(r, null, 0);
        out = [...lead, mul(c, f * f), qh, qw];
      }
      return result(r, out, 0, [{ label: 'C_out', general: up ? 'C/r²' : 'C·r²', substituted: `${fmt(c)}${up ? '/' : '·'}${f}² = ${fmtValue(out[lead.length])}` }]);
    },
  };
}

const channelShuffle: TorchLayerSpec = {
  signature: [['groups', REQUIRED]],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'ChannelShuffle');
    const g = r.int('groups', 1);
    const x = inputOfRank(r, inputs, (k) => k >= 3, 'an input (N, C, …) of at least 3 dimensions');
    if (x && g !== null && divideExactly(r, x[1], g, 'the channel count') === undefined) return result(r, null, 0);
    return result(r, x, 0);
  },
};

export const PIXEL_SHUFFLE_LAYERS: Record<string, TorchLayerSpec> = {
  PixelShuffle: shuffleSpec('PixelShuffle', 'upscale_factor', true),
  PixelUnshuffle: shuffleSpec('PixelUnshuffle', 'downscale_factor', false),
  ChannelShuffle: channelShuffle,
};
