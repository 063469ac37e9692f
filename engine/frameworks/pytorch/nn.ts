// torch.nn's module system: nn.Module with PyTorch's attribute registration (children and
// parameters in assignment order), the containers (Sequential, ModuleList, ModuleDict), and one
// native class per catalogued layer. Calling a module goes through the tracer.
import { sliceIndices, toIndex, unknownSlice, type InstanceExt, type Interpreter } from '../../python/interpreter';
import { keyValuePairs, makeClass, pyDict } from '../../python/builtins';
import {
  PyRaise, isObj, isUnknown, list, native, repr, str, tuple, typeName, unknown,
  type CallSite, type PyClass, type PyInstance, type PyUnknown, type Value,
} from '../../python/values';
import { fromPython, toPython } from '../../python/config-values';
import { TORCH_LAYERS } from './layers';
import { LAZY_LAYERS, type LazyLayerSpec } from './layers/lazy';
import { REQUIRED, UNKNOWN, type Cfg, type TorchLayerSpec } from './layers/spec';
import { unknownArgNames } from '../../shapes/layer-spec';
import { isTensor, type TensorObj } from './tensor';
import { layerMethods } from './layer-methods';
import { ModuleHooks, callWithHooks, idleHandle, registerHook } from './module-hooks';
import { flagOf, requiresGradArg, type ParamFlag } from './requires-grad';
import { tracksRunningStats } from './running-stats';

export interface LayerInfo {
  type: string;
  spec: TorchLayerSpec;
  cfg: Cfg;
  /** A lazy layer before its first call: what it infers, and the class it then becomes. */
  lazy?: { spec: LazyLayerSpec; becomes: PyClass };
}

/** The state PyTorch keeps in `_modules`, `_parameters`, `_buffers`, plus where it was built. */
/** Told when code reads `self.training` of a module in eval mode (set while a trace runs: code that only runs in training is then missing from it). */
export const trainingReads: { onEvalRead?: () => void } = {};
/** Told of each parameter or buffer read from a module by name (what torch.fx records as `get_attr`). */
export const tensorReads: { onRead?: (value: Value) => void } = {};

export class ModuleState implements InstanceExt {
  readonly children = new Map<string, Value>();
  readonly params = new Map<string, TensorObj | null>();
  readonly buffers = new Map<string, Value>();
  layer?: LayerInfo;
  /** Arguments of a catalogued layer whose values are unknown, when its parameters depend on them. */
  unknownArgs?: string[];
  /** Call sites active when the module was constructed, innermost last. */
  sites: CallSite[] = [];
  /** A new module trains, as in PyTorch (a forward run while the model is built sees training=True); the trace is in eval mode. */
  training = true;
  /** Its forward hooks and pre-hooks, once one is registered. */
  hooks?: ModuleHooks;

  constructor(private readonly self: PyInstance) {}

  getattr(name: string): Value | undefined {
    if (this.children.has(name)) return this.children.get(name) as Value;
    if (this.params.has(name) || this.buffers.has(name)) {
      const v = (this.params.has(name) ? this.params.get(name) : this.buffers.get(name)) as Value;
      tensorReads.onRead?.(v);
      return v;
    }
    if (name === 'training') {
      if (!this.training) trainingReads.onEvalRead?.();
      return this.training;
    }
    // read-only snapshots: containers iterate `self._modules.values()`
    if (name === '_modules') return pyDict([...this.children]);
    if (name === '_parameters') return pyDict([...this.params]);
    if (name === '_buffers') return pyDict([...this.buffers]);
    if (this.layer && name in this.layer.cfg) return toPython(this.layer.cfg[name]);
    return undefined;
  }

  setattr(name: string, value: Value): boolean {
    if (isModule(value)) {
      this.params.delete(name);
      this.self.attrs.delete(name);
      this.children.set(name, value);
      return true;
    }
    if (isTensor(value) && value.param) {
      // as Module.__setattr__: a parameter replaces a plain attribute, child or buffer of that name
      this.children.delete(name);
      this.buffers.delete(name);
      this.self.attrs.delete(name);
      this.params.set(name, value);
      return true;
    }
    if (value === null && (this.children.has(name) || this.params.has(name))) {
      if (this.children.has(name)) this.children.set(name, null); else this.params.set(name, null);
      return true;
    }
    if (this.buffers.has(name)) { this.buffers.set(name, value); return true; }
    return false;
  }

  delattr(name: string): boolean {
    return this.children.delete(name) || this.params.delete(name) || this.buffers.delete(name);
  }

  // The tracer asks these of every module call: built in one pass, no array copied and filtered (garbage per edit)
  /** Children that are modules (None entries are skipped, as named_children does). */
  moduleChildren(): Array<[string, PyInstance]> {
    const out: Array<[string, PyInstance]> = [];
    for (const [name, v] of this.children) if (isModule(v)) out.push([name, v]);
    return out;
  }

