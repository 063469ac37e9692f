// The forward sweep of a convolution or a pooling window: pads the input, slides the window, and
// records for every output cell the cells it read, the products (or values) and the result.
import { resolveAxis, type AxisRequest } from './axes';
import { add, cmp, divInt, format, formatFactor, formatResult, mul, sum, toNumber, ZERO, type Q } from './exact';
import { ExplainError, readPlanes, shown, sizeOf, toGrid, type Plane } from './grid';
import type { AxisInfo, FieldCell, PaddingSpec, SlidingExplanation, SlidingRequest, SlidingStep } from './types';

/** Enough for any watchable example; keeps a mistyped size from building millions of steps. */
const MAX_TERMS = 500_000;

/** The sweep with its exact values, shared with img2col and the backward pass. */
export interface Sweep {
  explanation: SlidingExplanation;
  /** Internal axes, row axis first (a trivial one in 1D). */
  axes: [AxisInfo, AxisInfo];
  paddedQ: Plane[];
  kernelQ: Plane[][];
}

function perAxis(v: number[] | undefined, dims: number, fallback: number[], what: string): number[] {
  if (v === undefined) return fallback;
  if (v.length === 1) return Array(dims).fill(v[0]);
  if (v.length !== dims) throw new ExplainError(`${what}: ${v.length} values for ${dims} spatial axes`);
  return v;
}

const trivialAxis = (): AxisRequest => ({ name: 'row', length: 1, kernel: 1, stride: 1, dilation: 1, ceil: false });

function readKernel(req: SlidingRequest, channels: number): Plane[][] {
  if (req.op !== 'conv') return [];
  const k = req.kernel;
  if (!Array.isArray(k) || k.length === 0) throw new ExplainError('convolution needs a kernel');
  const filters = k.map((f, i) => {
    if (!Array.isArray(f) || f.length !== channels) {
      throw new ExplainError(`filter ${i} has ${Array.isArray(f) ? f.length : 0} channels, the input has ${channels}`);
    }
    return readPlanes(f, req.dims, k.length > 1 ? `kernel filter ${i}` : 'kernel');
  });
  const [h, w] = sizeOf(filters[0][0]);
  filters.forEach((f, i) => {
    const [fh, fw] = sizeOf(f[0]);
    if (fh !== h || fw !== w) throw new ExplainError(`filter ${i} is ${fh}×${fw}, filter 0 is ${h}×${w}`);
  });
  return filters;
}

function pad(plane: Plane, [ah, aw]: [AxisInfo, AxisInfo], value: Q): Plane {
  const out: Plane = [];
  for (let i = 0; i < ah.paddedLength; i++) {
    const row: Q[] = [];
    for (let j = 0; j < aw.paddedLength; j++) {
      const si = i - ah.padBefore;
      const sj = j - aw.padBefore;
      row.push(si >= 0 && si < ah.length && sj >= 0 && sj < aw.length ? plane[si][sj] : value);
    }
    out.push(row);
  }
  return out;
}

/** Whether a padded-coordinate cell is padding. */
export const isPad = ([ah, aw]: [AxisInfo, AxisInfo], i: number, j: number): boolean =>
  i < ah.padBefore || i >= ah.padBefore + ah.length || j < aw.padBefore || j >= aw.padBefore + aw.length;

/** `y[0]`, `y[0, 1]`, `y[2, 0, 1]`. */
export const outputLabel = (index: number[]): string => `y[${index.join(', ')}]`;

function convArithmetic(terms: Array<[Q, Q]>, field: FieldCell[], channels: number): string {
  const products = terms.map(([w, x]) => `${formatFactor(w)}×${formatFactor(x)}`);
  if (channels === 1) return products.join(' + ');
  // Several input channels: one bracket per channel, then the channels are summed.
  const groups: string[] = [];
  for (let c = 0; c < channels; c++) groups.push(`(${products.filter((_, t) => field[t].channel === c).join(' + ')})`);
  return groups.join(' + ');
}

