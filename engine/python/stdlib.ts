// The parts of Python's standard library that model code imports: math, functools, collections,
// typing, itertools, operator, copy, enum, dataclasses, warnings, numbers.
import type { Interpreter } from './interpreter';
import { importAbsolute, makeClass, pyDict, type BuiltinClasses } from './builtins';
import { configModules } from './attr-dict';
import { asDim, fromDim } from './operators';
import {
  isObj, isUnknown, list, native, str, tuple, unknown,
  type PyClass, type PyInstance, type PyModule, type PyNative, type Value,
} from './values';
import * as dim from '../shapes/dim';
import { fnmatchModule, reModule } from './stdlib-re';
import { enumModule } from './stdlib-enum';
import { namedtupleFactory, typedNamedTuple } from './stdlib-namedtuple';
import { registerFactory, shared, type CopyableExt } from './portable';
import { numpyModule } from './numpy';
import { convlensNatives } from './convlens-natives';
import { signatureClasses, signatureOf } from './stdlib-signature';
import { fileModules, noFiles, type FileAccess } from './files';

export function pyModule(name: string, attrs: Record<string, Value>, getattr?: PyModule['getattr']): PyModule {
  return { k: 'module', name, attrs: new Map(Object.entries(attrs)), getattr };
}

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return +v;
  return undefined;
}

function mathModule(): PyModule {
  const unary = (name: string, f: (x: number) => number, symbolic?: (d: string) => dim.Dim) =>
    native(name, (a, _k, site) => {
      const x = num(a[0]);
      if (x !== undefined) return f(x);
      const d = asDim(a[0]);
      if (symbolic && typeof d === 'string') return fromDim(symbolic(d), site.line);
      return isUnknown(a[0]) ? a[0] : unknown(`math.${name} of ${str(a[0])}`, site.line);
    });
  return pyModule('math', {
    pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, tau: 2 * Math.PI,
    ceil: unary('ceil', Math.ceil, (d) => d), floor: unary('floor', Math.floor, (d) => d),
    sqrt: unary('sqrt', Math.sqrt), exp: unary('exp', Math.exp), log2: unary('log2', Math.log2), log10: unary('log10', Math.log10),
    fabs: unary('fabs', Math.abs), trunc: unary('trunc', Math.trunc, (d) => d), sin: unary('sin', Math.sin), cos: unary('cos', Math.cos),
    log: native('log', (a, _k, site) => {
      const x = num(a[0]), base = a.length > 1 ? num(a[1]) : Math.E;
      return x !== undefined && base !== undefined ? Math.log(x) / Math.log(base) : unknown('math.log of an unknown value', site.line);
    }),
    pow: native('pow', (a, _k, site) => { const x = num(a[0]), y = num(a[1]); return x !== undefined && y !== undefined ? x ** y : unknown('math.pow', site.line); }),
    gcd: native('gcd', (a) => a.reduce<number>((g, v) => { let x = Math.abs(Number(v)), y = g; while (y) [x, y] = [y, x % y]; return x; }, 0)),
    prod: native('prod', (a, _k, site) => {
      const items = isObj(a[0]) && (a[0].k === 'list' || a[0].k === 'tuple' || a[0].k === 'iter') ? a[0].items : [];
      return fromDim(dim.product(items.map((v) => asDim(v) ?? null)), site.line);
    }),
    isclose: native('isclose', (a) => Math.abs(Number(a[0]) - Number(a[1])) < 1e-9),
    isfinite: native('isfinite', (a) => Number.isFinite(a[0])),
    isnan: native('isnan', (a) => Number.isNaN(a[0])),
    comb: native('comb', (a, _k, site) => {
      const n = num(a[0] ?? null), k = num(a[1] ?? null);
      if (n === undefined || k === undefined) return unknown('math.comb of unknown values', site.line);
      // C(n, k) = C(n, n - k): the loop runs min(k, n - k) times; past 10,000 the value is beyond a float anyway
      const m = Math.min(k, n - k);
      if (m > 10_000) return unknown(`math.comb(${n}, ${k}) is too large`, site.line);
      let r = 1;
      for (let i = 1; i <= m; i++) r = (r * (n - m + i)) / i;
      return m < 0 ? 0 : r;
    }),
  });
}

