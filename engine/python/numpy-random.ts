// numpy.random: arrays of the shape asked for whose values are random (data arrays: shape known, values not
// read), so `torch.from_numpy(np.random.rand(2, 3))` is a (2, 3) tensor; a call without a size gives one
// number, not known. seed and shuffle change nothing ConvLens shows.
import type { Interpreter } from './interpreter';
import { dataArray } from './data-array';
import { pyModule } from './stdlib';
import { isObj, native, unknown, type CallSite, type PyModule, type Value } from './values';

/** Where each function takes its size: positional dims (`rand(2, 3)`), or `size` at a position or by keyword. */
const SIZED: Record<string, { dims?: true; at?: number; dtype?: string }> = {
  rand: { dims: true }, randn: { dims: true },
  random: { at: 0 }, random_sample: { at: 0 }, ranf: { at: 0 }, sample: { at: 0 }, standard_normal: { at: 0 },
  uniform: { at: 2 }, normal: { at: 2 }, randint: { at: 2, dtype: 'int64' }, binomial: { at: 2, dtype: 'int64' },
  beta: { at: 2 }, gamma: { at: 2 }, poisson: { at: 1, dtype: 'int64' }, exponential: { at: 1 },
};

const ints = (v: Value): number[] | null => {
  const items = isObj(v) && (v.k === 'tuple' || v.k === 'list') ? v.items : [v];
  return items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? items as number[] : null;
};

export function numpyRandomModule(interp: Interpreter): PyModule {
  const noop = native('noop', () => null);
  const number = (n: string, site: CallSite): Value => ({ ...unknown(`numpy.random.${n}() is random`, site.line), notTensor: true });
  const attrs: Record<string, Value> = { seed: noop, shuffle: noop };
  for (const [name, how] of Object.entries(SIZED)) {
    attrs[name] = native(name, (a, k, site) => {
      const size = how.dims ? (a.length ? a : null) : k.get('size') ?? a[how.at ?? 0] ?? null;
      if (size === null || (Array.isArray(size) && !size.length)) return number(name, site);
      const shape = ints(Array.isArray(size) ? { k: 'tuple', items: size } : size);
      return shape ? dataArray(interp, shape, how.dtype ?? 'float64', 'numpy.random') : number(name, site);
    });
  }
  return pyModule('numpy.random', attrs, (n) => number(n, { line: 0, from: 0, to: 0, file: '' }));
}
