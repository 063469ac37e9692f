// The rank and channels of a model's input as its first layer fixes them (a convolution, a norm, a Linear).
import type { PyInstance } from '../../python/values';
import type { Dim } from '../../shapes/dim';
import { namedModules, stateOf } from './nn';

/** The rank and channels the model's first layer reads (of the given rank only, when `only` is set). */
export function firstLayerInput(model: PyInstance, only?: number): { rank: number; channels: Dim } | undefined {
  const known = (v: unknown): Dim => (typeof v === 'number' ? v : null);
  for (const [, m] of namedModules(model)) {
    const layer = stateOf(m).layer;
    if (!layer) continue;
    // a lazy layer fixes the rank but not the channels (they stay symbolic)
    const conv = /^(?:Lazy)?Conv(?:Transpose)?([123])d$/.exec(layer.type);
    const bn = /^(?:Lazy)?BatchNorm([123])d$/.exec(layer.type);
    // layers that fix the rank only (patch extraction `nn.Unfold` before a Linear reads images)
    const spatial = /^(?:Unfold|PixelShuffle|PixelUnshuffle)$/.test(layer.type) ? 2
      : Number(/^(?:Max|Avg|AdaptiveAvg|AdaptiveMax|LP)Pool([123])d$/.exec(layer.type)?.[1]);
    const found = conv ? { rank: Number(conv[1]) + 2, channels: known(layer.cfg.in_channels) }
      : /^(?:Lazy)?Linear$/.test(layer.type) ? { rank: 2, channels: known(layer.cfg.in_features) }
      : bn ? { rank: Number(bn[1]) + 2, channels: known(layer.cfg.num_features) }
      : spatial ? { rank: spatial + 2, channels: null } : undefined;
    if (found && (only === undefined || found.rank === only)) return found;
  }
  return undefined;
}
