// A lazy module's first call, as PyTorch's LazyModuleMixin does it in a forward pre-hook: the
// missing size is read from the input, the uninitialised parameters get their shapes in place, and
// the module becomes its concrete class (`type(m)` is then Conv2d). Before that, and whenever the
// size is not a known number, its parameters stay unknown — never 0.
import type { Diagnostic, SourceRange, Unmodelled } from '../../report/types';
import type { Shape } from '../../shapes/dim';
import type { PyInstance } from '../../python/values';
import { namedModules, stateOf } from './nn';

export type LazyOutcome =
  | { kind: 'initialized'; undo: () => void }
  | { kind: 'unknown' }
  | { kind: 'raise'; type: string; message: string };

/** Initialises a lazy module from the shape of its first input (null: unknown). */
export function initializeLazy(self: PyInstance, input: Shape | null): LazyOutcome {
  const st = stateOf(self);
  const layer = st.layer;
  const lazy = layer?.lazy;
  if (!layer || !lazy || !input) return { kind: 'unknown' };
  const got = lazy.spec.infer(input, self.cls.name);
  if ('raise' in got) return { kind: 'raise', type: got.raise, message: got.message };
  if (typeof got.size !== 'number') return { kind: 'unknown' };
  const cfg = { ...layer.cfg, [lazy.spec.inferred]: got.size };
  const cls = self.cls;
  const shapes = [...st.params].map(([name, p]) => [name, p?.shape ?? null] as const);
  st.layer = { type: lazy.spec.becomes, spec: layer.spec, cfg };
  for (const p of layer.spec.parameters(cfg) ?? []) {
    const t = st.params.get(p.name);
    if (t) t.shape = p.shape;
  }
  self.cls = lazy.becomes;
  return {
    kind: 'initialized',
    undo: () => {
      st.layer = layer;
      self.cls = cls;
      for (const [name, shape] of shapes) {
        const t = st.params.get(name);
        if (t) t.shape = shape;
      }
    },
  };
}

/**
 * The lazy modules still uninitialised after a trace: a warning each, and an unmodelled entry
 * (their parameters, and for conv/linear their MACs, are unknown).
 */
export function lazyLeftovers(model: PyInstance, calledPaths: Set<string>, rangeOf: (m: PyInstance) => SourceRange | undefined, line: number,
  tree = namedModules(model)): { diagnostics: Diagnostic[]; unmodelled: Unmodelled[] } {
  const diagnostics: Diagnostic[] = [];
  const unmodelled: Unmodelled[] = [];
  for (const [path, m] of tree) {
    const lazy = stateOf(m).layer?.lazy;
    if (!lazy) continue;
    const range = rangeOf(m);
    const at = range?.line ?? line;
    const called = calledPaths.has(path);
    const name = `${m.cls.name} \`${path}\``;
    const reason = called
      ? `${name} takes ${lazy.spec.inferred} from its first input, whose size is not known here, so its parameters are not counted; give the model an input shape`
      : `${name} is never called, so its ${lazy.spec.inferred} (set by the first call) and its parameters are unknown`;
    diagnostics.push({ line: at, range, severity: 'warning', code: 'lazy-uninitialized', message: reason });
    const macs = called && lazy.spec.inferred !== 'num_features';
    unmodelled.push({ name: m.cls.name, path, line: at, range, reason, missing: macs ? ['params', 'macs'] : ['params'] });
  }
  return { diagnostics, unmodelled };
}
