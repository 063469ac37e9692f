// Tensor identity in a traced graph: which nodes' results share a storage (views, in-place ops),
// how many elements each storage holds (per sample when it comes from the input's samples), which
// results need a gradient, and when each storage is last read. PyTorch counts memory by storage: a
// tensor kept by several ops, or a view of it, is held once.
import type { GraphNode, ModelReport, Shape } from '../report/types';
import { elements, ZERO, type Elements } from './size-affine';
import { memoryRule } from './rules';

export interface Storage {
  id: number;
  size: Elements | null;
  /** Index (in execution order) of the node that made it. */
  created: number;
  /** Index of the last node that reads it (its maker when nothing does). */
  lastUse: number;
}

export interface GraphStorages {
  nodes: GraphNode[];
  /** Per node index: the storage of its result. */
  storageOf: number[];
  storages: Storage[];
  /** Per node index: the indices of its tensor inputs. */
  inputsOf: number[][];
  /** Per node index: whether its result is a strided view that is not contiguous (after transpose or permute). */
  permuted: boolean[];
  /** Per node index: whether its result grows with the batch (it comes from the model's input). */
  scales: boolean[];
  /** Per node index: whether its result needs a gradient (it depends on a trainable parameter). */
  requiresGrad: boolean[];
  /** Per node index: whether its own parameters train (a module with trainable parameters, a functional conv/linear). */
  paramsTrain: boolean[];
  /** Ops whose inputs the trace recorded after them (a dataflow the tracer did not follow): a lower bound. */
  outOfOrder: string[];
  /** The batch size the report's shapes were traced at. */
  batch: number;
  /** The product of `shape[from:to]` (the batch symbol counting 1), null when a size is not known. */
  count: (shape: Shape | null, from?: number, to?: number) => number | null;
  /** Elements of a node's result (per sample when it scales with the batch); null when its shape is not known. */
  sizeOf: (index: number) => Elements | null;
}

/** The traced batch size, and the symbol standing for it when the input's batch is symbolic (`N`, counted as 1). */
function tracedBatch(m: ModelReport): { batch: number; symbol?: string | null } {
  const b = m.inputShape[0];
  // Keras's batch is None (null): a leading None is the batch too
  return typeof b === 'number' && b > 0 ? { batch: b } : { batch: 1, symbol: typeof b === 'string' || b === null ? b : undefined };
}

function count(shape: Shape | null, symbol: string | null | undefined, from = 0, to = shape?.length ?? 0): number | null {
  if (!shape) return null;
  let n = 1;
  for (let k = from; k < to; k++) {
    const d = shape[k];
    const v = typeof d === 'number' ? d : (d !== null && d === symbol) || (d === null && symbol === null && k === 0) ? 1 : null;
    if (v === null) return null;
    n *= v;
  }
  return n;
}

const LONG_RESULTS = new Set(['indices', 'argmax', 'argmin']);
const PERMUTES = new Set(['transpose', 'permute', 't']);
const RESHAPES = new Set(['view', 'reshape', 'flatten', 'Flatten', 'Unflatten']);

export function graphStorages(m: ModelReport): GraphStorages {
  const { batch, symbol } = tracedBatch(m);
  const nodes = m.graph;
  const outOfOrder = [...new Set(m.graph.filter((n) => n.inputs.some((id) => id >= n.id)).map((n) => n.path ?? n.type))];
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const trainableByName = new Map(m.parameters.map((p) => [p.name, p.trainable]));
  const trainableByPath = new Map<string, boolean>();
  for (const r of m.layers) trainableByPath.set(r.path, (trainableByPath.get(r.path) ?? false) || r.trainableParams > 0);
  // Embedding's input is token indices: int64
  const longInput = nodes.some((n) => (n.type === 'Embedding' || n.type === 'embedding') && n.inputs.some((id) => nodes[index.get(id) ?? -1]?.kind === 'input'));
  const scales: boolean[] = [];
  const sizeOf = (i: number): Elements | null => {
    const c = count(nodes[i].outputShape, symbol);
    if (c === null) return null;
    const long = LONG_RESULTS.has(nodes[i].type) || (nodes[i].kind === 'input' && longInput);
    return elements(scales[i] ? c / batch : c, scales[i], long);
  };
  const storageOf: number[] = [];
  const storages: Storage[] = [];
  const requiresGrad: boolean[] = [];
  const paramsTrain: boolean[] = [];
  const inputsOf: number[][] = [];
  const permuted: boolean[] = [];
  nodes.forEach((n, i) => {
    const ins = n.inputs.map((id) => index.get(id)).filter((j): j is number => j !== undefined && j < i);
    inputsOf[i] = ins;
    scales[i] = n.kind === 'input' || ins.some((j) => scales[j]);
    paramsTrain[i] = n.kind === 'module' ? trainableByPath.get(n.path ?? '') ?? false
      : n.type === 'parameter' ? parameterTrains(n, trainableByName)
        : /^(conv|linear|batch_norm|layer_norm|group_norm|instance_norm|prelu|embedding)/.test(n.type);
    requiresGrad[i] = paramsTrain[i] || ins.some((j) => requiresGrad[j]);
    for (const j of ins) storages[storageOf[j]].lastUse = i;
    const rule = memoryRule(n.type, n.config, n.outputShape?.length);
    // a transpose or permute is a view that is not contiguous; view/reshape/flatten of one is a copy
    // (`view` needs the `.contiguous()` copy before it, which the trace does not record)
    const copy = !!ins.length && permuted[ins[0]] && RESHAPES.has(n.type);
    permuted[i] = !copy && !!ins.length && (PERMUTES.has(n.type) || (!!rule?.view && permuted[ins[0]]) || n.config.inplace === true && permuted[ins[0]]);
    if (ins.length && !copy && (rule?.view || n.config.inplace === true)) storageOf[i] = storageOf[ins[0]];
    else {
      storageOf[i] = storages.length;
      // a parameter's bytes are counted as parameters, never as activations
      storages.push({ id: storages.length, size: n.type === 'parameter' ? ZERO : sizeOf(i), created: i, lastUse: i });
    }
  });
  // the model's result is held to the end
  if (nodes.length) storages[storageOf[nodes.length - 1]].lastUse = nodes.length - 1;
  return { nodes, outOfOrder, storageOf, storages, inputsOf, permuted, scales, requiresGrad, paramsTrain, batch, sizeOf,
    count: (shape, from, to) => count(shape, symbol, from, to) };
}

/** Whether a `parameter` node's tensor trains: by its state-dict name; one the model does not register keeps
 * nn.Parameter's default, requires_grad=True. */
function parameterTrains(n: GraphNode, trainableByName: Map<string, boolean>): boolean {
  const own = n.config.name;
  if (typeof own !== 'string') return true;
  return trainableByName.get(n.path ? `${n.path}.${own}` : own) ?? true;
}