/** What a functools.partial holds: Python values only, so a module cached across analyses copies it. */
class PartialState implements CopyableExt {
  readonly extKind = 'functools.partial';

  constructor(readonly fn: Value, readonly args: Value[], readonly kwargs: Map<string, Value>) {}

  copyExt(copy: (v: Value) => Value): PartialState {
    return new PartialState(copy(this.fn), this.args.map(copy), new Map([...this.kwargs].map(([k, v]) => [k, copy(v)])));
  }

  /** The function, the number of bound arguments, the arguments, then each keyword's name and value. */
  extValues(): Value[] {
    return [this.fn, this.args.length, ...this.args, ...[...this.kwargs].flat()];
  }
}
registerFactory('functools.partial', (fn: Value, n: number, ...rest: Value[]) => {
  const kw = rest.slice(n);
  return new PartialState(fn, rest.slice(0, n), new Map(kw.filter((_, i) => i % 2 === 0).map((k, i) => [String(k), kw[2 * i + 1]])));
});

function functoolsModule(interp: Interpreter): PyModule {
  const partialClass = makeClass('partial', (args, kwargs, site) => {
    if (!args.length) interp.raise('TypeError', "type 'partial' takes at least one argument", site.line);
    let [fn, ...bound] = args;
    let boundKw = new Map(kwargs);
    // CPython flattens a partial of a partial: .func is the innermost callable, args and keywords merged
    if (isObj(fn) && fn.k === 'inst' && fn.cls === partialClass) {
      const inner = fn.ext as PartialState;
      bound = [...inner.args, ...bound];
      boundKw = new Map([...inner.kwargs, ...boundKw]);
      fn = inner.fn;
    }
    const p: PyInstance = { k: 'inst', cls: partialClass, attrs: new Map([['func', fn], ['args', tuple(bound)], ['keywords', pyDict([...boundKw])]]) };
    p.ext = new PartialState(fn, bound, boundKw);
    return p;
  });
  partialClass.dict.set('__call__', native('__call__', (a, k, site) => {
    const { fn, args, kwargs } = (a[0] as PyInstance).ext as PartialState;
    return interp.call(fn, [...args, ...a.slice(1)], new Map([...kwargs, ...k]), site);
  }));
  const identityDecorator = native('decorator', (a) => a[0] ?? null);
  // update_wrapper(wrapper, wrapped): the wrapper takes the wrapped function's names (a registry keyed by
  // `fn.__name__`, such as torchvision's register_model over handle_legacy_interface, needs them)
  const updateWrapper = (wrapper: Value, wrapped: Value): Value => {
    if (!isObj(wrapper) || wrapper.k !== 'func' || !isObj(wrapped) || (wrapped.k !== 'func' && wrapped.k !== 'native')) return wrapper;
    wrapper.name = wrapped.name;
    if (wrapped.k === 'func') wrapper.qualname = wrapped.qualname;
    wrapper.wraps = { module: wrapped.k === 'func' ? wrapped.wraps?.module ?? wrapped.module.name : 'builtins', wrapped };
    return wrapper;
  };
  return pyModule('functools', {
    partial: partialClass,
    reduce: native('reduce', (a, _k, site) => {
      const items = interp.iterate(a[1], site);
      let acc = a.length > 2 ? a[2] : items.shift() ?? null;
      for (const v of items) acc = interp.call(a[0], [acc, v], new Map(), site);
      return acc;
    }),
    wraps: native('wraps', (a, k) => native('decorator', (b) => updateWrapper(b[0] ?? null, a[0] ?? k.get('wrapped') ?? null))),
    lru_cache: native('lru_cache', (a) => (isObj(a[0]) && (a[0].k === 'func' || a[0].k === 'native') ? a[0] : identityDecorator)),
    cache: identityDecorator,
    update_wrapper: native('update_wrapper', (a, k) => updateWrapper(a[0] ?? k.get('wrapper') ?? null, a[1] ?? k.get('wrapped') ?? null)),
  });
}

