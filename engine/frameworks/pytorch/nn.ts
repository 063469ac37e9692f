// torch.nn's module system: nn.Module with PyTorch's attribute registration (children and
// parameters in assignment order), the containers (Sequential, ModuleList, ModuleDict), and one
// native class per catalogued layer. Calling a module goes through the tracer.
import type { InstanceExt, Interpreter } from '../../python/interpreter';
import { makeClass, pyDict } from '../../python/builtins';
import {
  isObj, list, native, repr, str, tuple, unknown,
  type CallSite, type PyClass, type PyInstance, type Value,
} from '../../python/values';
import { fromPython, toPython } from '../../python/config-values';
import { TORCH_LAYERS } from './layers';
import { REQUIRED, type Cfg, type TorchLayerSpec } from './layers/spec';
import { isTensor, type TensorObj } from './tensor';

export interface LayerInfo {
  type: string;
  spec: TorchLayerSpec;
  cfg: Cfg;
}

/** The state PyTorch keeps in `_modules`, `_parameters`, `_buffers`, plus where it was built. */
export class ModuleState implements InstanceExt {
  readonly children = new Map<string, Value>();
  readonly params = new Map<string, TensorObj | null>();
  readonly buffers = new Map<string, Value>();
  layer?: LayerInfo;
  /** Call sites active when the module was constructed, innermost last. */
  sites: CallSite[] = [];
  /** A new module trains, as in PyTorch (a forward run while the model is built sees training=True); the trace is in eval mode. */
  training = true;

  constructor(private readonly self: PyInstance) {}

