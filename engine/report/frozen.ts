// Frozen layers as the views mark them: a module whose parameters are all known frozen (requires_grad
// False) is `frozen`, one with some frozen `partly frozen`. Only parameters known frozen count: one whose
// flag is unknown is neither, so it never makes a layer look frozen.
import type { ModelReport } from './types';

export type FrozenMark = 'frozen' | 'partly frozen';

/** The mark of every module path that holds frozen parameters (the model itself is ''). */
export function frozenMarks(model: Pick<ModelReport, 'parameters'>): Map<string, FrozenMark> {
  const counts = new Map<string, { all: number; frozen: number }>();
  for (const p of model.parameters) {
    const parts = p.name.split('.');
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i).join('.');
      const c = counts.get(path) ?? { all: 0, frozen: 0 };
      c.all++;
      if (!p.trainable) c.frozen++;
      counts.set(path, c);
    }
  }
  const out = new Map<string, FrozenMark>();
  for (const [path, c] of counts) if (c.frozen) out.set(path, c.frozen === c.all ? 'frozen' : 'partly frozen');
  return out;
}
