// The order in which Keras lists a functional model's layers (`model.summary()`, Keras 3's
// `map_graph`): a depth-first walk from the outputs gives each operation its first-seen index;
// each node's depth is its distance from the outputs (an operation takes its deepest node's);
// operations sort by depth, deepest (the inputs) first, then by that index. Not creation order.
import type { PyInstance } from '../../python/values';
import { tensorsIn, type CallNode, type KerasTensor } from './tensor';
import type { FunctionalGraph } from './state';

type GraphNode = CallNode | KerasTensor;

/** The layers of the graph (InputLayers included) and its named operations, in Keras's order. */
export function kerasLayerOrder(g: FunctionalGraph): Array<PyInstance | CallNode> {
  const inputIds = new Set(g.inputs.map((t) => t.id));
  const producer = (t: KerasTensor): GraphNode | undefined => t.history ?? (t.inputLayer ? t : undefined);
  const isInput = (n: GraphNode): n is KerasTensor => !('args' in n);
  const operation = (n: GraphNode): PyInstance | CallNode => (isInput(n) ? n.inputLayer as PyInstance : n.layer ?? n);
  const inputsOf = (n: GraphNode): KerasTensor[] => (isInput(n) ? [] : [...n.args, ...n.kwargs.values()].flatMap(tensorsIn));

  const finished = new Set<GraphNode>();
  const order: GraphNode[] = [];
  const index = new Map<PyInstance | CallNode, number>();
  const visit = (t: KerasTensor) => {
    const node = producer(t);
    if (!node || finished.has(node)) return;
    if (!isInput(node) && inputIds.has(t.id)) { finished.add(node); return; }
    if (!index.has(operation(node))) index.set(operation(node), index.size);
    finished.add(node);
    inputsOf(node).forEach(visit);
    order.push(node);
  };
  tensorsIn(g.outputs).forEach(visit);

  const inGraph = new Set(order);
  const nodeDepth = new Map<GraphNode, number>();
  const opDepth = new Map<PyInstance | CallNode, number>();
  for (const node of [...order].reverse()) {
    const op = operation(node);
    const depth = Math.max(nodeDepth.get(node) ?? 0, opDepth.get(op) ?? 0);
    opDepth.set(op, depth);
    nodeDepth.set(node, depth);
    for (const t of inputsOf(node)) {
      const parent = producer(t);
      if (parent && inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  for (const t of g.inputs) {
    if (t.inputLayer && !opDepth.has(t.inputLayer)) { opDepth.set(t.inputLayer, 0); index.set(t.inputLayer, -1); }
  }
  return [...opDepth.keys()]
    .sort((a, b) => (opDepth.get(b) ?? 0) - (opDepth.get(a) ?? 0) || (index.get(a) ?? 0) - (index.get(b) ?? 0))
    .filter((op) => !('args' in op) || op.operation !== undefined);
}

/** A functional model's `model.layers` as Keras lists them: the summary's order without the operations. */
export const kerasLayers = (g: FunctionalGraph): PyInstance[] => kerasLayerOrder(g).filter((op): op is PyInstance => !('args' in op));