  getattr(name: string): Value | undefined {
    if (this.children.has(name)) return this.children.get(name) as Value;
    if (this.params.has(name)) return this.params.get(name) as Value;
    if (this.buffers.has(name)) return this.buffers.get(name) as Value;
    if (name === 'training') return this.training;
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

  /** Children that are modules (None entries are skipped, as named_children does). */
  moduleChildren(): Array<[string, PyInstance]> {
    return [...this.children].filter((e): e is [string, PyInstance] => isModule(e[1]));
  }

  ownParams(): Array<[string, TensorObj]> {
    return [...this.params].filter((e): e is [string, TensorObj] => e[1] !== null);
  }
}

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

/** Module.train(mode) / eval(): the module and every submodule. */
export function setTraining(root: PyInstance, mode: boolean): void {
  for (const [, m] of namedModules(root)) stateOf(m).training = mode;
}

/** named_parameters(): each parameter once, by identity. */
export function namedParameters(root: PyInstance): Array<[string, TensorObj]> {
  const out: Array<[string, TensorObj]> = [];
  const seen = new Set<TensorObj>();
  for (const [path, m] of namedModules(root)) {
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
  applyLayer(self: PyInstance, args: Value[], site: CallSite): Value;
  /** A parameter tensor of the given shape. */
  parameter(shape: Array<number | string | null> | null, trainable: boolean, site: CallSite): TensorObj;
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
  const def = (cls: PyClass, name: string, fn: (self: PyInstance, a: Value[], k: Map<string, Value>, site: CallSite) => Value) =>
    cls.dict.set(name, native(name, (a, k, site) => fn(a[0] as PyInstance, a.slice(1), k, site)));

  def(Module, '__init__', (self, _a, _k, site) => { ensure(self, site); return null; });
  def(Module, '__call__', (self, a, k, site) => {
    ensure(self, site);
    return hooks.callModule(self, a, k, site);
  });
  // self.__getattr__('name'): children, parameters and buffers, as nn.Module.__getattr__ looks them up
  def(Module, '__getattr__', (self, a, _k, site) =>
    ensure(self, site).getattr(str(a[0])) ?? interp.raise('AttributeError', `'${self.cls.name}' object has no attribute '${str(a[0])}'`, site.line));
  def(Module, 'forward', (self, _a, _k, site) => interp.raise('NotImplementedError', `${self.cls.name} has no forward()`, site.line));
  def(Module, 'add_module', (self, a, _k, site) => {
    // add_module(name, None) registers an empty slot, as PyTorch does
    if (!ensure(self, site).setattr(str(a[0]), a[1])) stateOf(self).children.set(str(a[0]), a[1]);
    return null;
  });
  Module.dict.set('register_module', Module.dict.get('add_module') as Value);
  def(Module, 'register_buffer', (self, a, _k, site) => { ensure(self, site).buffers.set(str(a[0]), a[1] ?? null); return null; });
  def(Module, 'register_parameter', (self, a, _k, site) => { ensure(self, site).params.set(str(a[0]), isTensor(a[1]) ? a[1] : null); return null; });
  def(Module, 'modules', (self) => list(namedModules(self).map(([, m]) => m)));
  def(Module, 'named_modules', (self) => list(namedModules(self).map(([n, m]) => tuple([n, m]))));
  def(Module, 'children', (self) => list(stateOf(self).moduleChildren().map(([, m]) => m)));
  def(Module, 'named_children', (self) => list(stateOf(self).moduleChildren().map(([n, m]) => tuple([n, m]))));
  def(Module, 'parameters', (self) => list(namedParameters(self).map(([, p]) => p)));
  def(Module, 'named_parameters', (self) => list(namedParameters(self).map(([n, p]) => tuple([n, p]))));
  def(Module, 'buffers', (self) => list([...stateOf(self).buffers.values()]));
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
    def(Module, name, (self, a) => {
      if (name === 'requires_grad_') for (const [, p] of namedParameters(self)) p.param = { trainable: a.length === 0 || a[0] === true };
      return self;
    });
  }
  for (const name of ['zero_grad', 'load_state_dict', 'register_forward_hook', 'register_forward_pre_hook', 'register_full_backward_hook']) {
    def(Module, name, () => null);
  }
  def(Module, 'state_dict', () => pyDict());
  def(Module, 'extra_repr', () => '');
  def(Module, '__repr__', (self) => self.cls.name);
  attrs.set('Module', Module);

  // ---- containers --------------------------------------------------------------------------
  const Sequential = makeClass('Sequential', undefined, 'Sequential', [Module]);
  def(Sequential, '__init__', (self, a, _k, site) => {
    const st = ensure(self, site);
    if (a.length === 1 && isObj(a[0]) && a[0].k === 'dict') for (const [k, v] of a[0].map.values()) st.children.set(str(k), v);
    else a.forEach((m, i) => st.children.set(String(i), m));
    return null;
  });
  def(Sequential, 'forward', (self, a, _k, site) => {
    let x: Value = a[0];
    for (const [, m] of stateOf(self).moduleChildren()) x = interp.call(m, [x], new Map(), site);
    return x;
  });
  const indexable = (cls: PyClass, make: (self: PyInstance, entries: Array<[string, Value]>, site: CallSite) => Value) => {
    def(cls, '__getitem__', (self, a, _k, site) => {
      const entries = [...stateOf(self).children];
      const idx = a[0];
      if (isObj(idx) && idx.k === 'slice') {
        const all = entries.map((_, i) => i);
        const picked = interp.getitem(list(all), idx, site);
        return make(self, (picked as { items: number[] }).items.map((i) => entries[i]), site);
      }
      if (typeof idx === 'string') return stateOf(self).children.get(idx) ?? interp.raise('KeyError', idx, site.line);
      if (typeof idx !== 'number') return unknown(`index ${repr(idx)} not known`, site.line);
      const e = entries[idx < 0 ? entries.length + idx : idx];
      return e ? e[1] : interp.raise('IndexError', `index ${idx} is out of range`, site.line);
    });
    def(cls, '__len__', (self) => stateOf(self).children.size);
    def(cls, '__iter__', (self) => list([...stateOf(self).children.values()]));
    def(cls, 'append', (self, a) => { const st = stateOf(self); st.children.set(String(st.children.size), a[0]); return self; });
    def(cls, 'extend', (self, a, _k, site) => {
      const st = stateOf(self);
      for (const m of interp.iterate(a[0], site)) st.children.set(String(st.children.size), m);
      return self;
    });
    def(cls, 'insert', (self, a) => {
      const st = stateOf(self);
      const items = [...st.children.values()];
      const i = typeof a[0] === 'number' ? a[0] : items.length;
      items.splice(i < 0 ? items.length + i : i, 0, a[1]);
      st.children.clear();
      items.forEach((m, j) => st.children.set(String(j), m));
      return null;
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
    if (a.length && a[0] !== null) interp.iterate(a[0], site).forEach((m, i) => st.children.set(String(i), m));
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
    if (isObj(src) && src.k === 'dict') for (const [k, v] of src.map.values()) st.children.set(str(k), v);
    else if (src !== null) for (const pair of interp.iterate(src, site)) {
      const [k, v] = interp.iterate(pair, site);
      st.children.set(str(k), v);
    }
  };
  def(ModuleDict, '__init__', (self, a, _k, site) => { dictUpdate(ensure(self, site), a[0] ?? null, site); return null; });
  def(ModuleDict, '__getitem__', (self, a, _k, site) => stateOf(self).children.get(str(a[0])) ?? interp.raise('KeyError', str(a[0]), site.line));
  def(ModuleDict, '__setitem__', (self, a) => { stateOf(self).children.set(str(a[0]), a[1]); return null; });
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
  attrs.set('ParameterList', ParameterList);

  // ---- parameters --------------------------------------------------------------------------
  const Parameter = makeClass('Parameter', (a, k, site) => {
    const t = a[0] ?? k.get('data') ?? null;
    const trainable = (a[1] ?? k.get('requires_grad') ?? true) !== false;
    const shape = isTensor(t) ? t.shape : null;
    return hooks.parameter(shape, trainable, site);
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
      for (const p of spec.parameters(normalized) ?? []) st.params.set(p.name, hooks.parameter(p.shape, p.trainable, site));
      if (spec.parameters(normalized) === null) {
        // sizes unknown: keep weight/bias names so code that touches them still runs
        for (const name of ['weight', 'bias']) st.params.set(name, null);
      }
      return null;
    });
    def(cls, 'forward', (self, a, _k, site) => hooks.applyLayer(self, a, site));
    attrs.set(type, cls);
  }
  interp.cloneHooks.push((v, clone) => {
    if (!(v.ext instanceof ModuleState)) return undefined;
    const out: PyInstance = { k: 'inst', cls: v.cls, attrs: new Map() };
    const src = v.ext;
    const st = new ModuleState(out);
    out.ext = st;
    st.layer = src.layer;
    st.sites = src.sites;
    for (const [k, x] of v.attrs) out.attrs.set(k, clone(x));
    for (const [k, x] of src.children) st.children.set(k, clone(x));
    for (const [k, p] of src.params) st.params.set(k, p && hooks.parameter(p.shape, p.param?.trainable ?? true, { line: 0, from: 0, to: 0, file: '' }));
    for (const [k, x] of src.buffers) st.buffers.set(k, x);
    return out;
  });
  return attrs;
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