  /** Whether a child is a module (`moduleChildren().length > 0`, without making the list). */
  hasModuleChildren(): boolean {
    for (const v of this.children.values()) if (isModule(v)) return true;
    return false;
  }

  ownParams(): Array<[string, TensorObj]> {
    const out: Array<[string, TensorObj]> = [];
    for (const [name, p] of this.params) if (p !== null) out.push([name, p]);
    return out;
  }
}

/** An nn.Module instance before `Module.__init__()` ran: PyTorch refuses children and parameters on it. */
class Uninitialised implements InstanceExt {
  setattr(_name: string, value: Value, site: CallSite): boolean {
    const module = isObj(value) && value.k === 'inst' && (value.ext instanceof ModuleState || value.ext instanceof Uninitialised);
    if (module) throw new PyRaise('AttributeError', 'cannot assign module before Module.__init__() call', site.line, undefined, site.file);
    if (isTensor(value) && value.param) throw new PyRaise('AttributeError', 'cannot assign parameters before Module.__init__() call', site.line, undefined, site.file);
    return false;
  }
}
const UNINITIALISED = new Uninitialised();

/** What PyTorch raises when a method runs before `Module.__init__()` (the attribute it misses, or its own words). */
const BEFORE_INIT: Record<string, string> = {
  parameters: "no attribute '_parameters'", named_parameters: "no attribute '_parameters'", buffers: "no attribute '_buffers'",
  register_buffer: 'cannot assign buffer before Module.__init__() call',
  register_parameter: 'cannot assign parameter before Module.__init__() call',
};

export const isModule = (v: Value): v is PyInstance => isObj(v) && v.k === 'inst' && v.ext instanceof ModuleState;
export const stateOf = (m: PyInstance): ModuleState => m.ext as ModuleState;

/** named_modules(): preorder, each module once under its first name. */
export function namedModules(root: PyInstance, prefix = ''): Array<[string, PyInstance]> {
  const out: Array<[string, PyInstance]> = [];
  const seen = new Set<PyInstance>();
  const walk = (m: PyInstance, path: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([path, m]);
    for (const [name, child] of stateOf(m).moduleChildren()) walk(child, path ? `${path}.${name}` : name);
  };
  walk(root, prefix);
  return out;
}

/** An unknown value held by a module of the tree: a container item, or an attribute an unknown call made. */
export interface OpaqueChild {
  path: string;
  value: PyUnknown;
}

/**
 * The unknown values the modules of `root` hold where a submodule could be (the honesty rule keeps them visible).
 * `tree`: `namedModules(root)`, when the caller has it.
 */
export function opaqueChildren(root: PyInstance, tree = namedModules(root)): OpaqueChild[] {
  const out: OpaqueChild[] = [];
  const seen = new Set<PyUnknown>();
  const note = (path: string, value: PyUnknown) => {
    if (seen.has(value)) return;
    seen.add(value);
    out.push({ path, value });
  };
  for (const [path, m] of tree) {
    const at = (name: string) => (path ? `${path}.${name}` : name);
    for (const [name, v] of stateOf(m).children) if (isUnknown(v)) note(at(name), v);
    for (const [name, v] of m.attrs) {
      // whatever an unknown call made (`Mystery(…)`, `build_backbone(…)`) may be a module with parameters
      if (isUnknown(v) && v.made) note(at(name), v);
    }
  }
  return out;
}

/** Module.train(mode) / eval(): the module and every submodule. `tree`: `namedModules(root)`, when the caller has it. */
export function setTraining(root: PyInstance, mode: boolean, tree = namedModules(root)): void {
  for (const [, m] of tree) stateOf(m).training = mode;
}

/**
 * The buffers of a module tree as named_buffers() gives them (registered ones, not None), or unknown when a
 * normalisation layer in it keeps running statistics, which ConvLens does not hold as tensors (a count of 0
 * would be a confident wrong number).
 */
function namedBuffers(root: PyInstance, line: number): Array<[string, Value]> | PyUnknown {
  const out: Array<[string, Value]> = [];
  for (const [path, m] of namedModules(root)) {
    const layer = stateOf(m).layer;
    // a flag the analyser could not read may mean running statistics too
    if (layer && tracksRunningStats(layer.type, layer.cfg.track_running_stats) !== false) {
      return unknown(`the running statistics of ${layer.type} are not modelled as buffers`, line);
    }
    for (const [name, b] of stateOf(m).buffers) if (b !== null) out.push([path ? `${path}.${name}` : name, b]);
  }
  return out;
}

/** named_parameters(): each parameter once, by identity. `tree`: `namedModules(root)`, when the caller has it. */
export function namedParameters(root: PyInstance, tree = namedModules(root)): Array<[string, TensorObj]> {
  const out: Array<[string, TensorObj]> = [];
  const seen = new Set<TensorObj>();
  for (const [path, m] of tree) {
    for (const [name, p] of stateOf(m).ownParams()) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push([path ? `${path}.${name}` : name, p]);
    }
  }
  return out;
}

