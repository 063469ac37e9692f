// Merge layers: Add/Subtract/Multiply/Average/Maximum/Minimum (same shapes, 1 broadcasts),
// Concatenate (same shapes except along `axis`) and Dot (a batched dot product along `axes`).
import { add, sameDim, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { result } from '../../../shapes/layer-result';
import { shapeText } from './layout';
import { REQUIRED, noWeights, type KerasLayerSpec } from './spec';

function elementwise(name: string): KerasLayerSpec {
  return {
    signature: [],
    merge: true,
    weights: noWeights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      if (inputs.length < 2 && name !== 'Add') r.error('merge-inputs', `${name} needs a list of at least 2 tensors, got ${inputs.length}`);
      if (!inputs.length) return result(r, null, 0);
      let out: Shape = inputs[0];
      for (const s of inputs.slice(1)) {
        if (s.length !== out.length) {
          r.error('add-mismatch', `${name}: inputs ${inputs.map(shapeText).join(' and ')} have different ranks`);
          return result(r, null, 0);
        }
        const next: Dim[] = [];
        for (let i = 0; i < s.length; i++) {
          const [a, b] = [out[i], s[i]];
          if (a === 1 && i > 0) next.push(b);
          else if (b === 1 && i > 0) next.push(a);
          else if (sameDim(a, b) === false) {
            r.error('add-mismatch', `${name}: inputs ${inputs.map(shapeText).join(' and ')} differ at axis ${i} (${a} vs ${b})`);
            return result(r, null, 0);
          } else next.push(typeof a === 'number' ? a : b ?? a);
        }
        out = next;
      }
      return result(r, out, 0);
    },
  };
}

const concatenate: KerasLayerSpec = {
  signature: [['axis', -1]],
  merge: true,
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Concatenate');
    const axis = r.int('axis', -Number.MAX_SAFE_INTEGER);
    if (!inputs.length || axis === null) return result(r, null, 0);
    const rank = inputs[0].length;
    const a = axis < 0 ? rank + axis : axis;
    if (a < 0 || a >= rank || inputs.some((s) => s.length !== rank)) {
      r.error('cat-mismatch', `Concatenate(axis=${axis}): inputs ${inputs.map(shapeText).join(' and ')} do not share a rank with that axis`);
      return result(r, null, 0);
    }
    let total: Dim = 0;
    for (const s of inputs) {
      const bad = s.findIndex((d, i) => i !== a && sameDim(d, inputs[0][i]) === false);
      if (bad >= 0) {
        r.error('cat-mismatch', `Concatenate(axis=${axis}): inputs ${inputs.map(shapeText).join(' and ')} differ at axis ${bad}, which is not the concatenation axis`);
        return result(r, null, 0);
      }
      total = add(total, s[a]);
    }
    const out = inputs[0].slice();
    out[a] = total;
    return result(r, out, 0);
  },
};

// Keras's Dot: batch_dot of two tensors over one axis each (the batch axis never); the output keeps
// the first input's other axes, then the second's (PointNet's t-net: (N, 2048, 3) · (N, 3, 3) → (N, 2048, 3))
const dot: KerasLayerSpec = {
  signature: [['axes', REQUIRED], ['normalize', false]],
  merge: true,
  weights: noWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Dot');
    const raw = r.raw('axes');
    const axes = typeof raw === 'number' ? [raw, raw] : Array.isArray(raw) && raw.length === 2 ? raw : null;
    const [a, b] = inputs;
    if (!a || !b || inputs.length !== 2) {
      r.error('merge-inputs', `Dot needs a list of 2 tensors, got ${inputs.length}`);
      return result(r, null, 0);
    }
    if (!axes || !axes.every((x): x is number => typeof x === 'number')) return result(r, null, 0);
    const [i, j] = [axes[0] < 0 ? a.length + axes[0] : axes[0], axes[1] < 0 ? b.length + axes[1] : axes[1]];
    if (i < 1 || j < 1 || i >= a.length || j >= b.length || sameDim(a[i], b[j]) === false) {
      r.error('dot-mismatch', `Dot(axes=${shapeText(axes)}): inputs ${inputs.map(shapeText).join(' and ')} do not share a size on those axes`);
      return result(r, null, 0);
    }
    const out = [...a.filter((_, k) => k !== i), ...b.slice(1).filter((_, k) => k + 1 !== j)];
    return result(r, out.length === 1 ? [out[0], 1] : out, 0);
  },
};

export const MERGE_LAYERS: Record<string, KerasLayerSpec> = {
  ...Object.fromEntries(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'].map((n) => [n, elementwise(n)])),
  Concatenate: concatenate,
  Dot: dot,
};
