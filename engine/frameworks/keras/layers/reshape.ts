// Layers that rearrange the shape: Flatten, Reshape (one -1 inferred), Permute (1-based axes),
// RepeatVector, ZeroPadding/Cropping 1D/2D/3D and UpSampling 1D/2D/3D.
import { add, mul, product, sub, type Dim } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { axesOf, fmt, fmtValue, inputOfRank, singleInput } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { resolveView } from '../../../shapes/reshape';
import { assemble, readSpatial, shapeText } from './layout';
import { REQUIRED, UNKNOWN, noWeights, type KerasLayerSpec } from './spec';

const flatten: KerasLayerSpec = {
  signature: [['data_format', null]],
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Flatten');
    const x = inputOfRank(r, inputs, (k) => k >= 1, 'an input with a batch axis');
    if (!x) return result(r, null, 0);
    const rest = x.slice(1);
    const out = [x[0], rest.length ? product(rest) : 1];
    return result(r, out, 0, [{ label: 'features', general: '∏ non-batch dims', substituted: `${rest.map(fmt).join('·') || '1'} = ${fmtValue(out[1])}` }]);
  },
};

const reshape: KerasLayerSpec = {
  signature: [['target_shape', REQUIRED]],
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Reshape');
    const x = singleInput(r, inputs);
    const t = r.raw('target_shape');
    if (t === UNKNOWN || (Array.isArray(t) && t.includes(UNKNOWN))) {
      r.unknown('target_shape');
      return result(r, null, 0);
    }
    const target = typeof t === 'number' ? [t] : t;
    if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' || typeof d === 'string' || d === null)) {
      r.invalid('target_shape', `must be a tuple of ints, got ${show(t)}`);
      return result(r, null, 0);
    }
    if (!x) return result(r, null, 0);
    const dims = (target as Dim[]).map((d) => (d === null ? -1 : d));
    const v = resolveView(x.slice(1), dims);
    if (v.error) {
      r.error('view-mismatch', `Reshape: target shape ${shapeText(target as Dim[])} does not hold the ${fmtValue(product(x.slice(1)))} values of each sample of ${shapeText(x)}`);
      return result(r, null, 0);
    }
    return result(r, [x[0], ...v.shape], 0);
  },
};

const permute: KerasLayerSpec = {
  signature: [['dims', REQUIRED]],
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Permute');
    const x = singleInput(r, inputs);
    const dims = r.intList('dims', 1);
    if (!x || !dims) return result(r, null, 0);
    if (dims.length !== x.length - 1 || [...dims].sort((a, b) => a - b).some((d, i) => d !== i + 1)) {
      r.error('invalid-argument', `Permute: dims ${show(dims)} must be a permutation of 1…${x.length - 1} for ${shapeText(x)}`);
      return result(r, null, 0);
    }
    return result(r, [x[0], ...dims.map((d) => x[d])], 0);
  },
};

const repeatVector: KerasLayerSpec = {
  signature: [['n', REQUIRED]],
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'RepeatVector');
    const x = inputOfRank(r, inputs, (k) => k === 2, 'a 2-D input (batch, features)');
    const n = r.int('n', 1);
    return result(r, x && n !== null ? [x[0], n, x[1]] : null, 0);
  },
};

/** `padding`/`cropping`: an int, one int per axis, or (before, after) per axis. */
function pairs(r: ArgReader, name: string, n: number): Array<[number, number]> | null {
  const v = r.raw(name);
  if (v === UNKNOWN || (Array.isArray(v) && v.includes(UNKNOWN))) return r.unknown(name);
  const ok = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (ok(v)) return Array.from({ length: n }, (): [number, number] => [v, v]);
  if (Array.isArray(v) && n === 1 && v.length === 2 && v.every(ok)) return [[v[0], v[1]]];
  if (Array.isArray(v) && v.length === n) {
    const out = v.map((e): [number, number] | null => (ok(e) ? [e, e] : Array.isArray(e) && e.length === 2 && e.every(ok) ? [e[0], e[1]] : null));
    if (out.every((e) => e !== null)) return out as Array<[number, number]>;
  }
  return r.invalid(name, `must be an int, ${n} ints or ${n} (before, after) pairs, got ${show(v)}`);
}

function padCropSpec(name: string, n: number, crop: boolean): KerasLayerSpec {
  const arg = crop ? 'cropping' : 'padding';
  return {
    signature: [[arg, n === 1 ? 1 : crop ? 0 : 1], ['data_format', null]],
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      // ZeroPadding1D/Cropping1D take (batch, steps, features) whatever data_format says
      const x = readSpatial(r, inputs, n);
      const p = pairs(r, arg, n);
      if (!x || !p) return result(r, null, 0);
      const spatial = x.spatial.map((l, i) => (crop ? sub(l, p[i][0] + p[i][1]) : add(l, p[i][0] + p[i][1])));
      const axes = axesOf(n);
      const below = spatial.findIndex((d) => typeof d === 'number' && d < 1);
      if (below >= 0) {
        r.error('size-below-one', `${name}: cropping ${p[below][0]} + ${p[below][1]} from ${x.spatial[below]} leaves ${spatial[below]} along ${axes[below]}`);
        return result(r, null, 0);
      }
      const formulas = axes.map((a, i) => ({
        label: `${a}_out`,
        general: crop ? `${a} − (before + after)` : `${a} + before + after`,
        substituted: `${fmt(x.spatial[i])} ${crop ? `− (${p[i][0]} + ${p[i][1]})` : `+ ${p[i][0]} + ${p[i][1]}`} = ${fmtValue(spatial[i])}`,
      }));
      return result(r, assemble(x, x.channels, spatial), 0, formulas);
    },
  };
}

function upsamplingSpec(name: string, n: number): KerasLayerSpec {
  return {
    signature: [['size', 2], ['data_format', null], ...(n === 2 ? [['interpolation', 'nearest'] as [string, unknown]] : [])],
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = readSpatial(r, inputs, n);
      const size = r.ints('size', n, 1);
      if (!x || !size) return result(r, null, 0);
      return result(r, assemble(x, x.channels, x.spatial.map((l, i) => mul(l, size[i]))), 0);
    },
  };
}

export const RESHAPE_LAYERS: Record<string, KerasLayerSpec> = {
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  ...Object.fromEntries([1, 2, 3].flatMap((n) => [
    [`ZeroPadding${n}D`, padCropSpec(`ZeroPadding${n}D`, n, false)],
    [`Cropping${n}D`, padCropSpec(`Cropping${n}D`, n, true)],
    [`UpSampling${n}D`, upsamplingSpec(`UpSampling${n}D`, n)],
  ])),
};
