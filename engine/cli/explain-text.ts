// Plain-text rendering of the step model for `convlens explain`: the padded input, each step's
// arithmetic, the output and the size formulas.
import { format, fromNumber } from '../explain/exact';
import type { BackwardExplanation, BoolGrid, Grid, Img2colExplanation, SlidingExplanation } from '../explain/types';

const num = (v: number): string => (v === -Infinity ? '−∞' : format(fromNumber(v)));

/** Right-aligned columns; cells marked true are bracketed (padding). */
function table(rows: string[][], indent = '  '): string[] {
  const width = Math.max(...rows.flat().map((c) => c.length));
  return rows.map((r) => indent + r.map((c) => c.padStart(width)).join('  '));
}

function gridRows(g: Grid, mark?: BoolGrid): string[][] {
  const rows = (Array.isArray(g[0]) ? g : [g]) as number[][];
  const marks = mark ? ((Array.isArray(mark[0]) ? mark : [mark]) as boolean[][]) : undefined;
  return rows.map((r, i) => r.map((v, j) => (marks?.[i][j] ? `[${num(v)}]` : num(v))));
}

const gridLines = (g: Grid, mark?: BoolGrid): string[] => table(gridRows(g, mark));
const matrixLines = (m: number[][], labels?: string[]): string[] => {
  const lines = table(m.map((r) => r.map(num)));
  if (!labels) return lines;
  const w = Math.max(...labels.map((l) => l.length));
  return lines.map((l, i) => `  ${labels[i].padEnd(w)}${l}`);
};

/** Grids with a heading each when there are several. */
function gridsLines(gs: Grid[], heading: string, mark?: BoolGrid): string[] {
  if (gs.length === 1) return gridLines(gs[0], mark);
  return gs.flatMap((g, i) => [`  ${heading} ${i}:`, ...gridLines(g, mark).map((l) => `  ${l}`)]);
}

export function slidingText(name: string, e: SlidingExplanation, kernel?: Grid[][]): string[] {
  const out: string[] = [];
  const axes = e.axes.map((a) => `${e.dims === 2 ? `${a.name}: ` : ''}l = ${a.length}, k = ${a.kernel}, s = ${a.stride}, d = ${a.dilation}`);
  out.push(`${name}: ${axes.join('; ')}${e.channels > 1 ? `; ${e.channels} channels` : ''}${e.op === 'conv' && e.maps > 1 ? `; ${e.maps} filters` : ''}`);
  out.push(`padding: ${e.axes.map((a) => (e.dims === 2 ? `${a.name} ${a.paddingText}` : a.paddingText)).join('; ')}`);
  const padded = e.axes.some((a) => a.padBefore + a.padAfter > 0);
  out.push(padded ? 'padded input ([padding]):' : 'input:', ...gridsLines(e.padded, 'channel', e.isPadding));
  if (kernel) {
    out.push('kernel:');
    kernel.forEach((f, i) => out.push(...(kernel.length > 1 ? [`  filter ${i}:`] : []), ...gridsLines(f, 'channel').map((l) => (kernel.length > 1 ? `  ${l}` : l))));
  }
  out.push('steps:', ...e.steps.map((s) => `  ${s.arithmetic}`));
  out.push(`output (${e.outputShape.join('×')}):`, ...gridsLines(e.outputMaps, e.op === 'conv' ? 'filter' : 'channel'));
  for (const a of e.axes) for (const f of a.formulas) out.push(`${f.label}: ${f.substituted}    [${f.general}]`);
  for (const a of e.axes) {
    if (a.tiling.neverReadInput.length > 0) out.push(`never read along ${a.name}: input positions ${a.tiling.neverReadInput.join(', ')}`);
  }
  out.push(...e.notes.map((n) => `note: ${n}`));
  return out;
}

export function img2colText(e: Img2colExplanation): string[] {
  const c = e.conv;
  const positions = c.steps.filter((s) => s.map === 0).map((s) => `(${s.at.join(', ')})`);
  return [
    `X̂ (${e.xHat.length}×${e.xHat[0].length}): one column per receptive field, output positions ${positions.join(' ')}`,
    ...matrixLines(e.xHat, e.rowLabels),
    `W (${e.w.length}×${e.w[0].length}): one row per filter`,
    ...matrixLines(e.w),
    `Y = W·X̂ (${e.y.length}×${e.y[0].length}):`,
    ...matrixLines(e.y),
    'columns:',
    ...e.steps.flatMap((s) => s.products.map((p) => `  ${p.arithmetic}`)),
    `output (${c.outputShape.join('×')}): Y reshaped`,
    ...gridsLines(c.outputMaps, 'filter'),
    ...c.axes.map((a) => `${a.formulas[0].label}: ${a.formulas[0].substituted}`),
  ];
}

export function backwardText(e: BackwardExplanation): string[] {
  const c = e.img2col.conv;
  return [
    `forward: Y = W·X̂, X̂ ${e.img2col.xHat.length}×${e.img2col.xHat[0].length}`,
    ...matrixLines(e.img2col.xHat, e.img2col.rowLabels),
    'dY:',
    ...matrixLines(e.dY),
    'dW = dY·X̂ᵀ:',
    ...matrixLines(e.dW),
    'dX̂ = Wᵀ·dY:',
    ...matrixLines(e.dXHat, e.img2col.rowLabels),
    'column to image (dx[t·s + i·d] += dx_hat[i, t]):',
    ...e.steps.flatMap((s) => [`  column ${s.column} (output ${s.at.join(', ')}):`, ...s.adds.map((a) => `    ${a.arithmetic}${a.padding ? '  (padding)' : ''}`)]),
    `dX (${e.sharedCells} input cells receive more than one addition: their gradients add up):`,
    ...gridsLines(e.dX, 'channel'),
    ...c.axes.map((a) => `${a.formulas[0].label}: ${a.formulas[0].substituted}`),
  ];
}
