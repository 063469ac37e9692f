// Flatten, Unflatten and Identity: layers that only rearrange (or keep) the shape.
import { floorDiv, formatShape, product, sameDim, type Dim } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { dimIndex, fmt, fmtValue, singleInput } from '../../../shapes/layer-input';
import { passThrough } from './activation';
import { result } from '../../../shapes/layer-result';
import { REQUIRED, UNKNOWN, type TorchLayerSpec } from './spec';

const flatten: TorchLayerSpec = {
  signature: [['start_dim', 1], ['end_dim', -1]],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Flatten');
    const x = singleInput(r, inputs);
    if (!x) return result(r, null, 0);
    // A 0-D tensor flattens to 1-D; PyTorch treats its dims as if the rank were 1.
    const rank = Math.max(x.length, 1);
    const s = dimIndex(r, 'start_dim', rank);
    const e = dimIndex(r, 'end_dim', rank);
    if (s === null || e === null) return result(r, null, 0);
    if (s > e) {
      r.error('invalid-argument', `Flatten: start_dim ${show(r.raw('start_dim'))} comes after end_dim ${show(r.raw('end_dim'))}`);
      return result(r, null, 0);
    }
    if (x.length === 0) return result(r, [1], 0);
    const merged = x.slice(s, e + 1);
    const out = [...x.slice(0, s), product(merged), ...x.slice(e + 1)];
    return result(r, out, 0, [{ label: 'features', general: '∏ flattened dims', substituted: `${merged.map(fmt).join('·')} = ${fmtValue(out[s])}` }]);
  },
};

/** The sizes to unflatten into, with at most one -1 (inferred); null when unknown or invalid. */
function readSizes(r: ArgReader): number[] | null {
  const v = r.raw('unflattened_size');
  if (v === UNKNOWN || (Array.isArray(v) && v.includes(UNKNOWN))) return r.unknown('unflattened_size');
  const ok = Array.isArray(v) && v.every((e) => Number.isSafeInteger(e) && (e === -1 || e >= 0)) && v.filter((e) => e === -1).length <= 1;
  return ok ? (v as number[]) : r.invalid('unflattened_size', `must be a sequence of non-negative ints with at most one -1, got ${show(v)}`);
}

const unflatten: TorchLayerSpec = {
  signature: [['dim', REQUIRED], ['unflattened_size', REQUIRED]],
  parameters: () => [],
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Unflatten');
    const x = singleInput(r, inputs);
    const sizes = readSizes(r);
    const i = x && dimIndex(r, 'dim', x.length);
    if (!x || i === null || !sizes) return result(r, null, 0);
    const known = sizes.filter((e) => e !== -1);
    const rest = known.reduce((a, b) => a * b, 1);
    let parts: Dim[] = sizes;
    if (sizes.includes(-1)) {
      // PyTorch requires the division to be exact, so the floor is the size whenever the model runs.
      const inferred = rest === 0 ? null : floorDiv(x[i], rest);
      parts = sizes.map((e) => (e === -1 ? inferred : e));
    }
    if (sameDim(product(parts), x[i]) === false || (typeof x[i] === 'number' && parts.includes(null))) {
      r.error('unflatten-size', `Unflatten: sizes ${formatShape(sizes)} do not multiply to dimension ${i} of ${formatShape(x)}`);
      return result(r, null, 0);
    }
    return result(r, [...x.slice(0, i), ...parts, ...x.slice(i + 1)], 0);
  },
};

export const SHAPE_LAYERS: Record<string, TorchLayerSpec> = {
  Flatten: flatten,
  Unflatten: unflatten,
  // Identity accepts and ignores any arguments; `*args`/`**kwargs` collect them.
  Identity: passThrough('Identity', [['*args', []], ['**kwargs', {}]]),
};
