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


export const TORCHVISION: BundledPackage = {
  name: bundle.package, version: bundle.version, files: bundle.files,
  afterLoad: registerLeftOut,
};
