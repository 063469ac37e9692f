// The typed messages between the extension and the convolution animation webview, and their
// validators (built from the summary protocol's checks): whatever arrives is checked before use.
import type { Grid, PaddingSpec, SlidingOp } from '../../engine/explain/types';
import { arrayOf, bool, type Check, num, oneOf, shape, str, validate } from '../protocol';

export type AnimateView = 'sliding' | 'img2col' | 'backward';

/** Everything the panel animates; the webview turns it into a step-model request. */
export interface AnimateParams {
  op: SlidingOp;
  view: AnimateView;
  dims: 1 | 2;
  /** One grid per input channel. */
  input: Grid[];
  /** Convolution: one entry per filter, each with one grid per input channel. */
  kernel: Grid[][];
  /** Pooling: the window per spatial axis. */
  kernelSize: number[];
  stride: number[];
  dilation: number[];
  padding: PaddingSpec;
  ceilMode: boolean;
  /** Average pooling: whether padding cells count in the divisor (PyTorch's count_include_pad). */
  countIncludePad?: boolean;
}

/** Where the parameters came from, and what was changed to make them watchable. */
export interface AnimateSource {
  /** `Conv2d conv1 in Stem (stem_conv.py)` or the example's name. */
  title: string;
  /** Scaled sizes, summarised channels, made-up values: said plainly. */
  notes: string[];
  /** 1-based line of the layer, for "Go to layer". */
  line?: number;
}

/**
 * What to show: the lecture's examples (the panel owns them; `note` says why, e.g. the layer asked
 * for is not a convolution) or a layer's own parameters. `id` tells a new request from the same one
 * sent again when a hidden panel comes back (the user's edits are kept then).
 */
export type ToAnimate =
  | { type: 'lecture'; id: number; note?: string }
  | { type: 'layer'; id: number; source: AnimateSource; params: AnimateParams };

export type FromAnimate = { type: 'ready' } | { type: 'reveal'; line: number };

const MAX_CELLS = 100_000;
const int = (min: number): Check => (v) => Number.isInteger(v) && (v as number) >= min;
const ints = (min: number): Check => (v) => Array.isArray(v) && v.length >= 1 && v.length <= 2 && v.every(int(min));
const row: Check = (v) => Array.isArray(v) && v.length > 0 && v.every(num);
/** A list of numbers or a list of rows: cell counts are bounded so a message cannot exhaust the panel. */
const grid: Check = (v) => row(v) || (Array.isArray(v) && v.length > 0 && v.every(row));
const cells = (v: unknown): number => (Array.isArray(v) ? v.reduce((n: number, x) => n + cells(x), 0) : 1);
const grids: Check = (v) => Array.isArray(v) && v.length > 0 && v.every(grid);
const split: Check = (v) => Array.isArray(v) && v.length === 2 && v.every(int(0));
const padding: Check = (v) =>
  shape({ mode: oneOf('valid', 'full') })(v) ||
  shape({ mode: oneOf('same'), rule: oneOf('pytorch', 'tensorflow') })(v) ||
  shape({ mode: oneOf('manual'), split: (s) => Array.isArray(s) && s.length >= 1 && s.length <= 2 && s.every(split) })(v);

const params: Check = (v) =>
  shape({
    op: oneOf('conv', 'maxpool', 'avgpool'),
    view: oneOf('sliding', 'img2col', 'backward'),
    dims: (d) => d === 1 || d === 2,
    input: grids,
    kernel: (k) => Array.isArray(k) && k.every(grids),
    kernelSize: ints(1),
    stride: ints(1),
    dilation: ints(1),
    padding,
    ceilMode: bool,
    countIncludePad: (c) => c === undefined || typeof c === 'boolean',
  })(v) && cells((v as AnimateParams).input) + cells((v as AnimateParams).kernel) <= MAX_CELLS;

const source: Check = shape({ title: str, notes: arrayOf(str), line: (l) => l === undefined || int(1)(l) });

const toAnimate: Record<ToAnimate['type'], Check> = {
  lecture: shape({ id: int(0), note: (n) => n === undefined || str(n) }),
  layer: shape({ id: int(0), source, params }),
};

const fromAnimate: Record<FromAnimate['type'], Check> = {
  ready: () => true,
  reveal: shape({ line: int(1) }),
};

/** The message if it is a well-formed message to the animation webview, else undefined. */
export const parseToAnimate = (v: unknown): ToAnimate | undefined => validate<ToAnimate>(toAnimate, v);
/** The message if it is a well-formed message from the animation webview, else undefined. */
export const parseFromAnimate = (v: unknown): FromAnimate | undefined => validate<FromAnimate>(fromAnimate, v);
