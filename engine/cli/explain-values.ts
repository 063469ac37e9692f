// The value syntax of `convlens explain`: numbers separated by `,`, rows by `;`, channels by `|`,
// filters by `/`. So "1,2;3,4" is one 2×2 channel and "1,0|0,1 / 2,2|1,1" is two 1D filters of
// two channels each. Padding: valid, same, tf-same, full, N (every side), L,R (1D), T,B,L,R (2D).
import type { Grid, PaddingSpec } from '../explain/types';

import { UsageError } from './io';

export { UsageError };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumbers(text: string, what: string): number[] {
  return text.split(',').map((t) => {
    const s = t.trim();
    if (!NUMBER.test(s)) throw new UsageError(`${what}: "${s}" is not a number`);
    return Number(s);
  });
}

/** One channel: a list (1D) or `;`-separated rows (2D). */
function parseChannel(text: string, dims: 1 | 2, what: string): Grid {
  const rows = text.split(';').map((r) => parseNumbers(r, what));
  if (dims === 1) {
    if (rows.length > 1) throw new UsageError(`${what}: rows (;) given for a 1D operation`);
    return rows[0];
  }
  return rows;
}

/** Channels separated by `|`. */
export const parseChannels = (text: string, dims: 1 | 2, what: string): Grid[] => text.split('|').map((c) => parseChannel(c, dims, what));

/** Output maps (dY) separated by `/`, one per filter. */
export const parseMaps = (text: string, dims: 1 | 2, what: string): Grid[] => text.split('/').map((m) => parseChannel(m, dims, what));

/** Filters separated by `/`, each with its channels. */
export const parseFilters = (text: string, dims: 1 | 2, what = '--kernel'): Grid[][] => text.split('/').map((f) => parseChannels(f, dims, what));

/** Whole numbers ≥ 1 (or ≥ 0), one or one per axis. */
export function parseInts(text: string, what: string, min: number): number[] {
  const values = text.split(',').map((t) => t.trim());
  return values.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${what} must be whole numbers ≥ ${min}, got "${text}"`);
    return Number(v);
  });
}

export function parsePadding(text: string, dims: 1 | 2, tfSame: boolean): PaddingSpec {
  const t = text.trim().toLowerCase();
  if (t === 'valid') return { mode: 'valid' };
  if (t === 'same') return { mode: 'same', rule: tfSame ? 'tensorflow' : 'pytorch' };
  if (t === 'tf-same') return { mode: 'same', rule: 'tensorflow' };
  if (t === 'full') return { mode: 'full' };
  const n = parseInts(t, '--padding (valid, same, tf-same, full or numbers)', 0);
  if (n.length === 1) return { mode: 'manual', split: [[n[0], n[0]]] };
  if (dims === 1 && n.length === 2) return { mode: 'manual', split: [[n[0], n[1]]] };
  if (dims === 2 && n.length === 4) return { mode: 'manual', split: [[n[0], n[1]], [n[2], n[3]]] };
  throw new UsageError(`--padding: give N (every side) or ${dims === 1 ? 'L,R' : 'T,B,L,R'}, got "${text}"`);
}
