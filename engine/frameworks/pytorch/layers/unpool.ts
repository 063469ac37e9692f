// MaxUnpool1d/2d/3d: the partial inverse of max pooling. It takes the pooled tensor and the indices
// MaxPool returned (return_indices=True) and scatters the values into a tensor of
// `(in − 1)·stride − 2·padding + kernel` per axis, or of the `output_size` given to forward()
// (as SegNet-style decoders pass `x.size()` to undo a pooling of an odd size).
import { add, mul, sameDim, sub, formatShape, type Dim } from '../../../shapes/dim';
import { ArgReader, normalizeTuples, show } from '../../../shapes/args';
import { axesOf, channelsFirst } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { REQUIRED, UNKNOWN, type Cfg, type TorchLayerSpec } from './spec';

/** PyTorch's `_unpool_output_size`: `output_size` may hold the spatial sizes or the full (N, C, …) shape. */
function outputSize(r: ArgReader, cfg: Cfg, n: number, defaults: Dim[], stride: number[]): Dim[] | null {
  const given = cfg.output_size;
  if (given === null || given === undefined) return defaults;
  if (given === UNKNOWN || !Array.isArray(given)) return given === UNKNOWN ? r.unknown('output_size') : r.invalid('output_size', `must be a sequence of sizes, got ${show(given)}`);
  const sizes = given.length === n + 2 ? given.slice(2) : given;
  if (sizes.length !== n) {
    r.error('invalid-argument', `${r.layer}: output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${given.length}'`);
    return null;
  }
  if (sizes.some((d) => d === UNKNOWN)) return r.unknown('output_size');
  const out = sizes as Dim[];
  for (let i = 0; i < n; i++) {
    const d = out[i], dflt = defaults[i];
    if (typeof d !== 'number' || typeof dflt !== 'number') continue;
    if (!(dflt - stride[i] < d && d < dflt + stride[i])) {
      r.error('invalid-argument', `${r.layer}: invalid output_size ${show(given)} (dim ${i} must be between ${dflt - stride[i]} and ${dflt + stride[i]})`);
      return null;
    }
  }
  return out;
}

function unpoolSpec(n: number): TorchLayerSpec {
  const name = `MaxUnpool${n}d`;
  return {
    signature: [['kernel_size', REQUIRED], ['stride', null], ['padding', 0]],
    forwardArgs: [['output_size', null]],
    normalize: (cfg) => normalizeTuples(cfg, ['kernel_size', 'stride', 'padding'], n),
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const k = r.ints('kernel_size', n, 1);
      const s = r.has('stride') ? r.ints('stride', n, 1) : k;
      const p = r.ints('padding', n, 0);
      const x = channelsFirst(r, inputs.slice(0, 1), n, true);
      if (inputs.length < 2) r.error('rank-mismatch', `${name} takes the pooled tensor and its indices, but receives ${inputs.length} tensor(s)`);
      else if (x && (inputs[1].length !== inputs[0].length || inputs[1].some((d, i) => sameDim(d, inputs[0][i]) === false))) {
        r.error('indices-mismatch', `${name}: expected shape of indices to be same as that of the input tensor (${formatShape(inputs[0])}) but got indices tensor with shape: ${formatShape(inputs[1])}`);
        return result(r, null, 0);
      }
      if (!k || !s || !p || !x) return result(r, null, 0);
      const defaults = x.spatial.map((l, i) => add(sub(mul(sub(l, 1), s[i]), 2 * p[i]), k[i]));
      const spatial = outputSize(r, cfg, n, defaults, s);
      const formulas = defaults.map((d, i) => ({
        label: `${axesOf(n)[i]}_out`,
        general: '(in − 1)·s − 2p + k',
        substituted: `(${x.spatial[i]} − 1)·${s[i]} − 2·${p[i]} + ${k[i]} = ${d}`,
      }));
      return result(r, spatial && [...x.batch, x.channels, ...spatial], 0, formulas);
    },
  };
}

export const UNPOOL_LAYERS: Record<string, TorchLayerSpec> = { MaxUnpool1d: unpoolSpec(1), MaxUnpool2d: unpoolSpec(2), MaxUnpool3d: unpoolSpec(3) };
