// KerasTensor: a symbolic tensor with a shape whose batch axis is None, as `keras.Input` returns
// and as calling a layer on one gives. While the file runs, each tensor remembers the call that
// made it (its history), so that `Model(inputs, outputs)` can find its graph and replay it.
import type { Shape } from '../../shapes/dim';
import { shapeText } from './layers/layout';
import { fromDim } from '../../python/operators';
import { isObj, tuple, type CallSite, type PyHostObject, type PyInstance, type Value } from '../../python/values';

/** One call made while the file ran: a layer called on tensors, or an operation on them. */
export interface CallNode {
  /** Creation order: replaying nodes in this order respects their dependencies. */
  id: number;
  layer?: PyInstance;
  /** An operation outside layers (`x + y`, `tf.concat`): how to redo it on other tensors. */
  op?: (args: Value[], site: CallSite) => Value;
  /** A Keras 3 operation the summary lists (`x + y`: `add (Add)`), with its name from the layers' counters. */
  operation?: { name: string; type: string };
  /** Which call of its layer this is (Keras's node index, `dense[1][0]` for a shared layer's second call). */
  nodeIndex?: number;
  args: Value[];
  kwargs: Map<string, Value>;
  output: Value;
  site: CallSite;
}

export interface KerasTensor extends PyHostObject {
  kind: 'KerasTensor';
  shape: Shape | null;
  /** Creation order, unique in the session. */
  id: number;
  /** Node of the dataflow graph of the trace that made it. */
  node: number;
  history?: CallNode;
  /** The InputLayer of a `keras.Input` tensor. */
  inputLayer?: PyInstance;
  /**
   * A concrete value, not a symbol (`ops.arange(10)`, `tf.ones(…)`, what is computed from them only):
   * Keras runs a layer or an operation on it at once, so it is no part of a functional model's graph.
   */
  constant?: boolean;
}

export const isKerasTensor = (v: Value): v is KerasTensor => isObj(v) && v.k === 'host' && v.kind === 'KerasTensor';

/** The tensors inside a value (a tensor, or lists/tuples/dicts of them), in order. */
export function tensorsIn(v: Value): KerasTensor[] {
  if (isKerasTensor(v)) return [v];
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return v.items.flatMap(tensorsIn);
  if (isObj(v) && v.k === 'dict') return [...v.map.values()].flatMap(([, x]) => tensorsIn(x));
  return [];
}

/** The same structure with each tensor replaced. */
export function mapTensors(v: Value, f: (t: KerasTensor) => Value): Value {
  if (isKerasTensor(v)) return f(v);
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple')) return { k: v.k, items: v.items.map((x) => mapTensors(x, f)) };
  if (isObj(v) && v.k === 'dict') return { k: 'dict', map: new Map([...v.map].map(([key, [a, b]]) => [key, [a, mapTensors(b, f)]])), ordered: v.ordered };
  return v;
}

/** `x.shape` as Keras gives it: a tuple with None for the batch. */
export const shapeTuple = (shape: Shape, line: number): Value => tuple(shape.map((d) => (d === null ? null : fromDim(d, line))));

export const tensorRepr = (t: KerasTensor): string => `<KerasTensor shape=${t.shape ? shapeText(t.shape) : '?'}>`;
