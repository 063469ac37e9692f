// Python's builtins and the methods of its built-in types (list, dict, str, …), as far as
// model-building code uses them.
import type { Interpreter } from './interpreter';
import { toIndex } from './interpreter';
import { asDim, compareValues, valuesEqual } from './operators';
import {
  hashKey, isObj, isUnknown, list, native, repr, str, tuple, typeName, unknown,
  type CallSite, type PyClass, type PyDict, type PyObject, type PySet, type PyUnknown, type Value,
} from './values';

export function makeClass(name: string, construct?: PyClass['construct'], tag?: string, bases: PyClass[] = []): PyClass {
  const cls: PyClass = { k: 'class', name, qualname: name, bases, mro: [], dict: new Map(), line: 0, construct, tag: tag ?? name };
  cls.mro = [cls, ...bases.flatMap((b) => b.mro)];
  return cls;
}

const kw = (kwargs: Map<string, Value>, name: string, dflt: Value = null): Value => (kwargs.has(name) ? (kwargs.get(name) as Value) : dflt);

export function pyDict(entries: Array<[Value, Value]> = []): PyDict {
  return { k: 'dict', map: new Map(entries.map(([k, v]) => [hashKey(k), [k, v]])) };
}

/** The built-in class objects, shared so that isinstance can recognise them. */
export interface BuiltinClasses {
  object: PyClass; int: PyClass; float: PyClass; bool: PyClass; str: PyClass;
  list: PyClass; tuple: PyClass; dict: PyClass; set: PyClass; type: PyClass; exception: PyClass;
}

export function isInstance(interp: Interpreter, v: Value, cls: Value, classes: BuiltinClasses): Value {
  if (isUnknown(cls)) return cls;
  if (isObj(cls) && cls.k === 'tuple') {
    let unsure: Value = false;
    for (const c of cls.items) {
      const r = isInstance(interp, v, c, classes);
      if (r === true) return true;
      if (isUnknown(r)) unsure = r;
    }
    return unsure;
  }
  if (!isObj(cls) || cls.k !== 'class') return false;
  if (cls === classes.object) return true;
  const abstract = ABSTRACT_TYPES[cls.name];
  if (abstract && cls.tag === cls.name && !(isObj(v) && v.k === 'inst')) return abstract.includes(valueTag(v));
  if (isObj(v) && v.k === 'inst') return v.cls.mro.includes(cls);
  if (isUnknown(v)) return v;
  const tag = valueTag(v);
  if (cls.tag === tag) return true;
  if (cls === classes.int && tag === 'bool') return true;
  if (cls === classes.type && isObj(v) && v.k === 'class') return true;
  if (cls === classes.dict && isObj(v) && v.k === 'dict') return true;
  return false;
}

/** typing / collections.abc names that isinstance accepts built-in values for. */
const ABSTRACT_TYPES: Record<string, string[]> = {
  Sequence: ['list', 'tuple', 'str'], MutableSequence: ['list'], Iterable: ['list', 'tuple', 'str', 'dict', 'set', 'iter'],
  Collection: ['list', 'tuple', 'str', 'dict', 'set'], Mapping: ['dict'], MutableMapping: ['dict'],
  Callable: ['func', 'native', 'bound', 'class', 'wrapped'], Hashable: ['int', 'str', 'tuple', 'float', 'bool', 'NoneType'],
  // the numbers module's tower
  Integral: ['int', 'bool'], Rational: ['int', 'bool'], Real: ['int', 'bool', 'float'], Complex: ['int', 'bool', 'float'], Number: ['int', 'bool', 'float'],
};

function valueTag(v: Value): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v.k === 'sym') return 'int';
  if (v.k === 'host') return v.kind;
  return v.k;
}

