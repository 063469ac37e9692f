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
  /** Per node index: whether its dimension 0 is known to be the model input's (the batch): see `batchAtZero`. */
  batchAtZero: boolean[];
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
const REDUCTIONS = new Set(['mean', 'sum', 'amax', 'amin', 'max', 'min', 'std', 'var', 'prod', 'logsumexp', 'norm']);
/** Ops that move, merge or drop dimensions: after them, dimension 0 is the batch only when `batchAtZero` says so. */
const RELAYOUTS = new Set(['permute', 'transpose', 't', 'view', 'reshape', 'flatten', 'squeeze', 'unsqueeze', 'index', 'select',
  'unbind', 'chunk', 'split', 'narrow', 'matmul', 'mm', 'bmm', ...REDUCTIONS]);

/** Whether a node keeps its input's dimension 0 where it is (the batch stays the batch). */
function keepsDimZero(n: GraphNode): boolean {
  if (n.kind === 'module') return true;
  if (!RELAYOUTS.has(n.type)) return true;
  const c = n.config;
  if (n.type === 'flatten') return typeof c.start_dim === 'number' && c.start_dim >= 1;
  if (n.type === 'unsqueeze' || n.type === 'squeeze') return typeof c.dim === 'number' && c.dim >= 1;
  if (n.type === 'view' || n.type === 'reshape') return Array.isArray(c.batchShape) && typeof c.batchShape[0] === 'string';
  if (n.type === 'permute') return Array.isArray(c.dims) && c.dims[0] === 0;
  if (n.type === 'transpose') return typeof c.dim0 === 'number' && typeof c.dim1 === 'number' && c.dim0 !== 0 && c.dim1 !== 0;
  if (REDUCTIONS.has(n.type)) return !reducesDimZero(n);
  return false;
}

/**
 * Whether a recurrent layer's sequence dimension is the model input's dimension 0 (the batch): a
 * sequence-first or unbatched input that keeps it there; its states then do not grow with the batch.
 */
export function sequenceIsBatch(rnn: GraphNode, ins: number[], batchAtZero: boolean[]): boolean {
  return ins.length > 0 && batchAtZero[ins[0]] && (rnn.config.batch_first !== true || rnn.outputShape?.length === 2);
}

/** A reduction over dimension 0 (or over every dimension). */
function reducesDimZero(n: GraphNode): boolean {
  const d = n.config.dim, rank = n.outputShape ? n.outputShape.length + (n.config.keepdim === true ? 0 : 1) : null;
  const zero = (v: unknown) => v === 0 || (rank !== null && v === -rank);
  return d === null || (Array.isArray(d) ? d.some(zero) : zero(d));
}
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
  const batchAtZero: boolean[] = [];
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
    batchAtZero[i] = n.kind === 'input' || (!!ins.length && batchAtZero[ins[0]] && keepsDimZero(n));
    // a reduction over the batch (x.mean(0) of a model input's dimension 0, a full reduction) does not grow with it
    const reducedBatch = REDUCTIONS.has(n.type) && !!ins.length && batchAtZero[ins[0]] && reducesDimZero(n);
    scales[i] = n.kind === 'input' || (!reducedBatch && ins.some((j) => scales[j]));
    // an RNN's final states (layers·directions, B, H) grow with the batch only when it is not the sequence
    if (n.type.endsWith('.state') && ins.length && sequenceIsBatch(nodes[ins[0]], inputsOf[ins[0]], batchAtZero)) scales[i] = false;
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
  return { nodes, outOfOrder, storageOf, storages, inputsOf, permuted, scales, batchAtZero, requiresGrad, paramsTrain, batch, sizeOf,
    count: (shape, from, to) => count(shape, symbol, from, to) };
}

/** Whether a `parameter` node's tensor trains: by its state-dict name; one the model does not register keeps
 * nn.Parameter's default, requires_grad=True. */
function parameterTrains(n: GraphNode, trainableByName: Map<string, boolean>): boolean {
  const own = n.config.name;
  if (typeof own !== 'string') return true;
  return trainableByName.get(n.path ? `${n.path}.${own}` : own) ?? true;
}
