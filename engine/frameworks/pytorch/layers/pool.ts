// Max/Avg/LP pooling 1d/2d/3d (stride defaults to kernel_size; ceil_mode), adaptive pooling, and
// Unfold (im2col), which slides the same windows, and its inverse Fold.
import { floorDiv, formatShape, mul, product, sameDim, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader, normalizeTuples, show, toTuple } from '../../../shapes/args';
import { axesOf, channelsFirst, singleInput } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { REQUIRED, UNKNOWN, type Cfg, type TorchLayerSpec } from './spec';
import type { LayerResult } from '../../../shapes/layer-spec';
import { applyWindows, paddingInfo, type AxisWindow } from '../../../shapes/window';

type Kind = 'Max' | 'Avg' | 'LP';

function poolSignature(kind: Kind, n: number): Array<[string, unknown]> {
  if (kind === 'LP') return [['norm_type', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['ceil_mode', false]];
  const head: Array<[string, unknown]> = [['kernel_size', REQUIRED], ['stride', null], ['padding', 0]];
  if (kind === 'Max') return [...head, ['dilation', 1], ['return_indices', false], ['ceil_mode', false]];
  return [...head, ['ceil_mode', false], ['count_include_pad', true], ...(n > 1 ? [['divisor_override', null] as [string, unknown]] : [])];
}

/** Max pooling returns `(output, indices)` with return_indices=True (the indices MaxUnpool takes). */
const returnsIndices = (cfg: Cfg): boolean | null => (cfg.return_indices === UNKNOWN ? null : Boolean(cfg.return_indices));

/** Reads the window of a pooling layer; PyTorch requires padding ≤ kernel_size/2. */
function poolWindows(r: ArgReader, kind: Kind, n: number): AxisWindow[] | null {
  const k = r.ints('kernel_size', n, 1);
  const s = r.has('stride') ? r.ints('stride', n, 1) : k;
  const p = kind === 'LP' ? Array<number>(n).fill(0) : r.ints('padding', n, 0);
  const d = kind === 'Max' ? r.ints('dilation', n, 1) : Array<number>(n).fill(1);
  if (kind === 'LP') r.num('norm_type');
  if (!k || !s || !p || !d) return null;
  if (p.some((pi, i) => pi > Math.floor(k[i] / 2))) {
    r.error('invalid-argument', `${r.layer}: padding ${show(p)} must be at most half of kernel_size ${show(k)}`);
    return null;
  }
  return k.map((ki, i) => ({ k: ki, s: s[i], d: d[i], before: p[i], after: p[i] }));
}

/**
 * A kernel read from the input's own symbolic size (`F.max_pool1d(x, x.size(2))`, global pooling in text CNNs):
 * with no stride or padding of its own and the kernel the whole input, one output per axis; any other symbolic
 * kernel is unknown, said so. Undefined when every kernel size is a number (the usual rule reads it).
 */
function wholeWindow(r: ArgReader, inputs: Shape[], n: number): LayerResult | undefined {
  const raw = r.raw('kernel_size');
  const k = typeof raw === 'string' ? Array<unknown>(n).fill(raw) : toTuple(raw, n);
  if (!Array.isArray(k) || !k.some((d) => typeof d === 'string')) return undefined;
  // a symbolic size beside an unknown or malformed entry is no window to compare
  if (k.some((d) => typeof d !== 'number' && typeof d !== 'string')) {
    return result(r, r.isUnknown('kernel_size') ? r.unknown('kernel_size') : r.invalid('kernel_size', `must be an int or a tuple of ${n} ints, got ${show(raw)}`), 0);
  }
  const x = channelsFirst(r, inputs, n, true);
  const plain = !r.has('stride') && [r.raw('padding')].flat().every((p) => p === 0) && [r.raw('dilation') ?? 1].flat().every((d) => d === 1);
  if (!x || !plain || !k.every((d, i) => sameDim(d as Dim, x.spatial[i]) === true)) return result(r, r.unknown('kernel_size'), 0);
  return result(r, [...x.batch, x.channels, ...k.map(() => 1)], 0);
}

function poolSpec(kind: Kind, n: number): TorchLayerSpec {
  const name = `${kind}Pool${n}d`;
  const axes = axesOf(n);
  return {
    signature: poolSignature(kind, n),
    normalize: (cfg) => normalizeTuples(cfg, ['kernel_size', 'stride', 'padding', 'dilation'], n),
    parameters: () => [],
    ...(kind === 'Max' ? { returnsIndices } : {}),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const whole = wholeWindow(r, inputs, n);
      if (whole !== undefined) return whole;
      const windows = poolWindows(r, kind, n);
      const ceil = r.bool('ceil_mode');
      const x = channelsFirst(r, inputs, n, true);
      if (!windows || !x || ceil === null) return result(r, null, 0);
      const w = applyWindows(r, x.spatial, windows, axes, 'sliding', ceil);
      const extra = {
        padding: paddingInfo(windows),
        window: { kernel: windows.map((a) => a.k), stride: windows.map((a) => a.s), dilation: windows.map((a) => a.d) },
      };
      return result(r, w.spatial && [...x.batch, x.channels, ...w.spatial], 0, w.formulas, extra);
    },
  };
}