export interface NnHooks {
  /** Calling a module: traced by the model tracer. */
  callModule(self: PyInstance, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value;
  /** A catalogued layer's own forward (also reached through `super().forward(x)`). */
  applyLayer(self: PyInstance, args: Value[], site: CallSite, kwargs?: Map<string, Value>): Value;
  /** A parameter tensor of the given shape. */
  parameter(shape: Array<number | string | null> | null, flag: ParamFlag, site: CallSite): TensorObj;
}

/** Builds torch.nn's classes into `attrs` (Module, containers, every catalogued layer). */
export function buildNn(interp: Interpreter, hooks: NnHooks, objectClass: PyClass): Map<string, Value> {
  const attrs = new Map<string, Value>();
  const Module = makeClass('Module', undefined, 'Module', [objectClass]);
  // Where a module was built: for a Python subclass, the call that instantiated it (the frame of
  // its outermost __init__), not the `super().__init__()` line inside it.
  const sites = (inst: PyInstance, site: CallSite) => {
    const all = [...interp.frames.map((f) => f.site), site];
    const own = interp.frames.findIndex((f) => f.self === inst);
    return own >= 0 ? all.slice(0, own + 1) : all;
  };
  const ensure = (self: Value, site: CallSite): ModuleState => {
    const inst = self as PyInstance;
    if (!(inst.ext instanceof ModuleState)) {
      const st = new ModuleState(inst);
      st.sites = sites(inst, site);
      inst.ext = st;
    }
    return inst.ext as ModuleState;
  };
  interp.newInstanceHooks.push((inst) => { if (inst.cls.mro.includes(Module)) inst.ext = UNINITIALISED; });
  /** `self` of a method: a module, and one whose `Module.__init__()` ran unless the method is `__init__`. */
  const selfOf = (self: Value, name: string, site: CallSite): PyInstance => {
    if (!isObj(self) || self.k !== 'inst') return interp.raise('TypeError', `Module.${name}() needs a module, not ${typeName(self)}`, site.line);
    if (name === '__init__' || self.ext instanceof ModuleState) return self;
    const msg = BEFORE_INIT[name] ?? "no attribute '_modules'";
    return interp.raise('AttributeError', msg.startsWith('no ') ? `'${self.cls.name}' object has ${msg}` : msg, site.line);
  };
  const def = (cls: PyClass, name: string, fn: (self: PyInstance, a: Value[], k: Map<string, Value>, site: CallSite) => Value) =>
    cls.dict.set(name, native(name, (a, k, site) => fn(selfOf(a[0] ?? null, name, site), a.slice(1), k, site)));
  /** add_module's rules: a string name without dots, a module or None (an unknown value stays, unknown). */
  const addChild = (st: ModuleState, name: Value, v: Value, site: CallSite): void => {
    if (typeof name !== 'string') interp.raise('TypeError', `module name should be a string. Got ${typeName(name)}`, site.line);
    if (name.includes('.')) interp.raise('KeyError', `module name can't contain ".", got: ${name}`, site.line);
    if (name === '') interp.raise('KeyError', 'module name can\'t be empty string ""', site.line);
    const acceptable = v === null || isModule(v) || isUnknown(v) || (isObj(v) && v.k === 'host');
    if (!acceptable) interp.raise('TypeError', `${isObj(v) && v.k === 'class' ? v.qualname : typeName(v)} is not a Module subclass`, site.line);
    // add_module(name, None) registers an empty slot, as PyTorch does
    if (!st.setattr(name, v)) st.children.set(name, v);
  };

  def(Module, '__init__', (self, _a, _k, site) => { ensure(self, site); return null; });
  def(Module, '__call__', (self, a, k, site) => {
    const st = ensure(self, site);
    if (!st.hooks?.any) return hooks.callModule(self, a, k, site);
    return callWithHooks(interp, self as PyInstance, st.hooks, a, k, site, (args, kwargs) => hooks.callModule(self, args, kwargs, site));
  });
  def(Module, 'register_forward_hook', (self, a, k, site) =>
    registerHook((ensure(self, site).hooks ??= new ModuleHooks()).post, a[0] ?? k.get('hook') ?? null, k));
  def(Module, 'register_forward_pre_hook', (self, a, k, site) =>
    registerHook((ensure(self, site).hooks ??= new ModuleHooks()).pre, a[0] ?? k.get('hook') ?? null, k));
  for (const name of ['register_full_backward_hook', 'register_backward_hook', 'register_full_backward_pre_hook']) def(Module, name, () => idleHandle());
  // self.__getattr__('name'): children, parameters and buffers, as nn.Module.__getattr__ looks them up
  def(Module, '__getattr__', (self, a, _k, site) =>
    ensure(self, site).getattr(str(a[0])) ?? interp.raise('AttributeError', `'${self.cls.name}' object has no attribute '${str(a[0])}'`, site.line));
  // a module that is no container takes no items (PyTorch's own TypeErrors, never a silent no-op)
  def(Module, '__setitem__', (self, _a, _k, site) => interp.raise('TypeError', `'${self.cls.name}' object does not support item assignment`, site.line));
  def(Module, '__delitem__', (self, _a, _k, site) => interp.raise('TypeError', `'${self.cls.name}' object doesn't support item deletion`, site.line));
  def(Module, 'forward', (self, _a, _k, site) => interp.raise('NotImplementedError', `${self.cls.name} has no forward()`, site.line));
  def(Module, 'add_module', (self, a, k, site) => {
    const name = a.length > 0 ? a[0] : k.get('name');
    const module = a.length > 1 ? a[1] : k.get('module');
    if (name === undefined || module === undefined) {
      interp.raise('TypeError', `add_module() missing 1 required positional argument: '${name === undefined ? 'name' : 'module'}'`, site.line);
    }
    addChild(stateOf(self), name, module, site);
    return null;
  });
  Module.dict.set('register_module', Module.dict.get('add_module') as Value);
  def(Module, 'register_buffer', (self, a, k) => { stateOf(self).buffers.set(str(a[0] ?? k.get('name') ?? null), a[1] ?? k.get('tensor') ?? null); return null; });
  def(Module, 'register_parameter', (self, a, k) => {
    const p = a[1] ?? k.get('param') ?? null;
    stateOf(self).params.set(str(a[0] ?? k.get('name') ?? null), isTensor(p) ? p : null);
    return null;
  });
  def(Module, 'modules', (self) => list(namedModules(self).map(([, m]) => m)));
  def(Module, 'named_modules', (self) => list(namedModules(self).map(([n, m]) => tuple([n, m]))));
  def(Module, 'children', (self) => list(stateOf(self).moduleChildren().map(([, m]) => m)));
  def(Module, 'named_children', (self) => list(stateOf(self).moduleChildren().map(([n, m]) => tuple([n, m]))));
  def(Module, 'parameters', (self) => list(namedParameters(self).map(([, p]) => p)));
  def(Module, 'named_parameters', (self) => list(namedParameters(self).map(([n, p]) => tuple([n, p]))));
  def(Module, 'buffers', (self, _a, _k, site) => {
    const named = namedBuffers(self, site.line);
    return Array.isArray(named) ? list(named.map(([, b]) => b)) : named;
  });
  def(Module, 'named_buffers', (self, _a, _k, site) => {
    const named = namedBuffers(self, site.line);
    return Array.isArray(named) ? list(named.map(([n, b]) => tuple([n, b]))) : named;
  });
  def(Module, 'apply', (self, a, _k, site) => {
    for (const [, m] of namedModules(self).reverse()) interp.call(a[0], [m], new Map(), site);
    return self;
  });
  def(Module, 'train', (self, a, k) => {
    const mode = a[0] ?? k.get('mode') ?? true;
    setTraining(self, mode !== false && mode !== null && mode !== 0);
    return self;
  });
  def(Module, 'eval', (self) => { setTraining(self, false); return self; });
  for (const name of ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'requires_grad_', 'share_memory', 'type', 'bfloat16']) {
    def(Module, name, (self, a, k, site) => {
      if (name === 'requires_grad_') for (const [, p] of namedParameters(self)) p.param = flagOf(requiresGradArg(a, k), site);
      return self;
    });
  }
  for (const name of ['zero_grad', 'load_state_dict']) {
    def(Module, name, () => null);
  }
  // its keys and tensors are not listed: an empty dict made `sd['fc.weight']` a false KeyError
  def(Module, 'state_dict', (_self, _a, _k, site) => unknown('state_dict() is not modelled: its keys and tensors are unknown', site.line));
  def(Module, 'extra_repr', () => '');
  def(Module, '__repr__', (self) => self.cls.name);
  attrs.set('Module', Module);

