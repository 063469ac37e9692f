// Configuration objects that research model code builds its networks from: yacs's CfgNode
// (`cfg.MODEL.NUM_CLASSES`, HRNet, pycls) and EasyDict. Both are dicts whose keys are also
// attributes; nested dicts become the same kind of object.
import type { Interpreter } from './interpreter';
import { makeClass, type BuiltinClasses } from './builtins';
import { pyModule } from './stdlib';
import { isObj, list, native, str, tuple, unknown, type PyClass, type PyInstance, type PyModule, type Value } from './values';

function attrDictClass(interp: Interpreter, name: string, classes: BuiltinClasses): PyClass {
  const cls: PyClass = makeClass(name, undefined, name, [classes.object]);
  const wrap = (v: Value): Value => (isObj(v) && v.k === 'dict' ? make(v) : v);
  const make = (init: Value): PyInstance => {
    const inst: PyInstance = { k: 'inst', cls, attrs: new Map() };
    if (isObj(init) && init.k === 'dict') for (const [k, v] of init.map.values()) inst.attrs.set(str(k), wrap(v));
    return inst;
  };
  // made before it is assigned: see eslint.config.mjs, pretenured closures
  const construct: PyClass['construct'] = (args, kwargs) => {
    const inst = make(args[0] ?? null);
    for (const [k, v] of kwargs) if (k !== 'new_allowed') inst.attrs.set(k, wrap(v));
    return inst;
  };
  cls.construct = construct;
  const self = (a: Value[]) => a[0] as PyInstance;
  const method = (n: string, f: (a: Value[], k: Map<string, Value>) => Value) => cls.dict.set(n, native(n, f));
  method('__getitem__', (a) => self(a).attrs.get(str(a[1])) ?? interp.raise('KeyError', str(a[1]), 0));
  method('__setitem__', (a) => { self(a).attrs.set(str(a[1]), wrap(a[2])); return null; });
  method('__contains__', (a) => self(a).attrs.has(str(a[1])));
  method('__iter__', (a) => list([...self(a).attrs.keys()]));
  method('__len__', (a) => self(a).attrs.size);
  method('get', (a) => (self(a).attrs.has(str(a[1])) ? (self(a).attrs.get(str(a[1])) as Value) : a[2] ?? null));
  method('keys', (a) => list([...self(a).attrs.keys()]));
  method('values', (a) => list([...self(a).attrs.values()]));
  method('items', (a) => list([...self(a).attrs].map(([k, v]) => tuple([k, v]))));
  method('update', (a, k) => {
    const src = a[1];
    if (isObj(src) && src.k === 'dict') for (const [kk, v] of src.map.values()) self(a).attrs.set(str(kk), wrap(v));
    for (const [kk, v] of k) self(a).attrs.set(kk, wrap(v));
    return null;
  });
  method('clone', (a) => ({ k: 'inst', cls, attrs: new Map(self(a).attrs) }));
  for (const n of ['freeze', 'defrost', 'set_new_allowed', 'merge_from_list']) method(n, () => null);
  method('merge_from_file', (_a) => unknown(`${name}.merge_from_file reads a YAML file ConvLens does not open; set the values in Python or give --entry a config`));
  method('is_frozen', () => false);
  return cls;
}

/** `yacs.config` and `easydict`. */
export function configModules(interp: Interpreter, classes: BuiltinClasses): PyModule[] {
  const CfgNode = attrDictClass(interp, 'CfgNode', classes);
  const EasyDict = attrDictClass(interp, 'EasyDict', classes);
  return [
    pyModule('yacs.config', { CfgNode, CN: CfgNode }),
    pyModule('yacs', { config: pyModule('yacs.config', { CfgNode, CN: CfgNode }) }),
    pyModule('easydict', { EasyDict, edict: EasyDict }),
  ];
}
