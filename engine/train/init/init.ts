// Parameter initialisation. `default` is PyTorch's: weights kaiming_uniform(a=√5), i.e.
// U(−1/√fan_in, 1/√fan_in), and biases U(−1/√fan_in, 1/√fan_in) with the weight's fan-in.
// Xavier/Glorot: N(0, √(2/(fan_in+fan_out))) or U(±√(6/(fan_in+fan_out))); He: N(0, √(2/fan_in)) or
// U(±√(6/fan_in)); with these two, biases start at 0. Norm layers start at γ = 1, β = 0. A Keras kernel's
// `default` is Keras's: glorot_uniform, U(±√(6/(fan_in+fan_out))) with Keras's fans (its biases are zeros).
import type { Param, ParamRole } from '../layers/layer';
import type { Rng } from '../tensor/rng';

export type InitScheme = 'default' | 'xavier' | 'xavier-normal' | 'xavier-uniform' | 'he' | 'he-normal' | 'he-uniform';

export const INIT_SCHEMES: InitScheme[] = ['default', 'xavier', 'xavier-normal', 'xavier-uniform', 'he', 'he-normal', 'he-uniform'];

/** How one parameter is drawn: the same rule the training script of `engine/train/export/` writes out. */
export type InitRule = { kind: 'uniform'; bound: number } | { kind: 'normal'; std: number } | { kind: 'const'; value: number };

/** The rule of a parameter's role under a scheme. `xavier` and `he` alone mean the normal form. */
export function initRule(r: ParamRole, scheme: InitScheme): InitRule {
  if (r.kind === 'const') return r;
  if (r.kind === 'bias') return scheme === 'default' && r.fanIn > 0 ? { kind: 'uniform', bound: 1 / Math.sqrt(r.fanIn) } : { kind: 'const', value: 0 };
  const { fanIn, fanOut } = r;
  switch (scheme) {
    case 'default': return r.glorot ? initRule(r, 'xavier-uniform') : { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
    case 'xavier': case 'xavier-normal': return { kind: 'normal', std: Math.sqrt(2 / (fanIn + fanOut)) };
    case 'xavier-uniform': return { kind: 'uniform', bound: Math.sqrt(6 / (fanIn + fanOut)) };
    case 'he': case 'he-normal': return { kind: 'normal', std: Math.sqrt(2 / fanIn) };
    case 'he-uniform': return { kind: 'uniform', bound: Math.sqrt(6 / fanIn) };
  }
}

/** Fills every parameter, in order, drawing from rng. */
export function initParams(params: Param[], scheme: InitScheme, rng: Rng): void {
  for (const p of params) {
    const v = p.value, rule = initRule(p.role, scheme);
    if (rule.kind === 'const') v.fill(rule.value);
    else if (rule.kind === 'uniform') for (let i = 0; i < v.length; i++) v[i] = (2 * rng.uniform() - 1) * rule.bound;
    else for (let i = 0; i < v.length; i++) v[i] = rng.normal() * rule.std;
  }
}