function collectionsModule(interp: Interpreter, classes: BuiltinClasses): PyModule {
  const ordered = makeClass('OrderedDict', (args, kwargs, site) => {
    const d = interp.call(classes.dict, args, kwargs, site);
    if (isObj(d) && d.k === 'dict') d.ordered = true;
    return d;
  }, 'dict', [classes.dict]);
  const defaultdict = makeClass('defaultdict', (args, kwargs, site) => {
    const d = interp.call(classes.dict, args.slice(1), kwargs, site);
    if (isObj(d) && d.k === 'dict') d.factory = args[0] ?? null;
    return d;
  }, 'dict', [classes.dict]);
  const deque = makeClass('deque', (args, _kwargs, site) => ({ k: 'list', items: args.length ? interp.iterate(args[0], site) : [], deque: true }), 'list', [classes.list]);
  const namedtuple = namedtupleFactory(interp, classes);
  return pyModule('collections', { OrderedDict: ordered, defaultdict, deque, namedtuple, abc: pyModule('collections.abc', {}, (n) => makeClass(n)) });
}

/**
 * typing: every name is a class that can be subscripted and ignored (annotations are never fatal).
 * The aliases of collections' classes are those classes: `typing.OrderedDict()` makes a dict (torchvision's maxvit).
 */
function typingModule(classes: BuiltinClasses, collections: PyModule): PyModule {
  const any = makeClass('Any');
  const specials: Record<string, Value> = {
    TYPE_CHECKING: false,
    cast: native('cast', (a) => a[1] ?? null),
    overload: native('overload', (a) => a[0] ?? null),
    final: native('final', (a) => a[0] ?? null),
    no_type_check: native('no_type_check', (a) => a[0] ?? null),
    TypeVar: native('TypeVar', () => any),
    NewType: native('NewType', (a) => a[1] ?? any),
    NamedTuple: typedNamedTuple(classes),
    List: classes.list, Tuple: classes.tuple, Dict: classes.dict, Set: classes.set,
  };
  // Optional[T] and Union[…] keep their members in `__args__`, which code reads (torchvision's _get_enum_from_fn)
  const noneType = makeClass('NoneType');
  for (const name of ['Optional', 'Union']) {
    const cls = makeClass(name);
    cls.dict.set('__class_getitem__', native('__class_getitem__', (a) => {
      const first = a[0] ?? null;
      const given = isObj(first) && first.k === 'tuple' ? first.items : [first];
      const alias = makeClass(name);
      alias.dict.set('__args__', tuple(name === 'Optional' ? [...given, noneType] : given));
      return alias;
    }));
    specials[name] = cls;
  }
  for (const [alias, name] of [['OrderedDict', 'OrderedDict'], ['DefaultDict', 'defaultdict'], ['Deque', 'deque']]) {
    const cls = collections.attrs.get(name);
    if (cls !== undefined) specials[alias] = cls;
  }
  return pyModule('typing', specials, (n) => makeClass(n));
}

function itertoolsModule(interp: Interpreter): PyModule {
  return pyModule('itertools', {
    chain: native('chain', (a, _k, site) => ({ k: 'iter', items: a.flatMap((x) => interp.iterate(x, site)) })),
    repeat: native('repeat', (a, _k, site) => {
      const n = typeof a[1] === 'number' ? a[1] : -1;
      if (n < 0) return unknown('itertools.repeat without a count', site.line);
      interp.allocate(n, site);
      return { k: 'iter', items: Array.from({ length: n }, () => a[0]) };
    }),
    product: native('product', (a, k, site) => {
      const seqs = a.map((x) => interp.iterate(x, site));
      const rep = typeof k.get('repeat') === 'number' ? (k.get('repeat') as number) : 1;
      let out: Value[][] = [[]];
      for (let r = 0; r < rep; r++) for (const s of seqs) { interp.allocate(out.length * s.length, site); out = out.flatMap((p) => s.map((v) => [...p, v])); }
      return { k: 'iter', items: out.map(tuple) };
    }),
    accumulate: native('accumulate', (a, _k, site) => {
      const items = interp.iterate(a[0], site);
      const out: Value[] = [];
      let acc: Value | undefined;
      for (const v of items) { acc = acc === undefined ? v : interp.binop('+', acc, v, site); out.push(acc); }
      return { k: 'iter', items: out };
    }),
    islice: native('islice', (a, _k, site) => {
      const items = interp.iterate(a[0], site);
      return { k: 'iter', items: a.length === 2 ? items.slice(0, Number(a[1])) : items.slice(Number(a[1]), a[2] === null ? undefined : Number(a[2])) };
    }),
  });
}