/** What a window makes of the cells it read: the sum of products, the maximum or the mean. */
function combine(op: SlidingRequest['op'], pairs: Array<[Q, Q]>, field: FieldCell[], channels: number, label: string): { value: Q; arithmetic: string; chosen?: number } {
  if (op === 'conv') {
    const value = sum(pairs.map(([wq, xq]) => mul(wq, xq)));
    return { value, arithmetic: `${label} = ${convArithmetic(pairs, field, channels)} ${formatResult(value)}` };
  }
  if (pairs.length === 0) throw new ExplainError(`window ${label} reads only padding; use less padding`);
  if (op === 'maxpool') {
    const chosen = pairs.reduce((best, p, t) => (cmp(p[1], pairs[best][1]) > 0 ? t : best), 0);
    const value = pairs[chosen][1];
    return { value, chosen, arithmetic: `${label} = max(${pairs.map((p) => format(p[1])).join(', ')}) ${formatResult(value)}` };
  }
  const value = divInt(pairs.reduce((acc, p) => add(acc, p[1]), ZERO), pairs.length);
  return { value, arithmetic: `${label} = (${pairs.map((p) => formatFactor(p[1])).join(' + ')})/${pairs.length} ${formatResult(value)}` };
}

/** Validates the request and sweeps it; `explain` returns the public half. */
export function sweep(req: SlidingRequest): Sweep {
  if (req.dims !== 1 && req.dims !== 2) throw new ExplainError(`dims must be 1 or 2, got ${String(req.dims)}`);
  if (!['conv', 'maxpool', 'avgpool'].includes(req.op)) throw new ExplainError(`unknown operation ${String(req.op)}`);
  const dims = req.dims;
  const input = readPlanes(req.input, dims, 'input');
  const channels = input.length;
  const kernelQ = readKernel(req, channels);
  const pool = req.op !== 'conv';
  if (req.ceilMode && !pool) throw new ExplainError('ceil_mode is a pooling option');

  const kernelSize = pool
    ? perAxis(req.kernelSize, dims, [], 'kernel size')
    : (([h, w]) => (dims === 1 ? [w] : [h, w]))(sizeOf(kernelQ[0][0]));
  if (kernelSize.length !== dims) throw new ExplainError('pooling needs a kernel size');
  const stride = perAxis(req.stride, dims, pool ? kernelSize : Array(dims).fill(1), 'stride');
  const dilation = perAxis(req.dilation, dims, Array(dims).fill(1), 'dilation');
  const padding: PaddingSpec = req.padding ?? { mode: 'valid' };
  const [h, w] = sizeOf(input[0]);
  const lengths = dims === 1 ? [w] : [h, w];
  const names = dims === 1 ? ['l'] : ['h', 'w'];
  const resolved = lengths.map((length, a) =>
    resolveAxis({ name: names[a], length, kernel: kernelSize[a], stride: stride[a], dilation: dilation[a], ceil: !!req.ceilMode }, padding, a),
  );
  const axes = (dims === 1 ? [resolveAxis(trivialAxis(), { mode: 'valid' }, 0), resolved[0]] : resolved) as [AxisInfo, AxisInfo];
  const [ah, aw] = axes;
  const maps = pool ? channels : kernelQ.length;
  const termsPerStep = (pool ? 1 : channels) * ah.kernel * aw.kernel;
  if (maps * ah.outputLength * aw.outputLength * termsPerStep > MAX_TERMS) {
    throw new ExplainError(`too large to explain step by step (${maps * ah.outputLength * aw.outputLength} outputs × ${termsPerStep} terms); use smaller sizes`);
  }

  const padValue = req.op === 'maxpool' ? -Infinity : 0;
  // Max pooling never reads its padding, so the padded planes hold 0 there and the sweep skips it.
  const paddedQ = input.map((p) => pad(p, axes, ZERO));
  const tfSame = padding.mode === 'same' && padding.rule === 'tensorflow';
  const includePad = req.countIncludePad ?? !tfSame;
  const steps: SlidingStep[] = [];
  const outputQ: Plane[] = Array.from({ length: maps }, () => Array.from({ length: ah.outputLength }, () => Array<Q>(aw.outputLength).fill(ZERO)));

  for (let m = 0; m < maps; m++) {
    for (let oi = 0; oi < ah.outputLength; oi++) {
      for (let oj = 0; oj < aw.outputLength; oj++) {
        const origin: [number, number] = [oi * ah.stride, oj * aw.stride];
        const field: FieldCell[] = [];
        const pairs: Array<[Q, Q]> = [];
        for (const c of pool ? [m] : [...Array(channels).keys()]) {
          for (let a = 0; a < ah.kernel; a++) {
            for (let b = 0; b < aw.kernel; b++) {
              const i = origin[0] + a * ah.dilation;
              const j = origin[1] + b * aw.dilation;
              // ceil_mode windows may hang past the padded input: those cells do not exist.
              if (i >= ah.paddedLength || j >= aw.paddedLength) continue;
              const padding = isPad(axes, i, j);
              if (padding && (req.op === 'maxpool' || (req.op === 'avgpool' && !includePad))) continue;
              field.push({ channel: c, at: shown([i, j], dims), padding });
              pairs.push([pool ? ZERO : kernelQ[m][c][a][b], paddedQ[c][i][j]]);
            }
          }
        }
        const index = shown([oi, oj], dims);
        const label = outputLabel(maps > 1 ? [m, ...index] : index);
        const { value, arithmetic, chosen } = combine(req.op, pairs, field, channels, label);
        outputQ[m][oi][oj] = value;
        steps.push({
          output: maps > 1 ? [m, ...index] : index,
          map: m,
          at: index,
          origin: shown(origin, dims),
          field,
          terms: pairs.map(([wq, xq]) => (pool ? [toNumber(xq)] : [toNumber(wq), toNumber(xq)])),
          ...(chosen !== undefined ? { chosen } : {}),
          value: toNumber(value),
          arithmetic,
        });
      }
    }
  }

  const shownAxes = dims === 1 ? [aw] : [ah, aw];
  const outputMaps = outputQ.map((p) => toGrid(p, dims));
  const spatialShape = shownAxes.map((a) => a.outputLength);
  const explanation: SlidingExplanation = {
    op: req.op,
    dims,
    channels,
    maps,
    axes: shownAxes,
    padding: {
      // One reading for the layer: the axes agree, or it is manual.
      kind: shownAxes.every((a) => a.paddingKind === shownAxes[0].paddingKind) ? shownAxes[0].paddingKind : 'manual',
      split: shownAxes.map((a) => [a.padBefore, a.padAfter]),
    },
    padded: paddedQ.map((p) => toGrid(p.map((row, i) => row.map((v, j) => (isPad(axes, i, j) ? padValue : toNumber(v)))), dims)),
    isPadding: (() => {
      const rows = Array.from({ length: ah.paddedLength }, (_, i) => Array.from({ length: aw.paddedLength }, (_, j) => isPad(axes, i, j)));
      return dims === 1 ? rows[0] : rows;
    })(),
    padValue,
    outputMaps,
    output: maps === 1 ? outputMaps[0] : outputMaps,
    outputShape: maps === 1 ? spatialShape : [maps, ...spatialShape],
    formula: shownAxes.map((a) => `${a.formulas[0].label} = ${a.formulas[0].substituted}`).join('; '),
    steps,
    notes: notes(req, padding, shownAxes, includePad),
  };
  return { explanation, axes, paddedQ, kernelQ };
}

