// What the panel's controls do to the parameters: switch 1D/2D, the operation, the view, and
// resize the input, the kernel, the channels and the filters. Pure, so it is unit tested.
import { LECTURE_1D, LECTURE_2D } from '../../engine/explain/index';
import type { PaddingSpec, SlidingOp } from '../../engine/explain/types';
import type { AnimateParams, AnimateView } from './protocol';
import { gridSize, resizeChannels } from './values';

const fill = (dims: 1 | 2, v: number): number[] => Array(dims).fill(v);
const fit = (xs: number[], dims: 1 | 2): number[] => (xs.length === dims ? xs : fill(dims, xs[0] ?? 1));

/** The split per axis survives a change of dimensions (1D keeps the columns' split). */
function fitPadding(p: PaddingSpec, dims: 1 | 2): PaddingSpec {
  if (p.mode !== 'manual') return p;
  const last = p.split[p.split.length - 1];
  return { mode: 'manual', split: dims === 1 ? [last] : p.split.length === 2 ? p.split : [last, last] };
}

/** 1D ↔ 2D: the lecture's example of that dimension, keeping the operation, view and padding mode. */
export function withDims(p: AnimateParams, dims: 1 | 2): AnimateParams {
  if (p.dims === dims) return p;
  const lecture = dims === 1 ? { input: [LECTURE_1D.input], kernel: [[LECTURE_1D.kernel]], k: [3] } : { input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel]], k: [2, 2] };
  const pool = p.op !== 'conv';
  return {
    ...p,
    dims,
    input: lecture.input,
    kernel: pool ? [] : lecture.kernel,
    kernelSize: pool ? fill(dims, 2) : lecture.k,
    stride: pool ? fill(dims, 2) : fit(p.stride, dims),
    dilation: fit(p.dilation, dims),
    padding: fitPadding(p.padding, dims),
  };
}

/** The kernel's spatial size per axis. */
export function kernelShape(p: AnimateParams): number[] {
  if (p.op !== 'conv' || !p.kernel[0]) return p.kernelSize;
  const [r, c] = gridSize(p.kernel[0][0]);
  return p.dims === 1 ? [c] : [r, c];
}

/** Convolution ↔ pooling: the window keeps its size; pooling strides by its window, as PyTorch. */
export function withOp(p: AnimateParams, op: SlidingOp): AnimateParams {
  if (p.op === op) return p;
  const k = kernelShape(p);
  if (op !== 'conv') {
    return { ...p, op, view: 'sliding', kernel: [], kernelSize: k, stride: p.op === 'conv' ? k : p.stride, dilation: op === 'avgpool' ? fill(p.dims, 1) : p.dilation, input: p.input };
  }
  const [rows, cols] = p.dims === 1 ? [1, k[0]] : [k[0], k[1]];
  return { ...p, op, kernel: [resizeChannels([], p.input.length, p.dims, rows, cols, 0, true)], kernelSize: k, stride: fill(p.dims, 1) };
}

/** Pooling has only the sliding view. */
export const withView = (p: AnimateParams, view: AnimateView): AnimateParams => ({ ...p, view: p.op === 'conv' ? view : 'sliding' });

export interface Sizes {
  /** [l] or [h, w]. */
  input: number[];
  /** [k] or [kh, kw]. */
  kernel: number[];
  channels: number;
  filters: number;
}

export function sizesOf(p: AnimateParams): Sizes {
  const [r, c] = gridSize(p.input[0]);
  return { input: p.dims === 1 ? [c] : [r, c], kernel: kernelShape(p), channels: p.input.length, filters: Math.max(p.kernel.length, 1) };
}

/** Sizes a panel can still draw and step through. */
export const LIMITS = { input: 64, kernel: 16, channels: 8, filters: 8 } as const;

/** New sizes (within LIMITS, else an error that says so): the values that still fit are kept, new cells get made-up values. */
export function withSizes(p: AnimateParams, s: Sizes): AnimateParams {
  const over = (Object.keys(LIMITS) as Array<keyof Sizes>).find((k) => [s[k]].flat().some((v) => v > LIMITS[k]));
  if (over) throw new Error(`${over}: at most ${LIMITS[over]}${over === 'input' || over === 'kernel' ? ' per axis' : ''} in the panel`);
  const [rows, cols] = p.dims === 1 ? [1, s.input[0]] : [s.input[0], s.input[1] ?? s.input[0]];
  const input = resizeChannels(p.input, s.channels, p.dims, rows, cols, 0, false);
  const k = p.dims === 1 ? [s.kernel[0]] : [s.kernel[0], s.kernel[1] ?? s.kernel[0]];
  if (p.op !== 'conv') return { ...p, input, kernelSize: k };
  const [kr, kc] = p.dims === 1 ? [1, k[0]] : k;
  const kernel = Array.from({ length: s.filters }, (_, f) => resizeChannels(p.kernel[f] ?? [], s.channels, p.dims, kr, kc, f * s.channels, true));
  return { ...p, input, kernel, kernelSize: k };
}