function operatorModule(interp: Interpreter): PyModule {
  const bin = (op: string) => native(op, (a, _k, site) => interp.binop(op, a[0], a[1], site));
  return pyModule('operator', {
    add: bin('+'), mul: bin('*'), sub: bin('-'), floordiv: bin('//'), truediv: bin('/'),
    itemgetter: native('itemgetter', (a) => native('itemgetter', (x, _k, site) => interp.getitem(x[0], a[0], site))),
    attrgetter: native('attrgetter', (a, _k, site) => {
      if (!a.length) interp.raise('TypeError', 'attrgetter expected 1 argument, got 0', site.line);
      return native('attrgetter', (x, _k2, s) => interp.getattr(x[0] ?? null, str(a[0]), s));
    }),
  });
}

function copyModule(interp: Interpreter): PyModule {
  // Copying a module gives the same structure: what matters for shapes and parameter counts is that
  // a deep copy is a distinct module (counted again), which `cloneInstance` honours.
  const copy = native('deepcopy', (a) => cloneValue(interp, a[0], new Map()));
  return pyModule('copy', { deepcopy: copy, copy: native('copy', (a) => shallow(a[0])) });
}

function shallow(v: Value): Value {
  if (!isObj(v)) return v;
  if (v.k === 'list') return { k: 'list', items: v.items.slice(), deque: v.deque };
  if (v.k === 'dict') return { k: 'dict', map: new Map(v.map), ordered: v.ordered, factory: v.factory };
  if (v.k === 'inst') return { k: 'inst', cls: v.cls, attrs: new Map(v.attrs), ext: v.ext };
  return v;
}

export function cloneValue(interp: Interpreter, v: Value, memo: Map<unknown, Value>): Value {
  if (!isObj(v)) return v;
  if (memo.has(v)) return memo.get(v) as Value;
  const rec = (x: Value) => cloneValue(interp, x, memo);
  switch (v.k) {
    case 'list': { const out = list([]); out.deque = v.deque; memo.set(v, out); out.items.push(...v.items.map(rec)); return out; }
    case 'tuple': return tuple(v.items.map(rec));
    case 'dict': { const out = pyDict(); out.ordered = v.ordered; out.factory = v.factory; memo.set(v, out); for (const [h, [k, x]] of v.map) out.map.set(h, [k, rec(x)]); return out; }
    case 'inst': {
      for (const hook of interp.cloneHooks) {
        const out = hook(v, rec);
        if (out) { memo.set(v, out); return out; }
      }
      const out: PyInstance = { k: 'inst', cls: v.cls, attrs: new Map(), ext: v.ext };
      memo.set(v, out);
      for (const [k, x] of v.attrs) out.attrs.set(k, rec(x));
      return out;
    }
    default: return v;
  }
}

/** The field names of a dataclass instance or class, in definition order. */
function fieldsOf(v: Value): string[] {
  const cls = isObj(v) && v.k === 'inst' ? v.cls : isObj(v) && v.k === 'class' ? v : undefined;
  const fields = cls?.dict.get('__dataclass_fields__');
  return isObj(fields ?? null) && (fields as { k: string }).k === 'list' ? (fields as { items: Value[] }).items.map(str) : [];
}

/** A dataclass's generated __init__: it holds only the field names, so modules cached across analyses share it. */
function dataclassInit(fields: string[]): PyNative {
  return shared(native('__init__', (a, k, site, interp) => {
    if (!interp) throw new Error('a dataclass __init__ needs the running interpreter');
    const self = a[0] as PyInstance;
    fields.forEach((f, i) => {
      let v: Value | undefined = i + 1 < a.length ? a[i + 1] : k.get(f);
      if (v === undefined) {
        const d = interp.lookupClassAttr(self.cls, f);
        v = d === undefined ? unknown(`dataclass field '${f}' has no value`, site.line) : d;
        if (isObj(v) && v.k === 'inst' && v.cls.name === 'Field') {
          const factory = v.attrs.get('default_factory');
          v = factory ? interp.call(factory, [], new Map(), site) : v.attrs.get('default') ?? null;
        }
      }
      self.attrs.set(f, v);
    });
    const post = interp.lookupClassAttr(self.cls, '__post_init__');
    if (post !== undefined) interp.call(interp.bindTo(post, self, self.cls), [], new Map(), site);
    return null;
  }), { kind: 'dataclass.__init__', args: [fields] });
}
registerFactory('dataclass.__init__', dataclassInit);

