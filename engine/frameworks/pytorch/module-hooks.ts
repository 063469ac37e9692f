// Forward hooks and forward pre-hooks (`register_forward_hook`, `register_forward_pre_hook`), which feature
// extraction and Grad-CAM code uses: a hook runs after each call of its module with (module, args, output) and
// may replace the output; a pre-hook runs before with (module, args) and may replace the arguments. Each returns
// a handle whose remove() takes the hook off. Backward hooks never run (nothing runs backward here).
import type { Interpreter } from '../../python/interpreter';
import { makeClass, pyDict } from '../../python/builtins';
import { isObj, native, tuple, type CallSite, type PyClass, type PyInstance, type Value } from '../../python/values';

interface Hook { fn: Value; kwargs: boolean }

/** A module's hooks, in the order they run. */
export class ModuleHooks {
  readonly pre: Hook[] = [];
  readonly post: Hook[] = [];

  get any(): boolean {
    return this.pre.length > 0 || this.post.length > 0;
  }
}

const Handle: PyClass = makeClass('RemovableHandle');

/** Adds `hook` to `list` (first with prepend=True) and returns its handle. */
export function registerHook(list: Hook[], fn: Value, kwargs: Map<string, Value>): Value {
  const hook: Hook = { fn, kwargs: kwargs.get('with_kwargs') === true };
  if (kwargs.get('prepend') === true) list.unshift(hook); else list.push(hook);
  const handle: PyInstance = { k: 'inst', cls: Handle, attrs: new Map() };
  handle.attrs.set('remove', native('remove', () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
    return null;
  }));
  return handle;
}

/** A handle whose remove() does nothing: a backward hook, which no analysis runs. */
export const idleHandle = (): Value => registerHook([], null, new Map());

/** Calls a module through its pre-hooks, `call` and its forward hooks, as nn.Module.__call__ does. */
export function callWithHooks(interp: Interpreter, self: PyInstance, hooks: ModuleHooks, args: Value[], kwargs: Map<string, Value>,
  site: CallSite, call: (args: Value[], kwargs: Map<string, Value>) => Value): Value {
  let a = args, k = kwargs;
  for (const h of [...hooks.pre]) {
    const r = interp.call(h.fn, h.kwargs ? [self, tuple(a), pyDict([...k])] : [self, tuple(a)], new Map(), site);
    if (r === null) continue;
    // with kwargs a pre-hook returns (args, kwargs); else new args, a single value meaning a 1-tuple
    if (h.kwargs && isObj(r) && r.k === 'tuple' && r.items.length === 2 && isObj(r.items[1]) && r.items[1].k === 'dict') {
      const [na, nk] = r.items;
      a = isObj(na) && na.k === 'tuple' ? na.items : [na];
      k = new Map([...nk.map.values()].map(([key, v]) => [String(key), v] as [string, Value]));
    } else a = isObj(r) && r.k === 'tuple' ? r.items : [r];
  }
  let out = call(a, k);
  const kw = pyDict([...k]);
  for (const h of [...hooks.post]) {
    const r = interp.call(h.fn, h.kwargs ? [self, tuple(a), kw, out] : [self, tuple(a), out], new Map(), site);
    if (r !== null) out = r;
  }
  return out;
}
