// Copies the Python values that imported modules made out of an analysis's world, into an import
// snapshot (`import-snapshot.ts`), which becomes a table every later analysis reads lazily
// (`snapshot-serial.ts`, `snapshot-read.ts`). The built-in world (builtins, the standard library, torch
// and keras stand-ins) is created anew for every analysis, and its natives hold that analysis's
// interpreter and tracer: a value of it is not copied but named by its path from a built-in module
// (`torch.nn` → `Conv2d`) and looked up again in the world that reads the snapshot. Natives and host
// objects that belong to no analysis (`portable.ts`) are shared. Anything else the copy cannot reproduce
// exactly stops it (`NotCopyable`): the caller then runs the imports every time.
import { DefFunction } from './def-function';
import { isCopyableExt, isShared } from './portable';
import type { PyBound, PyClass, PyDict, PyFunction, PyInstance, PyModule, PyObject, PySlice, PyWrapped, Scope, Value } from './values';
import { hashKey } from './values';

/** One step from a built-in object to what it holds. */
export type PathStep =
  | { t: 'attr'; key: string } // a module's attribute (looked up, so lazily made ones are made again)
  | { t: 'dict'; key: string } // a class's dict entry
  | { t: 'fn' } // a staticmethod/classmethod/property's function
  | { t: 'item'; i: number } // a list, tuple or set item
  | { t: 'entry'; i: number } // the value of a dict's i-th entry
  | { t: 'iattr'; key: string }; // an instance's attribute

/** Where a built-in object is found: from a built-in module (by dotted name) or the builtins. */
export interface BuiltinPath {
  root: { module: string } | { builtins: true };
  steps: PathStep[];
}

export class NotCopyable extends Error {}

/** Stands for a built-in object in a snapshot: its path, looked up again in the world it is copied into. */
export class BuiltinRef {
  constructor(readonly path: BuiltinPath) {}
}

/** Stands for the analysed file's module and its globals in a snapshot. */
export const MAIN_MODULE = { k: 'module', name: '__main__', attrs: new Map() } as PyModule;
export const MAIN_GLOBALS = MAIN_MODULE.attrs;

/**
 * What a copy does with the objects it does not copy field by field: a replacement (a built-in
 * object of the target world, a placeholder), or undefined to copy it.
 */
export type Leaf = (v: object) => unknown;

const FIELDS: Record<string, Set<string>> = {
  list: new Set(['k', 'items', 'deque']),
  tuple: new Set(['k', 'items', 'size']),
  set: new Set(['k', 'items']),
  iter: new Set(['k', 'items']),
  dict: new Set(['k', 'map', 'ordered', 'factory']),
  slice: new Set(['k', 'lo', 'hi', 'step']),
  sym: new Set(['k', 'd']),
  unknown: new Set(['k', 'reason', 'line', 'made', 'spread', 'name']),
  func: new Set(['k', 'name', 'qualname', 'params', 'defaults', 'body', 'closure', 'module', 'line', 'generator', 'wraps', 'undecorated', 'owner', 'def']),
  wrapped: new Set(['k', 'kind', 'fn']),
  bound: new Set(['k', 'self', 'fn']),
  class: new Set(['k', 'name', 'qualname', 'bases', 'mro', 'dict', 'module', 'line', 'unknownBases', 'construct', 'tag', 'meta']),
  inst: new Set(['k', 'cls', 'attrs', 'ext']),
  module: new Set(['k', 'name', 'attrs', 'getattr']),
};
const SCOPE_FIELDS = new Set(['vars', 'parent', 'globals', 'globalNames', 'nonlocalNames', 'isClass']);

/**
 * A deep copy of values, sharing what `leaf` replaces. Every field of every object is accounted for
 * (`FIELDS`): a field the copy does not know stops it, so a new kind of state is never shared silently.
 */
export class WorldCopy {
  private readonly memo = new Map<object, unknown>();
  private readonly pending: PyClass[] = [];
  private readonly frozen = new WeakMap<object, boolean>();