function dataclassesModule(interp: Interpreter): PyModule {
  const make = (cls: PyClass): PyClass => {
    const fields = ((cls.dict.get('__annotations_order__') as { items?: Value[] } | undefined)?.items ?? []).map(str);
    const inherited = cls.mro.slice(1).flatMap((c) => ((c.dict.get('__dataclass_fields__') as { items?: Value[] } | undefined)?.items ?? []).map(str));
    const all = [...inherited.filter((f) => !fields.includes(f)), ...fields];
    cls.dict.set('__dataclass_fields__', list(all));
    if (!cls.dict.has('__init__')) cls.dict.set('__init__', dataclassInit(all));
    // what a class pattern's positional sub-patterns read (`case Point(x, y):`)
    if (!cls.dict.has('__match_args__')) cls.dict.set('__match_args__', tuple(all.map(str)));
    return cls;
  };
  const Field = makeClass('Field');
  return pyModule('dataclasses', {
    dataclass: native('dataclass', (a) => {
      if (isObj(a[0]) && a[0].k === 'class') return make(a[0]);
      return native('dataclass', (b) => (isObj(b[0]) && b[0].k === 'class' ? make(b[0]) : b[0] ?? null));
    }),
    field: native('field', (_a, k) => ({ k: 'inst', cls: Field, attrs: new Map([['default', k.get('default') ?? null], ['default_factory', k.get('default_factory') ?? null]]) })),
    fields: native('fields', (a) => list(fieldsOf(a[0] ?? null).map((f) => ({ k: 'inst', cls: Field, attrs: new Map<string, Value>([['name', f]]) })))),
    // replace(obj, **changes): a new instance built by __init__ from the fields, changes applied
    replace: native('replace', (a, k, site) => {
      const obj = a[0] ?? null;
      if (!isObj(obj) || obj.k !== 'inst') return unknown('dataclasses.replace of a value that is not a dataclass', site.line);
      const kwargs = new Map(fieldsOf(obj).map((f): [string, Value] => [f, obj.attrs.get(f) ?? null]));
      for (const [name, v] of k) kwargs.set(name, v);
      return interp.call(obj.cls, [], kwargs, site);
    }),
    asdict: native('asdict', (a) => {
      const toDict = (v: Value): Value => {
        if (isObj(v) && v.k === 'inst' && fieldsOf(v).length) return pyDict(fieldsOf(v).map((f) => [f, toDict(v.attrs.get(f) ?? null)]));
        if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return { k: v.k, items: v.items.map(toDict) };
        return v;
      };
      return toDict(a[0] ?? null);
    }),
  });
}

/**
 * A frame of the running Python code, as far as `save_hyperparameters` needs one (the textbook's and
 * Lightning's idiom): `f_locals`, `f_back`, and its function's argument names for getargvalues.
 */
function frameObject(interp: Interpreter, depth: number): Value {
  const f = interp.frames[interp.frames.length - 1 - depth];
  if (!f) return null;
  const locals: Value = { k: 'dict', map: new Map([...f.vars].map(([k, v]) => [k, [k, v]])) };
  const names = f.fn.params.filter((p) => p.kind === 'pos' || p.kind === 'kwonly').map((p) => p.name);
  const frame = pyModule('frame', { f_locals: locals, f_lineno: f.site.line, co_varnames: tuple(names) });
  // made before it is assigned: see eslint.config.mjs, pretenured closures
  const back: PyModule['getattr'] = (n) => (n === 'f_back' ? frameObject(interp, depth + 1) : undefined);
  frame.getattr = back;
  return frame;
}

