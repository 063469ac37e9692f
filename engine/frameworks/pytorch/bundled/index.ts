// Libraries whose models are nn.Modules with a few conventions on top, shipped as small Python
// sources of our own: read only when the workspace has no module of that name (a user's own
// `d2l.py` or an installed copy found under the roots wins).
import type { BundledSource } from '../../framework';
import { D2L_TORCH } from './d2l';
import { LIGHTNING_CORE, LIGHTNING_REEXPORT } from './lightning';

const SOURCES: Record<string, { source: string; isPackage: boolean }> = {
  // the real package holds only submodules; code that writes `import d2l` then `d2l.Classifier` is
  // read as meaning d2l.torch's classes (the numbers are the same; Python would stop at the name)
  d2l: { source: 'from d2l.torch import add_to_class, HyperParameters, Module, Classifier, init_cnn\n', isPackage: true },
  'd2l.torch': { source: D2L_TORCH, isPackage: false },
  pytorch_lightning: { source: LIGHTNING_CORE, isPackage: true },
  lightning: { source: LIGHTNING_REEXPORT, isPackage: true },
  'lightning.pytorch': { source: LIGHTNING_REEXPORT, isPackage: true },
};

export function bundledTorchSource(name: string): BundledSource | undefined {
  const s = SOURCES[name];
  return s && { file: `<convlens>/${name.replace(/\./g, '/')}${s.isPackage ? '/__init__' : ''}.py`, ...s };
}