  // ---- containers --------------------------------------------------------------------------
  const Sequential = makeClass('Sequential', undefined, 'Sequential', [Module]);
  def(Sequential, '__init__', (self, a, _k, site) => {
    const st = ensure(self, site);
    if (a.length === 1 && isObj(a[0]) && a[0].k === 'dict') for (const [k, v] of a[0].map.values()) addChild(st, k, v, site);
    else a.forEach((m, i) => addChild(st, String(i), m, site));
    return null;
  });
  def(Sequential, 'forward', (self, a, _k, site) => {
    let x: Value = a[0];
    // an unknown item is called too: it becomes a row of its own, never a silent gap
    for (const [, m] of stateOf(self).children) {
      // a None item (nn.Sequential(conv, None), a factory that returned nothing) is called too, as in PyTorch
      if (m === null) interp.raise('TypeError', '\'NoneType\' object is not callable', site.line);
      if (isModule(m) || isUnknown(m)) x = interp.call(m, [x], new Map(), site);
    }
    return x;
  });
  /** `_get_item_by_idx` / `_get_abs_string_index`: the key at an int position in -n..n-1 (undefined: unknown). */
  const keyAt = (st: ModuleState, idx: Value, site: CallSite, keys = [...st.children.keys()]): string | undefined => {
    if (isUnknown(idx)) return undefined;
    const i = toIndex(idx);
    if (i === undefined) return interp.raise('TypeError', `'${typeName(idx)}' object cannot be interpreted as an integer`, site.line);
    if (i < -keys.length || i >= keys.length) interp.raise('IndexError', `index ${i} is out of range`, site.line);
    return keys[i < 0 ? keys.length + i : i];
  };
  /** Module.__setattr__ on a child's name: a module or None (an unknown value stays, unknown). */
  const setChild = (st: ModuleState, key: string, v: Value, site: CallSite): void => {
    if (!(v === null || isModule(v) || isUnknown(v) || (isObj(v) && v.k === 'host'))) {
      interp.raise('TypeError', `cannot assign '${typeName(v)}' as child module '${key}' (torch.nn.Module or None expected)`, site.line);
    }
    st.children.set(key, v);
  };
  /** After a deletion PyTorch renumbers the items 0..n-1 (names of an OrderedDict Sequential too). */
  const renumber = (st: ModuleState, items: Value[]): void => {
    st.children.clear();
    items.forEach((m, i) => st.children.set(String(i), m));
  };
  /** An item set or deleted at an index the analysis cannot know: any item may be the one changed, so all are unknown. */
  const unknownItems = (self: PyInstance, keys: string[], what: string, site: CallSite): void => {
    const made = { name: `${self.cls.name}[?]`, site };
    const reason = `an item ${what} at an index ConvLens cannot know`;
    const st = stateOf(self);
    st.children.clear();
    for (const key of keys) st.children.set(key, { k: 'unknown', reason, line: site.line, made });
  };
  const indices = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));
  /** The containers' pop(key): `v = self[key]; del self[key]; return v`. */
  const definePop = (cls: PyClass) => def(cls, 'pop', (self, a, k, site) => {
    const key = a[0] ?? k.get('key') ?? null;
    const v = interp.getitem(self, key, site);
    interp.call(interp.getattr(self, '__delitem__', site), [key], new Map(), site);
    return v;
  });
  const indexable = (cls: PyClass, make: (self: PyInstance, entries: Array<[string, Value]>, site: CallSite) => Value) => {
    def(cls, '__getitem__', (self, a, _k, site) => {
      const entries = [...stateOf(self).children];
      const idx = a[0];
      if (isObj(idx) && idx.k === 'slice') {
        const u = unknownSlice(idx, site.line);
        if (u) return u;
        return make(self, sliceIndices(entries.length, idx, site, interp).map((i) => entries[i]), site);
      }
      if (typeof idx === 'string') return stateOf(self).children.get(idx) ?? interp.raise('KeyError', idx, site.line);
      const key = keyAt(stateOf(self), idx, site);
      return key === undefined ? unknown(`index ${repr(idx)} not known`, site.line) : stateOf(self).children.get(key) as Value;
    });
    def(cls, '__setitem__', (self, a, _k, site) => {
      const st = stateOf(self);
      const key = keyAt(st, a[0] ?? null, site);
      if (key === undefined) unknownItems(self, indices(st.children.size), 'set', site);
      else setChild(st, key, a[1] ?? null, site);
      return null;
    });
    def(cls, '__delitem__', (self, a, _k, site) => {
      const st = stateOf(self);
      const idx = a[0] ?? null;
      const keys = [...st.children.keys()];
      if (isObj(idx) && idx.k === 'slice' && !unknownSlice(idx, site.line)) {
        for (const i of sliceIndices(keys.length, idx, site, interp)) st.children.delete(keys[i]);
      } else if (isObj(idx) && idx.k === 'slice') {
        unknownItems(self, indices(keys.length), 'deleted', site); // how many went is unknown too
        return null;
      } else {
        const key = keyAt(st, idx, site);
        if (key === undefined) {
          unknownItems(self, indices(Math.max(keys.length - 1, 0)), 'deleted', site);
          return null;
        }
        st.children.delete(key);
      }
      renumber(st, [...st.children.values()]);
      return null;
    });
    definePop(cls);
    def(cls, '__len__', (self) => stateOf(self).children.size);
    def(cls, '__iter__', (self) => list([...stateOf(self).children.values()]));
    def(cls, 'append', (self, a, _k, site) => { const st = stateOf(self); addChild(st, String(st.children.size), a[0] ?? null, site); return self; });
    def(cls, 'extend', (self, a, _k, site) => {
      const st = stateOf(self);
      for (const m of interp.iterate(a[0] ?? null, site)) addChild(st, String(st.children.size), m, site);
      return self;
    });
    def(cls, 'insert', (self, a, k, site) => {
      const st = stateOf(self);
      const items = [...st.children.values()];
      const at = a[0] ?? k.get('index') ?? null;
      const m = a[1] ?? k.get('module') ?? null;
      if (isUnknown(at)) {
        unknownItems(self, indices(items.length + 1), 'inserted', site);
        return self;
      }
      const i = toIndex(at);
      if (i === undefined) return interp.raise('TypeError', `'${typeName(at)}' object cannot be interpreted as an integer`, site.line);
      if (i < -items.length || i > items.length) interp.raise('IndexError', `Index out of range: ${i}`, site.line);
      if (!(isModule(m) || isUnknown(m))) interp.raise('AssertionError', "module should be of type: <class 'torch.nn.modules.module.Module'>", site.line);
      items.splice(i < 0 ? items.length + i : i, 0, m);
      renumber(st, items);
      return self;
    });
  };
  indexable(Sequential, (_self, entries, site) => {
    const out = interp.instantiate(Sequential, [], new Map(), site) as PyInstance;
    for (const [k, v] of entries) stateOf(out).children.set(k, v);
    return out;
  });
  attrs.set('Sequential', Sequential);

  const ModuleList = makeClass('ModuleList', undefined, 'ModuleList', [Module]);
  def(ModuleList, '__init__', (self, a, _k, site) => {
    const st = ensure(self, site);
    if (a.length && a[0] !== null) interp.iterate(a[0], site).forEach((m, i) => addChild(st, String(i), m, site));
    return null;
  });
  indexable(ModuleList, (_self, entries, site) => interp.instantiate(ModuleList, [list(entries.map(([, v]) => v))], new Map(), site));
  // `self.blocks += [block]` extends in place; `a + b` is a new list of both
  ModuleList.dict.set('__iadd__', ModuleList.dict.get('extend') as Value);
  def(ModuleList, '__add__', (self, a, _k, site) =>
    interp.instantiate(ModuleList, [list([...stateOf(self).children.values(), ...interp.iterate(a[0], site)])], new Map(), site));
  attrs.set('ModuleList', ModuleList);

  const ModuleDict = makeClass('ModuleDict', undefined, 'ModuleDict', [Module]);
  const dictUpdate = (st: ModuleState, src: Value, site: CallSite) => {
    const notIterable = (i: number, v: Value): [string, string] => ['TypeError', `ModuleDict update sequence element #${i} should be Iterable; is${typeName(v)}`];
    const pairs = isObj(src) && src.k === 'dict' ? [...src.map.values()] : src === null ? [] : keyValuePairs(interp, src, site, 'ModuleDict', notIterable);
    for (const [k, v] of pairs) addChild(st, k, v, site);
  };
  def(ModuleDict, '__init__', (self, a, _k, site) => { dictUpdate(ensure(self, site), a[0] ?? null, site); return null; });
  def(ModuleDict, '__getitem__', (self, a, _k, site) => stateOf(self).children.get(str(a[0])) ?? interp.raise('KeyError', str(a[0]), site.line));
  def(ModuleDict, '__setitem__', (self, a, _k, site) => {
    if (isUnknown(a[0] ?? null)) unknownItems(self, [...stateOf(self).children.keys(), '?'], 'set', site);
    else addChild(stateOf(self), a[0] ?? null, a[1] ?? null, site);
    return null;
  });
  def(ModuleDict, '__delitem__', (self, a, _k, site) => {
    const key = a[0] ?? null;
    // which key went is unknown: every item may be the one
    if (isUnknown(key)) unknownItems(self, [...stateOf(self).children.keys()], 'deleted', site);
    else if (!stateOf(self).children.delete(str(key))) interp.raise('KeyError', repr(key), site.line);
    return null;
  });
  definePop(ModuleDict);
  def(ModuleDict, 'clear', (self) => { stateOf(self).children.clear(); return null; });
  def(ModuleDict, '__len__', (self) => stateOf(self).children.size);
  def(ModuleDict, '__iter__', (self) => list([...stateOf(self).children.keys()]));
  def(ModuleDict, '__contains__', (self, a) => stateOf(self).children.has(str(a[0])));
  def(ModuleDict, 'keys', (self) => list([...stateOf(self).children.keys()]));
  def(ModuleDict, 'values', (self) => list([...stateOf(self).children.values()]));
  def(ModuleDict, 'items', (self) => list([...stateOf(self).children].map(([k, v]) => tuple([k, v]))));
  def(ModuleDict, 'update', (self, a, _k, site) => { dictUpdate(stateOf(self), a[0] ?? null, site); return null; });
  attrs.set('ModuleDict', ModuleDict);

  const ParameterList = makeClass('ParameterList', undefined, 'ParameterList', [Module]);
  def(ParameterList, '__init__', (self, a, _k, site) => {
    const st = ensure(self, site);
    if (a.length && a[0] !== null) interp.iterate(a[0], site).forEach((p, i) => st.params.set(String(i), isTensor(p) ? p : null));
    return null;
  });
  // iterated, indexed and grown like a list (`for s in self.scales`, `zip(self.blocks, self.scales)`): it was not
  // iterable here, and a loop over it ran no times in silence
  const paramAt = (self: PyInstance, idx: Value, site: CallSite): Value => {
    const st = stateOf(self), key = keyAt(st, idx, site, [...st.params.keys()]);
    return key === undefined ? idx : st.params.get(key) as Value;
  };
  def(ParameterList, '__iter__', (self) => list([...stateOf(self).params.values()]));
  def(ParameterList, '__len__', (self) => stateOf(self).params.size);
  def(ParameterList, '__getitem__', (self, a, _k, site) => paramAt(self, a[0] ?? null, site));
  def(ParameterList, 'append', (self, a) => {
    const st = stateOf(self);
    st.params.set(String(st.params.size), isTensor(a[0] ?? null) ? a[0] as TensorObj : null);
    return self;
  });
  def(ParameterList, 'extend', (self, a, _k, site) => {
    const st = stateOf(self);
    for (const p of interp.iterate(a[0] ?? null, site)) st.params.set(String(st.params.size), isTensor(p) ? p : null);
    return self;
  });
  attrs.set('ParameterList', ParameterList);

  // a dict of parameters by name (`self.extra["a"]`)
  const ParameterDict = makeClass('ParameterDict', undefined, 'ParameterDict', [Module]);
  const paramPairs = (src: Value, site: CallSite): Array<[string, Value]> => (src === null ? []
    : isObj(src) && src.k === 'dict' ? [...src.map.values()].map(([k, v]) => [str(k), v])
      : keyValuePairs(interp, src, site, 'ParameterDict', (i, v) => ['TypeError', `ParameterDict update sequence element #${i} is ${typeName(v)}`])
        .map(([k, v]): [string, Value] => [str(k), v]));
  const setParam = (st: ModuleState, key: string, p: Value) => st.params.set(key, isTensor(p) ? p : null);
  def(ParameterDict, '__init__', (self, a, _k, site) => {
    const st = ensure(self, site);
    for (const [k, v] of paramPairs(a[0] ?? null, site)) setParam(st, k, v);
    return null;
  });
  def(ParameterDict, '__getitem__', (self, a, _k, site) => {
    const st = stateOf(self), key = a[0] ?? null;
    if (isUnknown(key)) return key;
    return st.params.has(str(key)) ? st.params.get(str(key)) as Value : interp.raise('KeyError', repr(key), site.line);
  });
  def(ParameterDict, '__setitem__', (self, a) => { setParam(stateOf(self), str(a[0] ?? null), a[1] ?? null); return null; });
  def(ParameterDict, '__contains__', (self, a) => stateOf(self).params.has(str(a[0] ?? null)));
  def(ParameterDict, '__len__', (self) => stateOf(self).params.size);
  def(ParameterDict, '__iter__', (self) => list([...stateOf(self).params.keys()]));
  def(ParameterDict, 'keys', (self) => list([...stateOf(self).params.keys()]));
  def(ParameterDict, 'values', (self) => list([...stateOf(self).params.values()]));
  def(ParameterDict, 'items', (self) => list([...stateOf(self).params].map(([k, v]) => tuple([k, v]))));
  def(ParameterDict, 'update', (self, a, _k, site) => {
    for (const [k, v] of paramPairs(a[0] ?? null, site)) setParam(stateOf(self), k, v);
    return null;
  });
  attrs.set('ParameterDict', ParameterDict);

  // ---- parameters --------------------------------------------------------------------------
  const Parameter = makeClass('Parameter', (a, k, site) => {
    const t = a[0] ?? k.get('data') ?? null;
    const shape = isTensor(t) ? t.shape : null;
    return hooks.parameter(shape, flagOf(a.length > 1 ? a[1] : k.get('requires_grad'), site), site);
  }, 'Tensor');
  attrs.set('Parameter', Parameter);

  // ---- catalogued layers -------------------------------------------------------------------
  for (const [type, spec] of Object.entries(TORCH_LAYERS)) {
    const cls = makeClass(type, undefined, type, [Module]);
    def(cls, '__init__', (self, a, k, site) => {
      const st = ensure(self, site);
      const cfg = bindSignature(interp, type, spec, a, k, site);
      const normalized = spec.normalize ? spec.normalize(cfg) : cfg;
      st.layer = { type, spec, cfg: normalized };
      for (const p of spec.parameters(normalized) ?? []) st.params.set(p.name, hooks.parameter(p.shape, { trainable: p.trainable }, site));
      if (spec.parameters(normalized) === null) {
        // sizes unknown: keep weight/bias names so code that touches them still runs
        for (const name of ['weight', 'bias']) st.params.set(name, null);
        st.unknownArgs = unknownArgNames(cfg);
      }
      for (const c of spec.children?.(normalized) ?? []) {
        const kwargs = new Map(Object.entries(c.cfg).map(([k, v]) => [k, toPython(v)]));
        st.children.set(c.name, interp.instantiate(attrs.get(c.type) as PyClass, [], kwargs, site));
      }
      return null;
    });
    def(cls, 'forward', (self, a, k, site) => hooks.applyLayer(self, a, site, k));
    for (const [name, method] of Object.entries(layerMethods(interp, type))) def(cls, name, (_self, a, _k, site) => method(a, site));
    attrs.set(type, cls);
  }
  // Lazy layers subclass their concrete class, as in PyTorch (isinstance(m, nn.Conv2d) holds).
  for (const [type, lazy] of Object.entries(LAZY_LAYERS)) {
    const becomes = attrs.get(lazy.becomes) as PyClass;
    const spec = TORCH_LAYERS[lazy.becomes];
    const cls = makeClass(type, undefined, type, [becomes]);
    def(cls, '__init__', (self, a, k, site) => {
      const st = ensure(self, site);
      const bound = bindSignature(interp, type, { ...spec, signature: lazy.signature }, a, k, site);
      const cfg = { ...bound, [lazy.inferred]: UNKNOWN };
      st.layer = { type, spec, cfg: spec.normalize ? spec.normalize(cfg) : cfg, lazy: { spec: lazy, becomes } };
      // PyTorch's UninitializedParameter: named now (bias=False, affine=False leave them out), sized at the first call
      const names = spec.parameters({ ...st.layer.cfg, [lazy.inferred]: 1 })?.map((p) => p.name) ?? ['weight', 'bias'];
      for (const name of names) st.params.set(name, hooks.parameter(null, { trainable: true }, site));
      return null;
    });
    attrs.set(type, cls);
  }
  interp.cloneHooks.push((v, clone) => {
    if (!(v.ext instanceof ModuleState)) return undefined;
    const out: PyInstance = { k: 'inst', cls: v.cls, attrs: new Map() };
    const src = v.ext;
    const st = new ModuleState(out);
    out.ext = st;
    st.layer = src.layer;
    st.unknownArgs = src.unknownArgs;
    st.sites = src.sites;
    for (const [k, x] of v.attrs) out.attrs.set(k, clone(x));
    for (const [k, x] of src.children) st.children.set(k, clone(x));
    for (const [k, p] of src.params) st.params.set(k, p && hooks.parameter(p.shape, p.param ?? { trainable: true }, { line: 0, from: 0, to: 0, file: '' }));
    for (const [k, x] of src.buffers) st.buffers.set(k, x);
    return out;
  });
  return attrs;
}

