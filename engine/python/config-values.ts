// Layer arguments between Python values and the plain configs that layer rules read: tuples and
// lists become arrays, unknown values UNKNOWN, and back.
import { REQUIRED, UNKNOWN } from '../shapes/layer-spec';
import { tuple, unknown, type Value } from './values';

/** Config values as Python sees them: arrays are tuples, UNKNOWN is unknown. */
export function toPython(v: unknown): Value {
  if (v === UNKNOWN || v === REQUIRED || v === undefined) return unknown('argument not known');
  if (Array.isArray(v)) return tuple(v.map(toPython));
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object' && v !== null && 'k' in v) return v as Value;
  return unknown('argument not known');
}

/** Python values as layer configs see them: tuples/lists become arrays, unknowns UNKNOWN. */
export function fromPython(v: Value): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v.k === 'tuple' || v.k === 'list') return v.items.map(fromPython);
  if (v.k === 'sym') return v.d;
  if (v.k === 'unknown') return UNKNOWN;
  return v;
}
