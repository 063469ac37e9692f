// torch functions that assemble or enumerate: atleast_1d/2d/3d, block_diag, cartesian_prod, combinations and
// tril_indices/triu_indices. Shapes only, as PyTorch gives them (factorisation-machine pairs, relative-position
// tables, diagonal covariance blocks); what depends on values not known stays unknown.
import { arg } from '../../python/call-args';
import { isObj, isUnknown, native, tuple, unknown, type CallSite, type PyNative, type Value } from '../../python/values';
import type { Dim, Shape } from '../../shapes/dim';
import * as dim from '../../shapes/dim';
import { isTensor, type TensorObj } from './tensor';
import type { Tracer } from './trace';

/** The tensors of `f(*tensors)` or `f([tensors])`; undefined when one is not a tensor. */
function tensorsOf(a: Value[]): TensorObj[] | undefined {
  const items = a.length === 1 && isObj(a[0]) && (a[0].k === 'list' || a[0].k === 'tuple') ? a[0].items : a;
  return items.every(isTensor) ? items as TensorObj[] : undefined;
}

/** atleast_nd: a 0-d tensor becomes all ones, a vector a row (1, n), a matrix (m, n, 1) for three dims. */
function atLeast(shape: Shape, n: number): Shape {
  if (shape.length >= n) return shape;
  if (n === 3 && shape.length === 2) return [...shape, 1];
  if (n === 3 && shape.length === 1) return [1, shape[0], 1];
  return n === 2 && shape.length === 1 ? [1, shape[0]] : Array<Dim>(n).fill(1);
}

const choose = (n: number, r: number): number => {
  let c = 1;
  for (let i = 0; i < r; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
};

/** How many (i, j) of a rows × cols grid lie on or below (tril) / above (triu) the diagonal `offset`. */
function triangleCount(rows: number, cols: number, offset: number, lower: boolean): number {
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const edge = Math.min(Math.max(i + offset + (lower ? 1 : 0), 0), cols);
    count += lower ? edge : cols - edge;
  }
  return count;
}

export function assembleFunctions(tracer: () => Tracer): Record<string, PyNative> {
  const fns: Record<string, PyNative> = {};
  const fn = (name: string, f: (a: Value[], k: Map<string, Value>, site: CallSite) => Value) => { fns[name] = native(name, f); };
  for (const n of [1, 2, 3]) {
    fn(`atleast_${n}d`, (a, _k, site) => {
      const ts = tensorsOf(a);
      if (!ts) return unknown(`torch.atleast_${n}d of a value that is not a tensor`, site.line);
      const out = ts.map((t) => tracer().op(`atleast_${n}d`, {}, [t], t.shape ? atLeast(t.shape, n) : null, site));
      return a.length === 1 && isTensor(a[0]) ? out[0] : tuple(out);
    });
  }
  fn('block_diag', (a, _k, site) => {
    const ts = tensorsOf(a);
    if (!ts || ts.some((t) => !t.shape || t.shape.length > 2)) return unknown('torch.block_diag of tensors not known or above 2-D', site.line);
    const blocks = ts.map((t) => atLeast(t.shape as Shape, 2));
    return tracer().op('block_diag', {}, ts, [blocks.reduce((s, b) => dim.add(s, b[0]), 0 as Dim), blocks.reduce((s, b) => dim.add(s, b[1]), 0 as Dim)], site);
  });
  fn('cartesian_prod', (a, _k, site) => {
    const ts = tensorsOf(a);
    if (!ts || ts.some((t) => t.shape?.length !== 1)) return unknown('torch.cartesian_prod of tensors that are not 1-D', site.line);
    const lens = ts.map((t) => (t.shape as Shape)[0]);
    return tracer().op('cartesian_prod', {}, ts, ts.length === 1 ? [lens[0]] : [dim.product(lens), ts.length], site);
  });
  fn('combinations', (a, k, site) => {
    const x = a[0] ?? k.get('input') ?? null, r = arg(a, k, 1, 'r', 2), again = arg(a, k, 2, 'with_replacement', false) === true;
    if (!isTensor(x) || x.shape?.length !== 1 || typeof x.shape[0] !== 'number' || typeof r !== 'number' || r < 1) {
      return isUnknown(x) ? x : unknown('torch.combinations of a tensor not 1-D or an r not known', site.line);
    }
    const n = x.shape[0];
    return tracer().op('combinations', {}, [x], [again ? choose(n + r - 1, r) : choose(n, r), r], site);
  });
  for (const [name, lower] of [['tril_indices', true], ['triu_indices', false]] as const) {
    fn(name, (a, k, site) => {
      const [rows, cols, offset] = [arg(a, k, 0, 'row'), arg(a, k, 1, 'col'), arg(a, k, 2, 'offset', 0)];
      if (typeof rows !== 'number' || typeof cols !== 'number' || typeof offset !== 'number') return unknown(`torch.${name} of sizes not known`, site.line);
      return tracer().fresh([2, triangleCount(rows, cols, offset, lower)], site);
    });
  }
  return fns;
}