// inspect's predicates, which factories use to tell `activation=lambda: nn.ReLU()` from a module;
// currentframe and getargvalues for code that stores its caller's arguments (save_hyperparameters)
function inspectModule(interp: Interpreter): PyModule {
  const signatures = signatureClasses();
  const kind = (name: string, test: (v: Value) => boolean) => native(name, (a) => (isUnknown(a[0]) ? a[0] : test(a[0] ?? null)));
  const is = (v: Value, ...ks: string[]) => isObj(v) && ks.includes(v.k);
  const attr = (v: Value, n: string) => (isObj(v) && v.k === 'module' ? v.attrs.get(n) : undefined);
  return pyModule('inspect', {
    currentframe: native('currentframe', () => frameObject(interp, 0)),
    // ArgInfo(args, varargs, keywords, locals)
    getargvalues: native('getargvalues', (a) => {
      const names = attr(a[0] ?? null, 'co_varnames'), locals = attr(a[0] ?? null, 'f_locals');
      return names && locals ? tuple([list(isObj(names) && names.k === 'tuple' ? names.items : []), null, null, locals]) : unknown('inspect.getargvalues of an unknown frame');
    }),
    signature: native('signature', (a, _k, site) => signatureOf(interp, signatures, a[0] ?? null, site)),
    Signature: signatures.signature,
    Parameter: signatures.parameter,
    isfunction: kind('isfunction', (v) => is(v, 'func')),
    isclass: kind('isclass', (v) => is(v, 'class')),
    ismethod: kind('ismethod', (v) => is(v, 'bound')),
    isbuiltin: kind('isbuiltin', (v) => is(v, 'native')),
    isroutine: kind('isroutine', (v) => is(v, 'func', 'bound', 'native')),
    ismodule: kind('ismodule', (v) => is(v, 'module')),
    // torchvision's get_weight looks for a weights enum among its package's submodules this way
    getmembers: native('getmembers', (a, k, site) => {
      const found = members(a[0] ?? null);
      if (!found) return unknown('inspect.getmembers of an object whose members ConvLens does not list', site.line);
      const predicate = a[1] ?? k.get('predicate') ?? null;
      const out: Value[] = [];
      for (const [name, v] of found.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
        // a member the predicate cannot judge is left out as the interpreter's other unknown conditions are: a guess
        if (predicate === null || interp.truthy(interp.call(predicate, [v], new Map(), site), site.line)) {
          out.push(tuple([name, v]));
        }
      }
      return list(out);
    }),
  }, (n) => unknown(`inspect.${n} is not evaluated`));
}

/** A module's or a class's members as inspect.getmembers lists them (undefined: not listed by ConvLens). */
function members(v: Value): Array<[string, Value]> | undefined {
  if (!isObj(v)) return undefined;
  // a module ConvLens did not run from source (a framework's stand-in) has no complete namespace
  if (v.k === 'module') return v.attrs.has('__file__') ? [...v.attrs] : undefined;
  if (v.k !== 'class') return undefined;
  const seen = new Map<string, Value>();
  for (const c of v.mro) for (const [n, x] of c.dict) if (!seen.has(n)) seen.set(n, x);
  return [...seen];
}

/** contextlib: suppress(*exceptions) swallows those exceptions (and their subclasses) raised in its block. */
function contextlibModule(classes: BuiltinClasses): PyModule {
  const suppress = makeClass('suppress', (args, _k, _site, cls) => ({ k: 'inst', cls, attrs: new Map([['exceptions', tuple(args)]]) }), 'suppress', [classes.object]);
  suppress.dict.set('__exit__', native('__exit__', (a) => {
    const [self, type] = a;
    const caught = ((self as PyInstance).attrs.get('exceptions') as { items: Value[] }).items;
    const mro = isObj(type) && type.k === 'class' ? type.mro : [];
    return caught.some((c) => mro.includes(c as PyClass) || (isObj(c) && c.k === 'class' && (c.name === type || c.name === 'Exception' || c.name === 'BaseException')));
  }));
  const nullcontext = makeClass('nullcontext', (args) => args[0] ?? null, 'nullcontext', [classes.object]);
  return pyModule('contextlib', { suppress, nullcontext }, (n) => unknown(`contextlib.${n} is not modelled`));
}