export function installBuiltins(interp: Interpreter): BuiltinClasses {
  const b = interp.builtins;
  const iter = (v: Value, site: CallSite) => interp.iterate(v, site);
  /** What a builtin iterates, or an unknown: an unknown value or an object ConvLens cannot list (never []). */
  const items = (v: Value, site: CallSite): Value[] | PyUnknown => (isUnknown(v) ? v : interp.iterItems(v, site));

  const object = makeClass('object');
  object.dict.set('__init__', native('__init__', () => null));
  // `super().__new__(cls)` in a class's own __new__
  object.dict.set('__new__', { k: 'wrapped', kind: 'static', fn: native('__new__', (a) => (isObj(a[0]) && a[0].k === 'class'
    ? interp.rawInstance(a[0]) : unknown('object.__new__ of something that is not a class'))) });
  // self.__setattr__('name', v) / object.__setattr__(self, …): the ordinary assignment, so an
  // nn.Module still registers a child this way
  object.dict.set('__setattr__', native('__setattr__', (a, _k, site) => { interp.setattr(a[0], str(a[1]), a[2], site); return null; }));
  // object.__getattribute__(obj, name): the attribute without obj's __getattr__ fallback
  object.dict.set('__getattribute__', native('__getattribute__', (a, _k, site) => {
    const [self, name] = [a[0] ?? null, str(a[1] ?? '')];
    if (!isObj(self) || self.k !== 'inst') return interp.getattr(self, name, site);
    if (self.attrs.has(name)) return self.attrs.get(name) as Value;
    const c = interp.lookupClassAttr(self.cls, name);
    return c !== undefined ? interp.bindTo(c, self, self.cls) : interp.raise('AttributeError', `'${self.cls.name}' object has no attribute '${name}'`, site.line);
  }));
  // list(x), set(x), tuple(x) of an unknown value are unknown, not empty (len(set(text)) of a file's text)
  const seqClass = (name: string, make: (items: Value[]) => Value) => makeClass(name, (args, _k, site) => {
    const xs = args.length ? items(args[0], site) : [];
    return Array.isArray(xs) ? make(xs) : xs;
  }, name, [object]);
  const classes: BuiltinClasses = {
    object,
    int: makeClass('int', (args, _k, site) => toInt(args[0] ?? 0, site), 'int', [object]),
    float: makeClass('float', (args) => {
      const v = args[0] ?? 0;
      if (typeof v === 'string') {
        // Python's spellings of the infinities ('-inf', '+Infinity'); anything Number cannot read is a ValueError
        const m = /^([+-]?)(inf|infinity)$/.exec(v.trim().toLowerCase());
        if (m) return m[1] === '-' ? -Infinity : Infinity;
        const n = v.trim() === '' ? NaN : Number(v.trim().replace(/_/g, ''));
        return Number.isNaN(n) && v.trim().toLowerCase().replace(/^[+-]/, '') !== 'nan' ? unknown(`float(${repr(v)})`) : n;
      }
      return typeof v === 'number' ? v : typeof v === 'boolean' ? +v : unknown(`float(${repr(v)})`);
    }, 'float', [object]),
    bool: makeClass('bool', (args, _k, site) => (args.length ? (isUnknown(args[0]) ? args[0] : interp.truthy(args[0], site.line)) : false), 'bool', [object]),
    // str(Path(...)) and other objects that say what they are as text
    str: makeClass('str', (args, _k, site) => (args.length ? interp.text(args[0], site) : ''), 'str', [object]),
    list: seqClass('list', list),
    tuple: seqClass('tuple', tuple),
    set: seqClass('set', (items) => ({ k: 'set', items: dedupe(items) })),
    dict: makeClass('dict', (args, kwargs, site) => {
      const d = pyDict();
      if (args.length) addPairs(interp, d, args[0], site);
      for (const [k, v] of kwargs) d.map.set(k, [k, v]);
      return d;
    }, 'dict', [object]),
    type: makeClass('type', (args) => typeOf(args[0] ?? null), 'type', [object]),
    exception: makeClass('Exception', undefined, 'Exception', [object]),
  };
  function typeOf(v: Value): Value {
    if (isObj(v) && v.k === 'inst') return v.cls;
    const t = valueTag(v);
    return (classes as unknown as Record<string, PyClass>)[t] ?? makeClass(typeName(v));
  }
  classes.exception.dict.set('__init__', native('__init__', (args) => {
    const self = args[0];
    if (isObj(self) && self.k === 'inst') self.attrs.set('args', args.length > 1 ? str(args[1]) : '');
    return null;
  }));
  classes.exception.dict.set('__str__', native('__str__', (a) => str((a[0] as PyObject & { attrs?: Map<string, Value> }).attrs?.get('args') ?? '')));
  for (const [name, c] of Object.entries(classes)) if (name !== 'exception') b.set(c.name, c);
  // Python's exception hierarchy (the part code catches by): each after its base
  const EXCEPTIONS: Array<[string, string]> = [
    ['BaseException', 'Exception'], ['ValueError', 'Exception'], ['TypeError', 'Exception'], ['RuntimeError', 'Exception'],
    ['LookupError', 'Exception'], ['KeyError', 'LookupError'], ['IndexError', 'LookupError'], ['AttributeError', 'Exception'],
    ['NotImplementedError', 'RuntimeError'], ['RecursionError', 'RuntimeError'], ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'], ['AssertionError', 'Exception'], ['ArithmeticError', 'Exception'],
    ['ZeroDivisionError', 'ArithmeticError'], ['StopIteration', 'Exception'], ['OSError', 'Exception'],
    ['FileNotFoundError', 'OSError'], ['NameError', 'Exception'], ['Warning', 'Exception'], ['UserWarning', 'Warning'],
    ['DeprecationWarning', 'Warning'],
  ];
  b.set('Exception', classes.exception);
  for (const [e, base] of EXCEPTIONS) b.set(e, makeClass(e, undefined, e, [b.get(base) as PyClass]));
  b.set('NotImplemented', unknown('NotImplemented'));
  b.set('Ellipsis', unknown('...'));
  b.set('__debug__', true);

  const fns: Record<string, (args: Value[], kwargs: Map<string, Value>, site: CallSite) => Value> = {
    len: (a, _k, site) => {
      const v = a[0];
      if (typeof v === 'string') return v.length;
      if (isObj(v)) {
        if (v.k === 'list' || v.k === 'tuple' || v.k === 'set' || v.k === 'iter') return v.items.length;
        if (v.k === 'dict') return v.map.size;
        if (v.k === 'host' && v.len) return v.len();
        const members = v.k === 'class' ? v.dict.get('__members__') ?? null : null;
        if (isObj(members) && members.k === 'dict') return interp.iterate(v, site).length; // len(SomeEnum), aliases aside
        if (v.k === 'inst') {
          const m = interp.lookupClassAttr(v.cls, '__len__');
          if (m !== undefined) return interp.call(interp.bindTo(m, v, v.cls), [], new Map(), site);
        }
        if (v.k === 'unknown') return v;
      }
      return unknown(`len() of ${typeName(v)}`, site.line);
    },
    range: (a, _k, site) => {
      const n = a.map((x) => toIndex(x));
      if (n.some((x) => x === undefined)) return unknown(`range(${a.map(repr).join(', ')}) of unknown bounds`, site.line);
      const [start, stop, step] = n.length === 1 ? [0, n[0] as number, 1] : [n[0] as number, n[1] as number, (n[2] ?? 1) as number];
      if (step === 0) interp.raise('ValueError', 'range() arg 3 must not be zero', site.line);
      const count = Math.max(0, Math.ceil((stop - start) / step));
      // materialised: a huge range stops the analysis (Python's is lazy, so it is no error of the code)
      interp.allocate(count, site);
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(start + i * step);
      return list(items);
    },
    enumerate: (a, k, site) => {
      const start = toIndex(a[1] ?? kw(k, 'start', 0)) ?? 0;
      const xs = items(a[0] ?? null, site);
      return Array.isArray(xs) ? { k: 'iter', items: xs.map((v, i) => tuple([i + start, v])) } : xs;
    },
    zip: (a, _k, site) => {
      const all = a.map((x) => items(x, site));
      const unknownSeq = all.find((x): x is PyUnknown => !Array.isArray(x));
      if (unknownSeq !== undefined) return unknownSeq;
      const seqs = all as Value[][];
      const n = seqs.length ? Math.min(...seqs.map((s) => s.length)) : 0;
      return { k: 'iter', items: Array.from({ length: n }, (_, i) => tuple(seqs.map((s) => s[i]))) };
    },
    reversed: (a, _k, site) => { const xs = items(a[0] ?? null, site); return Array.isArray(xs) ? { k: 'iter', items: xs.reverse() } : xs; },
    sorted: (a, k, site) => {
      const xs = items(a[0] ?? null, site);
      return Array.isArray(xs) ? list(sortValues(interp, xs, kw(k, 'key'), interp.truthy(kw(k, 'reverse', false), site.line), site)) : xs;
    },
    iter: (a, _k, site) => { const xs = items(a[0] ?? null, site); return Array.isArray(xs) ? { k: 'iter', items: xs } : xs; },
    next: (a, _k, site) => {
      const it = a[0];
      if (isObj(it) && it.k === 'iter') {
        if (it.items.length) return it.items.shift() as Value;
        if (a.length > 1) return a[1];
        interp.raise('StopIteration', '', site.line);
      }
      const items = iter(it, site);
      return items.length ? items[0] : a.length > 1 ? a[1] : unknown('next() of an empty iterable', site.line);
    },
    map: (a, _k, site) => {
      const all = a.slice(1).map((x) => items(x, site));
      const unknownSeq = all.find((x): x is PyUnknown => !Array.isArray(x));
      if (unknownSeq !== undefined) return unknownSeq;
      const seqs = all as Value[][];
      const n = seqs.length ? Math.min(...seqs.map((s) => s.length)) : 0;
      return { k: 'iter', items: Array.from({ length: n }, (_, i) => interp.call(a[0], seqs.map((s) => s[i]), new Map(), site)) };
    },
    filter: (a, _k, site) => {
      const xs = items(a[1] ?? null, site);
      if (!Array.isArray(xs)) return xs;
      return { k: 'iter', items: xs.filter((v) => interp.truthy(a[0] === null ? v : interp.call(a[0], [v], new Map(), site), site.line)) };
    },
    // over an unknown iterable the result is unknown too, never the empty iterable's
    sum: (a, k, site) => {
      const xs = items(a[0] ?? null, site);
      return Array.isArray(xs) ? xs.reduce<Value>((acc, v) => interp.binop('+', acc, v, site), a[1] ?? kw(k, 'start', 0)) : xs;
    },
    any: (a, _k, site) => { const xs = items(a[0] ?? null, site); return Array.isArray(xs) ? xs.some((v) => interp.truthy(v, site.line)) : xs; },
    all: (a, _k, site) => { const xs = items(a[0] ?? null, site); return Array.isArray(xs) ? xs.every((v) => interp.truthy(v, site.line)) : xs; },
    min: (a, k, site) => extreme(interp, a, k, site, '<'),
    max: (a, k, site) => extreme(interp, a, k, site, '>'),
    abs: (a, _k, site) => (typeof a[0] === 'number' ? Math.abs(a[0]) : isUnknown(a[0]) ? a[0] : unknown(`abs(${repr(a[0])})`, site.line)),
    round: (a, _k, site) => {
      const x = a[0];
      if (typeof x !== 'number') return isUnknown(x) ? x : unknown(`round(${repr(x)})`, site.line);
      const nd = toIndex(a[1] ?? null);
      if (nd === undefined) return roundHalfEven(x);
      const f = 10 ** nd;
      return roundHalfEven(x * f) / f;
    },
    divmod: (a, _k, site) => tuple([interp.binop('//', a[0], a[1], site), interp.binop('%', a[0], a[1], site)]),
    pow: (a, _k, site) => interp.binop('**', a[0], a[1], site),
    isinstance: (a) => isInstance(interp, a[0], a[1], classes),
    issubclass: (a) => {
      const [c, target] = a;
      if (!isObj(c) || c.k !== 'class') return isUnknown(c) ? c : false;
      const targets = isObj(target) && target.k === 'tuple' ? target.items : [target];
      return targets.some((t) => isObj(t) && t.k === 'class' && c.mro.includes(t));
    },
    hasattr: (a, _k, site) => {
      const v = interp.getattrOrUndefined(a[0], str(a[1]), site);
      return v !== undefined && !(isUnknown(v) && !isUnknown(a[0]));
    },
    getattr: (a, _k, site) => {
      const v = interp.getattrOrUndefined(a[0], str(a[1]), site);
      if (v === undefined) return a.length > 2 ? a[2] : unknown(`no attribute '${str(a[1])}'`, site.line);
      return v;
    },
    setattr: (a, _k, site) => { interp.setattr(a[0], str(a[1]), a[2], site); return null; },
    delattr: (a) => { interp.delattr(a[0], str(a[1])); return null; },
    callable: (a) => isObj(a[0]) && ['func', 'native', 'bound', 'class', 'wrapped'].includes(a[0].k),
    print: () => null,
    id: (a) => (isObj(a[0]) ? 1 : 0),
    hash: (a) => String(hashKey(a[0])).length,
    repr: (a, _k, site) => interp.text(a[0], site, true),
    format: (a) => formatSpec(a[0], str(a[1] ?? '')),
    vars: (a) => (isObj(a[0]) && a[0].k === 'inst' ? pyDict([...a[0].attrs].map(([k, v]) => [k, v])) : pyDict()),
    staticmethod: (a) => ({ k: 'wrapped', kind: 'static', fn: a[0] }),
    classmethod: (a) => ({ k: 'wrapped', kind: 'class', fn: a[0] }),
    property: (a) => ({ k: 'wrapped', kind: 'property', fn: a[0] }),
    super: (a, _k, site) => makeSuper(interp, a, site),
    globals: () => pyDict(),
    locals: () => pyDict(),
    ord: (a) => (typeof a[0] === 'string' ? a[0].charCodeAt(0) : unknown('ord')),
    chr: (a) => (typeof a[0] === 'number' ? String.fromCharCode(a[0]) : unknown('chr')),
    hex: (a) => (typeof a[0] === 'number' ? `0x${a[0].toString(16)}` : unknown('hex')),
    // `__import__('a.b')` imports a.b and gives back a (with a fromlist, a.b itself), as Python does
    __import__: (a, k, site) => {
      const name = a[0] ?? k.get('name') ?? null;
      if (typeof name !== 'string' || (toIndex(a[4] ?? k.get('level') ?? 0) ?? 0) !== 0) return unknown('__import__', site.line);
      const mod = importAbsolute(interp, name, site);
      const fromlist = a[3] ?? k.get('fromlist') ?? null;
      return (fromlist !== null && interp.truthy(fromlist, site.line)) || !name.includes('.') ? mod : importAbsolute(interp, name.split('.')[0], site);
    },
    exec: (_a, _k, site) => unknown('exec() is not evaluated', site.line),
    // reached only when eval is called indirectly (the interpreter runs `eval(s)` in the caller's scope)
    eval: (_a, _k, site) => unknown('eval() called indirectly is not evaluated', site.line),
  };
  for (const [name, fn] of Object.entries(fns)) b.set(name, native(name, fn));

  // each hook is made before it is assigned: see eslint.config.mjs, pretenured closures (one in V8's old space kept this whole
  // world alive through every scavenge after the analysis)
  const primitiveAttr: Interpreter['primitiveAttr'] = (obj, name, site) => primitiveMethod(interp, obj, name, site);
  const containerAttr: Interpreter['containerAttr'] = (obj, name, site) => containerMethod(interp, obj, name, site);
  interp.primitiveAttr = primitiveAttr;
  interp.containerAttr = containerAttr;
  // an empty value of each built-in type tells which methods it has; the method read from the type takes
  // the instance as its first argument, as in Python (einops parses its patterns with `str.isalnum(char)`)
  const samples = new Map<PyClass, () => Value>([
    [classes.str, () => ''], [classes.int, () => 0], [classes.float, () => 0], [classes.list, () => list([])],
    [classes.tuple, () => tuple([])], [classes.dict, () => pyDict()], [classes.set, () => ({ k: 'set', items: [] })],
  ]);
  const builtinClassAttr: Interpreter['builtinClassAttr'] = (cls, name, site) => {
    const sample = samples.get(cls);
    if (!sample || interp.getattrOrUndefined(sample(), name, site) === undefined) return undefined;
    return native(name, (a, k, s) => interp.call(interp.getattr(a[0] ?? null, name, s), a.slice(1), k, s));
  };
  interp.builtinClassAttr = builtinClassAttr;
  return classes;
}

