// collections.namedtuple: instances keep their fields as attributes and behave as tuples (index, unpack,
// len). The class holds its fields (`_fields`) and defaults (`_field_defaults`) as Python values and its
// methods are shared natives that read them, so a module cached across analyses copies such a class.
import type { Interpreter } from './interpreter';
import { makeClass, pyDict, type BuiltinClasses } from './builtins';
import { registerFactory, shared } from './portable';
import { isObj, native, str, tuple, type CallSite, type PyClass, type PyDict, type PyInstance, type PyNative, type Value } from './values';

/** The namedtuple class itself (a class statement deriving from it inherits its constructor). */
const baseOf = (cls: PyClass): PyClass => cls.mro.find((c) => c.construct === construct && c.dict.has('_fields')) ?? cls;
const fieldsOf = (cls: PyClass): string[] => ((baseOf(cls).dict.get('_fields') as { items?: Value[] } | undefined)?.items ?? []).map(str);

function make(cls: PyClass, values: Map<string, Value>): PyInstance {
  const base = baseOf(cls);
  return { k: 'inst', cls: base, attrs: new Map(fieldsOf(base).map((f) => [f, values.get(f) ?? null])) };
}

const construct = shared((args: Value[], kwargs: Map<string, Value>, _site: CallSite, cls: PyClass): Value => {
  const defaults = (baseOf(cls).dict.get('_field_defaults') as PyDict | undefined)?.map;
  const values = new Map<string, Value>();
  for (const [i, f] of fieldsOf(cls).entries()) {
    const v = i < args.length ? args[i] : kwargs.has(f) ? kwargs.get(f) : defaults?.get(f)?.[1];
    if (v !== undefined) values.set(f, v);
  }
  return make(cls, values);
}, { kind: 'namedtuple.construct', args: [] });
registerFactory('namedtuple.construct', () => construct);

const items = (self: PyInstance) => tuple(fieldsOf(self.cls).map((f) => self.attrs.get(f) ?? null));

/** The items of a tuple, a list or a namedtuple instance (in field order); undefined for any other value. */
export function sequenceItems(v: Value): Value[] | undefined {
  if (!isObj(v)) return undefined;
  if (v.k === 'tuple' || v.k === 'list') return v.items;
  if (v.k !== 'inst' || !v.cls.mro.some((c) => c.construct === construct && c.dict.has('_fields'))) return undefined;
  return items(v).items;
}

function method(name: string, f: (self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite, interp: Interpreter) => Value): PyNative {
  const m = shared(native(name, (x, kw, s, interp) => {
    if (!interp) throw new Error(`namedtuple.${name} needs the running interpreter`);
    return f(x[0] as PyInstance, x.slice(1), kw, s, interp);
  }), { kind: `namedtuple.${name}`, args: [] });
  registerFactory(`namedtuple.${name}`, () => m);
  return m;
}

const METHODS: PyNative[] = [
  method('__getitem__', (self, x, _kw, s, interp) => interp.getitem(items(self), x[0] ?? null, s)),
  method('__iter__', (self) => ({ k: 'list', items: items(self).items })),
  method('__len__', (self) => fieldsOf(self.cls).length),
  method('_replace', (self, _x, kw) => make(self.cls, new Map([...self.attrs, ...kw]))),
  method('_asdict', (self) => pyDict(fieldsOf(self.cls).map((f) => [f, self.attrs.get(f) ?? null]))),
];
/** `_make(iterable)`, a classmethod: its first argument is the class. */
const MAKE = method('_make', (cls, x, _kw, s, interp) => {
  const fields = fieldsOf(cls as unknown as PyClass);
  return make(cls as unknown as PyClass, new Map(interp.iterate(x[0] ?? null, s).map((v, i): [string, Value] => [fields[i], v])));
});

/** Makes `cls` a namedtuple of these fields, the last ones with these defaults. */
function equip(cls: PyClass, fields: string[], defaults: Array<[string, Value]>): void {
  cls.construct = construct;
  cls.dict.set('_fields', tuple(fields));
  cls.dict.set('_field_defaults', pyDict(defaults));
  for (const m of METHODS) cls.dict.set(m.name, m);
  cls.dict.set('_make', { k: 'wrapped', kind: 'class', fn: MAKE });
}

/**
 * `typing.NamedTuple`: a class deriving from it becomes a namedtuple of its annotated fields, in order, the
 * assigned ones being defaults (without this, `Out(logits, feats)` was tuple(logits): the rows of a tensor).
 */
export function typedNamedTuple(classes: BuiltinClasses): PyClass {
  const base = makeClass('NamedTuple', undefined, undefined, [classes.tuple]);
  base.dict.set('__init_subclass_native__', native('__init_subclass_native__', (a) => {
    const cls = a[0] as PyClass;
    if (!cls.bases.includes(base)) return null; // a subclass of a NamedTuple class keeps its parent's fields
    const order = cls.dict.get('__annotations_order__') as { items?: Value[] } | undefined;
    const fields = (order?.items ?? []).map(str);
    equip(cls, fields, fields.filter((f) => cls.dict.has(f)).map((f) => [f, cls.dict.get(f) as Value]));
    for (const f of fields) cls.dict.delete(f);
    return null;
  }));
  return base;
}

/** `collections.namedtuple(typename, field_names, defaults=…)`. */
export function namedtupleFactory(interp: Interpreter, classes: BuiltinClasses): PyNative {
  return native('namedtuple', (a, k, site) => {
    const names = a[1] ?? k.get('field_names') ?? null;
    const fields = typeof names === 'string' ? names.replace(/,/g, ' ').split(/\s+/).filter(Boolean) : interp.iterate(names, site).map(str);
    const defaultsV = k.get('defaults') ?? null;
    const defaults = defaultsV === null ? [] : interp.iterate(defaultsV, site);
    // the last fields take the last defaults
    const n = Math.min(fields.length, defaults.length);
    const cls = makeClass(str(a[0] ?? k.get('typename') ?? 'namedtuple'), construct, undefined, [classes.tuple]);
    equip(cls, fields, fields.slice(fields.length - n).map((f, i) => [f, defaults[defaults.length - n + i]]));
    return cls;
  });
}
