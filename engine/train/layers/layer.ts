// What every trainable op looks like to the graph: a forward that remembers what its backward needs,
// and a backward that accumulates parameter gradients and returns the gradient of each input.
import { evaluateDim } from '../../shapes/dim';
import type { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';

/**
 * How a parameter is initialised: a weight with its fans (`glorot`: a Keras kernel, whose default is
 * glorot_uniform, not PyTorch's), a bias (uses the weight's fan-in), or a constant.
 */
export type ParamRole =
  | { kind: 'weight'; fanIn: number; fanOut: number; glorot?: boolean }
  | { kind: 'bias'; fanIn: number }
  | { kind: 'const'; value: number };

export interface Param {
  /** state_dict name, e.g. `features.0.weight`. */
  name: string;
  shape: number[];
  value: Float32Array;
  grad: Float32Array;
  role: ParamRole;
  /** False for a frozen parameter (requires_grad=False): initialised and saved, never updated. */
  trainable: boolean;
}

/** A non-trained state_dict entry (BatchNorm running statistics and its step counter). */
export interface Buffer {
  name: string;
  shape: number[];
  value: Float32Array;
  /** Stored as int64 in the state_dict (num_batches_tracked). */
  integer?: boolean;
}

export interface ForwardContext {
  training: boolean;
  rng: Rng;
  /** The sizes of the input's symbolic dimensions in this batch (`N`, `H`, `W` of a model traced without an input size). */
  sizes?: ReadonlyMap<string, number>;
  /** This batch's size (the first input's first dimension), for sizes traced from `x.shape[0]`. */
  batch?: number;
}

export interface Layer {
  forward(inputs: Tensor[], ctx: ForwardContext): Tensor;
  /** Given ∂L/∂output, accumulates parameter gradients and returns ∂L/∂input (null where not asked for). */
  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null>;
}

/** Creates (or, for a module called twice, returns the existing) parameter/buffer of a module. */
export interface ParamFactory {
  param(suffix: string, shape: number[], role: ParamRole): Param;
  buffer(suffix: string, shape: number[], fill: number, integer?: boolean): Buffer;
}

/** An error in the model or the data that the user can fix; the message says what and where. */
export class TrainError extends Error {
  override name = 'TrainError';
}

export function expectRank(x: Tensor, ranks: number[], what: string): void {
  if (!ranks.includes(x.shape.length)) {
    throw new TrainError(`${what} expects a ${ranks.join(' or ')}-D input, got shape (${x.shape.join(', ')})`);
  }
}

/**
 * A size traced for training: a number, or a symbol's expression (`N` of the batch, `H*W` of a model traced
 * without an input size) evaluated at this batch; `batchSymbol` names the batch of a symbolic probe.
 */
export function sizeAt(d: unknown, ctx: ForwardContext | undefined, batchSymbol: unknown): number | null {
  if (typeof d === 'number') return d;
  if (typeof d !== 'string') return null;
  const sizes = new Map(ctx?.sizes ?? []);
  if (typeof batchSymbol === 'string' && ctx?.batch !== undefined) sizes.set(batchSymbol, ctx.batch);
  const v = evaluateDim(d, sizes);
  return v !== null && Number.isInteger(v) ? v : null;
}
