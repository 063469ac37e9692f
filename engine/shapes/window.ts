// The sliding-window arithmetic shared by convolution, transposed convolution and pooling:
// output size per axis with its formula, the padding read as valid/same/full/manual, the rows
// that a stride leaves unread, and sizes below one.
import type { Formula, PaddingInfo } from '../report/types';
import { add, floorDiv, ceilDiv, mul, sub, type Dim } from './dim';
import type { ArgReader } from './args';
import { AXIS_NOUN, fmt, fmtValue } from './layer-input';

/** One spatial axis of a window: kernel, stride, dilation and the padding on each side. */
export interface AxisWindow {
  k: number;
  s: number;
  d: number;
  before: number;
  after: number;
  /** Transposed convolution only. */
  outputPadding?: number;
}

export interface AxisOut {
  out: Dim;
  formula: Formula;
  /** Trailing positions of the padded input that no window reads (0 when exact or unknown). */
  unread: number;
}

const padTerm = (w: AxisWindow): [string, string] =>
  w.before === w.after ? ['2p', `2·${w.before}`] : ['p_l + p_r', `${w.before} + ${w.after}`];

/**
 * PyTorch's output size of a convolution or pooling window along one axis,
 * `⌊(l + p_l + p_r − d(k−1) − 1)/s⌋ + 1`; with ceil_mode the division rounds up, and the last
 * window is dropped when it would start past the input and its left padding (PyTorch's rule).
 */
export function slidingAxis(l: Dim, w: AxisWindow, axis: string, ceil = false): AxisOut {
  const span = w.d * (w.k - 1) + 1;
  const num = sub(add(l, w.before + w.after), span);
  let out = add((ceil ? ceilDiv : floorDiv)(num, w.s), 1);
  let dropped = false;
  if (ceil && typeof out === 'number' && typeof l === 'number' && (out - 1) * w.s >= l + w.before) {
    out -= 1;
    dropped = true;
  }
  const [pg, ps] = padTerm(w);
  const [open, close] = ceil ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const general = `${open}(${axis} + ${pg} − d(k−1) − 1)/s${close} + 1${ceil ? ', − 1 if the last window would start past the input' : ''}`;
  const substituted = `${open}(${fmt(l)} + ${ps} − ${w.d}·(${w.k}−1) − 1)/${w.s}${close} + 1${dropped ? ' − 1' : ''} = ${fmtValue(out)}`;
  const unread = !ceil && typeof num === 'number' && num >= 0 ? num % w.s : 0;
  return { out, formula: { label: `${axis}_out`, general, substituted }, unread };
}

/** Output size of a transposed convolution along one axis: `(l − 1)s − 2p + d(k−1) + output_padding + 1`. */
export function transposedAxis(l: Dim, w: AxisWindow, axis: string): AxisOut {
  const op = w.outputPadding ?? 0;
  const out = add(mul(sub(l, 1), w.s), w.d * (w.k - 1) + op + 1 - w.before - w.after);
  const [pg, ps] = padTerm(w);
  return {
    out,
    formula: {
      label: `${axis}_out`,
      general: `(${axis} − 1)·s − ${pg.replace(' + ', ' − ')} + d(k−1) + output_padding + 1`,
      substituted: `(${fmt(l)} − 1)·${w.s} − ${ps.replace(' + ', ' − ')} + ${w.d}·(${w.k}−1) + ${op} + 1 = ${fmtValue(out)}`,
    },
    unread: 0,
  };
}

/** valid (no padding), same (explicit, or stride 1 with total d(k−1)), full (d(k−1) each side), manual. */
export function paddingInfo(windows: AxisWindow[], explicitSame = false, transposed = false): PaddingInfo {
  const split = windows.map((w): [number, number] => [w.before, w.after]);
  const ext = (w: AxisWindow): number => w.d * (w.k - 1);
  let kind: PaddingInfo['kind'] = 'manual';
  if (explicitSame) kind = 'same';
  else if (windows.every((w) => w.before === 0 && w.after === 0)) kind = 'valid';
  else if (transposed) kind = 'manual';
  else if (windows.every((w) => w.before === ext(w) && w.after === ext(w))) kind = 'full';
  else if (windows.every((w) => w.s === 1 && w.before + w.after === ext(w))) kind = 'same';
  return { kind, split };
}

export interface WindowedOutput {
  /** Output spatial sizes; null when one is below 1. */
  spatial: Dim[] | null;
  formulas: Formula[];
}

/**
 * Applies one window per spatial axis, reporting sizes below 1 (error) and strides that leave
 * trailing rows of the padded input unread (information, the lecture's "not exact matching").
 */
export function applyWindows(r: ArgReader, spatial: Dim[], windows: AxisWindow[], axes: string[], mode: 'sliding' | 'transposed', ceil = false): WindowedOutput {
  const results = windows.map((w, i) => (mode === 'sliding' ? slidingAxis(spatial[i], w, axes[i], ceil) : transposedAxis(spatial[i], w, axes[i])));
  const formulas = results.map((x) => x.formula);
  const below = results.filter((x) => typeof x.out === 'number' && x.out < 1);
  for (const x of below) {
    r.error('size-below-one', `${r.layer}: output ${x.formula.label.replace('_out', '')} would be ${fmtValue(x.out)}, below 1: ${x.formula.substituted}`);
  }
  const unread = results.map((x, i) => ({ n: x.unread, pad: Math.min(x.unread, windows[i].after), s: windows[i].s, axis: axes[i] })).filter((u) => u.n > 0);
  if (unread.length > 0 && below.length === 0) {
    const strides = [...new Set(unread.map((u) => u.s))];
    const parts = unread.map((u) => `${u.n} ${AXIS_NOUN[u.axis] ?? 'position'}(s)`).join(' and ');
    const pad = unread.reduce((a, u) => a + u.pad, 0);
    const total = unread.reduce((a, u) => a + u.n, 0);
    const note = pad === 0 ? '' : pad === total ? ' (only padding)' : ` (${pad} of them padding)`;
    r.error('inexact-tiling', `stride ${strides.length === 1 ? strides[0] : `(${strides.join(', ')})`} does not tile the padded input: the last ${parts} are never read${note}`, 'info', pad === total);
  }
  return { spatial: below.length > 0 ? null : results.map((x) => x.out), formulas };
}
