// What every framework's layer rules share: the markers for required and unknown arguments, a
// bound config, the parameters a layer owns, and what applying a layer to input shapes gives.
import type { Diagnostic, Formula, PaddingInfo } from '../report/types';
import type { Dim, Shape } from './dim';

/** Marks a constructor argument without a default. */
export const REQUIRED: unique symbol = Symbol('required');
/** A value the interpreter could not determine (an unresolved import, an unknown call). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Bound arguments: numbers, booleans, strings, null, arrays of these, or UNKNOWN. */
export type Cfg = Record<string, unknown>;

const isUnknownArg = (v: unknown): boolean => v === UNKNOWN || (Array.isArray(v) && v.some(isUnknownArg));

/** The arguments whose values are unknown (wholly or in part), in signature order. */
export const unknownArgNames = (cfg: Cfg): string[] => Object.keys(cfg).filter((n) => isUnknownArg(cfg[n]));

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

/** Config values for the report and the training graph: UNKNOWN becomes null. */
export function plainConfig(cfg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) out[k] = v === UNKNOWN ? null : Array.isArray(v) ? v.map((x) => (x === UNKNOWN ? null : x)) : typeof v === 'object' && v !== null ? null : v;
  return out;
}
