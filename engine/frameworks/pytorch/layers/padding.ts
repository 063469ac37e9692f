// Padding layers. `padding` is an int (every side) or 2n ints ordered from the last dimension
// backwards: (left, right, top, bottom, front, back). Constant/zero padding may be negative (crops).
import { add, type Dim } from '../../../shapes/dim';
import { ArgReader, show, toTuple } from '../../../shapes/args';
import { axesOf, fmt, fmtValue, inputOfRank } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { REQUIRED, type TorchLayerSpec } from './spec';

type Mode = 'Zero' | 'Constant' | 'Reflection' | 'Replication' | 'Circular';

function padSpec(mode: Mode, n: number): TorchLayerSpec {
  const name = `${mode}Pad${n}d`;
  const axes = axesOf(n);
  const constant = mode === 'Zero' || mode === 'Constant';
  return {
    signature: mode === 'Constant' ? [['padding', REQUIRED], ['value', REQUIRED]] : [['padding', REQUIRED]],
    normalize: (cfg) => ({ ...cfg, padding: toTuple(cfg.padding, 2 * n) }),
    parameters: () => [],
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const pad = r.ints('padding', 2 * n, constant ? -Number.MAX_SAFE_INTEGER : 0);
      if (mode === 'Constant') r.num('value');
      const x = constant
        ? inputOfRank(r, inputs, (k) => k >= n, `an input of at least ${n} dimensions`)
        : inputOfRank(r, inputs, (k) => k === n + 1 || k === n + 2, `a ${n + 2}-D (N, C, …) or ${n + 1}-D unbatched input`);
      if (!x || !pad) return result(r, null, 0);
      const out: Dim[] = [...x];
      const formulas = axes.map((axis, i) => {
        // Axis i (counted from the first spatial one) takes the pair at the end-relative position.
        const j = n - 1 - i;
        const [before, after] = [pad[2 * j], pad[2 * j + 1]];
        const at = x.length - n + i;
        const l = x[at];
        out[at] = add(l, before + after);
        if (mode === 'Reflection' && typeof l === 'number' && (before >= l || after >= l)) {
          r.error('padding-too-large', `${name}: padding ${show(r.raw('padding'))} must be smaller than the input size ${l} along ${axis}`);
        }
        if (mode === 'Circular' && typeof l === 'number' && (before > l || after > l)) {
          r.error('padding-too-large', `${name}: padding ${show(r.raw('padding'))} must not exceed the input size ${l} along ${axis}`);
        }
        const outSize = out[at];
        if (typeof outSize === 'number' && outSize < 1) r.error('size-below-one', `${name}: output ${axis} would be ${outSize}, below 1`);
        return { label: `${axis}_out`, general: `${axis} + p_before + p_after`, substituted: `${fmt(l)} + ${before} + ${after} = ${fmtValue(outSize)}` };
      });
      const failed = r.diagnostics.some((d) => d.severity === 'error');
      return result(r, failed ? null : out, 0, formulas);
    },
  };
}

export const PADDING_LAYERS: Record<string, TorchLayerSpec> = Object.fromEntries(
  (['Zero', 'Constant', 'Reflection', 'Replication', 'Circular'] as Mode[]).flatMap((m) => [1, 2, 3].map((n) => [`${m}Pad${n}d`, padSpec(m, n)])),
);