function notes(req: SlidingRequest, padding: PaddingSpec, axes: AxisInfo[], includePad: boolean): string[] {
  const out: string[] = [];
  const pool = req.op !== 'conv';
  if (padding.mode === 'same' && padding.rule === 'pytorch' && axes.some((a) => a.stride > 1)) {
    out.push("PyTorch refuses padding='same' with stride > 1; TensorFlow's rule (tf-same) is defined for it");
  }
  if (padding.mode === 'manual' && axes.some((a) => a.padBefore !== a.padAfter)) {
    out.push('PyTorch layers pad both sides alike: asymmetric padding needs F.pad(x, …) before the layer');
  }
  if (pool && axes.some((a) => Math.max(a.padBefore, a.padAfter) > Math.floor(a.kernel / 2))) {
    out.push('PyTorch pooling allows at most kernel_size/2 padding per side');
  }
  if (req.op === 'avgpool' && axes.some((a) => a.padBefore + a.padAfter > 0)) {
    out.push(includePad ? 'padding cells count in the average (PyTorch count_include_pad=True)' : 'padding cells are left out of the average (as TensorFlow does)');
  }
  if (req.op === 'maxpool' && axes.some((a) => a.padBefore + a.padAfter > 0)) out.push('max pooling pads with −∞: padding never wins');
  for (const a of axes) {
    if (a.tiling.neverRead.length > 0) {
      const why = a.tiling.exact ? `stride ${a.stride} skips cells along ${a.name}` : `stride ${a.stride} does not tile ${a.name} exactly`;
      out.push(`${why}: padded positions ${a.tiling.neverRead.join(', ')} are never read`);
    }
  }
  return out;
}

/** The public explanation of a convolution or pooling. */
export const explain = (req: SlidingRequest): SlidingExplanation => sweep(req).explanation;
