// The lecture's worked examples (Lecture 5): what the animation panel and `convlens explain` open
// with when no values are given.
import type { Grid } from './types';

/** 1D: x = [1, 0, 2, 2, 3, 1], w = [3, 2, 2]; valid gives [7, 8, 16, 14]. */
export const LECTURE_1D: { input: number[]; kernel: number[] } = { input: [1, 0, 2, 2, 3, 1], kernel: [3, 2, 2] };

/** 2D: the 4×4 image and the vertical-edge kernel; valid gives [[2, 0, 2], [2, −1, 2], [3, −1, 0]]. */
export const LECTURE_2D: { input: number[][]; kernel: number[][] } = {
  input: [
    [1, 2, 3, 2],
    [2, 3, 2, 5],
    [1, 2, 2, 1],
    [0, 2, 1, 2],
  ],
  kernel: [
    [-1, 1],
    [-1, 1],
  ],
};

/** The lecture's second filter (all ones), for the multi-filter view. */
export const LECTURE_2D_SECOND_FILTER: Grid = [
  [1, 1],
  [1, 1],
];
