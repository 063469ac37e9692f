// torch.linalg's norms and torch.cdist: shapes only (metric-learning heads, prototypical networks). The rest of
// torch.linalg (solvers, decompositions) stays unknown and named.
import { pyModule } from '../../python/stdlib';
import { isUnknown, native, unknown, type CallSite, type PyModule, type Value } from '../../python/values';
import type { Shape } from '../../shapes/dim';
import { broadcast } from '../../shapes/reshape';
import { isTensor, reduceDims, type TensorObj } from './tensor';
import type { Tracer } from './trace';

const tensorArg = (name: string, x: Value, line: number): TensorObj | Value =>
  isTensor(x) || isUnknown(x) ? x : unknown(`${name} of a value that is not a tensor`, line);

/** A norm over `dim` (all elements when None for a vector norm; the last two dims for a matrix norm). */
function norm(tracer: () => Tracer, name: string, matrix: 'never' | 'always' | 'by-ord') {
  return native(name, (a, k, site: CallSite) => {
    const x = tensorArg(`torch.linalg.${name}`, a[0] ?? k.get('input') ?? k.get('A') ?? k.get('x') ?? null, site.line);
    if (!isTensor(x)) return x;
    const ord = a[1] ?? k.get('ord') ?? null;
    let dims = a[2] ?? k.get('dim') ?? null;
    const keep = (a[3] ?? k.get('keepdim') ?? false) === true;
    // linalg.norm: a string ord ('fro', 'nuc') or a 2-d input with no dim is a matrix norm over the last two dims
    const isMatrix = matrix === 'always' || (matrix === 'by-ord' && dims === null && typeof ord === 'string');
    if (isMatrix && dims === null) dims = { k: 'tuple', items: [-2, -1] };
    const out = x.shape ? reduceDims(x.shape, dims, keep) : null;
    return tracer().op(`linalg.${name}`, {}, [x], out, site);
  });
}

export function linalgModule(tracer: () => Tracer): PyModule {
  return pyModule('torch.linalg', {
    norm: norm(tracer, 'norm', 'by-ord'),
    vector_norm: norm(tracer, 'vector_norm', 'never'),
    matrix_norm: norm(tracer, 'matrix_norm', 'always'),
  }, (name) => unknown(`torch.linalg.${name} is not modelled`));
}

/** torch.cdist(x1 (…, P, M), x2 (…, R, M)) → (…, P, R), the batch dims broadcast. */
export function cdist(tracer: () => Tracer) {
  return native('cdist', (a, k, site: CallSite) => {
    const x1 = tensorArg('torch.cdist', a[0] ?? k.get('x1') ?? null, site.line);
    const x2 = tensorArg('torch.cdist', a[1] ?? k.get('x2') ?? null, site.line);
    if (!isTensor(x1)) return x1;
    if (!isTensor(x2)) return x2;
    const [s1, s2] = [x1.shape, x2.shape];
    let out: Shape | null = null;
    if (s1 && s2 && s1.length >= 2 && s2.length >= 2) {
      const b = broadcast(s1.slice(0, -2), s2.slice(0, -2));
      if (b.bad === undefined) out = [...b.shape, s1[s1.length - 2], s2[s2.length - 2]];
    }
    return tracer().op('cdist', {}, [x1, x2], out, site);
  });
}