/** The module of that absolute dotted name, imported as an `import` statement would (unknown when not found). */
export function importAbsolute(interp: Interpreter, dotted: string, site: CallSite): Value {
  return interp.importer.importModule(dotted.split('.'), 0, { name: '__main__', file: site.file ?? '', pkg: '' }, site);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function toInt(v: Value, site: CallSite): Value {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return +v;
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
  if (isObj(v) && v.k === 'sym') return v;
  if (isUnknown(v)) return v;
  return unknown(`int(${repr(v)})`, site.line);
}

function dedupe(items: Value[]): Value[] {
  const seen = new Set<unknown>();
  return items.filter((v) => { const h = hashKey(v); if (seen.has(h)) return false; seen.add(h); return true; });
}

function addPairs(interp: Interpreter, d: PyDict, src: Value, site: CallSite): void {
  if (isObj(src) && src.k === 'dict') { for (const [h, kv] of src.map) d.map.set(h, kv); return; }
  for (const [k, v] of keyValuePairs(interp, src, site, 'dictionary', (i) => ['TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`])) {
    d.map.set(hashKey(k), [k, v]);
  }
}

/**
 * The (key, value) pairs of `dict(pairs)`-style input, with the errors Python (or the framework,
 * named by `what`) raises for an element that is not a sequence or not of length 2. An unknown
 * element is skipped with a note.
 */
export function keyValuePairs(interp: Interpreter, src: Value, site: CallSite, what: string, notSequence: (i: number, v: Value) => [string, string]): Array<[Value, Value]> {
  const out: Array<[Value, Value]> = [];
  interp.iterate(src, site).forEach((pair, i) => {
    if (isUnknown(pair)) { interp.note(site.line, `an unknown entry of ${what} was skipped (${pair.reason})`); return; }
    const sequence = typeof pair === 'string' || (isObj(pair) && ['list', 'tuple', 'set', 'iter', 'dict', 'host'].includes(pair.k))
      || (isObj(pair) && pair.k === 'inst' && interp.lookupClassAttr(pair.cls, '__iter__') !== undefined);
    if (!sequence) { const [type, msg] = notSequence(i, pair); interp.raise(type, msg, site.line); }
    const kv = interp.iterate(pair, site);
    if (kv.length !== 2) interp.raise('ValueError', `${what} update sequence element #${i} has length ${kv.length}; 2 is required`, site.line);
    out.push([kv[0], kv[1]]);
  });
  return out;
}

function sortValues(interp: Interpreter, items: Value[], key: Value, reverse: boolean, site: CallSite): Value[] {
  const keyed = items.map((v) => [key === null ? v : interp.call(key, [v], new Map(), site), v] as const);
  keyed.sort((x, y) => (compareValues('<', x[0], y[0], site, interp) === true ? -1 : compareValues('>', x[0], y[0], site, interp) === true ? 1 : 0));
  const out = keyed.map(([, v]) => v);
  return reverse ? out.reverse() : out;
}

function extreme(interp: Interpreter, a: Value[], k: Map<string, Value>, site: CallSite, op: '<' | '>'): Value {
  const items = a.length === 1 ? interp.iterate(a[0], site) : a;
  if (!items.length) return k.has('default') ? (k.get('default') as Value) : interp.raise('ValueError', 'empty sequence', site.line);
  const key = kw(k, 'key');
  let best = items[0];
  let bestKey = key === null ? best : interp.call(key, [best], new Map(), site);
  for (const v of items.slice(1)) {
    const kv = key === null ? v : interp.call(key, [v], new Map(), site);
    const c = compareValues(op, kv, bestKey, site, interp);
    if (isUnknown(c)) {
      // min/max of symbolic sizes stays symbolic only when it is decidable
      const da = asDim(kv), db = asDim(bestKey);
      if (da !== undefined && db !== undefined) return unknown(`${op === '<' ? 'min' : 'max'} of symbolic sizes`, site.line);
      return c;
    }
    if (c === true) { best = v; bestKey = kv; }
  }
  return best;
}

function formatSpec(v: Value, spec: string): string {
  if (typeof v === 'number') {
    const m = /\.(\d+)f/.exec(spec);
    if (m) return v.toFixed(Number(m[1]));
  }
  return str(v);
}

function makeSuper(interp: Interpreter, a: Value[], site: CallSite): Value {
  let cls: Value, self: Value;
  if (a.length >= 2) [cls, self] = a;
  else {
    const frame = interp.frames[interp.frames.length - 1];
    cls = (frame?.fn as { owner?: PyClass } | undefined)?.owner ?? null;
    self = frame?.self ?? null;
  }
  if (!isObj(cls) || cls.k !== 'class') return unknown('super() outside a method', site.line);
  const owner = cls;
  const selfCls = isObj(self) && self.k === 'inst' ? self.cls : isObj(self) && self.k === 'class' ? self : owner;
  return {
    k: 'host', kind: 'super',
    getattr(name: string, s: CallSite) {
      const v = interp.lookupClassAttr(selfCls, name, owner);
      if (v === undefined) {
        if (name === '__init__') return native('__init__', () => null);
        // a class without bases still ends at object (whose __new__ a class's own __new__ calls)
        const base = interp.builtins.get('object') ?? null;
        const inObject = isObj(base) && base.k === 'class' ? base.dict.get(name) : undefined;
        if (inObject !== undefined) return interp.bindTo(inObject, self, selfCls);
        return unknown(`super() has no attribute '${name}'`, s.line);
      }
      return interp.bindTo(v, self, selfCls);
    },
    repr: () => '<super>',
  };
}

// ---- methods of built-in types -------------------------------------------------------------

function method(self: Value, name: string, fn: (args: Value[], kwargs: Map<string, Value>, site: CallSite) => Value): Value {
  return { k: 'bound', self, fn: native(name, (args, kwargs, site) => fn(args.slice(1), kwargs, site)) };
}

function primitiveMethod(interp: Interpreter, obj: Value, name: string, _site: CallSite): Value | undefined {
  if (typeof obj === 'string') {
    const s = obj;
    /** A padding width, charged before the padded string is built. */
    const width = (v: Value, site: CallSite): number => {
      const n = toIndex(v) ?? 0;
      interp.allocate(Math.max(0, n), site);
      return n;
    };
    const m: Record<string, (a: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
      format: (a, k) => {
        let auto = 0;
        return s.replace(/\{([^{}]*)\}/g, (_, field: string) => {
          const [ref, spec] = field.split(':');
          const v = ref === '' ? a[auto++] : /^\d+$/.test(ref) ? a[Number(ref)] : k.get(ref);
          return formatSpec(v ?? null, spec ?? '');
        });
      },
      join: (a, _k, site) => {
        const parts = interp.iterate(a[0], site).map(str);
        interp.allocate(parts.reduce((n, p) => n + p.length, s.length * Math.max(0, parts.length - 1)), site);
        return parts.join(s);
      },
      split: (a, k) => list(splitStr(s, a[0] ?? kw(k, 'sep'), a[1] ?? kw(k, 'maxsplit', -1), false)),
      rsplit: (a, k) => list(splitStr(s, a[0] ?? kw(k, 'sep'), a[1] ?? kw(k, 'maxsplit', -1), true)),
      partition: (a) => { const i = s.indexOf(str(a[0])); return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), str(a[0]), s.slice(i + str(a[0]).length)]); },
      rpartition: (a) => { const i = s.lastIndexOf(str(a[0])); return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), str(a[0]), s.slice(i + str(a[0]).length)]); },
      lower: () => s.toLowerCase(), upper: () => s.toUpperCase(),
      strip: (a) => stripStr(s, a[0] ?? null, true, true), lstrip: (a) => stripStr(s, a[0] ?? null, true, false), rstrip: (a) => stripStr(s, a[0] ?? null, false, true),
      removeprefix: (a) => (s.startsWith(str(a[0])) ? s.slice(str(a[0]).length) : s),
      removesuffix: (a) => (str(a[0]) && s.endsWith(str(a[0])) ? s.slice(0, -str(a[0]).length) : s),
      isalpha: () => /^\p{L}+$/u.test(s), isalnum: () => /^[\p{L}\p{N}]+$/u.test(s), isspace: () => /^\s+$/.test(s),
      islower: () => /\p{Ll}/u.test(s) && s === s.toLowerCase(), isupper: () => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
      isidentifier: () => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s),
      ljust: (a, _k, site) => s.padEnd(width(a[0], site), str(a[1] ?? ' ')), rjust: (a, _k, site) => s.padStart(width(a[0], site), str(a[1] ?? ' ')),
      zfill: (a, _k, site) => (/^[+-]/.test(s) ? s[0] + s.slice(1).padStart(width(a[0], site) - 1, '0') : s.padStart(width(a[0], site), '0')),
      rfind: (a) => s.lastIndexOf(str(a[0])),
      index: (a, _k, site) => (s.includes(str(a[0])) ? s.indexOf(str(a[0])) : interp.raise('ValueError', 'substring not found', site.line)),
      splitlines: () => list(s.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== '')),
      startswith: (a) => (isObj(a[0]) && a[0].k === 'tuple' ? a[0].items.some((p) => s.startsWith(str(p))) : s.startsWith(str(a[0]))),
      endswith: (a) => (isObj(a[0]) && a[0].k === 'tuple' ? a[0].items.some((p) => s.endsWith(str(p))) : s.endsWith(str(a[0]))),
      replace: (a, _k, site) => {
        const parts = s.split(str(a[0]));
        interp.allocate(s.length + (parts.length - 1) * str(a[1]).length, site);
        return parts.join(str(a[1]));
      },
      isdigit: () => /^\d+$/.test(s),
      count: (a) => s.split(str(a[0])).length - 1,
      find: (a) => s.indexOf(str(a[0])),
      title: () => s.replace(/\b\w/g, (c) => c.toUpperCase()),
      capitalize: () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
    };
    const f = m[name];
    return f ? method(s, name, f) : undefined;
  }
  if (typeof obj === 'number' || typeof obj === 'boolean' || (isObj(obj) && obj.k === 'sym')) {
    if (name === 'is_integer') return method(obj, name, () => typeof obj === 'number' && Number.isInteger(obj));
    if (name === 'real') return obj;
    // a numpy scalar is held as a Python number: .item() and .tolist() give it back
    if (name === 'item' || name === 'tolist') return method(obj, name, () => obj);
  }
  return undefined;
}

