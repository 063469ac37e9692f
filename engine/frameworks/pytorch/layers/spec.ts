// What the engine knows about one PyTorch layer class: its constructor signature, its parameters,
// and how it maps input shapes to an output shape and MACs. The interpreter binds a call such as
// `nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)` to `signature`, normalises it
// and hands the result (a plain config) to `parameters` and `apply`.
import type { Shape } from '../../../shapes/dim';
import type { Cfg, LayerResult, ParamEntry } from '../../../shapes/layer-spec';

export { REQUIRED, UNKNOWN, type Cfg, type LayerDiagnostic, type LayerResult, type ParamEntry } from '../../../shapes/layer-spec';

export interface TorchLayerSpec {
  /** Constructor parameters in order, with defaults (REQUIRED when none). */
  signature: Array<[string, unknown]>;
  /** Normalises a bound config: ints to per-dimension arrays, `padding='same'` kept as a string, … */
  normalize?(cfg: Cfg): Cfg;
  /** The module's own parameters; null when a needed size is unknown. */
  parameters(cfg: Cfg): ParamEntry[] | null;
  /** Output shape (batch included) and MACs for the given input shapes (batch included). */
  apply(cfg: Cfg, inputs: Shape[]): LayerResult;
  /** forward()'s arguments after its input tensors (MaxUnpool's `output_size`), with defaults; `apply` reads them from cfg. */
  forwardArgs?: Array<[string, unknown]>;
  /** True when forward() returns `(output, indices)` (return_indices=True); null when that is unknown. */
  returnsIndices?(cfg: Cfg): boolean | null;
}
