// torch.utils.data, torchvision.datasets and torchvision.transforms are the engine's stand-ins (bundled/data.ts),
// whatever the environment holds: an installed torchvision's datasets read and download files.
import type { Interpreter } from '../../python/interpreter';
import { isObj, type PyModule } from '../../python/values';

/** The names the data stand-ins answer for, whatever the environment holds (an installed torchvision's datasets
 * read and download files), and the bundled module that holds each. */
const STAND_INS: Record<string, string[]> = {
  'torch.utils.data': ['_convlens', 'data'], 'torchvision.datasets': ['_convlens', 'datasets'],
  'torchvision.transforms': ['_convlens', 'transforms'], 'torchvision.transforms.v2': ['_convlens', 'transforms'],
  'torchvision.transforms._presets': ['_convlens', 'transforms'],
};
const AT = { name: '<convlens>', file: '<convlens>', pkg: '' };

export function dataStandIn(interp: Interpreter, name: string): PyModule | undefined {
  const path = STAND_INS[name];
  if (!path) return undefined;
  const m = interp.importer.importModule(path, 0, AT, { line: 0, from: 0, to: 0, file: '<convlens>' });
  return isObj(m) && m.k === 'module' ? m : undefined;
}
