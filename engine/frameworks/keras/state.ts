// What Keras keeps on a layer object: its name, its kind (a catalogued layer, an input, a
// Sequential, a functional model, a user subclass), its arguments, its trainable flag, the
// layers it tracks, and, for models, what gives their input shape.
import type { InstanceExt } from '../../python/interpreter';
import { toPython } from '../../python/config-values';
import { isObj, list, unknown, type CallSite, type PyInstance, type Value } from '../../python/values';
import type { Shape } from '../../shapes/dim';
import type { Cfg } from '../../shapes/layer-spec';
import type { KerasLayerSpec } from './layers/spec';
import type { CallNode, KerasTensor } from './tensor';
import { kerasLayers } from './graph-order';

export type LayerKind = 'leaf' | 'input' | 'lambda' | 'sequential' | 'functional' | 'custom' | 'opaque';

/** What an `opaque` layer stands for: an unknown class's object, or an unknown function on tensors. */
export interface OpaqueInfo {
  /** As written: `MyLayer`, `layers.FancyNewLayer`, `tf.image.mystery`, `tensor.foo`. */
  name: string;
  reason: string;
  /** An object (a layer: its weights and MACs are unknown) rather than a function (only shapes). */
  module: boolean;
  /** Where it was made, when an unknown call made it. */
  site?: CallSite;
}

export interface FunctionalGraph {
  inputs: KerasTensor[];
  outputs: Value;
  nodes: CallNode[];
}

/** A shape given in the file for a model's input, and where. */
export interface GivenInput {
  shape: Shape;
  origin: string;
  /**
   * Why some sizes are not known (`Input(shape=(x_train.shape[1], 1))` with x_train read from data):
   * they are symbols D1, D2… The shape is null when not even the rank is known.
   */
  unknown?: { reason: string; line: number };
}

export class LayerState implements InstanceExt {
  name = '';
  /** True when the file gave the name (`name="encoder"`), not Keras's automatic one. */
  named = false;
  kind: LayerKind = 'custom';
  isModel = false;
  spec?: KerasLayerSpec;
  cfg: Cfg = {};
  trainable = true;
  /** Call sites active when the layer was constructed, innermost last. */
  sites: CallSite[] = [];
  /** Sequential: its layers in order. */
  readonly layers: PyInstance[] = [];
  /** Layers (or lists of them) assigned as attributes, for subclassed layers and models. */
  readonly tracked = new Map<string, Value>();
  functional?: FunctionalGraph;
  /** `input_shape=` on a layer, an InputLayer's shape, `Input(shape=…)` of a Sequential, `build(…)`. */
  input?: GivenInput;
  /** An input whose shape (even its rank) comes from data ConvLens cannot know: why, and where. */
  inputUnknown?: GivenInput['unknown'];
  /** The line of a `build(shape)` that builds nothing in Keras 3 (a subclassed model without a build() of its own). */
  unbuiltBy?: number;
  /** A Sequential Keras has built (its InputLayer and inner Functional exist, their names taken). */
  built = false;
  /** Keras has built the layer once: the names its build takes are taken. */
  namesBuilt = false;
  /** Made while a model was traced (a layer a subclassed model's call() creates on each call): no layer the model tracks. */
  transient = false;
  /** Lambda: the function it applies. */
  fn?: Value;
  opaque?: OpaqueInfo;
  /** A model built with arguments ConvLens does not know (`keras.applications.X(foo=…)`): its counts are lower bounds. */
  unmodelled?: { name: string; reason: string; args: string[] };
  /** The tensors of the layer's first call while the file ran (Keras's `layer.input` / `layer.output`). */
  inbound?: { input: Value; output: Value };

  constructor(readonly self: PyInstance) {}

  getattr(name: string): Value | undefined {
    switch (name) {
      case 'name': return this.name;
      case 'trainable': return this.trainable;
      case 'layers': return list(this.kind === 'functional' && this.functional ? kerasLayers(this.functional) : [...this.layers]);
      case 'input': case 'output': case 'inputs': case 'outputs': return this.endpoint(name);
      default: return this.spec && name in this.cfg ? toPython(this.cfg[name]) : undefined;
    }
  }

  /** A functional model's own inputs and outputs, else the tensors of the layer's first call. */
  private endpoint(name: 'input' | 'output' | 'inputs' | 'outputs'): Value {
    const g = this.functional;
    const one = (v: Value[]): Value => (v.length === 1 ? v[0] : list(v));
    const outs = (v: Value): Value[] => (isObj(v) && (v.k === 'list' || v.k === 'tuple') ? v.items : [v]);
    if (g) {
      if (name === 'input') return one(g.inputs);
      if (name === 'inputs') return list([...g.inputs]);
      return name === 'output' ? g.outputs : list(outs(g.outputs));
    }
    if (!this.inbound) return unknown(`${this.name}.${name}: the layer was not called on a Keras tensor while the file ran`);
    const v = name.startsWith('input') ? this.inbound.input : this.inbound.output;
    return name.endsWith('s') ? list(outs(v)) : v;
  }

  setattr(name: string, value: Value): boolean {
    if (name === 'trainable') {
      // as Keras's setter: the layer and every layer inside it
      this.trainable = value !== false;
      for (const l of innerLayers(this.self)) layerState(l).trainable = this.trainable;
      return true;
    }
    if (holdsLayer(value)) this.tracked.set(name, value);
    return false;
  }
}

export const isLayer = (v: Value): v is PyInstance => isObj(v) && v.k === 'inst' && v.ext instanceof LayerState;
export const layerState = (v: PyInstance): LayerState => v.ext as LayerState;

function holdsLayer(v: Value): boolean {
  if (isLayer(v)) return true;
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return v.items.some(holdsLayer);
  if (isObj(v) && v.k === 'dict') return [...v.map.values()].some(([, x]) => holdsLayer(x));
  return false;
}

/** The layers of a functional model in graph order: its inputs, then each called layer once. */
export function functionalLayers(st: LayerState): PyInstance[] {
  const out: PyInstance[] = [];
  for (const t of st.functional?.inputs ?? []) if (t.inputLayer) out.push(t.inputLayer);
  for (const n of st.functional?.nodes ?? []) if (n.layer && !out.includes(n.layer)) out.push(n.layer);
  return out;
}

/** Every layer a layer holds, directly or through its sub-layers (for telling models from their parts). */
export function innerLayers(root: PyInstance): Set<PyInstance> {
  const seen = new Set<PyInstance>();
  const visit = (v: Value) => {
    if (isLayer(v)) {
      if (seen.has(v)) return;
      seen.add(v);
      const st = layerState(v);
      st.layers.forEach(visit);
      functionalLayers(st).forEach(visit);
      st.tracked.forEach(visit);
    } else if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) v.items.forEach(visit);
    else if (isObj(v) && v.k === 'dict') for (const [, x] of v.map.values()) visit(x);
  };
  const st = layerState(root);
  st.layers.forEach(visit);
  functionalLayers(st).forEach(visit);
  st.tracked.forEach(visit);
  return seen;
}
