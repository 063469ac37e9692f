// The activations autograd keeps for the backward pass: each op's rule (rules.ts) applied to the
// traced graph, counted by storage, each storage once however many ops keep it.
import { memoryRule, type Kept } from './rules';
import { recurrentKeeps } from './recurrent';
import { elements, plus, ZERO, type Elements } from './size-affine';
import { sequenceIsBatch, type GraphStorages } from './storages';

export interface SavedActivations {
  /** Every storage kept, once. */
  total: Elements;
  /** Per node index: the storages its op keeps that no earlier op kept. */
  byNode: Elements[];
  /** Storage ids kept (the model input's included when a first layer keeps it). */
  kept: Set<number>;
  /** What could not be counted: ops without a rule, kept tensors of unknown shape (by op, once each). */
  unknown: string[];
}

export function savedActivations(g: GraphStorages, channelAxis: 'first' | 'last'): SavedActivations {
  const kept = new Set<number>();
  const byNode: Elements[] = [];
  const unknown = new Set<string>();
  let total = ZERO;
  let nextExtra = -1; // storages made by the op itself for backward (masks, statistics): never shared
  g.nodes.forEach((n, i) => {
    byNode[i] = ZERO;
    if (n.kind === 'input') return;
    const ins = g.inputsOf[i];
    const rule = memoryRule(n.type, n.config, n.outputShape?.length);
    if (!rule) { unknown.add(`${n.type} (no rule for what it keeps)`); return; }
    const inputGrad = ins.some((j) => g.requiresGrad[j]);
    const active = rule.needs === 'anyGrad' ? g.requiresGrad[i] : rule.needs === 'inputGrad' ? inputGrad : g.paramsTrain[i];
    if (!active || !rule.keeps.length) return;
    const inplace = n.config.inplace === true && ins.length > 0;
    const keepStorage = (s: number) => {
      if (kept.has(s)) return;
      kept.add(s);
      const size = g.storages[s].size;
      if (!size) { unknown.add(`${n.type} (a kept tensor of unknown shape)`); return; }
      byNode[i] = plus(byNode[i], size);
    };
    const keepNew = (size: Elements | null) => {
      kept.add(nextExtra--);
      if (!size) { unknown.add(`${n.type} (a kept tensor of unknown shape)`); return; }
      byNode[i] = plus(byNode[i], size);
    };
    const scales = g.scales[i];
    const perSample = (c: number | null) => (c === null ? null : scales ? c / g.batch : c);
    const out = n.outputShape;
    const channel = out ? (channelAxis === 'first' ? out[1] : out[out.length - 1]) : null;
    for (const k of rule.keeps as Kept[]) {
      switch (k) {
        case 'input':
          if (!ins.length) break;
          // in place, an op that needs its input keeps a copy of it (the result overwrites the input)
          if (inplace && !rule.inplaceKeepsOutput) keepNew(g.sizeOf(ins[0]));
          else keepStorage(g.storageOf[inplace ? i : ins[0]]);
          break;
        case 'inputs':
          // each operand is kept when the other one needs a gradient
          if (ins.length < 2) break;
          ins.forEach((j, a) => { if (ins.some((o, b) => b !== a && g.requiresGrad[o])) keepStorage(g.storageOf[j]); });
          break;
        case 'output': keepStorage(g.storageOf[i]); break;
        case 'preActivation': keepNew(g.sizeOf(i)); break;
        case 'mask': keepNew(ins.length ? g.sizeOf(ins[0]) : null); break;
        case 'channelMask': {
          const c = perSample(g.count(out, 0, 2));
          keepNew(c === null ? null : elements(c, scales));
          break;
        }
        case 'indices': keepNew((() => { const s = g.sizeOf(i); return s && { act: ZERO.act, long: s.act }; })()); break;
        case 'channelStats': keepNew(typeof channel === 'number' ? elements(2 * channel, false) : null); break;
        case 'sampleStats': {
          const norm = n.config.normalized_shape;
          const k = Array.isArray(norm) ? norm.length : typeof norm === 'number' ? 1 : null;
          const c = k === null || !out ? null : perSample(g.count(out, 0, out.length - k));
          keepNew(c === null ? null : elements(2 * c, scales));
          break;
        }
        case 'groupStats': {
          const groups = n.config.num_groups;
          const c = typeof groups === 'number' ? perSample(g.count(out, 0, 1)) : null;
          keepNew(c === null ? null : elements(2 * c * (groups as number), scales));
          break;
        }
        case 'recurrent': {
          const x = ins.length ? g.nodes[ins[0]].outputShape : null;
          const r = recurrentKeeps(n.type, n.config, x, g.count(x));
          if (!r) { unknown.add(`${n.type} (its sizes or options)`); break; }
          keepStorage(g.storageOf[ins[0]]);
          keepNew(elements(perSample(r.made) as number, scales));
          // the initial state (layers·directions, B, H) grows with the batch unless the batch is the sequence
          const seqIsBatch = sequenceIsBatch(n, ins, g.batchAtZero);
          if (r.initial) keepNew(elements(scales && !seqIsBatch ? r.initial / g.batch : r.initial, scales && !seqIsBatch));
          break;
        }
        case 'instanceStats': {
          const c = perSample(g.count(out, 0, 2));
          keepNew(c === null ? null : elements((n.config.affine === true ? 3 : 2) * c, scales));
          break;
        }
      }
    }
    // weight_norm / spectral_norm: the layer keeps the weight its hook recomputed (an activation, not the
    // parameter); the small tensors of that computation (norms, the power iteration's vectors) are not counted
    if (n.config.reparametrizedWeight === true && n.kind === 'module') {
      unknown.add(`${n.path ?? n.type} (the norms its weight_norm/spectral_norm weight computation keeps)`);
      if (typeof n.config.weightElements === 'number') keepNew(elements(n.config.weightElements, false));
    }
    total = plus(total, byNode[i]);
  });
  return { total, byNode, kept, unknown: [...unknown] };
}
