// BatchNormalization (gamma and beta trainable, moving mean and variance not: 4C of which 2C
// non-trainable), LayerNormalization and GroupNormalization (gamma and beta over the axis).
import { ArgReader, show } from '../../../shapes/args';
import { paramsFormula, result } from '../../../shapes/layer-result';
import { singleInput } from '../../../shapes/layer-input';
import { noWeights, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';
import type { Dim, Shape } from '../../../shapes/dim';

/** The sizes of the normalised axes (`axis` an int or a list; negative counts from the end). */
function axisSizes(r: ArgReader, x: Shape): Dim[] | null {
  const v = r.raw('axis');
  const list = Array.isArray(v) ? v : [v];
  const out: Dim[] = [];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a)) return r.invalid('axis', `must be an int or a list of ints, got ${show(v)}`);
    const i = a < 0 ? x.length + a : a;
    if (i <= 0 || i >= x.length) return r.invalid('axis', `${a} is not a feature axis of a ${x.length}-D input`);
    out.push(x[i]);
  }
  return out;
}

function normWeights(cfg: Cfg, inputs: Shape[], moving: boolean): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const x = inputs[0];
  const sizes = x && axisSizes(r, x);
  const center = r.bool('center'), scale = r.bool('scale');
  if (!sizes || center === null || scale === null || !sizes.every((d): d is number => typeof d === 'number')) return null;
  const out: ParamEntry[] = [];
  if (scale) out.push({ name: 'gamma', shape: sizes, trainable: true });
  if (center) out.push({ name: 'beta', shape: sizes, trainable: true });
  if (moving) out.push({ name: 'moving_mean', shape: sizes, trainable: false }, { name: 'moving_variance', shape: sizes, trainable: false });
  return out;
}

function normSpec(name: string, moving: boolean, extra: Array<[string, unknown]> = []): KerasLayerSpec {
  return {
    signature: [...extra, ['axis', -1], ...(moving ? [['momentum', 0.99] as [string, unknown]] : []), ['epsilon', 1e-3], ['center', true], ['scale', true]],
    weights: (cfg, inputs) => normWeights(cfg, inputs, moving),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = singleInput(r, inputs);
      if (x) axisSizes(r, x);
      if (name === 'GroupNormalization' && x) {
        const g = r.int('groups', 1), c = axisSizes(r, x)?.[0];
        if (g !== null && typeof c === 'number' && c % g !== 0) r.error('groupnorm-groups', `GroupNormalization: the ${c} channels must be divisible by groups=${g}`);
      }
      return result(r, x, 0, paramsFormula(moving ? '4·C (2·C trainable: gamma, beta; 2·C not: moving mean, variance)' : '2·C', normWeights(cfg, inputs, moving)));
    },
  };
}

export const NORM_LAYERS: Record<string, KerasLayerSpec> = {
  BatchNormalization: normSpec('BatchNormalization', true),
  LayerNormalization: normSpec('LayerNormalization', false),
  GroupNormalization: normSpec('GroupNormalization', false, [['groups', 32]]),
  UnitNormalization: { signature: [['axis', -1]], weights: noWeights, apply: (cfg, inputs) => { const r = new ArgReader(cfg, 'UnitNormalization'); return result(r, singleInput(r, inputs), 0); } },
};
