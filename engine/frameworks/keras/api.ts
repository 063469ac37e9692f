// The `keras` package as the interpreter sees it, under every common spelling: `keras`,
// `keras.layers`, `keras.models`, `tensorflow` (whose `keras` attribute is the same module) and
// `tensorflow.keras.*`. Layer classes are native classes whose instances carry a LayerState;
// calling one goes through the session.
import type { Interpreter } from '../../python/interpreter';
import { makeClass, pyDict, type BuiltinClasses } from '../../python/builtins';
import { fromPython } from '../../python/config-values';
import { pyModule } from '../../python/stdlib';
import { asDim } from '../../python/operators';
import {
  isObj, isUnknown, list, native, repr, str, tuple, unknown,
  type CallSite, type PyClass, type PyInstance, type PyModule, type PyUnknown, type UnknownCall, type Value,
} from '../../python/values';
import { REQUIRED, UNKNOWN } from '../../shapes/layer-spec';
import type { Dim, Shape } from '../../shapes/dim';
import { KERAS_ALIASES, KERAS_LAYERS, MERGE_FUNCTIONS } from './layers';
import { KERAS3_KWARGS } from './layers/keras3-kwargs.generated';
import { suggest } from '../../suggest';
import { shapeText } from './layers/layout';
import { KERAS_IMAGE_OPS, KERAS_OPS, TF_IMAGE_OPS, TF_LINALG_OPS, TF_NN_OPS, TF_OPS, readShape, type KerasOp } from './ops';
import type { KerasLayerSpec } from './layers/spec';
import type { KerasSession } from './session';
import { applicationSubmodule, applicationsModule, isApplicationFile } from './applications/module';
import { LayerState, isLayer, layerState, type OpaqueInfo } from './state';
import { kerasLayers } from './graph-order';
import { datasetsModule } from './datasets';
import { isKerasTensor, shapeTuple, tensorsIn, type CallNode, type KerasTensor } from './tensor';

/** keras.activations functions that are the keras.ops operation of their name. */
const ACTIVATIONS = ['relu6', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'elu', 'selu', 'gelu', 'silu', 'swish', 'softplus',
  'softsign', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'leaky_relu', 'mish', 'exponential'];

type Fn = (self: PyInstance, a: Value[], k: Map<string, Value>, site: CallSite) => Value;

/**
 * An input shape argument whose sizes may come from data the file reads: entries ConvLens cannot know
 * become the symbols D1, D2… (by position), and `unknown` says why; a value of unknown rank gives no shape.
 */
function inputShape(v: Value | undefined): { shape: Shape | null; unknown?: string } {
  const exact = readShape(v);
  if (exact) return { shape: exact };
  if (isUnknown(v ?? null)) return { shape: null, unknown: (v as PyUnknown).reason };
  if (!isObj(v ?? null) || !['tuple', 'list'].includes((v as { k: string }).k)) return { shape: null };
  let unknownWhy: string | undefined;
  const shape = (v as { items: Value[] }).items.map((x, i): Dim => {
    const d = x === null ? null : asDim(x);
    if (d !== undefined) return d;
    unknownWhy ??= isUnknown(x) ? x.reason : `a ${typeof x} is not a size`;
    return `D${i + 1}`;
  });
  return { shape, unknown: unknownWhy };
}

/** The Input tensors a tensor was computed from (Keras's `get_source_inputs`). */
function sourceTensors(v: Value): KerasTensor[] {
  const out: KerasTensor[] = [];
  const visit = (t: KerasTensor) => {
    if (t.constant) return;
    if (t.inputLayer || !t.history) { if (!out.includes(t)) out.push(t); return; }
    for (const a of [...t.history.args, ...t.history.kwargs.values()]) tensorsIn(a).forEach(visit);
  };
  tensorsIn(v).forEach(visit);
  return out;
}

/** The nodes between `inputs` and `outputs`, in creation order (Keras's graph of a functional model). */
function collectGraph(inputs: KerasTensor[], outputs: Value): CallNode[] {
  const inputIds = new Set(inputs.map((t) => t.id));
  const nodes = new Map<number, CallNode>();
  const visit = (t: KerasTensor) => {
    const h = t.history;
    if (inputIds.has(t.id) || !h || nodes.has(h.id)) return;
    nodes.set(h.id, h);
    for (const a of [...h.args, ...h.kwargs.values()]) tensorsIn(a).forEach(visit);
  };
  tensorsIn(outputs).forEach(visit);
  return [...nodes.values()].sort((a, b) => a.id - b.id);
}

