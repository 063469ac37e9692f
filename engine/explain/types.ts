// The step model behind `convlens explain` and the convolution animation panel. Everything is
// plain data (JSON-safe apart from max pooling's −∞ padding), and every step carries all it needs,
// so a panel can jump to any step, forwards or backwards, without replaying the ones before it.
import type { Formula, PaddingInfo } from '../report/types';

/** Values of one channel: a list (1D) or a list of rows (2D). */
export type Grid = number[] | number[][];
export type BoolGrid = boolean[] | boolean[][];

export type SlidingOp = 'conv' | 'maxpool' | 'avgpool';

/**
 * How the input is padded, for every spatial axis alike unless `manual` gives one split per axis.
 * `same` follows PyTorch (total d(k−1), left = total//2) or TensorFlow (total
 * max((o−1)s + d(k−1) + 1 − l, 0) with o = ⌈l/s⌉), both putting an odd pixel right/bottom.
 */
export type PaddingSpec =
  | { mode: 'valid' }
  | { mode: 'same'; rule: 'pytorch' | 'tensorflow' }
  | { mode: 'full' }
  | { mode: 'manual'; split: Array<[number, number]> };

export interface SlidingRequest {
  op: SlidingOp;
  dims: 1 | 2;
  /** One grid per input channel. */
  input: Grid[];
  /** Convolution: one entry per filter, each with one grid per input channel. */
  kernel?: Grid[][];
  /** Pooling: the window size per spatial axis. */
  kernelSize?: number[];
  /** Per spatial axis; default 1 for convolution and the kernel size for pooling (as PyTorch). */
  stride?: number[];
  /** Default valid. */
  padding?: PaddingSpec;
  /** Per spatial axis; default 1. */
  dilation?: number[];
  /** Pooling only: PyTorch's ceil_mode. */
  ceilMode?: boolean;
  /**
   * Average pooling only: whether padding cells count in the divisor. Default: true (PyTorch's
   * count_include_pad), false with TensorFlow's same padding (TensorFlow averages the real cells).
   */
  countIncludePad?: boolean;
}

export interface BackwardRequest extends SlidingRequest {
  /** dL/dY, one grid per filter shaped like the output; default all ones (the gradient of sum(Y)). */
  dY?: Grid[];
}

/** How one spatial axis is swept. */
export interface AxisInfo {
  /** `l` for 1D, `h` and `w` for 2D. */
  name: string;
  length: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** d(k−1) + 1: the extent of one window. */
  effectiveKernel: number;
  padBefore: number;
  padAfter: number;
  paddedLength: number;
  outputLength: number;
  /** The split read as valid/same/full/manual (a manual 1,1 with k = 3 reads as same). */
  paddingKind: PaddingInfo['kind'];
  /** The padding in words: `same (PyTorch): total d(k−1) = 2, split 1 left, 1 right`. */
  paddingText: string;
  /** The lecture's form first (o = ⌊(l + p − k)/s⌋ + 1, p total), then PyTorch's per-side form, then TensorFlow's when relevant. */
  formulas: Formula[];
  /**
   * Stride tiling: exact when the last window ends on the last padded cell. `neverRead` lists
   * padded positions no window touches (the tail of an inexact tiling, gaps when stride > extent);
   * `neverReadInput` the same positions as indices of the unpadded input.
   */
  tiling: { exact: boolean; neverRead: number[]; neverReadInput: number[] };
}

/** One input cell that a window reads, in padded coordinates. */
export interface FieldCell {
  channel: number;
  /** Spatial position in the padded input: [i] or [row, col]. */
  at: number[];
  padding: boolean;
}

export interface SlidingStep {
  /** Output index as printed: [i] / [i, j], with the filter (or channel) first when there are several. */
  output: number[];
  /** Which output map (filter for convolution, channel for pooling). */
  map: number;
  /** Spatial output position. */
  at: number[];
  /** Top-left of the window in padded coordinates. */
  origin: number[];
  /** The cells read, aligned with `terms`. */
  field: FieldCell[];
  /** Convolution: [w, x] per term (kernel order: channel, row, column). Pooling: [x]. */
  terms: number[][];
  /** Max pooling: which term won. */
  chosen?: number;
  value: number;
  /** `y[0] = 3×1 + 2×0 + 2×2 = 7`. */
  arithmetic: string;
}

export interface SlidingExplanation {
  op: SlidingOp;
  dims: 1 | 2;
  channels: number;
  /** Output maps: filters for convolution, channels for pooling. */
  maps: number;
  axes: AxisInfo[];
  padding: PaddingInfo;
  /** Padded input per channel; padding cells hold `padValue`. */
  padded: Grid[];
  isPadding: BoolGrid;
  /** 0, or −∞ for max pooling (PyTorch ignores padding there). */
  padValue: number;
  /** One grid per output map. */
  outputMaps: Grid[];
  /** `outputMaps` with the map axis dropped when there is only one (the lecture's examples). */
  output: Grid | Grid[];
  outputShape: number[];
  /** The size formulas, lecture form, numbers substituted (`⌊(6 + 0 + 1 − 3)/1⌋ + 1 = 5`). */
  formula: string;
  steps: SlidingStep[];
  /** Things worth knowing: PyTorch refuses padding='same' with stride > 1, pooling padding > k/2, … */
  notes: string[];
}

/** img2col: every receptive field becomes a column of X̂, every filter a row of W, and Y = W·X̂. */
export interface Img2colStep {
  column: number;
  /** Spatial output position this column belongs to. */
  at: number[];
  field: FieldCell[];
  /** The column's values, top to bottom. */
  values: number[];
  /** One per filter: Y[f, column] as arithmetic. */
  products: Array<{ filter: number; value: number; arithmetic: string }>;
}

export interface Img2colExplanation {
  conv: SlidingExplanation;
  /** Row labels of X̂ (and columns of W): `x[c, a, b]` offsets inside the window. */
  rowLabels: string[];
  /** (C·∏k) × (∏o). */
  xHat: number[][];
  /** F × (C·∏k). */
  w: number[][];
  /** F × (∏o). */
  y: number[][];
  steps: Img2colStep[];
}

/** One addition of the column-to-image pass: dx[p] += dx_hat[row, column]. */
export interface ScatterAdd {
  row: number;
  channel: number;
  /** Padded coordinates. */
  at: number[];
  padding: boolean;
  before: number;
  amount: number;
  after: number;
  /** `dx[2] += dx_hat[2, 0]: 0 + 2 = 2`. */
  arithmetic: string;
}

export interface BackwardStep {
  column: number;
  at: number[];
  adds: ScatterAdd[];
  /** The padded input gradient after this step, per channel. */
  dxPadded: Grid[];
}

export interface BackwardExplanation {
  img2col: Img2colExplanation;
  /** F × (∏o). */
  dY: number[][];
  /** dW = dY·X̂ᵀ, F × (C·∏k), and the same shaped like the kernel. */
  dW: number[][];
  dKernel: Grid[][];
  /** dX̂ = Wᵀ·dY, (C·∏k) × (∏o). */
  dXHat: number[][];
  steps: BackwardStep[];
  /** The accumulated gradient of the padded input, then cropped to the input (padding's share is dropped). */
  dxPadded: Grid[];
  dX: Grid[];
  /** How many input cells received more than one addition, the lecture's "why addition?". */
  sharedCells: number;
}