/**
 * `output_size`: an int, or a tuple whose None entries keep the input size; a symbolic size (another tensor's
 * `shape[-2:]` when the input size is not given) is an int whose value is not known.
 */
function readOutputSize(r: ArgReader, n: number): Dim[] | null {
  const v = r.raw('output_size');
  if (v === UNKNOWN || (Array.isArray(v) && v.includes(UNKNOWN))) return r.unknown('output_size');
  const list = typeof v === 'number' || typeof v === 'string' || v === null ? Array<unknown>(n).fill(v) : v;
  // None (keep the input size) is accepted from 2-D on; the 1-D functions take ints only.
  const ok = (e: unknown): boolean => (e === null && n > 1) || typeof e === 'string' || (Number.isSafeInteger(e) && (e as number) >= 1);
  if (!Array.isArray(list) || list.length !== n || !list.every(ok)) {
    return r.invalid('output_size', `must be an int ≥ 1 or a tuple of ${n} ${n > 1 ? 'ints or None' : 'int'}, got ${show(v)}`);
  }
  return list as Dim[];
}

function adaptiveSpec(kind: 'Max' | 'Avg', n: number): TorchLayerSpec {
  const name = `Adaptive${kind}Pool${n}d`;
  return {
    signature: kind === 'Max' ? [['output_size', REQUIRED], ['return_indices', false]] : [['output_size', REQUIRED]],
    ...(kind === 'Max' ? { returnsIndices } : {}),
    normalize: (cfg) => ({ ...cfg, output_size: typeof cfg.output_size === 'number' || typeof cfg.output_size === 'string'
      ? Array<unknown>(n).fill(cfg.output_size) : cfg.output_size }),
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const size = readOutputSize(r, n);
      const x = channelsFirst(r, inputs, n, true);
      if (!size || !x) return result(r, null, 0);
      const spatial: Dim[] = size.map((o, i) => o ?? x.spatial[i]);
      return result(r, [...x.batch, x.channels, ...spatial], 0);
    },
  };
}

/** Per axis: the given output size, or ⌊input·ratio⌋ (F.fractional_max_pool2d's rule). */
function fractionalSizes(r: ArgReader, spatial: Dim[], n: number): Dim[] | null {
  if (r.has('output_size') === r.has('output_ratio')) {
    r.error('invalid-argument', `${r.layer}: give exactly one of output_size and output_ratio`);
    return null;
  }
  if (r.has('output_size')) return r.ints('output_size', n, 1);
  const raw = r.raw('output_ratio');
  if (r.isUnknown('output_ratio')) return r.unknown('output_ratio');
  const ratio = toTuple(raw, n);
  if (!Array.isArray(ratio) || ratio.length !== n || !ratio.every((v) => typeof v === 'number' && v > 0 && v < 1)) {
    return r.invalid('output_ratio', `must be between 0 and 1, got ${show(raw)}`);
  }
  // a symbolic size divides exactly only by a ratio 1/k; any other product is left unknown, said so
  const out = spatial.map((d, i) => {
    const q = ratio[i] as number;
    if (typeof d === 'number') return Math.floor(d * q);
    return Number.isInteger(1 / q) ? floorDiv(d, 1 / q) : null;
  });
  return out.every((d) => d !== null) ? out : r.unknown('output_ratio');
}

