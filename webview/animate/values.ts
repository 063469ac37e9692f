// The values the panel lets you type, in the syntax of `convlens explain` (numbers by `,`, rows by
// `;` or a new line, channels by `|`, filters by `/`), and resizing grids when a size changes.
import { INPUT_VALUES, KERNEL_VALUES, sampleGrid } from '../../engine/explain/index';
import type { Grid } from '../../engine/explain/types';
import { parseChannels, parseFilters } from '../../engine/cli/explain-values';

/** New lines separate rows unless a line already ends or starts with a separator. */
export function normalise(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .reduce((acc, line) => (acc === '' ? line : /[;|/,]$/.test(acc) || /^[;|/,]/.test(line) ? `${acc}${line}` : `${acc};${line}`), '');
}

const gridText = (g: Grid): string => (Array.isArray(g[0]) ? (g as number[][]).map((r) => r.join(', ')).join('\n') : (g as number[]).join(', '));

/** Channels one after another, `|` on a line between them. */
export const formatChannels = (gs: Grid[]): string => gs.map(gridText).join('\n|\n');
/** Filters one after another, `/` on a line between them. */
export const formatFilters = (fs: Grid[][]): string => fs.map(formatChannels).join('\n/\n');

export const parseInput = (text: string, dims: 1 | 2): Grid[] => parseChannels(normalise(text), dims, 'input');
export const parseKernel = (text: string, dims: 1 | 2): Grid[][] => parseFilters(normalise(text), dims, 'kernel');

/** [rows, cols] of a grid (rows = 1 for a list). */
export const gridSize = (g: Grid): [number, number] => (Array.isArray(g[0]) ? [g.length, (g[0] as number[]).length] : [1, g.length]);

/** The grid at a new size: the values that fit are kept, new cells get made-up ones. */
export function resizeGrid(g: Grid | undefined, dims: 1 | 2, rows: number, cols: number, seed: number, kernel: boolean): Grid {
  const fresh = sampleGrid(dims, rows, cols, seed, kernel ? KERNEL_VALUES : INPUT_VALUES);
  if (!g) return fresh;
  const old: number[][] = Array.isArray(g[0]) ? (g as number[][]) : [g as number[]];
  const at = (i: number, j: number, v: number) => (i < old.length && j < old[i].length ? old[i][j] : v);
  if (dims === 1) return (fresh as number[]).map((v, j) => at(0, j, v));
  return (fresh as number[][]).map((r, i) => r.map((v, j) => at(i, j, v)));
}

/** The channel list at a new count and size. */
export const resizeChannels = (gs: Grid[], count: number, dims: 1 | 2, rows: number, cols: number, seed: number, kernel: boolean): Grid[] =>
  Array.from({ length: count }, (_, c) => resizeGrid(gs[c], dims, rows, cols, seed + c, kernel));
