// The model summary as display rows, torchinfo style: containers appear where their first layer
// runs, leaves in execution order, all cut at a depth. The CLI table, the Markdown copy and the
// summary panel all print these rows.
import type { ModelReport } from './types';
import { raisingError } from './assemble';
import type { Shape } from '../shapes/dim';

export interface SummaryRow {
  path: string;
  /** Last path segment, or the model name for the root. */
  name: string;
  type: string;
  depth: number;
  line: number;
  outputShape: Shape | null;
  params: number;
  macs: number;
  /** False when `params` / `macs` are lower bounds (something inside is not modelled). */
  paramsKnown: boolean;
  macsKnown: boolean;
  /** Share of the model's MACs, 0..1. */
  share: number;
  isLeaf: boolean;
  /** With a memory estimate attached: bytes the calls in this row (its subtree) keep for backward. */
  savedBytes?: number;
}

/** Bytes kept for backward at `path` or under it: its layer calls and the functional ops its modules' forward() ran. */
export function savedUnder(model: ModelReport, path: string): number {
  const under = (p: string) => p === path || !path || p.startsWith(`${path}.`);
  const ops = Object.entries(model.memory?.savedByModule ?? {}).reduce((n, [p, bytes]) => n + (under(p) ? bytes : 0), 0);
  return ops + model.layers.reduce((n, l) => n + (under(l.path) ? l.savedBytes ?? 0 : 0), 0);
}

export function summaryRows(model: ModelReport, maxDepth = Infinity): SummaryRow[] {
  const nodes = new Map(model.modules.map((m) => [m.path, m]));
  const out: SummaryRow[] = [];
  const shown = new Set<string>();
  const total = model.macs || 1;
  const raised = raisingError(model.diagnostics) !== undefined;
  const push = (path: string, row?: ModelReport['layers'][number]) => {
    const node = nodes.get(path);
    // a row that is no module (an unmodelled function or tensor method, named as written) sits under the model
    const depth = !path ? 0 : node || !row ? path.split('.').length : 1;
    if (depth > maxDepth) return;
    const collapsed = depth === maxDepth && node && !node.isLeaf;
    if (!row || collapsed) {
      if (shown.has(path)) return;
      shown.add(path);
    }
    out.push({
      path,
      name: !path ? model.name : depth === 1 && !node ? path : path.slice(path.lastIndexOf('.') + 1),
      type: row?.type ?? node?.type ?? '?',
      depth,
      line: row?.line ?? node?.line ?? model.line,
      // the model's own output is none when the framework raises on the way
      outputShape: !path && raised ? null : row && !collapsed ? row.outputShape : node?.outputShape ?? null,
      params: row && !collapsed ? row.params : node?.params ?? 0,
      macs: row && !collapsed ? row.macs : node?.macs ?? 0,
      paramsKnown: row && !collapsed ? row.paramsKnown : node?.paramsKnown ?? false,
      macsKnown: row && !collapsed ? row.macsKnown : node?.macsKnown ?? false,
      share: (row && !collapsed ? row.macs : node?.macs ?? 0) / total,
      isLeaf: !!row && !collapsed,
      ...(model.memory ? { savedBytes: row && !collapsed ? row.savedBytes ?? 0 : savedUnder(model, path) } : {}),
    });
  };
  // a model that is itself a leaf (no submodules) is its own one row
  if (!model.layers.some((r) => r.path === '')) push('');
  for (const row of model.layers) {
    const parts = nodes.has(row.path) ? row.path.split('.') : [row.path];
    for (let i = 1; i < parts.length; i++) push(parts.slice(0, i).join('.'));
    push(row.path, row);
  }
  return out;
}
