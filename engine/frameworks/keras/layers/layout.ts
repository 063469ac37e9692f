// Keras's tensor layout: channels last unless `data_format="channels_first"`, and the padding
// strings of TensorFlow ('valid', 'same', 'causal') turned into explicit windows.
import { ceilDiv, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { axesOf, fmt, fmtValue, singleInput } from '../../../shapes/layer-input';
import { applyWindows, paddingInfo, type AxisWindow } from '../../../shapes/window';
import type { Formula, PaddingInfo } from '../../../report/types';

export interface Spatial {
  batch: Dim;
  channels: Dim;
  spatial: Dim[];
  channelsFirst: boolean;
}

/**
 * `data_format`: None and 'channels_last' are channels last (Keras's default; a layer made after
 * `set_image_data_format` has that format bound, api.ts); null when it is unknown.
 */
export function isChannelsFirst(r: ArgReader): boolean | null {
  if (r.isUnknown('data_format')) return r.unknown('data_format');
  const f = r.raw('data_format');
  if (f === undefined || f === null || f === 'channels_last') return false;
  if (f === 'channels_first') return true;
  r.invalid('data_format', `must be 'channels_last' or 'channels_first', got ${show(f)}`);
  return false;
}

/** Reads (batch, *spatial, channels) or (batch, channels, *spatial) of a layer with n spatial axes. */
export function readSpatial(r: ArgReader, inputs: Shape[], n: number): Spatial | null {
  const x = singleInput(r, inputs);
  if (!x) return null;
  const first = isChannelsFirst(r);
  if (first === null) return null;
  if (x.length !== n + 2) {
    const axes = axesOf(n).join(', ');
    r.error('rank-mismatch', `${r.layer} expects a ${n + 2}-D input (batch, ${first ? `channels, ${axes}` : `${axes}, channels`}) but receives ${x.length}-D ${shapeText(x)}`);
    return null;
  }
  return first
    ? { batch: x[0], channels: x[1], spatial: x.slice(2), channelsFirst: true }
    : { batch: x[0], channels: x[n + 1], spatial: x.slice(1, n + 1), channelsFirst: false };
}

/** Puts a layer's output back in the input's layout. */
export const assemble = (s: Spatial, channels: Dim, spatial: Dim[]): Shape =>
  (s.channelsFirst ? [s.batch, channels, ...spatial] : [s.batch, ...spatial, channels]);

/** The name of a stand-in for a None size inside a custom layer's call() (`None_1`, `None_2`…; session.ts `sized`). */
export const NONE_STAND_IN = 'None_';
/** A stand-in for None, or a size made from one (`3·None_2`): None to the user. */
export const isNoneStandIn = (d: Dim): boolean => typeof d === 'string' && d.includes(NONE_STAND_IN);

/** A shape as Keras prints it: `(None, 26, 26, 32)`. */
export const shapeText = (s: Shape): string =>
  `(${s.map((d) => (d === null || isNoneStandIn(d) ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;

export interface TfWindows {
  spatial: Dim[] | null;
  formulas: Formula[];
  padding: PaddingInfo;
  window: { kernel: number[]; stride: number[]; dilation: number[] };
}

/**
 * Output sizes under TensorFlow's padding rules: `valid` o = ⌈(l − d(k−1))/s⌉ (the PyTorch formula
 * with no padding); `causal` pads d(k−1) on the left only; `same` o = ⌈l/s⌉ with total padding
 * max((o−1)s + d(k−1) + 1 − l, 0), the odd pixel on the right/bottom.
 */
export function tfWindows(r: ArgReader, spatial: Dim[], k: number[], s: number[], d: number[], padding: string, axes: string[]): TfWindows {
  const window = { kernel: k, stride: s, dilation: d };
  if (padding === 'same') {
    const out = spatial.map((l, i) => ceilDiv(l, s[i]));
    const split = spatial.map((l, i): [number, number] => {
      const o = out[i];
      const total = typeof l === 'number' && typeof o === 'number' ? Math.max((o - 1) * s[i] + d[i] * (k[i] - 1) + 1 - l, 0) : d[i] * (k[i] - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    const formulas = axes.map((axis, i): Formula => ({ label: `${axis}_out`, general: `⌈${axis}/s⌉ (padding='same')`, substituted: `⌈${fmt(spatial[i])}/${s[i]}⌉ = ${fmtValue(out[i])}` }));
    return { spatial: out, formulas, padding: { kind: 'same', split }, window };
  }
  const windows = k.map((ki, i): AxisWindow => ({ k: ki, s: s[i], d: d[i], before: padding === 'causal' ? d[i] * (ki - 1) : 0, after: 0 }));
  const w = applyWindows(r, spatial, windows, axes, 'sliding');
  return { spatial: w.spatial, formulas: w.formulas, padding: paddingInfo(windows), window };
}

/** `padding`: 'valid' or 'same' (and 'causal' where allowed), case-insensitive as in Keras. */
export function readPaddingMode(r: ArgReader, causal: boolean): string | null {
  const p = r.str('padding');
  if (p === null) return null;
  const mode = p.toLowerCase();
  const allowed = causal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  return allowed.includes(mode) ? mode : r.invalid('padding', `must be ${allowed.map((m) => `'${m}'`).join(', ')}, got ${show(p)}`);
}

/** Reads an int-or-tuple argument of n entries (≥ min), or the default of another argument. */
export function tupleArg(r: ArgReader, name: string, n: number, min: number, fallback?: string): number[] | null {
  if (fallback !== undefined && (r.raw(name) === null || r.raw(name) === undefined)) return r.ints(fallback, n, min);
  return r.ints(name, n, min);
}

