// The built-in torchvision: its original sources (scripts/bundle-torchvision.mjs), with the license
// notice they came with, imported when the workspace holds no torchvision of its own.
import bundle from './torchvision.json';
import type { BundledPackage } from '../../../python/bundled';
import { hashKey, isObj, unknown, type Value } from '../../../python/values';

/** The builders of the folders left out (detection, optical flow, quantization) join the registry as unknown. */
function registerLeftOut(dotted: string, globals: Map<string, Value>): void {
  // the module's name first: reading a name torchvision.models lacks would run every model module (lazy-package.ts)
  if (dotted !== 'torchvision.models._api') return;
  const registry = globals.get('BUILTIN_MODELS') ?? null;
  if (!isObj(registry) || registry.k !== 'dict') return;
  for (const [module, names] of Object.entries(bundle.unbundledModels)) {
    const why = `${module} is not part of the torchvision ${bundle.version} built into ConvLens (a workspace's own torchvision is read)`;
    for (const name of names) registry.map.set(hashKey(name), [name, { ...unknown(why), name: `${module}.${name}` }]);
  }
}

/** torch.fx's symbolic tracing is not modelled: a feature extractor built by it is unknown, named, never a guess. */
function fxUnknown(dotted: string, globals: Map<string, Value>): void {
  if (dotted !== 'torchvision.models.feature_extraction') return;
  const why = 'it traces the model with torch.fx, which ConvLens does not model; IntermediateLayerGetter or '
    + 'nn.Sequential(*list(model.children())[:k]) are modelled';
  for (const name of ['create_feature_extractor', 'get_graph_node_names']) globals.set(name, { ...unknown(why), name });
}

export const TORCHVISION: BundledPackage = {
  name: bundle.package, version: bundle.version, files: bundle.files,
  afterLoad: (dotted, globals) => { registerLeftOut(dotted, globals); fxUnknown(dotted, globals); },
};
