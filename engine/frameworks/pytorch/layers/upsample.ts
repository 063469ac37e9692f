// Upsample and its fixed-mode aliases: the output is `size`, or ⌊in·scale_factor⌋ per spatial axis.
import { mul, type Dim } from '../../../shapes/dim';
import { ArgReader, show, toTuple } from '../../../shapes/args';
import { axesOf, fmt, fmtValue, inputOfRank } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { UNKNOWN, type TorchLayerSpec } from './spec';
import type { Formula } from '../../../report/types';

/** Input rank each interpolating mode needs (the others take 3-D to 5-D). */
const MODE_RANK: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
const MODES = ['nearest', 'nearest-exact', 'area', ...Object.keys(MODE_RANK)];

function scaled(l: Dim, f: number): Dim {
  if (Number.isInteger(f)) return mul(l, f);
  if (typeof l === 'number') return Math.floor(l * f);
  return l === null ? null : `⌊${f}*${fmt(l)}⌋`;
}

function upsampleSpec(name: string, fixedMode?: string): TorchLayerSpec {
  const signature: Array<[string, unknown]> = [['size', null], ['scale_factor', null]];
  return {
    signature: fixedMode ? signature : [...signature, ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null]],
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const mode = fixedMode ?? r.str('mode');
      if (mode !== null && !MODES.includes(mode)) r.invalid('mode', `must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${show(mode)}`);
      if (!fixedMode && mode !== null && !(mode in MODE_RANK) && r.has('align_corners')) {
        r.error('invalid-argument', `${name}: align_corners can only be set with the interpolating modes (linear, bilinear, bicubic, trilinear)`);
      }
      const want = mode === null ? undefined : MODE_RANK[mode];
      const x = inputOfRank(r, inputs, (k) => (want ? k === want : k >= 3 && k <= 5), want ? `a ${want}-D input for mode '${mode}'` : 'a 3-D, 4-D or 5-D input (N, C, …)');
      if (!x || mode === null || r.diagnostics.some((d) => d.severity === 'error')) return result(r, null, 0);
      const n = x.length - 2;
      const axes = axesOf(n);
      const hasSize = r.has('size');
      if (hasSize === r.has('scale_factor')) {
        r.error('invalid-argument', `${name}: give exactly one of size and scale_factor`);
        return result(r, null, 0);
      }
      const key = hasSize ? 'size' : 'scale_factor';
      const v = toTuple(r.raw(key), n);
      if (v === UNKNOWN || (Array.isArray(v) && v.includes(UNKNOWN))) return result(r, r.unknown(key), 0);
      // a size read from a symbolic tensor (`size=skip.shape[2:]`) is a symbolic size
      const sized = hasSize ? r.sizes('size', n) : null;
      if (hasSize && !sized) return result(r, null, 0);
      const valid = hasSize || (Array.isArray(v) && v.length === n && v.every((e) => typeof e === 'number' && Number.isFinite(e) && e > 0));
      if (!valid) return result(r, r.invalid(key, `must be a positive number or a tuple of ${n}, got ${show(r.raw(key))}`), 0);
      const values = v as number[];
      const spatial = x.slice(2).map((l, i) => (sized ? sized[i] : scaled(l, values[i])));
      const formulas: Formula[] = hasSize ? [] : axes.map((axis, i) => ({ label: `${axis}_out`, general: `⌊${axis}·scale_factor⌋`, substituted: `⌊${fmt(x[2 + i])}·${values[i]}⌋ = ${fmtValue(spatial[i])}` }));
      if (spatial.some((d) => typeof d === 'number' && d < 1)) {
        r.error('size-below-one', `${name}: the output size ${show(spatial)} has a dimension below 1`);
        return result(r, null, 0, formulas);
      }
      return result(r, [x[0], x[1], ...spatial], 0, formulas);
    },
  };
}

export const UPSAMPLE_LAYERS: Record<string, TorchLayerSpec> = {
  Upsample: upsampleSpec('Upsample'),
  UpsamplingNearest2d: upsampleSpec('UpsamplingNearest2d', 'nearest'),
  UpsamplingBilinear2d: upsampleSpec('UpsamplingBilinear2d', 'bilinear'),
};
