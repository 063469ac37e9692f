// Parameter initialisation. `default` is PyTorch's: weights kaiming_uniform(a=√5), i.e.
// U(−1/√fan_in, 1/√fan_in), and biases U(−1/√fan_in, 1/√fan_in) with the weight's fan-in.
// Xavier/Glorot: N(0, √(2/(fan_in+fan_out))) or U(±√(6/(fan_in+fan_out))); He: N(0, √(2/fan_in)) or
// U(±√(6/fan_in)); with these two, biases start at 0. Norm layers start at γ = 1, β = 0.
import type { Param } from '../layers/layer';
import type { Rng } from '../tensor/rng';

export type InitScheme = 'default' | 'xavier' | 'xavier-normal' | 'xavier-uniform' | 'he' | 'he-normal' | 'he-uniform';

export const INIT_SCHEMES: InitScheme[] = ['default', 'xavier', 'xavier-normal', 'xavier-uniform', 'he', 'he-normal', 'he-uniform'];

/** Fills every parameter, in order, drawing from rng. `xavier` and `he` alone mean the normal form. */
export function initParams(params: Param[], scheme: InitScheme, rng: Rng): void {
  for (const p of params) {
    const v = p.value, r = p.role;
    if (r.kind === 'const') { v.fill(r.value); continue; }
    if (r.kind === 'bias') {
      const b = scheme === 'default' && r.fanIn > 0 ? 1 / Math.sqrt(r.fanIn) : 0;
      for (let i = 0; i < v.length; i++) v[i] = b === 0 ? 0 : (2 * rng.uniform() - 1) * b;
      continue;
    }
    const { fanIn, fanOut } = r;
    const uniform = (bound: number): void => { for (let i = 0; i < v.length; i++) v[i] = (2 * rng.uniform() - 1) * bound; };
    const normal = (std: number): void => { for (let i = 0; i < v.length; i++) v[i] = rng.normal() * std; };
    switch (scheme) {
      case 'default': uniform(1 / Math.sqrt(fanIn)); break;
      case 'xavier': case 'xavier-normal': normal(Math.sqrt(2 / (fanIn + fanOut))); break;
      case 'xavier-uniform': uniform(Math.sqrt(6 / (fanIn + fanOut))); break;
      case 'he': case 'he-normal': normal(Math.sqrt(2 / fanIn)); break;
      case 'he-uniform': uniform(Math.sqrt(6 / fanIn)); break;
    }
  }
}
