// A native function's argument by keyword or position (`f(x, 2)` and `f(x, dim=2)`), the way Python binds it.
import type { Value } from './values';

/** The argument named `name` or at position `i`, else `dflt`. */
export const arg = (a: Value[], k: Map<string, Value>, i: number, name: string, dflt: Value = null): Value =>
  k.has(name) ? (k.get(name) as Value) : i < a.length ? a[i] : dflt;
