// Reading the user's grids into exact planes and back. A 1D signal is handled as a plane of one
// row, so one sweep serves 1D and 2D; only the printed indices drop the row.
import { fromNumber, toNumber, type Q } from './exact';
import type { Grid } from './types';

/** Bad input to the step model: the message is meant for the user. */
export class ExplainError extends Error {}

/** Rows × columns of exact values. */
export type Plane<T = Q> = T[][];

function readNumber(v: unknown, what: string): Q {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ExplainError(`${what}: ${JSON.stringify(v)} is not a finite number`);
  return fromNumber(v);
}

/** One channel as a plane; `what` names it in messages (`input channel 0`). */
export function readPlane(g: Grid, dims: 1 | 2, what: string): Plane {
  if (!Array.isArray(g) || g.length === 0) throw new ExplainError(`${what} is empty`);
  if (dims === 1) {
    if (g.some((v) => Array.isArray(v))) throw new ExplainError(`${what} must be a list of numbers for 1D`);
    return [(g as number[]).map((v, i) => readNumber(v, `${what}[${i}]`))];
  }
  const rows = g as unknown[];
  if (!rows.every((r) => Array.isArray(r))) throw new ExplainError(`${what} must be a list of rows for 2D`);
  const width = (rows[0] as unknown[]).length;
  return (rows as unknown[][]).map((r, i) => {
    if (r.length === 0 || r.length !== width) throw new ExplainError(`${what}: row ${i} has ${r.length} values, row 0 has ${width}`);
    return r.map((v, j) => readNumber(v, `${what}[${i}][${j}]`));
  });
}

/** Several channels that must share one size. */
export function readPlanes(gs: Grid[], dims: 1 | 2, what: string): Plane[] {
  if (!Array.isArray(gs) || gs.length === 0) throw new ExplainError(`${what} has no channels`);
  const planes = gs.map((g, c) => readPlane(g, dims, gs.length > 1 ? `${what} channel ${c}` : what));
  const [h, w] = sizeOf(planes[0]);
  planes.forEach((p, c) => {
    const [ph, pw] = sizeOf(p);
    if (ph !== h || pw !== w) throw new ExplainError(`${what} channel ${c} is ${ph}×${pw}, channel 0 is ${h}×${w}`);
  });
  return planes;
}

export const sizeOf = <T>(p: Plane<T>): [number, number] => [p.length, p[0].length];

/** Back to the user's shape: a list for 1D, rows for 2D. */
export function toGrid(p: Plane<Q | number>, dims: 1 | 2): Grid {
  const rows = p.map((r) => r.map((v) => (typeof v === 'number' ? v : toNumber(v))));
  return dims === 1 ? rows[0] : rows;
}

/** A position as printed: the row dropped in 1D. */
export const shown = (pos: [number, number], dims: 1 | 2): number[] => (dims === 1 ? [pos[1]] : [...pos]);
