// What the engine knows about one Keras layer class. Unlike PyTorch, a Keras layer learns its
// input size when it is first called (its `build`), so its weights depend on the input shapes.
// Shapes include the batch dimension, which is None (null) unless the input says otherwise.
import type { Shape } from '../../../shapes/dim';
import type { Cfg, LayerResult, ParamEntry } from '../../../shapes/layer-spec';

export { REQUIRED, UNKNOWN, type Cfg, type LayerResult, type ParamEntry } from '../../../shapes/layer-spec';

export interface KerasLayerSpec {
  /** Constructor parameters in positional order, with defaults (REQUIRED when none). Other keywords are accepted and ignored. */
  signature: Array<[string, unknown]>;
  /** The layer takes a list of tensors (Add, Concatenate, Attention, …). */
  merge?: boolean;
  /** Names of the tensor arguments of `call`, the first being the input (MultiHeadAttention: query, value, key). */
  callInputs?: string[];
  /** Keywords of `call` that change the result (`return_attention_scores`), with defaults: read into the config. */
  callOptions?: Array<[string, unknown]>;
  /** Classes of the sub-layers Keras's `build` creates with automatic names (their name counters move on). */
  buildNames?: string[];
  /** The weights `build` creates for these input shapes (Keras names); null when a size is unknown. */
  weights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null;
  /** Output shape and MACs per sample. */
  apply(cfg: Cfg, inputs: Shape[]): LayerResult;
}

/** A catalogued layer given to a wrapper (`Bidirectional(LSTM(64))`, `TimeDistributed(Dense(8))`). */
export interface InnerLayer {
  type: string;
  spec: KerasLayerSpec;
  cfg: Cfg;
}

export const isInnerLayer = (v: unknown): v is InnerLayer => typeof v === 'object' && v !== null && 'spec' in v && 'cfg' in v;

/** A layer without weights. */
export const noWeights = (): ParamEntry[] => [];
