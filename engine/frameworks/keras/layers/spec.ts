// What the engine knows about one Keras layer class. Unlike PyTorch, a Keras layer learns its
// input size when it is first called (its `build`), so its weights depend on the input shapes.
// Shapes include the batch dimension, which is None (null) unless the input says otherwise.
import type { Shape } from '../../../shapes/dim';
import type { Cfg, LayerResult, ParamEntry } from '../../../shapes/layer-spec';

export { REQUIRED, UNKNOWN, type Cfg, type LayerResult, type ParamEntry } from '../../../shapes/layer-spec';

export interface KerasLayerSpec {
  /** Constructor parameters in positional order, with defaults (REQUIRED when none). Other keywords are accepted and ignored. */
  signature: Array<[string, unknown]>;
  /** The layer takes a list of tensors (Add, Concatenate, …). */
  merge?: boolean;
  /** The weights `build` creates for these input shapes (Keras names); null when a size is unknown. */
  weights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null;
  /** Output shape and MACs per sample. */
  apply(cfg: Cfg, inputs: Shape[]): LayerResult;
}

/** A layer without weights. */
export const noWeights = (): ParamEntry[] => [];
