// What the data stand-ins (bundled/data.ts) need from the engine itself: an unknown value with its reason, a
// test for one, and a dataset's numpy array whose shape is known and values unread.
import type { Interpreter } from '../../python/interpreter';
import { dataArray, isDataArray } from '../../python/data-array';
import { isNdArray } from '../../python/numpy';
import { pyModule } from '../../python/stdlib';
import { isObj, isUnknown, native, str, unknown, type PyModule } from '../../python/values';
import { toIndex } from '../../python/interpreter';

export function dataNatives(interp: Interpreter): PyModule {
  return pyModule('_convlens_natives', {
    _unknown: native('_unknown', (a, _k, site) => unknown(str(a[0] ?? 'a value the data decides'), site.line)),
    _is_unknown: native('_is_unknown', (a) => isUnknown(a[0] ?? null)),
    _is_array: native('_is_array', (a) => isNdArray(a[0] ?? null) || isDataArray(a[0] ?? null)),
    _data_array: native('_data_array', (a, _k, site) => {
      const shape = isObj(a[0]) && a[0].k === 'tuple' ? a[0].items.map(toIndex) : [];
      if (shape.some((d) => d === undefined)) return unknown('a dataset array of an unknown shape', site.line);
      return dataArray(interp, shape as number[], str(a[1] ?? 'float32'), str(a[2] ?? 'a dataset'));
    }),
  });
}

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