/** What every Keras 3 layer takes (Layer.__init__), and what tf.keras 2 layers took that Keras 3 no longer does. */
const LAYER_KWARGS = ['name', 'trainable', 'dtype', 'autocast', 'activity_regularizer', 'input_dim', 'input_shape'];
const LEGACY_KWARGS = new Set(['batch_input_shape', 'batch_size', 'weights', 'implementation']);

/** Every keyword a catalogued layer takes in Keras 3 (undefined: not in the generated table), made once per type. */
const keywordSets = new Map<string, Set<string>>();
function keywordsOf(type: string): Set<string> | undefined {
  const own = KERAS3_KWARGS[type];
  if (own === undefined) return undefined;
  let set = keywordSets.get(type);
  if (!set) keywordSets.set(type, (set = new Set([...own.split(' '), ...LAYER_KWARGS])));
  return set;
}

export function kerasModules(interp: Interpreter, session: KerasSession, classes: BuiltinClasses): Map<string, PyModule> {
  const sites = (site: CallSite) => [...interp.frames.map((f) => f.site), site];
  /** The layer's state, created (and the layer named) on first use. */
  const ensure = (self: PyInstance, site: CallSite, name?: Value, className = self.cls.name): LayerState => {
    if (!(self.ext instanceof LayerState)) {
      const st = new LayerState(self);
      st.sites = sites(site);
      st.name = typeof name === 'string' ? name : session.autoName(className);
      st.named = typeof name === 'string';
      st.transient = !session.trace.construction;
      self.ext = st;
    }
    return self.ext as LayerState;
  };
  const def = (cls: PyClass, name: string, fn: Fn) => cls.dict.set(name, native(name, (a, k, site) => fn(a[0] as PyInstance, a.slice(1), k, site)));
  /** Keywords every layer takes: name, trainable, input_shape / batch_input_shape / batch_size. */
  const common = (st: LayerState, k: Map<string, Value>, site: CallSite) => {
    if (k.has('trainable')) st.trainable = k.get('trainable') !== false;
    const batch = readShape(k.get('batch_input_shape'));
    const shape = readShape(k.get('input_shape'));
    const given = batch ?? (shape && [asDim(k.get('batch_size') ?? null) ?? null, ...shape]);
    if (given) st.input = { shape: given, origin: `\`input_shape=\` on line ${site.line}` };
  };

  const Layer = makeClass('Layer', undefined, 'KerasLayer', [classes.object]);
  def(Layer, '__init__', (self, _a, k, site) => { common(ensure(self, site, k.get('name')), k, site); return null; });
  def(Layer, '__call__', (self, a, k, site) => { ensure(self, site); return session.call(self, a, k, site); });
  def(Layer, 'call', (self, a, k, site) => {
    const st = ensure(self, site);
    if (st.kind === 'custom') return interp.raise('NotImplementedError', `${self.cls.name} has no call()`, site.line);
    return session.body(self, st, a[0] ?? null, a.slice(1), k, site);
  });
  def(Layer, 'build', () => null);
  def(Layer, 'add_weight', (self, a, k, site) => {
    const shape = readShape(k.get('shape') ?? a[1] ?? tuple([]));
    const dims = shape && shape.every((d): d is number => typeof d === 'number') ? shape : null;
    session.addWeight(self, str(k.get('name') ?? a[0] ?? 'weight'), dims, k.get('trainable') !== false, site);
    return session.source(shape, 'weight', site.line);
  });
  def(Layer, 'get_config', () => pyDict());
  def(Layer, 'count_params', (_s, _a, _k, site) => unknown('count_params() is reported by ConvLens, not computed in the file', site.line));
  def(Layer, 'compute_output_shape', (_s, _a, _k, site) => unknown('compute_output_shape is not modelled', site.line));
  for (const name of ['summary', 'compile', 'save', 'save_weights', 'load_weights', 'set_weights', 'reset_states', 'add_loss', 'add_metric']) def(Layer, name, () => null);
  for (const name of ['fit', 'evaluate', 'predict', 'get_weights', 'train_on_batch', 'test_on_batch', 'to_json']) {
    def(Layer, name, (_s, _a, _k, site) => unknown(`${name}() runs the model, which ConvLens does not do`, site.line));
  }

  // ---- catalogued layers --------------------------------------------------------------------
  // a layer given to a wrapper (Bidirectional, TimeDistributed): its rule and arguments, or unknown
  const arg = (v: Value): unknown => {
    if (!isLayer(v)) return fromPython(v);
    const st = layerState(v);
    return st.kind === 'leaf' && st.spec ? { type: v.cls.name, spec: st.spec, cfg: st.cfg } : UNKNOWN;
  };
  const bind = (type: string, spec: KerasLayerSpec, a: Value[], k: Map<string, Value>, site: CallSite) => {
    const cfg: Record<string, unknown> = {};
    a.forEach((v, i) => {
      if (i < spec.signature.length) cfg[spec.signature[i][0]] = arg(v);
      else interp.raise('TypeError', `${type}() takes ${spec.signature.length} positional arguments but ${a.length} were given`, site.line);
    });
    for (const [key, v] of k) if (spec.signature.some(([n]) => n === key)) cfg[key] = arg(v);
    for (const [n, d] of spec.signature) {
      if (n in cfg) continue;
      if (d === REQUIRED) interp.raise('TypeError', `${type}() missing required argument '${n}'`, site.line);
      cfg[n] = d;
    }
    // data_format=None is the global image data format as the layer is made (Keras's standardize_data_format)
    if (cfg.data_format === null && 'data_format' in cfg && imageFormat !== 'channels_last') cfg.data_format = imageFormat;
    return cfg;
  };
  /** keras.config's image data format: a string, or UNKNOWN once set to a value the interpreter does not know. */
  let imageFormat: string | typeof UNKNOWN = 'channels_last';
  const imageFormatFns = {
    image_data_format: native('image_data_format', (_a, _k, site) =>
      (imageFormat === UNKNOWN ? unknown('the image data format was set to an unknown value', site.line) : imageFormat)),
    set_image_data_format: native('set_image_data_format', (a, k, site) => {
      const v = fromPython(k.get('data_format') ?? a[0] ?? null);
      if (v === UNKNOWN) { imageFormat = UNKNOWN; return null; }
      const f = v === null ? 'none' : String(v).toLowerCase();
      if (f !== 'channels_first' && f !== 'channels_last') {
        return interp.raise('ValueError', `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${f}`, site.line);
      }
      imageFormat = f;
      return null;
    }),
  };
  /**
   * A keyword the layer does not take raises as in Keras 3 (`SeparableConv2D(…, use_bais=False)` was
   * counted with a bias), with the nearest real one; the legacy tf.keras keywords stay accepted.
   */
  const checkKeywords = (cls: string, type: string, k: Map<string, Value>, site: CallSite) => {
    const known = keywordsOf(type);
    if (!known) return;
    const bad = [...k.keys()].filter((key) => !known.has(key) && !LEGACY_KWARGS.has(key));
    if (!bad.length) return;
    const near = bad.map((b) => suggest(b, [...known])).filter((n) => n !== undefined);
    const hint = near.length ? ` (did you mean ${near.map((n) => `\`${n}\``).join(', ')}?)` : '';
    interp.raise('ValueError', `Unrecognized keyword arguments passed to ${cls}: {${bad.map((b) => `'${b}': ${repr(k.get(b) as Value)}`).join(', ')}}${hint}`,
      site.line);
  };
  const layerClasses = new Map<string, PyClass>();
  for (const [type, spec] of Object.entries(KERAS_LAYERS)) {
    const cls = makeClass(type, undefined, type, [Layer]);
    def(cls, '__init__', (self, a, k, site) => {
      const st = ensure(self, site, k.get('name'));
      st.kind = 'leaf';
      st.spec = spec;
      checkKeywords(self.cls.name, type, k, site);
      st.cfg = bind(type, spec, a, k, site);
      common(st, k, site);
      return null;
    });
    layerClasses.set(type, cls);
  }
  // a lookup layer given its vocabulary says it back as Keras orders it: the mask token, the OOV
  // token(s), then the vocabulary (captcha_ocr sizes its Dense by len(char_to_num.get_vocabulary()))
  for (const type of ['StringLookup', 'IntegerLookup']) {
    const vocabulary = (self: PyInstance, site: CallSite): Value => {
      const cfg = layerState(self).cfg;
      const v = self.attrs.get('__vocabulary__') ?? null;
      if (!isObj(v) || (v.k !== 'list' && v.k !== 'tuple')) return unknown(`the vocabulary of ${type} (adapt() or a file) is not known`, site.line);
      const oov = typeof cfg.num_oov_indices === 'number' ? cfg.num_oov_indices : 1;
      const mask = cfg.mask_token === null || cfg.mask_token === undefined ? [] : [cfg.mask_token as Value];
      return list([...mask, ...Array(oov).fill(cfg.oov_token as Value), ...v.items.filter((x) => x !== cfg.oov_token && x !== cfg.mask_token)]);
    };
    const cls = layerClasses.get(type) as PyClass;
    const init = cls.dict.get('__init__') as Value;
    cls.dict.set('__init__', native('__init__', (a, k, site) => {
      const self = a[0] as PyInstance;
      const v = k.get('vocabulary') ?? a[5] ?? null;
      if (v !== null) self.attrs.set('__vocabulary__', isObj(v) && v.k === 'list' ? v : isObj(v) && v.k === 'tuple' ? list(v.items) : v);
      return interp.call(init, a, k, site);
    }));
    def(cls, 'get_vocabulary', (self, _a, _k, site) => vocabulary(self, site));
    def(cls, 'vocabulary_size', (self, _a, _k, site) => {
      const v = vocabulary(self, site);
      return isObj(v) && v.k === 'list' ? v.items.length : v;
    });
  }
  for (const [alias, type] of Object.entries(KERAS_ALIASES)) layerClasses.set(alias, layerClasses.get(type) as PyClass);

  const InputLayer = makeClass('InputLayer', undefined, 'InputLayer', [Layer]);
  def(InputLayer, '__init__', (self, a, k, site) => {
    const st = ensure(self, site, k.get('name'));
    st.kind = 'input';
    const written = k.get('shape') ?? k.get('input_shape') ?? a[0];
    // Keras 3 takes a tuple only: `Input(shape=3)` raises
    if (typeof written === 'number') interp.raise('ValueError', `Cannot convert '${written}' to a shape.`, site.line);
    const { shape, unknown: why } = inputShape(written);
    const batch = readShape(k.get('batch_shape') ?? k.get('batch_input_shape'));
    const given = batch ?? (shape && [asDim(k.get('batch_size') ?? null) ?? null, ...shape]);
    const unknown = why === undefined || batch ? undefined : { reason: why, line: site.line };
    if (given) st.input = { shape: given, origin: `\`InputLayer\` on line ${site.line}`, unknown };
    else if (unknown) st.inputUnknown = unknown;
    return null;
  });
  const Input = native('Input', (a, k, site) => {
    const kw = new Map(k);
    if (a[0] !== undefined && !kw.has('shape')) kw.set('shape', a[0]);
    const layer = interp.instantiate(InputLayer, [], kw, site) as PyInstance;
    const st = layerState(layer);
    // an application's own Input: the user's line that built the model
    const user = isApplicationFile(site.file) ? sites(site).reverse().find((x) => !isApplicationFile(x.file)) : site;
    const where = user === site ? `on line ${site.line}` : `of the keras.applications model built on line ${user?.line ?? '?'}`;
    if (st.input) st.input.origin = `\`Input(shape=${shapeText(st.input.shape.slice(1))})\` ${where}`;
    const t = session.source(st.input?.shape ?? null, 'input', site.line);
    t.inputLayer = layer;
    return t;
  });

  const Lambda = makeClass('Lambda', undefined, 'Lambda', [Layer]);
  def(Lambda, '__init__', (self, a, k, site) => {
    const st = ensure(self, site, k.get('name'));
    st.kind = 'lambda';
    st.fn = a[0] ?? k.get('function') ?? null;
    common(st, k, site);
    return null;
  });

  // ---- models -------------------------------------------------------------------------------
  const Model = makeClass('Model', undefined, 'KerasModel', [Layer]);
  def(Model, '__init__', (self, a, k, site) => {
    const inputs = k.get('inputs') ?? a[0];
    const outputs = k.get('outputs') ?? a[1];
    const functional = inputs !== undefined && outputs !== undefined && tensorsIn(inputs).length > 0;
    const st = ensure(self, site, k.get('name'), functional && self.cls === Model ? 'Functional' : self.cls.name);
    st.isModel = true;
    common(st, k, site);
    if (functional) {
      const ins = tensorsIn(inputs ?? null);
      st.kind = 'functional';
      st.functional = { inputs: ins, outputs: outputs ?? null, nodes: collectGraph(ins, outputs ?? null) };
      const first = ins[0]?.inputLayer && layerState(ins[0].inputLayer);
      if (ins[0]?.shape) st.input = { shape: ins[0].shape, origin: first ? first.input?.origin ?? 'the model input' : 'the model input', unknown: first ? first.input?.unknown : undefined };
      else if (first) st.inputUnknown = first.inputUnknown;
    }
    return null;
  });
  def(Model, 'build', (self, a, k, site) => {
    const shape = readShape(k.get('input_shape') ?? a[0]);
    const st = ensure(self, site);
    if (shape && st.kind === 'sequential' && !st.input) session.keras3Name('InputLayer');
    if (shape) st.input = { shape, origin: `\`build(${shapeText(shape)})\` on line ${site.line}` };
    if (st.kind === 'sequential') session.rebuild(st);
    // Keras 3's Layer.build only marks the model built: tf.keras 2 ran call() on a placeholder here
    if (st.kind === 'custom' && session.naming === 'keras3' && !session.ownBuild(self)) st.unbuiltBy = site.line;
    return null;
  });
  def(Model, 'get_layer', (self, a, k, site) => {
    const st = ensure(self, site);
    const all = st.kind === 'functional' && st.functional ? kerasLayers(st.functional) : st.kind === 'sequential' ? st.layers : [];
    const name = k.get('name') ?? a[0] ?? null;
    const index = k.get('index') ?? null;
    const found = typeof index === 'number' ? all[index] : all.find((l) => layerState(l).name === name);
    return found ?? interp.raise('ValueError', `no such layer: ${str(name)}`, site.line);
  });

  // ---- what the engine cannot model: an unknown class's object or an unknown function on tensors
  // becomes an `opaque` layer, so that it is a row with a warning and its output a tensor of unknown shape
  const opaqueClasses = new Map<string, PyClass>();
  const opaqueOf = new Map<PyUnknown, PyInstance>();
  const opaqueLayer = (info: OpaqueInfo, site: CallSite): PyInstance => {
    const last = info.name.slice(info.name.lastIndexOf('.') + 1);
    const type = info.module ? last : info.name;
    let cls = opaqueClasses.get(type);
    if (!cls) opaqueClasses.set(type, cls = makeClass(type, undefined, 'KerasLayer', [Layer]));
    const self: PyInstance = { k: 'inst', cls, attrs: new Map() };
    const st = ensure(self, info.site ?? site, undefined, last);
    st.kind = 'opaque';
    st.opaque = info;
    return self;
  };
  /** The opaque layer standing for what an unknown call made (one per object, as a layer is one object). */
  const madeLayer = (v: PyUnknown, site: CallSite): PyInstance => {
    const known = opaqueOf.get(v);
    if (known) return known;
    const layer = opaqueLayer({ name: v.made?.name ?? '?', reason: v.reason, module: true, site: v.made?.site }, site);
    opaqueOf.set(v, layer);
    return layer;
  };
  interp.unknownCallHooks.push((call: UnknownCall) => {
    const receiver = isKerasTensor(call.receiver ?? null) ? [call.receiver as Value] : [];
    const args = [...receiver, ...call.args];
    if (![...args, ...call.kwargs.values()].some((v) => tensorsIn(v).length)) return undefined;
    const layer = call.fn.made ? madeLayer(call.fn, call.site) : opaqueLayer({
      name: receiver.length ? `tensor.${call.name.slice(call.name.lastIndexOf('.') + 1)}` : call.name, reason: call.fn.reason, module: false,
    }, call.site);
    return session.call(layer, args, call.kwargs, call.site);
  });

  const Sequential = makeClass('Sequential', undefined, 'Sequential', [Model]);
  const add = (self: PyInstance, layer: Value, site: CallSite) => {
    const st = layerState(self);
    if (isUnknown(layer)) st.layers.push(madeLayer(layer, site));
    else if (isKerasTensor(layer) && layer.inputLayer) [st.input, st.inputUnknown] = [layerState(layer.inputLayer).input, layerState(layer.inputLayer).inputUnknown];
    else if (isLayer(layer) && layerState(layer).kind === 'input') [st.input, st.inputUnknown] = [layerState(layer).input, layerState(layer).inputUnknown];
    else if (isLayer(layer)) {
      if (!st.layers.length && !st.input && layerState(layer).input) {
        st.input = layerState(layer).input;
        // Keras 3 puts an InputLayer of that shape first, which takes an `input_layer` name
        session.keras3Name('InputLayer');
      }
      st.layers.push(layer);
    } else interp.raise('TypeError', `Sequential.add() takes a layer, got ${str(layer)}`, site.line);
  };
  def(Sequential, '__init__', (self, a, k, site) => {
    const st = ensure(self, site, k.get('name'));
    st.isModel = true;
    st.kind = 'sequential';
    common(st, k, site);
    const layers = k.get('layers') ?? a[0] ?? null;
    if (layers !== null) {
      for (const l of interp.iterate(layers, site)) add(self, l, site);
      session.rebuild(st);
    }
    return null;
  });
  def(Sequential, 'add', (self, a, _k, site) => { add(self, a[0] ?? null, site); session.rebuild(layerState(self)); return null; });
  def(Sequential, 'pop', (self) => {
    const layer = layerState(self).layers.pop() ?? null;
    session.rebuild(layerState(self));
    return layer;
  });

  // ---- functions ----------------------------------------------------------------------------
  const layerFns: Record<string, Value> = {};
  for (const [fn, type] of Object.entries(MERGE_FUNCTIONS)) {
    layerFns[fn] = native(fn, (a, k, site) => {
      const kw = new Map(k);
      kw.delete('inputs');
      const layer = interp.instantiate(layerClasses.get(type) as PyClass, [], kw, site);
      return interp.call(layer, [a[0] ?? k.get('inputs') ?? null], new Map(), site);
    });
  }
  /** A catalogued operation as a function: a Keras 3 operation row on a functional model's tensors. */
  const opFn = (name: string, op: KerasOp, tf?: string) => native(name, (a, k, site) => {
    const { tensors, rule } = op.read(a, k);
    return session.op(name, tensors, rule, site, { operation: op.cls, tf });
  });
  const opTable = (table: Record<string, KerasOp>, tf?: string) =>
    Object.fromEntries(Object.entries(table).map(([n, op]) => [n, opFn(n, op, tf && `${tf}.${n}`)]));
  // keras.activations.relu is Keras's own ReLU operation (`re_lu`); linear returns its input
  const activationFns = {
    ...opTable(Object.fromEntries(ACTIVATIONS.map((n) => [n, KERAS_OPS[n === 'exponential' ? 'exp' : n]]))),
    relu: opFn('relu', { ...KERAS_OPS.relu, cls: 'ReLU' }), linear: native('linear', (a) => a[0] ?? null),
  };
  // keras.activations.get(identifier): None is linear, a name its function, a function itself
  const getActivation = native('get', (a, k, site) => {
    const id = a[0] ?? k.get('identifier') ?? null;
    if (id === null) return activationFns.linear;
    if (typeof id !== 'string') return id;
    const fn = (activationFns as Record<string, Value>)[id];
    return fn ?? interp.raise('ValueError', `Could not interpret activation function identifier: ${id}`, site.line);
  });
  const shapeOf = (v: Value, site: CallSite) => (isKerasTensor(v) && v.shape ? shapeTuple(v.shape, site.line) : unknown('shape not known', site.line));
  const creation = (name: string) => native(name, (a, k, site) => session.constant(readShape(a[0] ?? k.get('shape')), name, site.line));
  // arange(stop) / arange(start, stop, step), tf.range(start, limit, delta): a 1-D tensor of known length when the bounds are ints
  const arange = (name: string, stopKey: string, stepKey: string) => native(name, (a, k, site) => {
    const given = a.length > 1 || k.has(stopKey);
    const [x, y] = [a[0] ?? k.get('start') ?? null, a[1] ?? k.get(stopKey) ?? null];
    // arange(0, None): a stop that is None (an unknown length) is not arange(0)
    const [start, stop] = given ? [x, y] : [0, x];
    const step = a[2] ?? k.get(stepKey) ?? 1;
    const n = typeof start === 'number' && typeof stop === 'number' && typeof step === 'number' && step !== 0
      ? Math.max(0, Math.ceil((stop - start) / step)) : null;
    return session.constant([n], name, site.line);
  });
  // a Keras tensor stays itself; numbers and lists of them become a concrete tensor of their shape
  const convert = native('convert_to_tensor', (a, k, site) => {
    const x = a[0] ?? k.get('x') ?? null;
    return isKerasTensor(x) ? x : session.op('convert_to_tensor', [x], (s) => s[0], site);
  });
  // linspace(start, stop, num): a concrete 1-D tensor of num values
  const linspace = native('linspace', (a, k, site) => {
    const n = a[2] ?? k.get('num') ?? 50;
    return session.constant([typeof n === 'number' && Number.isInteger(n) ? n : null], 'linspace', site.line);
  });
  const creations = {
    convert_to_tensor: convert, linspace,
    zeros: creation('zeros'), ones: creation('ones'), shape: native('shape', (a, _k, site) => shapeOf(a[0] ?? null, site)),
  };
  const ops: Record<string, Value> = {
    ...opTable(KERAS_OPS), ...creations, arange: arange('arange', 'stop', 'step'),
    image: pyModule('keras.ops.image', opTable(KERAS_IMAGE_OPS)),
  };
  ops.nn = pyModule('keras.ops.nn', ops);
  ops.numpy = pyModule('keras.ops.numpy', ops);
  const tfOps: Record<string, Value> = {
    ...opTable(TF_OPS, 'tf'), ...creations, range: arange('range', 'limit', 'delta'),
    constant: native('constant', (_a, _k, site) => session.constant(null, 'constant', site.line)),
  };
  const random = pyModule('tensorflow.random', { normal: creation('normal'), uniform: creation('uniform'), set_seed: native('set_seed', () => null) });
  // a loss or metric object (`keras.losses.BinaryCrossentropy()`, `keras.metrics.BinaryAccuracy()`) a layer's
  // call() uses: no weights of the model, its value a scalar, its update_state/result nothing to count
  const LossOrMetric = makeClass('LossOrMetric', undefined, 'LossOrMetric', [classes.object]);
  LossOrMetric.dict.set('__call__', native('__call__', (_a, _k, site) => session.constant([], 'loss', site.line)));
  for (const m of ['update_state', 'reset_state', 'reset_states', 'result']) LossOrMetric.dict.set(m, native(m, () => null));
  const lossesOrMetrics = (name: string) => pyModule(name, {}, (n) => (/^[A-Z]/.test(n)
    ? native(n, () => ({ k: 'inst', cls: LossOrMetric, attrs: new Map() }) as PyInstance)
    : unknown(`${name}.${n} is not modelled`)));
  const unmodelled = (name: string) => pyModule(name, {}, (n) => unknown(`${name}.${n} is not modelled`));
  const backend = pyModule('keras.backend', {
    int_shape: native('int_shape', (a, _k, site) => shapeOf(a[0] ?? null, site)),
    is_keras_tensor: native('is_keras_tensor', (a) => isKerasTensor(a[0] ?? null)),
    ...imageFormatFns,
    clear_session: native('clear_session', () => { session.clearNames(); return null; }),
    ...ops,
  }, (n) => unknown(`keras.backend.${n} is not modelled`));

  const layers = pyModule('keras.layers', {
    Layer, InputLayer, Input, Lambda, ...Object.fromEntries(layerClasses), ...layerFns,
  }, (n) => (n === 'experimental' ? pyModule('keras.layers.experimental', { preprocessing: layers }) : n === 'preprocessing' ? layers : undefined));
  const models = pyModule('keras.models', { Model, Sequential, load_model: native('load_model', (_a, _k, site) => unknown('load_model reads a file ConvLens does not open', site.line)) });
  const sourceInputs = native('get_source_inputs', (a) => list(sourceTensors(a[0] ?? null)));
  // an application ConvLens does not have is a model of its own: one row, one warning, unknown counts
  const applications = applicationsModule(interp, sourceInputs, (name) => native(name, (_a, _k, site) => {
    const model = opaqueLayer({ name, reason: 'not among the keras.applications models ConvLens has built in', module: true, site }, site);
    layerState(model).isModel = true;
    return model;
  }));
  const utils = pyModule('keras.utils', { get_source_inputs: sourceInputs }, (n) => unknown(`keras.utils.${n} is not modelled`));
  const submodules: Record<string, PyModule> = {
    layers, models, backend, activations: pyModule('keras.activations', { ...activationFns, get: getActivation }, (n) => unknown(`keras.activations.${n} is not modelled`)),
    ops: pyModule('keras.ops', ops), applications, utils,
    config: pyModule('keras.config', imageFormatFns, (n) => unknown(`keras.config.${n} is not modelled`)),
    losses: lossesOrMetrics('keras.losses'), metrics: lossesOrMetrics('keras.metrics'),
    datasets: datasetsModule(interp),
    ...Object.fromEntries(['optimizers', 'callbacks', 'regularizers', 'initializers', 'constraints', 'preprocessing', 'mixed_precision']
      .map((n) => [n, unmodelled(`keras.${n}`)])),
  };
  const keras = pyModule('keras', { Model, Sequential, Input, Layer, ...submodules }, () => undefined);
  const tfNn = pyModule('tensorflow.nn', opTable(TF_NN_OPS, 'tf.nn'), (n) => unknown(`tensorflow.nn.${n} is not modelled`));
  const tf = pyModule('tensorflow', {
    keras, random, nn: tfNn, ...tfOps, float32: 'float32', TensorShape: native('TensorShape', (a) => a[0] ?? null),
    math: pyModule('tensorflow.math', { ...opTable(TF_OPS, 'tf.math'), ...opTable(Object.fromEntries(['softplus', 'sigmoid', 'tanh', 'log'].map((n) => [n, KERAS_OPS[n]])), 'tf.math') },
      (n) => unknown(`tensorflow.math.${n} is not modelled`)),
    image: pyModule('tensorflow.image', opTable(TF_IMAGE_OPS, 'tf.image'), (n) => unknown(`tensorflow.image.${n} is not modelled`)),
    linalg: pyModule('tensorflow.linalg', opTable(TF_LINALG_OPS, 'tf.linalg'), (n) => unknown(`tensorflow.linalg.${n} is not modelled`)),
  }, (n) => unknown(`tensorflow.${n} is not modelled`));

  const mods = new Map<string, PyModule>([['keras', keras], ['tensorflow', tf], ['tensorflow.random', random], ['tensorflow.nn', tfNn]]);
  for (const [n, m] of Object.entries(submodules)) mods.set(`keras.${n}`, m);
  return mods;
}

/** Resolves the Keras spellings: `tensorflow.keras.layers` and `tf_keras.layers` are `keras.layers`. */
export function kerasModuleFor(mods: Map<string, PyModule>, name: string): PyModule | undefined {
  const canonical = name.replace(/^(tensorflow\.keras|tensorflow\.python\.keras|tf_keras)(?=\.|$)/, 'keras');
  if (mods.has(canonical)) return mods.get(canonical);
  const app = applicationSubmodule(mods.get('keras.applications') as PyModule, canonical);
  if (app) return app;
  const m = /^keras\.layers\.(experimental|preprocessing)/.exec(canonical);
  if (m) return mods.get('keras.layers');
  if (canonical.startsWith('keras.') || canonical.startsWith('tensorflow.')) return pyModule(canonical, {}, (n) => unknown(`${canonical}.${n} is not modelled`));
  return undefined;
}