/** str.split / str.rsplit: on whitespace runs when `sep` is None, at most `maxsplit` splits (from the right for rsplit). */
function splitStr(s: string, sep: Value, maxsplit: Value, fromRight: boolean): string[] {
  const max = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Infinity;
  const ws = sep === null;
  const parts = ws ? s.trim().split(/\s+/).filter(Boolean) : s.split(str(sep));
  if (parts.length - 1 <= max) return parts;
  const joint = ws ? ' ' : str(sep);
  if (ws) {
    // the unsplit remainder keeps its original whitespace
    const re = fromRight ? /\s*\S+\s*$/ : /^\s*\S+\s*/;
    let rest = fromRight ? s.trimEnd() : s.trimStart();
    const out: string[] = [];
    for (let i = 0; i < max; i++) {
      const m = re.exec(rest) as RegExpExecArray;
      out.push(m[0].trim());
      rest = fromRight ? rest.slice(0, rest.length - m[0].length) : rest.slice(m[0].length);
    }
    return fromRight ? [rest, ...out.reverse()] : [...out, rest];
  }
  return fromRight
    ? [parts.slice(0, parts.length - max).join(joint), ...parts.slice(parts.length - max)]
    : [...parts.slice(0, max), parts.slice(max).join(joint)];
}

/** str.strip / lstrip / rstrip: whitespace when `chars` is None, else any of `chars`. */
function stripStr(s: string, chars: Value, left: boolean, right: boolean): string {
  const set = chars === null ? undefined : str(chars);
  const strip = (c: string) => (set === undefined ? /\s/.test(c) : set.includes(c));
  let i = 0, j = s.length;
  while (left && i < j && strip(s[i])) i++;
  while (right && j > i && strip(s[j - 1])) j--;
  return s.slice(i, j);
}

