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

/** A PyTorch PackedSequence: its padded layout, and the total of its lengths when they are known. */
export interface PackedInfo {
  /** (T, N, *) as pack_padded_sequence saw the padded batch (time first). */
  padded: Shape | null;
  /** Σ lengths: the rows of `.data`; null when the lengths are not known. */
  steps: number | null;
}

/**
 * What a layer returning more than one tensor gives back, as the Python value is built: a tensor
 * (its shape, null when unknown), a PackedSequence, None, or a tuple of these (LSTM: `(output, (h_n, c_n))`).
 */
export type OutputTree = { shape: Shape | null } | { packed: PackedInfo } | null | OutputTree[];

export interface LayerResult {
  /** The (first) output tensor's shape: what a forward hook's row shows. */
  output: Shape | null;
  /** The whole returned value when it is a tuple; `output` is then its first tensor. */
  outputs?: OutputTree;
  /** Multiply-accumulates per sample (batch dimension excluded); null when a size is unknown. */
  macs: Dim;
  formulas: Formula[];
  diagnostics: LayerDiagnostic[];
  padding?: PaddingInfo;
  /** Kernel extent and stride per spatial dimension, for receptive-field bookkeeping. */
  window?: { kernel: number[]; stride: number[]; dilation: number[] };
  /** What the training graph needs to know of the call's own arguments (attention's masks), beside the config. */
  graphConfig?: Record<string, unknown>;
}

/** Config values for the report and the training graph: UNKNOWN becomes null. */
export function plainConfig(cfg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // keys, not entries: a row and a graph node per layer call each make one, and entries' pairs were most of the cost
  for (const k of Object.keys(cfg)) {
    const v = cfg[k];
    out[k] = v === UNKNOWN ? null : Array.isArray(v) ? v.map((x) => (x === UNKNOWN ? null : x)) : typeof v === 'object' && v !== null ? null : v;
  }
  return out;
}
