// Test helper: a config as the interpreter would bind it (keyword arguments over the signature's
// defaults), normalised by the layer.
import { REQUIRED, type Cfg, type TorchLayerSpec } from '../../../engine/frameworks/pytorch/layers/spec';

export function bind(spec: TorchLayerSpec, kwargs: Cfg): Cfg {
  const cfg: Cfg = {};
  for (const [name, dflt] of spec.signature) if (dflt !== REQUIRED && !name.startsWith('*')) cfg[name] = dflt;
  Object.assign(cfg, kwargs);
  return spec.normalize ? spec.normalize(cfg) : cfg;
}
