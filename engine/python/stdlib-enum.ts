// Python's enum module as model code and torchvision use it: members with name/value (and
// _name_/_value_), aliases (`DEFAULT = IMAGENET1K_V2` is the same member), the class's own __init__
// run on each member's value, str()/repr() as Python prints them, lookup by name (`Cls["NAME"]`) and
// by value (`Cls(value)`), and EnumMeta for metaclasses derived from it (torchvision's StrEnumMeta).
import type { Interpreter } from './interpreter';
import { makeClass, pyDict, type BuiltinClasses } from './builtins';
import { valuesEqual } from './operators';
import { isObj, list, native, repr, str, type CallSite, type PyClass, type PyInstance, type PyModule, type Value } from './values';
import { registerFactory, shared, type CopyableExt } from './portable';

const memberName = (m: PyInstance): string => String(m.attrs.get('_name_') ?? '?');

/** A str/int/float mixin member's value (what the value's own operations use). */
class MixinValue implements CopyableExt {
  readonly extKind = 'enum.mixin';

  constructor(readonly enumValue: Value) {}

  copyExt(copy: (v: Value) => Value): MixinValue {
    return new MixinValue(copy(this.enumValue));
  }

  extValues(): Value[] {
    return [this.enumValue];
  }
}

/**
 * `Cls(value)`: the member with that value. It reads the members from the class (`_member_names_`),
 * so that a module cached across analyses shares it.
 */
const byValue = shared((args: Value[], _k: Map<string, Value>, callSite: CallSite, called: PyClass, interp: Interpreter): Value => {
  const cls = called.mro.find((c) => c.dict.has('_member_names_')) ?? called;
  const names = (cls.dict.get('_member_names_') as { items?: Value[] } | undefined)?.items ?? [];
  for (const name of names) {
    const m = cls.dict.get(str(name));
    if (isObj(m ?? null) && (m === args[0] || valuesEqual((m as PyInstance).attrs.get('value') ?? null, args[0] ?? null) === true)) return m as PyInstance;
  }
  return interp.raise('ValueError', `${repr(args[0] ?? null)} is not a valid ${cls.name}`, callSite.line);
}, { kind: 'enum.byValue', args: [] });
registerFactory('enum.byValue', () => byValue);
registerFactory('enum.mixin', (value: Value) => new MixinValue(value));

export function enumModule(interp: Interpreter, classes: BuiltinClasses, pyModule: (name: string, attrs: Record<string, Value>) => PyModule): PyModule {
  const EnumMeta = makeClass('EnumMeta', undefined, undefined, [classes.type]);
  const Enum = makeClass('Enum', undefined, undefined, [classes.object]);
  Enum.meta = EnumMeta;
  Enum.dict.set('__str__', native('__str__', (a) => `${(a[0] as PyInstance).cls.name}.${memberName(a[0] as PyInstance)}`));
  Enum.dict.set('__repr__', native('__repr__', (a) => {
    const m = a[0] as PyInstance;
    return `<${m.cls.name}.${memberName(m)}: ${repr(m.attrs.get('_value_') ?? null)}>`;
  }));
  Enum.dict.set('__init_subclass_native__', native('__init_subclass_native__', (a, _k, site) => {
    const cls = a[0] as PyClass;
    if (cls === Enum) return null;
    const mixin = cls.mro.some((c) => c === classes.str || c === classes.int || c === classes.float);
    // an __init__ of the enum's own (not object's) receives each member's value, unpacked if a tuple
    const init = interp.lookupClassAttr(cls, '__init__');
    const ownInit = init !== undefined && isObj(init) && init.k === 'func' ? init : undefined;
    const members = pyDict();
    members.ordered = true;
    const unique: PyInstance[] = [];
    for (const [name, value] of [...cls.dict]) {
      if (name.startsWith('_') || (isObj(value) && ['func', 'wrapped', 'native', 'class'].includes(value.k))) continue;
      const same = unique.find((m) => m.attrs.get('_value_') === value || valuesEqual(m.attrs.get('_value_') ?? null, value) === true);
      let member = same;
      if (!member) {
        member = { k: 'inst', cls, attrs: new Map([['_name_', name], ['_value_', value]]), ...(mixin ? { ext: new MixinValue(value) } : {}) };
        if (ownInit) interp.call(interp.bindTo(ownInit, member, cls), isObj(value) && value.k === 'tuple' ? value.items : [value ?? null], new Map(), site);
        member.attrs.set('name', name);
        member.attrs.set('value', member.attrs.get('_value_') ?? null);
        unique.push(member);
      }
      cls.dict.set(name, member);
      members.map.set(name, [name, member]);
    }
    if (!members.map.size) return null;
    cls.dict.set('__members__', members);
    cls.dict.set('_member_names_', list(unique.map(memberName)));
    cls.construct = byValue;
    return null;
  }));
  let autoCount = 0;
  const auto = native('auto', () => ++autoCount);
  interp.stateStamps.push(() => autoCount);
  return pyModule('enum', {
    Enum, IntEnum: Enum, EnumMeta, EnumType: EnumMeta, auto, unique: native('unique', (a) => a[0] ?? null),
  });
}