const isPrimitive = (v: Value): v is null | boolean | number | string => v === null || typeof v !== 'object';
/** Keys of a set's primitive items, rebuilt when the set changed size behind our back. */
const primitiveKeys = new WeakMap<PySet, { n: number; keys: Set<unknown> }>();

/** set.add: primitives are found by key (registries add thousands of names), other values by equality. */
function addToSet(set: PySet, v: Value): void {
  if (!isPrimitive(v)) {
    if (!set.items.some((x) => valuesEqual(x, v) === true)) set.items.push(v);
    return;
  }
  let c = primitiveKeys.get(set);
  if (!c || c.n !== set.items.length) {
    c = { n: set.items.length, keys: new Set(set.items.filter(isPrimitive).map(hashKey)) };
    primitiveKeys.set(set, c);
  }
  if (c.keys.has(hashKey(v))) return;
  set.items.push(v);
  c.keys.add(hashKey(v));
  c.n++;
}

/** Removes an equal item; false when there was none. */
function removeFromSet(set: PySet, v: Value): boolean {
  const i = set.items.findIndex((x) => valuesEqual(x, v) === true);
  if (i >= 0) set.items.splice(i, 1);
  return i >= 0;
}

function containerMethod(interp: Interpreter, obj: PyObject, name: string, _site: CallSite): Value | undefined {
  const iter = (v: Value, site: CallSite) => interp.iterate(v, site);
  if (obj.k === 'list' || obj.k === 'tuple') {
    const items = obj.items;
    const common: Record<string, (a: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
      index: (a, _k, site) => {
        const i = items.findIndex((x) => valuesEqual(x, a[0]) === true);
        return i >= 0 ? i : interp.raise('ValueError', `${repr(a[0])} is not in list`, site.line);
      },
      count: (a) => items.filter((x) => valuesEqual(x, a[0]) === true).length,
      // torch.Size.numel(): the product of the sizes (`x.shape[1:].numel()`, the features a flatten gives)
      ...(obj.k === 'tuple' && obj.size ? { numel: (_a: Value[], _k: Map<string, Value>, site: CallSite) =>
        items.reduce<Value>((acc, v) => interp.binop('*', acc, v, site), 1) } : {}),
    };
    const mutating: Record<string, (a: Value[], k: Map<string, Value>, site: CallSite) => Value> = obj.k === 'list' ? {
      append: (a) => { items.push(a[0]); return null; },
      extend: (a, _k, site) => { items.push(...iter(a[0], site)); return null; },
      insert: (a) => { const i = toIndex(a[0]) ?? items.length; items.splice(i < 0 ? items.length + i : i, 0, a[1]); return null; },
      pop: (a, _k, site) => {
        if (!items.length) interp.raise('IndexError', 'pop from empty list', site.line);
        const i = a.length ? toIndex(a[0]) ?? -1 : -1;
        return items.splice(i < 0 ? items.length + i : i, 1)[0];
      },
      remove: (a) => { const i = items.findIndex((x) => valuesEqual(x, a[0]) === true); if (i >= 0) items.splice(i, 1); return null; },
      copy: () => list(items.slice()),
      reverse: () => { items.reverse(); return null; },
      clear: () => { items.length = 0; return null; },
      ...(obj.deque ? {
        appendleft: (a: Value[]) => { items.unshift(a[0]); return null; },
        extendleft: (a: Value[], _k: Map<string, Value>, site: CallSite) => { items.unshift(...iter(a[0], site).reverse()); return null; },
        popleft: (_a: Value[], _k: Map<string, Value>, site: CallSite) => (items.length ? items.shift() as Value : interp.raise('IndexError', 'pop from an empty deque', site.line)),
      } : {}),
      sort: (_a, k, site) => {
        const sorted = sortValues(interp, items, kw(k, 'key'), interp.truthy(kw(k, 'reverse', false), site.line), site);
        items.splice(0, items.length, ...sorted);
        return null;
      },
    } : {};
    const f = common[name] ?? mutating[name];
    if (f) return method(obj, name, f);
    const field = obj.k === 'tuple' ? obj.fields?.indexOf(name) ?? -1 : -1;
    return field >= 0 ? items[field] : undefined;
  }
  if (obj.k === 'dict') {
    const d = obj;
    const m: Record<string, (a: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
      // a stored None is a value, not a miss
      get: (a) => { const e = d.map.get(hashKey(a[0])); return e ? e[1] : a.length > 1 ? a[1] : null; },
      items: () => ({ k: 'iter', items: [...d.map.values()].map(([k, v]) => tuple([k, v])) }),
      keys: () => ({ k: 'iter', items: [...d.map.values()].map(([k]) => k) }),
      values: () => ({ k: 'iter', items: [...d.map.values()].map(([, v]) => v) }),
      update: (a, k, site) => { if (a.length) addPairs(interp, d, a[0], site); for (const [kk, v] of k) d.map.set(kk, [kk, v]); return null; },
      pop: (a, _k, site) => {
        const h = hashKey(a[0]);
        const e = d.map.get(h);
        if (e) { d.map.delete(h); return e[1]; }
        return a.length > 1 ? a[1] : interp.raise('KeyError', repr(a[0]), site.line);
      },
      setdefault: (a) => {
        const h = hashKey(a[0]);
        if (!d.map.has(h)) d.map.set(h, [a[0], a[1] ?? null]);
        return (d.map.get(h) as [Value, Value])[1];
      },
      copy: () => ({ k: 'dict', map: new Map(d.map), ordered: d.ordered, factory: d.factory }),
      clear: () => { d.map.clear(); return null; },
      popitem: (_a, _k, site) => {
        const last = [...d.map.keys()].pop();
        if (last === undefined) interp.raise('KeyError', 'popitem(): dictionary is empty', site.line);
        const e = d.map.get(last) as [Value, Value];
        d.map.delete(last);
        return tuple(e);
      },
      move_to_end: (a) => { const h = hashKey(a[0]); const e = d.map.get(h); if (e) { d.map.delete(h); d.map.set(h, e); } return null; },
    };
    const f = m[name];
    return f ? method(d, name, f) : undefined;
  }
  if (obj.k === 'set') {
    const m: Record<string, (a: Value[], k: Map<string, Value>, site: CallSite) => Value> = {
      add: (a) => { addToSet(obj, a[0] ?? null); return null; },
      update: (a, _k, site) => { for (const o of a) for (const v of iter(o, site)) addToSet(obj, v); return null; },
      remove: (a, _k, site) => (removeFromSet(obj, a[0] ?? null) ? null : interp.raise('KeyError', repr(a[0] ?? null), site.line)),
      discard: (a) => { removeFromSet(obj, a[0] ?? null); return null; },
      pop: (_a, _k, site) => (obj.items.length ? obj.items.shift() as Value : interp.raise('KeyError', 'pop from an empty set', site.line)),
      clear: () => { obj.items.length = 0; return null; },
      copy: () => ({ k: 'set', items: obj.items.slice() }),
      union: (a, _k, site) => { const out: PySet = { k: 'set', items: obj.items.slice() }; for (const o of a) for (const v of iter(o, site)) addToSet(out, v); return out; },
      intersection: (a, _k, site) => ({ k: 'set', items: obj.items.filter((x) => a.every((o) => iter(o, site).some((y) => valuesEqual(x, y) === true))) }),
      difference: (a, _k, site) => ({ k: 'set', items: obj.items.filter((x) => !a.some((o) => iter(o, site).some((y) => valuesEqual(x, y) === true))) }),
      issubset: (a, _k, site) => { const other = iter(a[0] ?? null, site); return obj.items.every((x) => other.some((y) => valuesEqual(x, y) === true)); },
      issuperset: (a, _k, site) => iter(a[0] ?? null, site).every((y) => obj.items.some((x) => valuesEqual(x, y) === true)),
      isdisjoint: (a, _k, site) => !iter(a[0] ?? null, site).some((y) => obj.items.some((x) => valuesEqual(x, y) === true)),
    };
    const f = m[name];
    return f ? method(obj, name, f) : undefined;
  }
  if (obj.k === 'slice') {
    if (name === 'start') return obj.lo;
    if (name === 'stop') return obj.hi;
    if (name === 'step') return obj.step;
  }
  return undefined;
}

