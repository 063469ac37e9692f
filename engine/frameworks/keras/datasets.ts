// keras.datasets: the arrays load_data() returns have fixed, documented shapes, so a model built from
// `x_train.shape[1:]` gets its real input size. The values are never read (data arrays); the text datasets,
// whose sequences have lengths only the data knows, stay unknown with the reason.
import type { Interpreter } from '../../python/interpreter';
import { dataArray } from '../../python/data-array';
import { pyModule } from '../../python/stdlib';
import { native, tuple, unknown, type PyModule, type Value } from '../../python/values';

type Split = [number, number[], string];

/** ((x_train, y_train), (x_test, y_test)) of a dataset: each split's sample count, x's sample shape and dtype. */
function loaded(interp: Interpreter, name: string, train: Split, test: Split, yShape: number[], yDtype: string, classes?: number): Value {
  const origin = `keras.datasets.${name}`;
  const part = ([n, x, dtype]: Split) => tuple([dataArray(interp, [n, ...x], dtype, origin),
    dataArray(interp, [n, ...yShape], yDtype, origin, classes)]);
  return tuple([part(train), part(test)]);
}

/** The regression datasets split their rows by `test_split` as Keras does: x[:int(len(x) * (1 - test_split))]. */
function split(interp: Interpreter, name: string, rows: number, features: number, testSplit: Value): Value {
  if (typeof testSplit !== 'number') return unknown(`keras.datasets.${name}.load_data with an unknown test_split`);
  const n = Math.trunc(rows * (1 - testSplit));
  return loaded(interp, name, [n, [features], 'float64'], [rows - n, [features], 'float64'], [], 'float64');
}

export function datasetsModule(interp: Interpreter): PyModule {
  const images = (name: string, train: number, test: number, x: number[], y: number[], classes: (a: Value[], k: Map<string, Value>) => number | null) =>
    pyModule(`keras.datasets.${name}`, {
      load_data: native('load_data', (a, k) => {
        const n = classes(a, k);
        return n === null ? unknown(`keras.datasets.${name}.load_data with an unknown label_mode`)
          : loaded(interp, name, [train, x, 'uint8'], [test, x, 'uint8'], y, 'uint8', n);
      }),
    });
  const ten = () => 10;
  const table: Record<string, PyModule> = {
    mnist: images('mnist', 60000, 10000, [28, 28], [], ten),
    fashion_mnist: images('fashion_mnist', 60000, 10000, [28, 28], [], ten),
    // channels last, Keras's default image data format
    cifar10: images('cifar10', 50000, 10000, [32, 32, 3], [1], ten),
    cifar100: images('cifar100', 50000, 10000, [32, 32, 3], [1], (a, k) => {
      const mode = k.get('label_mode') ?? a[0] ?? 'fine';
      return mode === 'fine' ? 100 : mode === 'coarse' ? 20 : null;
    }),
    boston_housing: pyModule('keras.datasets.boston_housing', {
      load_data: native('load_data', (a, k) => split(interp, 'boston_housing', 506, 13, k.get('test_split') ?? a[1] ?? 0.2)),
    }),
    california_housing: pyModule('keras.datasets.california_housing', {
      load_data: native('load_data', (a, k) => {
        const version = k.get('version') ?? a[0] ?? 'large';
        const rows = version === 'large' ? 20640 : version === 'small' ? 600 : null;
        if (rows === null) return unknown('keras.datasets.california_housing.load_data of an unknown version');
        return split(interp, 'california_housing', rows, 8, k.get('test_split') ?? a[2] ?? 0.2);
      }),
    }),
  };
  return pyModule('keras.datasets', table, (n) => unknown(`keras.datasets.${n} is not modelled: its sequences have lengths only the data knows`));
}
