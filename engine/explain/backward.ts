// The backward pass of a convolution through img2col, as in the lecture's implementation:
//   dw = dot(dy, x_hat.T());  dx_hat = dot(w.T(), dy);  for t, i: dx[t+i] += dx_hat[i, t]
// The column-to-image loop is the point: a cell read by several windows gets one addition from
// each, which is why the gradients add up ("why addition?").
import { add, fromNumber, formatFactor, toNumber, ZERO, type Q } from './exact';
import { ExplainError, readPlanes, shown, sizeOf, toGrid, type Plane } from './grid';
import { cellOf, describeImg2col, img2colMatrices, matmul, numbers, transpose } from './img2col';
import { isPad } from './sliding';
import type { BackwardExplanation, BackwardRequest, BackwardStep } from './types';

const index = (pos: number[], channel: number, channels: number): string => (channels > 1 ? [channel, ...pos] : pos).join(', ');

export function explainBackward(req: BackwardRequest): BackwardExplanation {
  const m = img2colMatrices(req);
  const conv = m.sweep.explanation;
  const { dims, channels } = conv;
  const [ah, aw] = m.sweep.axes;
  const filters = m.w.length;

  let dYPlanes: Plane[];
  if (req.dY === undefined) {
    dYPlanes = Array.from({ length: filters }, () => Array.from({ length: ah.outputLength }, () => Array<Q>(aw.outputLength).fill(fromNumber(1))));
  } else {
    dYPlanes = readPlanes(req.dY, dims, 'dY');
    const [h, w] = sizeOf(dYPlanes[0]);
    if (dYPlanes.length !== filters || h !== ah.outputLength || w !== aw.outputLength) {
      throw new ExplainError(`dY must be shaped like the output (${conv.outputShape.join('×')}), got ${[...(filters > 1 ? [dYPlanes.length] : []), ...(dims === 1 ? [w] : [h, w])].join('×')}`);
    }
  }
  const dY = dYPlanes.map((p) => m.cols.map(([i, j]) => p[i][j]));
  const dW = matmul(dY, transpose(m.xHat));
  const dXHat = matmul(transpose(m.w), dY);

  const dx: Plane[] = Array.from({ length: channels }, () => Array.from({ length: ah.paddedLength }, () => Array<Q>(aw.paddedLength).fill(ZERO)));
  const hits = dx.map((p) => p.map((row) => row.map(() => 0)));
  const steps: BackwardStep[] = m.cols.map((pos, t) => {
    const adds = m.rows.map((row, r) => {
      const cell = cellOf(m, r, t);
      const [i, j] = cell;
      const before = dx[row.c][i][j];
      const after = add(before, dXHat[r][t]);
      dx[row.c][i][j] = after;
      hits[row.c][i][j]++;
      return {
        row: r,
        channel: row.c,
        at: shown(cell, dims),
        padding: isPad(m.sweep.axes, i, j),
        before: toNumber(before),
        amount: toNumber(dXHat[r][t]),
        after: toNumber(after),
        arithmetic: `dx[${index(shown(cell, dims), row.c, channels)}] += dx_hat[${r}, ${t}]: ${formatFactor(before)} + ${formatFactor(dXHat[r][t])} = ${formatFactor(after)}`,
      };
    });
    return { column: t, at: shown(pos, dims), adds, dxPadded: dx.map((p) => toGrid(p, dims)) };
  });

  // Gradients that landed in the padding belong to no input cell: crop them away.
  const crop = <T>(p: Plane<T>): Plane<T> => p.slice(ah.padBefore, ah.padBefore + ah.length).map((row) => row.slice(aw.padBefore, aw.padBefore + aw.length));
  const [kh, kw] = [ah.kernel, aw.kernel];
  return {
    img2col: describeImg2col(m),
    dY: numbers(dY),
    dW: numbers(dW),
    dKernel: dW.map((row) => Array.from({ length: channels }, (_, c) =>
      toGrid(Array.from({ length: kh }, (_, a) => row.slice((c * kh + a) * kw, (c * kh + a + 1) * kw)), dims))),
    dXHat: numbers(dXHat),
    steps,
    dxPadded: dx.map((p) => toGrid(p, dims)),
    dX: dx.map((p) => toGrid(crop(p), dims)),
    sharedCells: hits.reduce((n, p) => n + crop(p).flat().filter((h) => h > 1).length, 0),
  };
}
