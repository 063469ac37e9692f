// Resuming an interrupted run from the training panel: whether a saved run can go on in this
// model's session (and why not), and what the panel says about it. The checks of the checkpoint
// against the model and the data run in the worker (engine/train/loop/resume.ts), since only it
// builds the network and loads the data.
import type { GraphNode } from '../engine/report/types';
import type { SavedRun } from './trainRuns';
import type { ModelSpec } from './trainWorkerProtocol';

/** Why this session cannot resume the run, or undefined when it can try. */
export function resumeBlocker(run: SavedRun, session: { model: string; file: string }, hasCheckpoint: boolean): string | undefined {
  const c = run.config;
  if (run.metrics.status !== 'interrupted') return `run ${c.id} ${run.metrics.status === 'completed' ? 'completed' : `was ${run.metrics.status}`}: only an interrupted run resumes`;
  if (c.model.name !== session.model || c.model.file !== session.file) {
    return `run ${c.id} trained ${c.model.name} of ${c.model.file}: resume it from that model's training panel`;
  }
  if (!hasCheckpoint || !c.data.spec) {
    return `run ${c.id} has no state to resume from (it was saved before resuming existed): export its weights, or train anew`;
  }
  return undefined;
}

/** The graph without source positions: a comment added above the model changes no node. */
const structure = (graph: GraphNode[]): string => JSON.stringify(graph.map(({ line: _l, cell: _c, ...rest }) => rest));

/** True when the file's model differs from the run's beyond its lines (the parameters may still fit). */
export const modelChanged = (saved: ModelSpec, now: ModelSpec): boolean => structure(saved.graph) !== structure(now.graph);

/** What the panel says about an opened interrupted run. */
export function interruptedNote(run: SavedRun): string {
  const m = run.metrics, done = m.epochs.at(-1)?.epoch ?? 0;
  const weights = m.bestEpoch ? `its saved weights are those of epoch ${m.bestEpoch}${m.bestEpoch === done ? '' : ' (the best so far)'}` : 'it saved no weights';
  return `Interrupted at epoch ${done} of ${run.config.settings.epochs} (the window closed or VS Code stopped during training): ${weights}`;
}
