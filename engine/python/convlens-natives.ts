// What the engine's own Python stand-ins (torch.utils.data, torchvision.datasets, argparse) need from the engine:
// an unknown value with its reason, a test for one, and a dataset's numpy array whose shape is known and values
// unread. Importable as `_convlens_natives`; nothing else of the user's sees it.
import type { Interpreter } from './interpreter';
import { toIndex } from './interpreter';
import { dataArray, isDataArray } from './data-array';
import { isNdArray } from './numpy';
import { pyModule } from './stdlib';
import { isObj, isUnknown, native, str, unknown, type PyModule } from './values';

export function convlensNatives(interp: Interpreter): PyModule {
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
