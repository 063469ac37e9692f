// Input shapes as layers see them: (N, C, *spatial) with or without the batch, and the symbols
// used for each spatial axis in formulas and messages.
import { formatShape, type Dim, type Shape } from './dim';
import type { ArgReader } from './args';

/** Axis symbols for 1, 2 and 3 spatial dimensions. */
export const AXES: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };
/** What one step along an axis is called in messages. */
export const AXIS_NOUN: Record<string, string> = { L: 'element', D: 'slice', H: 'row', W: 'column' };

export const axesOf = (n: number): string[] => AXES[n] ?? Array.from({ length: n }, (_, i) => `S${i}`);

/** A dim as a formula's result: `?` when unknown. */
export const fmtValue = (d: Dim): string => (d === null ? '?' : String(d));

/** A dim inside a formula: parenthesised when it is a sum. */
export function fmt(d: Dim): string {
  const s = fmtValue(d);
  return /.[+\-−]/.test(s) ? `(${s})` : s;
}

export interface ChannelsFirst {
  /** `[N]` or `[]` for unbatched input. */
  batch: Dim[];
  channels: Dim;
  spatial: Dim[];
}

/** The one input of a single-input layer, or a rank diagnostic. */
export function singleInput(r: ArgReader, inputs: Shape[]): Shape | null {
  const x = inputs[0];
  if (!Array.isArray(x)) {
    r.error('rank-mismatch', `${r.layer} receives no input tensor`);
    return null;
  }
  return x;
}

/** Reads (N, C, *spatial), or (C, *spatial) when `unbatched` is allowed; reports other ranks. */
export function channelsFirst(r: ArgReader, inputs: Shape[], n: number, unbatched: boolean): ChannelsFirst | null {
  const x = singleInput(r, inputs);
  if (!x) return null;
  const names = ['C', ...axesOf(n)];
  if (x.length === n + 2) return { batch: [x[0]], channels: x[1], spatial: x.slice(2) };
  if (unbatched && x.length === n + 1) return { batch: [], channels: x[0], spatial: x.slice(1) };
  const batched = `${n + 2}-D (N, ${names.join(', ')})`;
  const expected = unbatched ? `a ${batched} or ${n + 1}-D unbatched (${names.join(', ')}) input` : `a ${batched} input`;
  r.error('rank-mismatch', `${r.layer} expects ${expected} but receives ${x.length}-D ${formatShape(x)}`);
  return null;
}

/** Reports a certain mismatch between the channels a layer was built for and those that arrive. */
export function checkChannels(r: ArgReader, expected: number | null, got: Dim, what = 'channels', severity: 'error' | 'warning' = 'error'): void {
  if (expected === null || typeof got !== 'number' || got === expected) return;
  r.error('channel-mismatch', `${r.layer} expects ${expected} input ${what} but receives ${got}`, severity);
}

/** The dimensions of one sample: everything after the batch dimension (all of them when unbatched). */
export function perSample(shape: Shape, batched: boolean): Dim[] {
  return batched ? shape.slice(1) : shape;
}

/** The input if its rank is one of `ranks`, else a rank diagnostic (`what` describes the layout). */
export function inputOfRank(r: ArgReader, inputs: Shape[], ranks: (rank: number) => boolean, what: string, severity: 'error' | 'warning' = 'error'): Shape | null {
  const x = singleInput(r, inputs);
  if (!x) return null;
  if (ranks(x.length)) return x;
  r.error('rank-mismatch', `${r.layer} expects ${what} but receives ${x.length}-D ${formatShape(x)}`, severity);
  return severity === 'error' ? null : x;
}

/** A Python dimension index (negative counts from the end) checked against `rank`; null when out of range. */
export function dimIndex(r: ArgReader, name: string, rank: number): number | null {
  const d = r.int(name, -Number.MAX_SAFE_INTEGER);
  if (d === null) return null;
  const i = d < 0 ? d + rank : d;
  if (i < 0 || i >= rank) {
    r.error('dim-out-of-range', `${r.layer}: ${name}=${d} is out of range for a ${rank}-D input (expected ${-Math.max(rank, 1)} … ${Math.max(rank, 1) - 1})`);
    return null;
  }
  return i;
}
