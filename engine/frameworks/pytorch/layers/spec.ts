// What the engine knows about one PyTorch layer class: its constructor signature, its parameters,
// and how it maps input shapes to an output shape and MACs. The interpreter binds a call such as
// `nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)` to `signature`, normalises it
// and hands the result (a plain config) to `parameters` and `apply`.
import type { Diagnostic, Formula, PaddingInfo } from '../../../report/types';
import type { Dim, Shape } from '../../../shapes/dim';

/** Marks a constructor argument without a default. */
export const REQUIRED: unique symbol = Symbol('required');
/** A value the interpreter could not determine (an unresolved import, an unknown call). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Bound arguments: numbers, booleans, strings, null, arrays of these, or UNKNOWN. */
export type Cfg = Record<string, unknown>;

/** A parameter the module owns directly (not its children's, not buffers), with its state_dict suffix. */
export interface ParamEntry {
  name: string;
  shape: number[];
  trainable: boolean;
}

export type LayerDiagnostic = Omit<Diagnostic, 'line'>;

export interface LayerResult {
  output: Shape | null;
  /** Multiply-accumulates per sample (batch dimension excluded); null when a size is unknown. */
  macs: Dim;
  formulas: Formula[];
  diagnostics: LayerDiagnostic[];
  padding?: PaddingInfo;
  /** Kernel extent and stride per spatial dimension, for receptive-field bookkeeping. */
  window?: { kernel: number[]; stride: number[]; dilation: number[] };
}

export interface TorchLayerSpec {
  /** Constructor parameters in order, with defaults (REQUIRED when none). */
  signature: Array<[string, unknown]>;
  /** Normalises a bound config: ints to per-dimension arrays, `padding='same'` kept as a string, … */
  normalize?(cfg: Cfg): Cfg;
  /** The module's own parameters; null when a needed size is unknown. */
  parameters(cfg: Cfg): ParamEntry[] | null;
  /** Output shape (batch included) and MACs for the given input shapes (batch included). */
  apply(cfg: Cfg, inputs: Shape[]): LayerResult;
}
