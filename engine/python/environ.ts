// os.environ and os.getenv as `python train.py` sees them in a fresh shell, as argparse's defaults are
// (stdlib argparse stand-in): what the script sets itself is known, and a variable it did not set is
// unset, so `.get(name, default)` is the default; but reading one with `os.environ[name]` means the
// script expects the run's environment to have it (LOCAL_RANK under torchrun, a data folder), so its
// value is unknown there, never a KeyError that the real run would not raise.
import { makeClass, pyDict } from './builtins';
import { native, str, unknown, type CallSite, type PyClass, type PyInstance, type Value } from './values';

export function environment(object: PyClass): { environ: PyInstance; getenv: Value } {
  const cls = makeClass('_Environ', undefined, '_Environ', [object]);
  const vars = new Map<string, Value>();
  const environ: PyInstance = { k: 'inst', cls, attrs: new Map(), ext: vars };
  const method = (name: string, fn: (a: Value[], site: CallSite) => Value) => cls.dict.set(name, native(name, (a, _k, site) => fn(a.slice(1), site)));
  const known = (key: Value): key is string => typeof key === 'string' && vars.has(key);
  const get = (a: Value[]): Value => (known(a[0]) ? (vars.get(a[0]) as Value) : (a[1] ?? null));
  method('__getitem__', (a, site) => (known(a[0]) ? (vars.get(a[0]) as Value)
    : unknown(`the environment variable ${str(a[0])} comes from the environment the script runs in`, site.line)));
  method('__setitem__', (a) => { if (typeof a[0] === 'string') vars.set(a[0], a[1] ?? null); return null; });
  method('__delitem__', (a) => { if (typeof a[0] === 'string') vars.delete(a[0]); return null; });
  method('__contains__', (a) => known(a[0]));
  method('get', get);
  method('setdefault', (a) => { if (typeof a[0] === 'string' && !vars.has(a[0])) vars.set(a[0], a[1] ?? null); return get(a); });
  method('pop', (a) => { const v = get(a); if (typeof a[0] === 'string') vars.delete(a[0]); return v; });
  method('copy', () => pyDict([...vars]));
  return { environ, getenv: native('getenv', (a) => get(a)) };
}
