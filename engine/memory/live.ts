// What is alive while each op runs, in execution order: the inference live set (every activation
// from its making to its last reader; the model's result to the end) and the training transients
// (what the forward pass holds that autograd does not keep, and the gradients flowing through an op).
import { plus, sumElements, ZERO, type Elements } from './size-affine';
import type { GraphStorages } from './storages';

export interface LiveSets {
  /** Per node index: the activations alive while it runs, inference (no_grad: nothing kept for backward). */
  inference: Elements[];
  /** The candidates for a training step's largest transient (see README "Memory"): per op, the forward
   * activations alive that autograd does not keep, and the gradients flowing through it in backward. */
  transient: Elements[];
  /** True when every storage's size is known (otherwise the sets are lower bounds). */
  complete: boolean;
}

export function liveSets(g: GraphStorages, kept: Set<number>): LiveSets {
  const n = g.nodes.length;
  const inference: Elements[] = [];
  const unsaved: Elements[] = [];
  let complete = true;
  // sweep: a storage joins at its making and leaves after its last reader
  const joins: number[][] = Array.from({ length: n }, () => []);
  const leaves: number[][] = Array.from({ length: n }, () => []);
  for (const s of g.storages) { joins[s.created].push(s.id); leaves[s.lastUse].push(s.id); }
  let live = ZERO, liveUnsaved = ZERO;
  for (let i = 0; i < n; i++) {
    for (const s of joins[i]) {
      const size = g.storages[s].size;
      if (!size) { complete = false; continue; }
      live = plus(live, size);
      if (!kept.has(s)) liveUnsaved = plus(liveUnsaved, size);
    }
    inference[i] = live;
    unsaved[i] = liveUnsaved;
    for (const s of leaves[i]) {
      const size = g.storages[s].size;
      if (!size) continue;
      live = plus(live, negate(size));
      if (!kept.has(s)) liveUnsaved = plus(liveUnsaved, negate(size));
    }
  }
  // backward through node i holds the gradient of its result and one per tensor input
  const grads = g.nodes.map((_, i) => sumElements([i, ...g.inputsOf[i]].map((j) => ({ act: (g.sizeOf(j) ?? ZERO).act, long: ZERO.long }))));
  const transient = [...unsaved, ...grads];
  return { inference, transient, complete };
}

const negate = (e: Elements): Elements => ({
  act: { fixed: -e.act.fixed, perSample: -e.act.perSample }, long: { fixed: -e.long.fixed, perSample: -e.long.perSample },
});