  /**
   * `inheritedAt`: per class whose construct is a base's, that base's place in its mro (kept with a
   * snapshot, whose classes have placeholders for bases). `onModule`: told of every module copied.
   */
  constructor(
    private readonly leaf: Leaf,
    private readonly inheritedAt: WeakMap<PyClass, number>,
    private readonly onModule?: (copy: PyModule, original: PyModule) => void,
  ) {}

  value(v: Value): Value {
    if (v === null || typeof v !== 'object') return v;
    const done = this.memo.get(v);
    if (done !== undefined) return done as Value;
    const replaced = this.leaf(v);
    if (replaced !== undefined) {
      this.memo.set(v, replaced);
      return replaced as Value;
    }
    if (isShared(v) || this.immutable(v)) return v;
    return this.object(v);
  }

  /**
   * Values nothing can change (tuples of such values, unknown values, symbolic sizes): one copy serves
   * every analysis. Most of timm's tuples are tuples of numbers and strings.
   */
  private immutable(v: PyObject): boolean {
    if (v.k === 'unknown' || v.k === 'sym') return true;
    if (v.k !== 'tuple') return false;
    let known = this.frozen.get(v);
    if (known === undefined) {
      known = v.items.every((x) => x === null || typeof x !== 'object' || this.immutable(x));
      this.frozen.set(v, known);
    }
    return known;
  }

  map<K>(m: Map<K, Value>): Map<K, Value> {
    const done = this.memo.get(m);
    if (done !== undefined) return done as Map<K, Value>;
    const replaced = this.leaf(m);
    if (replaced !== undefined) {
      this.memo.set(m, replaced);
      return replaced as Map<K, Value>;
    }
    const out = new Map<K, Value>();
    this.memo.set(m, out);
    for (const [k, x] of m) out.set(k, this.value(x));
    return out;
  }

  private check(v: object, kind: string): void {
    const allowed = FIELDS[kind];
    if (!allowed) throw new NotCopyable(`a value of kind ${kind}`);
    for (const f of Object.getOwnPropertyNames(v)) if (!allowed.has(f)) throw new NotCopyable(`a ${kind} with the field ${f}`);
  }

  private object(v: PyObject): Value {
    this.check(v, v.k);
    // literals in the shapes the interpreter makes, optional fields only when present
    switch (v.k) {
      case 'list': case 'tuple': case 'set': case 'iter': {
        const out = { k: v.k, items: [] as Value[] } as typeof v;
        if (v.k === 'list' && v.deque) (out as typeof v).deque = true;
        if (v.k === 'tuple' && v.size) (out as typeof v).size = true;
        this.memo.set(v, out);
        for (const x of v.items) out.items.push(this.value(x));
        return out;
      }
      case 'dict': {
        const out: PyDict = { k: 'dict', map: new Map() };
        if (v.ordered !== undefined) out.ordered = v.ordered;
        this.memo.set(v, out);
        if (v.factory !== undefined) out.factory = this.value(v.factory);
        for (const [, [k, x]] of v.map) {
          const key = this.value(k);
          out.map.set(hashKey(key), [key, this.value(x)]);
        }
        return out;
      }
      case 'slice': {
        const out: PySlice = { k: 'slice', lo: null, hi: null, step: null };
        this.memo.set(v, out);
        out.lo = this.value(v.lo);
        out.hi = this.value(v.hi);
        out.step = this.value(v.step);
        return out;
      }
      case 'func': return this.func(v);
      case 'wrapped': {
        const out: PyWrapped = { k: 'wrapped', kind: v.kind, fn: null };
        this.memo.set(v, out);
        out.fn = this.value(v.fn);
        return out;
      }
      case 'bound': {
        const out: PyBound = { k: 'bound', self: null, fn: v.fn };
        this.memo.set(v, out);
        out.self = this.value(v.self);
        out.fn = this.value(v.fn) as typeof v.fn;
        return out;
      }
      case 'class': return this.cls(v);
      case 'inst': {
        if (v.ext !== undefined && !isCopyableExt(v.ext)) throw new NotCopyable(`an instance of ${v.cls.name} with framework state`);
        const out: PyInstance = { k: 'inst', cls: v.cls, attrs: new Map() };
        this.memo.set(v, out);
        out.cls = this.value(v.cls) as PyClass;
        for (const [k, x] of v.attrs) out.attrs.set(k, this.value(x));
        if (isCopyableExt(v.ext)) out.ext = v.ext.copyExt((x) => this.value(x));
        return out;
      }
      case 'module': {
        const out: PyModule = { k: 'module', name: v.name, attrs: new Map() };
        this.memo.set(v, out);
        out.attrs = this.map(v.attrs);
        this.onModule?.(out, v);
        return out;
      }
      default: throw new NotCopyable(`a ${v.k} object of the built-in world that no module path reaches`);
    }
  }

