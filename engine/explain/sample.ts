// Made-up values for a layer whose weights are not known before training (and for grids the
// animation panel resizes): small whole numbers, so every product reads at a glance, and
// deterministic, so the same layer always shows the same numbers.
import type { Grid } from './types';

/** What input cells hold: 0…4. */
export const INPUT_VALUES: readonly number[] = [0, 1, 2, 3, 4];
/** What kernel weights hold: −1…2, so sums can be negative as in the lecture's edge kernel. */
export const KERNEL_VALUES: readonly number[] = [-1, 0, 1, 2, 1, -1, 0];

/** A rows × cols grid (a list when dims is 1, rows is then ignored) filled from `values`; `seed` varies channels and filters. */
export function sampleGrid(dims: 1 | 2, rows: number, cols: number, seed: number, values: readonly number[]): Grid {
  const at = (i: number, j: number) => values[(i * 3 + j * 2 + seed * 4 + ((i * j) % 3)) % values.length];
  const row = (i: number) => Array.from({ length: cols }, (_, j) => at(i, j));
  return dims === 1 ? row(0) : Array.from({ length: rows }, (_, i) => row(i));
}