/** forward()'s non-tensor arguments (MaxUnpool's `output_size`): positional after the tensors, or by keyword. */
export function bindForwardArgs(spec: TorchLayerSpec, args: Value[], kwargs: Map<string, Value>): Cfg {
  const cfg: Cfg = {};
  const rest = args.filter((a) => !isTensor(a));
  (spec.forwardArgs ?? []).forEach(([name, dflt], i) => { cfg[name] = fromPython(kwargs.get(name) ?? rest[i] ?? (dflt as Value)); });
  return cfg;
}

/** Binds a layer constructor call to the catalogue's signature (PyTorch's argument rules). */
export function bindSignature(interp: Interpreter, type: string, spec: TorchLayerSpec, args: Value[], kwargs: Map<string, Value>, site: CallSite): Cfg {
  const cfg: Cfg = {};
  const sig = spec.signature;
  const varargs = sig.findIndex(([n]) => n === '*args');
  const named = sig.filter(([n]) => n !== '*args' && n !== '**kwargs');
  const positional = varargs < 0 ? named : sig.slice(0, varargs);
  args.forEach((v, i) => {
    if (i < positional.length) cfg[positional[i][0]] = fromPython(v);
    else if (varargs < 0) interp.raise('TypeError', `${type}() takes ${positional.length} positional arguments but ${args.length} were given`, site.line);
  });
  for (const [k, v] of kwargs) {
    if (named.some(([n]) => n === k)) cfg[k] = fromPython(v);
    else if (!sig.some(([n]) => n === '**kwargs') && !['device', 'dtype'].includes(k)) {
      interp.raise('TypeError', `${type}() got an unexpected keyword argument '${k}'`, site.line);
    }
  }
  for (const [n, d] of named) {
    if (n in cfg) continue;
    if (d === REQUIRED) interp.raise('TypeError', `${type}() missing required argument '${n}'`, site.line);
    cfg[n] = d;
  }
  return cfg;
}