  private func(v: PyFunction): Value {
    const fields = { name: v.name, qualname: v.qualname, params: v.params, defaults: new Map<string, Value>(), closure: v.closure, module: v.module, line: v.line };
    let out: PyFunction & { undecorated?: Value; owner?: Value };
    if (v instanceof DefFunction) out = new DefFunction(fields, v.def);
    else {
      out = { k: 'func', ...fields, body: v.body };
      if (v.generator !== undefined) out.generator = v.generator;
    }
    this.memo.set(v, out);
    // a function's defaults are set when it is made, never after: with only unchangeable values, one map serves all
    out.defaults = [...v.defaults.values()].every((x) => x === null || typeof x !== 'object' || isShared(x) || this.immutable(x)) ? v.defaults : this.map(v.defaults);
    out.closure = this.scope(v.closure);
    if (v.wraps) out.wraps = { module: v.wraps.module, wrapped: this.value(v.wraps.wrapped) };
    const extra = v as PyFunction & { undecorated?: Value; owner?: Value };
    if (extra.undecorated !== undefined) out.undecorated = this.value(extra.undecorated);
    if (extra.owner !== undefined) out.owner = this.value(extra.owner);
    return out;
  }

  private scope(s: Scope): Scope {
    const done = this.memo.get(s);
    if (done !== undefined) return done as Scope;
    for (const f of Object.keys(s)) if (!SCOPE_FIELDS.has(f)) throw new NotCopyable(`a scope with the field ${f}`);
    const out: Scope = { ...s };
    this.memo.set(s, out);
    out.vars = this.map(s.vars);
    out.globals = this.map(s.globals);
    if (s.parent) out.parent = this.scope(s.parent);
    if (s.globalNames) out.globalNames = new Set(s.globalNames);
    if (s.nonlocalNames) out.nonlocalNames = new Set(s.nonlocalNames);
    return out;
  }

  private cls(v: PyClass): Value {
    const out: PyClass = { ...v, dict: new Map(), bases: [], mro: [] };
    this.memo.set(v, out);
    out.bases = v.bases.map((b) => this.value(b) as PyClass);
    out.mro = v.mro.map((c) => (c === v ? out : this.value(c) as PyClass));
    if (v.meta) out.meta = this.value(v.meta) as PyClass;
    if (v.unknownBases) out.unknownBases = v.unknownBases.map((b) => ({ ...b }));
    out.dict = this.map(v.dict);
    // a construct inherited from a base (a class statement over a built-in class) is that base's: set
    // once the copy is done, since the base may be a placeholder now
    let at = this.inheritedAt.get(v);
    if (v.construct && !isShared(v.construct)) {
      at = v.mro.findIndex((c) => c !== v && c.construct === v.construct);
      if (at < 0) throw new NotCopyable(`the class ${v.name} with a constructor of its own`);
      delete out.construct;
    }
    if (at !== undefined) {
      this.inheritedAt.set(out, at);
      this.pending.push(out);
    }
    return out;
  }

  /** Gives the copied classes their inherited constructors (bases first). */
  finish(): void {
    inheritConstructors(this.pending, this.inheritedAt);
    this.pending.length = 0;
  }
}

/** Gives each class the constructor of the base at its `inheritedAt` place in its mro (bases first). */
export function inheritConstructors(classes: PyClass[], inheritedAt: WeakMap<PyClass, number>): void {
  for (const c of [...classes].sort((a, b) => a.mro.length - b.mro.length)) {
    const base = c.mro[inheritedAt.get(c) as number] as Partial<PyClass> | undefined;
    if (base?.k === 'class' && base.construct) c.construct = base.construct;
  }
}
