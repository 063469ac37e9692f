// What "Animate this layer" shows: a convolution or pooling layer of the report turned into the
// animation panel's parameters — its own kernel size, stride, padding and dilation, with the
// spatial sizes scaled down to a watchable number of steps, the channels summarised and made-up
// values, each change said in a note. Pure (no vscode import), so it is unit tested.
import { INPUT_VALUES, KERNEL_VALUES, sampleGrid } from '../engine/explain/index';
import type { PaddingSpec, SlidingOp } from '../engine/explain/types';
import type { LayerRow, ModelReport } from '../engine/report/types';
import type { AnimateParams, AnimateSource } from '../webview/animate/protocol';

/** Outputs per spatial axis that stay watchable: 8 steps in 1D, 5 × 5 in 2D. */
export const WATCHABLE = { 1: 8, 2: 5 } as const;
/** Products per arithmetic line before extra input channels are left out. */
const MAX_TERMS = 50;
const MAX_CHANNELS = 3;
const MAX_FILTERS = 2;

export interface LayerAnimation {
  params: AnimateParams;
  source: AnimateSource;
}

interface Kind {
  op: SlidingOp;
  /** Spatial dimensions of the layer (3 is shown as its last two). */
  dims: 1 | 2 | 3;
}

/** The layer types the panel animates, PyTorch's and Keras's names. */
export function layerKind(type: string): Kind | undefined {
  const m = /^(Conv|MaxPool|MaxPooling|AvgPool|AveragePooling)([123])[dD]$/.exec(type);
  if (!m) return undefined;
  const op: SlidingOp = m[1] === 'Conv' ? 'conv' : m[1].startsWith('Max') ? 'maxpool' : 'avgpool';
  return { op, dims: Number(m[2]) as 1 | 2 | 3 };
}

/** The first layer of a model that the panel can animate (what its CodeLens opens). */
export const firstAnimatable = (model: ModelReport): LayerRow | undefined => model.layers.find((l) => layerKind(l.type));

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A per-axis argument (an int or a list) as `dims` numbers, else the fallback. */
function perAxis(v: unknown, dims: number, fallback: number[]): number[] {
  if (isInt(v)) return Array(dims).fill(v);
  if (Array.isArray(v) && v.length === dims && v.every(isInt)) return v;
  return fallback;
}

/** One axis: the kernel, stride, dilation and padding rule that decide how many outputs a length gives. */
interface Axis {
  k: number;
  s: number;
  d: number;
  /** Fixed [before, after], or TensorFlow's same (it depends on the length). */
  pad: [number, number] | 'tf-same';
}

export function outputLength(a: Axis, l: number): number {
  if (a.pad === 'tf-same') return Math.ceil(l / a.s);
  return Math.floor((l + a.pad[0] + a.pad[1] - a.d * (a.k - 1) - 1) / a.s) + 1;
}

/**
 * A length that gives `target` outputs (or the layer's own when that is already watchable), with
 * the same remainder as the layer's own, so an inexact tiling stays inexact and an exact one exact.
 */
export function watchableLength(a: Axis, own: number | undefined, target: number): number {
  if (own !== undefined && outputLength(a, own) <= target && outputLength(a, own) >= 1) return own;
  if (a.pad === 'tf-same') return (target - 1) * a.s + (own !== undefined ? ((own - 1) % a.s) + 1 : a.s);
  const span = a.d * (a.k - 1) + 1 - a.pad[0] - a.pad[1];
  const remainder = own !== undefined ? (((own - span) % a.s) + a.s) % a.s : 0;
  let l = (target - 1) * a.s + span + remainder;
  while (l < 1) l += a.s;
  return l;
}

