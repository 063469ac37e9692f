// img2col as the lecture draws it: each receptive field becomes a column of X̂ (channels stacked,
// then kernel rows, then kernel columns, as PyTorch's unfold), each filter a row of W, and the
// convolution is the matrix product Y = W·X̂.
import { formatFactor, formatResult, mul, sum, toNumber, type Q } from './exact';
import { ExplainError, shown } from './grid';
import { isPad, sweep, type Sweep } from './sliding';
import type { FieldCell, Img2colExplanation, Img2colStep, SlidingRequest } from './types';

/** The exact matrices, kept for the backward pass. */
export interface Img2colMatrices {
  sweep: Sweep;
  /** Per row of X̂: channel and kernel offset. */
  rows: Array<{ c: number; a: number; b: number }>;
  /** Per column of X̂: the spatial output position. */
  cols: Array<[number, number]>;
  xHat: Q[][];
  w: Q[][];
}

export const matmul = (a: Q[][], b: Q[][]): Q[][] => a.map((row) => b[0].map((_, j) => sum(row.map((v, k) => mul(v, b[k][j])))));
export const transpose = (a: Q[][]): Q[][] => a[0].map((_, j) => a.map((row) => row[j]));
export const numbers = (a: Q[][]): number[][] => a.map((row) => row.map(toNumber));

/** The padded-input cell that row r of column t reads. */
export function cellOf(m: Img2colMatrices, r: number, t: number): [number, number] {
  const [ah, aw] = m.sweep.axes;
  const { a, b } = m.rows[r];
  const [oi, oj] = m.cols[t];
  return [oi * ah.stride + a * ah.dilation, oj * aw.stride + b * aw.dilation];
}

export function img2colMatrices(req: SlidingRequest): Img2colMatrices {
  if (req.op !== 'conv') throw new ExplainError('img2col explains a convolution');
  const s = sweep(req);
  const [ah, aw] = s.axes;
  const rows: Img2colMatrices['rows'] = [];
  for (let c = 0; c < s.explanation.channels; c++) for (let a = 0; a < ah.kernel; a++) for (let b = 0; b < aw.kernel; b++) rows.push({ c, a, b });
  const cols: Array<[number, number]> = [];
  for (let oi = 0; oi < ah.outputLength; oi++) for (let oj = 0; oj < aw.outputLength; oj++) cols.push([oi, oj]);
  const m: Img2colMatrices = { sweep: s, rows, cols, xHat: [], w: [] };
  m.xHat = rows.map((row, r) => cols.map((_, t) => {
    const [i, j] = cellOf(m, r, t);
    return s.paddedQ[row.c][i][j];
  }));
  m.w = s.kernelQ.map((filter) => rows.map(({ c, a, b }) => filter[c][a][b]));
  return m;
}

function rowLabel({ c, a, b }: { c: number; a: number; b: number }, dims: 1 | 2, channels: number): string {
  const offset = dims === 1 ? `i=${b}` : `a=${a},b=${b}`;
  return channels > 1 ? `c=${c},${offset}` : offset;
}

export const explainImg2col = (req: SlidingRequest): Img2colExplanation => describeImg2col(img2colMatrices(req));

export function describeImg2col(m: Img2colMatrices): Img2colExplanation {
  const conv = m.sweep.explanation;
  const y = matmul(m.w, m.xHat);
  const steps: Img2colStep[] = m.cols.map((pos, t) => {
    const field: FieldCell[] = m.rows.map((row, r) => {
      const cell = cellOf(m, r, t);
      return { channel: row.c, at: shown(cell, conv.dims), padding: isPad(m.sweep.axes, ...cell) };
    });
    return {
      column: t,
      at: shown(pos, conv.dims),
      field,
      values: m.xHat.map((row) => toNumber(row[t])),
      products: m.w.map((wRow, f) => ({
        filter: f,
        value: toNumber(y[f][t]),
        arithmetic: `Y[${f}, ${t}] = W[${f}, :]·X̂[:, ${t}] = ${wRow.map((wv, r) => `${formatFactor(wv)}×${formatFactor(m.xHat[r][t])}`).join(' + ')} ${formatResult(y[f][t])}`,
      })),
    };
  });
  return {
    conv,
    rowLabels: m.rows.map((row) => rowLabel(row, conv.dims, conv.channels)),
    xHat: numbers(m.xHat),
    w: numbers(m.w),
    y: numbers(y),
    steps,
  };
}
