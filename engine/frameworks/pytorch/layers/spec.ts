// What the engine knows about one PyTorch layer class: its constructor signature, its parameters,
// and how it maps input shapes to an output shape and MACs. The interpreter binds a call such as
// `nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)` to `signature`, normalises it
// and hands the result (a plain config) to `parameters` and `apply`.
import type { ArgReader } from '../../../shapes/args';
import type { Shape } from '../../../shapes/dim';
import type { Cfg, LayerResult, PackedInfo, ParamEntry } from '../../../shapes/layer-spec';

export {
  REQUIRED, UNKNOWN, type Cfg, type LayerDiagnostic, type LayerResult, type OutputTree, type PackedInfo, type ParamEntry,
} from '../../../shapes/layer-spec';

/** A forward argument as a layer rule sees it: a tensor (its shape), a tuple of these, or a plain value. */
export type CallArg = { shape: Shape | null } | { packed: PackedInfo } | CallArg[] | number | string | boolean | null | symbol;

/** A forward argument's tensor shape (null: unknown), or undefined when it is not a tensor. */
export const tensorArg = (v: CallArg | undefined): Shape | null | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'shape' in v ? v.shape : undefined;

/** The warning of a layer whose parameters cannot be counted: its row is then a lower bound. */
export function warnParamsUnknown(r: ArgReader): void {
  r.error('params-unknown', `${r.layer}: its parameters are not counted while a size argument is unknown or invalid`, 'warning');
}

/** Bound forward arguments (`input` first), by the names of `TorchLayerSpec.forward`. */
export type CallArgs = Record<string, CallArg>;

/** A submodule a layer registers in its constructor (MultiheadAttention's out_proj). */
export interface ChildSpec {
  name: string;
  type: string;
  cfg: Cfg;
}

export interface TorchLayerSpec {
  /** Constructor parameters in order, with defaults (REQUIRED when none). */
  signature: Array<[string, unknown]>;
  /** Normalises a bound config: ints to per-dimension arrays, `padding='same'` kept as a string, … */
  normalize?(cfg: Cfg): Cfg;
  /** The module's own parameters; null when a needed size is unknown. */
  parameters(cfg: Cfg): ParamEntry[] | null;
  /**
   * Forward arguments after the input, with defaults, for layers whose forward takes more than
   * tensors (`lstm(x, (h0, c0))`, `mha(q, k, v, need_weights=False)`); the session binds a call to
   * them and passes the result to `apply` as `call` (with `input` first), even when shapes are unknown.
   */
  forward?: Array<[string, unknown]>;
  /** The keyword of forward()'s first tensor when it is not `input` (attention's `query`). */
  forwardInput?: string;
  /** Submodules the constructor registers; they are never called by this layer's forward. */
  children?(cfg: Cfg): ChildSpec[];
  /** Output shape (batch included) and MACs for the given input shapes (batch included). */
  apply(cfg: Cfg, inputs: Shape[], call?: CallArgs): LayerResult;
  /** forward()'s arguments after its input tensors (MaxUnpool's `output_size`), with defaults; `apply` reads them from cfg. */
  forwardArgs?: Array<[string, unknown]>;
  /** True when forward() returns `(output, indices)` (return_indices=True); null when that is unknown. */
  returnsIndices?(cfg: Cfg): boolean | null;
}