function paddingOf(row: LayerRow, framework: ModelReport['framework'], dims: number, k: number[], d: number[]): { spec: PaddingSpec; pads: Array<Axis['pad']> } {
  const p = row.config.padding;
  if (p === 'same' && framework === 'keras') return { spec: { mode: 'same', rule: 'tensorflow' }, pads: Array(dims).fill('tf-same') };
  if (p === 'same') {
    const pads = k.map((kk, i): [number, number] => [Math.floor((d[i] * (kk - 1)) / 2), d[i] * (kk - 1) - Math.floor((d[i] * (kk - 1)) / 2)]);
    return { spec: { mode: 'same', rule: 'pytorch' }, pads };
  }
  const amounts = p === 'valid' || p === undefined || p === null ? Array(dims).fill(0) : perAxis(p, dims, Array(dims).fill(0));
  if (amounts.every((a) => a === 0)) return { spec: { mode: 'valid' }, pads: Array(dims).fill([0, 0]) };
  const split = amounts.map((a): [number, number] => [a, a]);
  return { spec: { mode: 'manual', split }, pads: split };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The panel's parameters for a convolution or pooling layer, or why it cannot be animated. */
export function layerAnimation(model: ModelReport, row: LayerRow, file: string): LayerAnimation | { reason: string } {
  const kind = layerKind(row.type);
  if (!kind) return { reason: `${row.type} \`${row.path}\` is not a convolution or pooling layer: the panel shows the lecture's example instead.` };
  const keras = model.framework === 'keras';
  const cfg = row.config;
  const notes: string[] = [];
  const all = kind.dims;
  const dims: 1 | 2 = all === 1 ? 1 : 2;
  // 3D layers: the last two axes, the depth axis left out.
  const last = <T>(xs: T[]): T[] => xs.slice(xs.length - dims);
  if (all === 3) notes.push('A 3D layer: shown over its last two axes (height and width); the depth axis slides the same way.');

  const k = last(perAxis(cfg.kernel_size ?? cfg.pool_size, all, Array(all).fill(kind.op === 'conv' ? 3 : 2)));
  const stride = last(perAxis(cfg.stride ?? cfg.strides, all, kind.op === 'conv' ? Array(all).fill(1) : perAxis(cfg.kernel_size ?? cfg.pool_size, all, Array(all).fill(2))));
  const dilation = kind.op === 'avgpool' ? Array(dims).fill(1) : last(perAxis(cfg.dilation ?? cfg.dilation_rate, all, Array(all).fill(1)));
  const { spec, pads } = paddingOf(row, model.framework, all, perAxis(cfg.kernel_size ?? cfg.pool_size, all, Array(all).fill(1)), perAxis(cfg.dilation ?? cfg.dilation_rate, all, Array(all).fill(1)));
  const padding: PaddingSpec = spec.mode === 'manual' ? { mode: 'manual', split: last(spec.split) } : spec;
  if (typeof cfg.padding_mode === 'string' && cfg.padding_mode !== 'zeros') notes.push(`padding_mode='${cfg.padding_mode}' is shown as zero padding.`);

  // Spatial sizes: PyTorch (N, C, …), Keras (N, …, C) unless channels_first.
  const input = row.inputShapes[0] ?? [];
  const channelsLast = keras && cfg.data_format !== 'channels_first';
  const spatial = last(channelsLast ? input.slice(1, -1) : input.slice(2));
  const channelDim = channelsLast ? input[input.length - 1] : input[1];
  const lengths = last(Array.from({ length: all }, (_, i) => spatial[i])).map((v, i) => {
    const a: Axis = { k: k[i], s: stride[i], d: dilation[i], pad: last(pads)[i] };
    return watchableLength(a, isInt(v) && v > 0 ? v : undefined, WATCHABLE[dims]);
  });
  const own = spatial.map((v) => (isInt(v) ? String(v) : '?'));
  const shownSize = lengths.join('×');
  if (spatial.some((v) => !isInt(v))) {
    notes.push(`The input size is not known (${own.join('×')}): shown on a ${shownSize} input.`);
  } else if (own.join('×') !== shownSize) {
    notes.push(`Scaled down to watch: the layer sees a ${own.join('×')} input, shown here on ${shownSize} (same kernel, stride, padding and dilation, and the same tiling remainder).`);
  }

  const [rows, cols] = dims === 1 ? [1, lengths[0]] : [lengths[0], lengths[1]];
  const taps = k.reduce((a, b) => a * b, 1);
  let params: AnimateParams;
  if (kind.op === 'conv') {
    const inC = isInt(cfg.in_channels) ? cfg.in_channels : isInt(channelDim) ? channelDim : 1;
    const outC = isInt(cfg.out_channels) ? cfg.out_channels : isInt(cfg.filters) ? cfg.filters : 1;
    const groups = isInt(cfg.groups) && cfg.groups > 0 ? cfg.groups : 1;
    const perGroup = Math.max(1, Math.floor(inC / groups));
    let channels = Math.min(perGroup, MAX_CHANNELS);
    while (channels > 1 && channels * taps > MAX_TERMS) channels--;
    const filters = Math.min(outC, MAX_FILTERS);
    const grouped = groups > 1 ? ` (groups=${groups}: each filter reads ${plural(perGroup, 'channel')})` : '';
    if (channels < perGroup || filters < outC || groups > 1) {
      notes.push(`Channels summarised: the layer has ${plural(inC, 'input channel')} and ${plural(outC, 'filter')}${grouped}; shown with ${plural(channels, 'channel')} and ${plural(filters, 'filter')}. Every output map sums over its channels the same way.`);
    }
    const kr = dims === 1 ? 1 : k[0];
    params = {
      op: 'conv', view: 'sliding', dims,
      input: Array.from({ length: channels }, (_, c) => sampleGrid(dims, rows, cols, c, INPUT_VALUES)),
      kernel: Array.from({ length: filters }, (_, f) => Array.from({ length: channels }, (_, c) => sampleGrid(dims, kr, k[dims - 1], f * channels + c, KERNEL_VALUES))),
      kernelSize: k, stride, dilation, padding, ceilMode: false,
    };
  } else {
    if (isInt(channelDim) && channelDim > 1) notes.push(`Pooling works on each of the ${channelDim} channels alike: one is shown.`);
    params = {
      op: kind.op, view: 'sliding', dims,
      input: [sampleGrid(dims, rows, cols, 0, INPUT_VALUES)],
      kernel: [], kernelSize: k, stride, dilation, padding,
      ceilMode: cfg.ceil_mode === true,
      ...(kind.op === 'avgpool' && typeof cfg.count_include_pad === 'boolean' ? { countIncludePad: cfg.count_include_pad } : {}),
    };
  }
  notes.push(kind.op === 'conv'
    ? 'Values are made up (small whole numbers that read easily): the weights are not known before training.'
    : 'Input values are made up (small whole numbers that read easily).');
  return { params, source: { title: `${row.type} ${row.path} in ${model.name} (${file})`, notes, line: row.line } };
}