/** Standard-library modules by dotted name; created once per interpreter. `files` is what open() may read. */
export function stdlibModules(interp: Interpreter, classes: BuiltinClasses, files: FileAccess = noFiles): Map<string, PyModule> {
  const noop = native('noop', () => null);
  const identity = native('identity', (a) => a[0] ?? null);
  const abcMeta = makeClass('ABCMeta');
  const fileAccess = fileModules(interp, classes.object, files);
  // open() is a builtin, but it reads through the same access as pathlib and os.path
  interp.builtins.set('open', fileAccess.open);
  const collections = collectionsModule(interp, classes);
  const mods: PyModule[] = [
    ...fileAccess.modules,
    mathModule(),
    functoolsModule(interp),
    collections,
    typingModule(classes, collections),
    pyModule('typing_extensions', {}, (n) => makeClass(n)),
    itertoolsModule(interp),
    operatorModule(interp),
    copyModule(interp),
    enumModule(interp, classes, pyModule),
    dataclassesModule(interp),
    pyModule('warnings', { warn: noop, filterwarnings: noop, simplefilter: noop, catch_warnings: native('catch_warnings', () => null) }),
    pyModule('abc', { ABC: makeClass('ABC', undefined, undefined, [classes.object]), ABCMeta: abcMeta, abstractmethod: identity }),
    inspectModule(interp),
    contextlibModule(classes),
    reModule(),
    fnmatchModule(),
    pyModule('sys', {
      version_info: tuple([3, 11, 0]), platform: 'linux',
      // the arguments the script runs with are not known: `sys.argv[1]` is unknown, never an IndexError
      argv: unknown('the command-line arguments (sys.argv) are not known'),
      maxsize: Number.MAX_SAFE_INTEGER, modules: interp.sysModules,
      _getframe: native('_getframe', (a) => frameObject(interp, typeof a[0] === 'number' ? a[0] : 0)),
    }, (n) => unknown(`sys.${n}`)),
    pyModule('importlib', {
      // absolute, or relative to `package` (`import_module('.resnet', 'torchvision.models')`)
      import_module: native('import_module', (a, k, site) => {
        const name = a[0] ?? null;
        const pkg = a[1] ?? k.get('package') ?? null;
        if (typeof name !== 'string') return unknown('importlib.import_module of a name not known', site.line);
        const level = /^\.*/.exec(name)?.[0].length ?? 0;
        if (!level) return importAbsolute(interp, name, site);
        if (typeof pkg !== 'string') return unknown(`importlib.import_module('${name}') without its package`, site.line);
        const base = pkg.split('.').slice(0, pkg.split('.').length - (level - 1)).join('.');
        return importAbsolute(interp, name.length > level ? `${base}.${name.slice(level)}` : base, site);
      }),
    }, (n) => unknown(`importlib.${n} is not modelled`)),
    pyModule('builtins', {}, (n) => interp.builtins.get(n) ?? unknown(`builtins.${n}`)),
    // a logger's methods log and return None (logger.debug(...) in a forward pass is no tensor of unknown shape)
    pyModule('logging', { getLogger: native('getLogger', () => pyModule('logging.Logger', {}, () => noop)) }, () => noop),
    pyModule('__future__', {}, () => true),
    pyModule('numbers', Object.fromEntries(['Number', 'Complex', 'Real', 'Rational', 'Integral'].map((n) => [n, makeClass(n)]))),
    ...configModules(interp, classes),
    numpyModule(interp),
    convlensNatives(interp),
    // random numbers are not known, and are no tensors; what choice/sample pick may be anything
    pyModule('random', { seed: noop, shuffle: noop }, (n) => native(n, (_a, _k, site) => (['choice', 'choices', 'sample'].includes(n)
      ? unknown(`random.${n}()`, site.line) : { ...unknown(`random.${n}()`, site.line), notTensor: true }))),
    // the clock: a script's timing is no number ConvLens shows
    pyModule('time', {}, (n) => native(n, (_a, _k, site) => ({ ...unknown(`time.${n}()`, site.line), notTensor: true }))),
  ];
  const out = new Map(mods.map((m) => [m.name, m]));
  // submodules held as attributes are importable by their dotted names (`import collections.abc`)
  for (const m of mods) for (const v of m.attrs.values()) if (isObj(v) && v.k === 'module' && v.name.startsWith(`${m.name}.`)) out.set(v.name, v);
  return out;
}
