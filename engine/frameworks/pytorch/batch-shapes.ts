// A view/reshape traced at a concrete batch (a file's `model(torch.randn(1, …))`) holds that batch as a
// number: `x.view(x.size(0), -1)` and `x.view(-1, 400)` both resolve to (1, 400), and the literal 1 of
// `x.view(1, -1)` looks the same. Training runs other batch sizes, so the model is traced once more with
// a symbolic batch and each view/reshape node gets the target that trace resolved (`batchShape`,
// e.g. ('N', 400)): the entries that depend on the batch are then symbols, the others numbers. The same holds
// for an expand's sizes (a class token's `expand(x.shape[0], -1, -1)`), an index's bounds and a repeat's counts;
// a constant whose size follows the batch is marked (`batchSized`).
import type { GraphNode } from '../../report/types';
import type { Shape } from '../../shapes/dim';

const RESHAPES = new Set(['view', 'reshape', 'expand']);

/** True when a graph has a view/reshape/expand whose target, or an index whose bounds, a concrete batch may have frozen. */
export function needsBatchShapes(graph: readonly GraphNode[], input: Shape): boolean {
  return typeof input[0] === 'number' && graph.some((g) => (RESHAPES.has(g.type) && Array.isArray(g.config.shape))
    || (g.type === 'index' && Array.isArray(g.config.items)) || (g.type === 'repeat' && Array.isArray(g.config.repeats))
    || (g.type === 'constant' && Array.isArray(g.config.values)));
}

/** The input with its batch made a symbol no other dimension uses. */
export function symbolicBatch(input: Shape, first: Shape = input): Shape {
  let name = 'N';
  while (input.includes(name) || first.includes(name)) name += '_';
  return [name, ...input.slice(1)];
}

/**
 * Adds `batchShape` to each view/reshape node of `graph` from the same node of `probe` (the graph traced
 * with a symbolic batch). Nothing is added when the two traces differ in structure (control flow that
 * depends on the batch): training then keeps the traced shape and says what it cannot view.
 */
export function attachBatchShapes(graph: GraphNode[], probe: readonly GraphNode[]): void {
  if (probe.length !== graph.length) return;
  const same = graph.every((g, i) => g.type === probe[i].type && g.kind === probe[i].kind
    && g.inputs.length === probe[i].inputs.length && g.inputs.every((x, k) => x === probe[i].inputs[k]));
  if (!same) return;
  // an expand's batch-sized entry, or an index's bound, reads the batch's size (`x.shape[0]`): training gives the
  // probe's batch symbol that size
  const batchSymbol = probe.find((g) => g.kind === 'input')?.outputShape?.[0];
  graph.forEach((g, i) => {
    const { shape, items, repeats } = probe[i].config;
    if (RESHAPES.has(g.type) && Array.isArray(shape) && shape.every((d) => d !== null)) g.config = { ...g.config, batchShape: shape };
    if (g.type === 'index' && Array.isArray(items)) g.config = { ...g.config, batchItems: items };
    if (g.type === 'repeat' && Array.isArray(repeats)) g.config = { ...g.config, batchRepeats: repeats };
    if (['expand', 'index', 'repeat'].includes(g.type) && typeof batchSymbol === 'string') g.config = { ...g.config, batchSymbol };
    // a constant whose size follows the batch (`torch.zeros(x.size(0), 10)`) has no values to train with
    if (g.type === 'constant' && probe[i].outputShape?.some((d) => typeof d !== 'number')) g.config = { ...g.config, batchSized: true };
  });
}