// nn.FractionalMaxPool2d/3d: random pseudo-pooling regions, a fixed output size, no parameters
function fractionalSpec(n: number): TorchLayerSpec {
  const name = `FractionalMaxPool${n}d`;
  return {
    signature: [['kernel_size', REQUIRED], ['output_size', null], ['output_ratio', null], ['return_indices', false],
      ['_random_samples', null]],
    returnsIndices,
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const k = r.ints('kernel_size', n, 1);
      const x = channelsFirst(r, inputs, n, true);
      const out = x && fractionalSizes(r, x.spatial, n);
      if (!k || !x || !out) return result(r, null, 0);
      // PyTorch's bound: output + kernel − 1 ≤ input in 2-D, strictly below it in 3-D
      const room = (i: number) => (x.spatial[i] as number) - (n === 3 ? 1 : 0);
      const tooBig = out.findIndex((o, i) => typeof o === 'number' && typeof x.spatial[i] === 'number' && o + k[i] - 1 > room(i));
      if (tooBig >= 0) {
        r.error('invalid-argument', `${name}: kernel ${k[tooBig]} is too large for output ${out[tooBig]} from input ${x.spatial[tooBig]}`
          + ` (output + kernel − 1 must be ${n === 3 ? 'below' : 'at most'} the input)`);
        return result(r, null, 0);
      }
      return result(r, [...x.batch, x.channels, ...out], 0);
    },
  };
}

// nn.Unfold (im2col): every sliding 2-D window becomes a column, (N, C, H, W) -> (N, C·kh·kw, L)
const unfold: TorchLayerSpec = {
  signature: [['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]],
  normalize: (cfg) => normalizeTuples(cfg, ['kernel_size', 'dilation', 'padding', 'stride'], 2),
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Unfold');
    const [k, d, p, s] = [r.ints('kernel_size', 2, 1), r.ints('dilation', 2, 1), r.ints('padding', 2, 0), r.ints('stride', 2, 1)];
    const x = channelsFirst(r, inputs, 2, true);
    if (!k || !d || !p || !s || !x) return result(r, null, 0);
    const w = applyWindows(r, x.spatial, k.map((ki, i) => ({ k: ki, s: s[i], d: d[i], before: p[i], after: p[i] })), axesOf(2), 'sliding');
    const blocks = w.spatial ? product(w.spatial) : null;
    return result(r, [...x.batch, mul(x.channels, k[0] * k[1]), blocks], 0, w.formulas);
  },
};

// nn.Fold (col2im), Unfold's inverse: (N, C·kh·kw, L) -> (N, C, *output_size), summing overlaps
const fold: TorchLayerSpec = {
  signature: [['output_size', REQUIRED], ['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]],
  normalize: (cfg) => normalizeTuples(cfg, ['output_size', 'kernel_size', 'dilation', 'padding', 'stride'], 2),
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Fold');
    const [o, k] = [r.sizes('output_size', 2), r.ints('kernel_size', 2, 1)];
    const x = singleInput(r, inputs);
    if (!o || !k || !x) return result(r, null, 0);
    if (x.length !== 3 && x.length !== 2) {
      r.error('rank-mismatch', `Fold expects a 3-D (N, C·kh·kw, L) or 2-D input but receives ${x.length}-D ${formatShape(x)}`);
      return result(r, null, 0);
    }
    const cols = x[x.length - 2];
    const channels = typeof cols === 'number' ? (cols % (k[0] * k[1]) === 0 ? cols / (k[0] * k[1]) : null) : floorDiv(cols, k[0] * k[1]);
    if (channels === null) r.error('invalid-argument', `Fold: ${cols} input columns are not a multiple of kernel_size ${k[0]}·${k[1]}`);
    return result(r, channels === null ? null : [...x.slice(0, -2), channels, ...o], 0);
  },
};

export const POOL_LAYERS: Record<string, TorchLayerSpec> = Object.fromEntries([1, 2, 3].flatMap((n) => [
  [`MaxPool${n}d`, poolSpec('Max', n)],
  [`AvgPool${n}d`, poolSpec('Avg', n)],
  [`LPPool${n}d`, poolSpec('LP', n)],
  [`AdaptiveMaxPool${n}d`, adaptiveSpec('Max', n)],
  [`AdaptiveAvgPool${n}d`, adaptiveSpec('Avg', n)],
]).concat([['Unfold', unfold], ['Fold', fold], ['FractionalMaxPool2d', fractionalSpec(2)],
  ['FractionalMaxPool3d', fractionalSpec(3)]]));
