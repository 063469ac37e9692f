// A model's memory for a batch size, dtype and optimiser (README "Memory"): parameters, gradients,
// optimiser state, buffers, the activations autograd keeps, the inference and training peaks. The
// graph analysis is done once per report (`memoryModel`); `memoryAt` evaluates it at any batch size.
import type { LayerRow, MemoryReport, ModelReport } from '../report/types';
import { DTYPE_BYTES, type MemoryDtype } from './dtype';
import { optimizerState, type OptimizerName } from './optimizers';
import { bufferElements } from './buffers';
import { bytesAt, plus, ZERO, type Elements } from './size-affine';
import { graphStorages } from './storages';
import { savedActivations } from './saved';
import { liveSets } from './live';

export interface MemoryOptions {
  batchSize: number;
  dtype: MemoryDtype;
  optimizer: OptimizerName;
}

/** What the training panel starts from: the CodeLens and the summary panel show the memory at these. */
export const DEFAULT_MEMORY_OPTIONS: MemoryOptions = { batchSize: 32, dtype: 'float32', optimizer: 'adam' };

/** The batch-independent part of a memory estimate: one pass over the report's graph. */
export interface MemoryModel {
  report: ModelReport;
  saved: Elements;
  /** Per layer row (same order as `report.layers`): what its call keeps that no earlier op kept, with the functional
   * ops its forward() ran; null for a row with no graph node and no such op. */
  rowSaved: Array<Elements | null>;
  /** What functional ops kept in a container's own forward() (or the model's, ''), by its path. */
  moduleSaved: Map<string, Elements>;
  inference: Elements[];
  transient: Elements[];
  buffers: Elements;
  /** Trainable parameters that get a gradient, and how many tensors hold them. */
  trained: { count: number; tensors: number };
  complete: boolean;
  warnings: string[];
}

/** Rows and the graph's module nodes are the same calls in the same order. */
function rowNodes(layers: LayerRow[], nodes: ModelReport['graph']): Array<number | null> {
  const out: Array<number | null> = [];
  let k = 0;
  for (const r of layers) {
    let j = k;
    while (j < nodes.length && !(nodes[j].kind === 'module' && nodes[j].path === r.path)) j++;
    if (j < nodes.length) { out.push(j); k = j + 1; } else out.push(null);
  }
  return out;
}

/**
 * Where each node's saved bytes show: a module node's in its row; a functional op's in the row of the layer
 * whose forward() ran it (a custom leaf module), else under the container that ran it (`moduleSaved`), so
 * that the rows and containers together hold the model's total.
 */
function savedHomes(layers: LayerRow[], nodes: ModelReport['graph'], byNode: Elements[]) {
  const rowSaved: Array<Elements | null> = rowNodes(layers, nodes).map((j) => (j === null ? null : byNode[j]));
  const firstRow = new Map<string, number>();
  layers.forEach((l, i) => { if (!firstRow.has(l.path)) firstRow.set(l.path, i); });
  const moduleSaved = new Map<string, Elements>();
  nodes.forEach((n, i) => {
    if (n.kind !== 'op' || isZero(byNode[i])) return;
    const scope = n.scope ?? '';
    const row = firstRow.get(scope);
    if (row !== undefined) rowSaved[row] = plus(rowSaved[row] ?? ZERO, byNode[i]);
    else moduleSaved.set(scope, plus(moduleSaved.get(scope) ?? ZERO, byNode[i]));
  });
  return { rowSaved, moduleSaved };
}

const isZero = (e: Elements) => !e.act.fixed && !e.act.perSample && !e.long.fixed && !e.long.perSample;

export function memoryModel(report: ModelReport): MemoryModel {
  const g = graphStorages(report);
  const saved = savedActivations(g, report.framework === 'keras' ? 'last' : 'first');
  const live = liveSets(g, saved.kept);
  const buffers = report.framework === 'pytorch' ? bufferElements(report) : { size: ZERO, unknown: [] };
  const notes: string[] = [];
  const warnings = saved.unknown.map((u) => `${u}: the activations it keeps are not counted`);
  warnings.push(...buffers.unknown);
  if (g.outOfOrder.length) {
    warnings.push(`the traced dataflow into ${g.outOfOrder.slice(0, 3).join(', ')}${g.outOfOrder.length > 3 ? ', …' : ''} is not fully known: `
      + 'ops between them (a product with a parameter, an in-place add) may be missing');
  }
  if (!report.graph.length) warnings.push('the forward pass was not traced: no activations are counted');
  else if (report.outputShape === null) warnings.push('the forward pass was not traced to its end: later activations are not counted');
  if (!live.complete) warnings.push('some activations have unknown shapes: the peaks leave them out');
  if (!report.paramsComplete) warnings.push('some parameters could not be counted');
  if (report.readsTraining) notes.push('forward() reads self.training: code that runs only in training is not in the trace');
  if (report.parameters.some((p) => p.trainableKnown === false)) warnings.push('whether some parameters train is not known');
  const { rowSaved, moduleSaved } = savedHomes(report.layers, g.nodes, saved.byNode);
  const complete = warnings.length === 0;
  warnings.push(...notes);
  return {
    report,
    saved: saved.total,
    rowSaved,
    moduleSaved,
    inference: live.inference,
    transient: live.transient,
    buffers: buffers.size,
    trained: trainedParameters(report),
    complete,
    warnings,
  };
}

/**
 * The trainable parameters that get a gradient (and optimiser state): not those of a module that neither
 * the forward pass nor any module around it calls (an unused head), whose `.grad` stays None in PyTorch —
 * unless forward() reads `self.training`, when the trace (in eval mode) may have skipped a training branch.
 */
function trainedParameters(r: ModelReport): { count: number; tensors: number } {
  const called = new Set(r.layers.map((l) => l.path));
  const calledAround = (path: string) => path.split('.').some((_, i, parts) => called.has(parts.slice(0, i + 1).join('.')));
  const idle = new Set(r.readsTraining ? [] : r.modules.filter((n) => n.isLeaf && n.path && !calledAround(n.path)).map((n) => n.path));
  const trained = r.parameters.filter((p) => p.trainable && !idle.has(p.name.slice(0, Math.max(0, p.name.lastIndexOf('.')))));
  const idleCount = r.parameters.filter((p) => p.trainable).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)
    - trained.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  return { count: r.trainableParams - idleCount, tensors: trained.length };
}

const maxAt = (sets: Elements[], batch: number, bytes: number) => sets.reduce((m, e) => Math.max(m, bytesAt(e, batch, bytes)), 0);

/** The estimate at one batch size, dtype and optimiser (rows' `savedBytes` in `rowSaved`). */
export function memoryAt(model: MemoryModel, o: MemoryOptions): { memory: MemoryReport; rowSaved: Array<number | null> } {
  const r = model.report;
  const b = DTYPE_BYTES[o.dtype];
  const opt = optimizerState(o.optimizer, r.framework);
  const trained = model.trained;
  const paramsBytes = r.totalParams * b;
  const gradientsBytes = trained.count * b;
  const optimizerStateBytes = opt.slots * trained.count * b + opt.bytesPerTensor * trained.tensors + opt.bytesPerOptimizer;
  const buffersBytes = bytesAt(model.buffers, o.batchSize, b);
  const savedActivationsBytes = bytesAt(model.saved, o.batchSize, b);
  const largestTransientBytes = maxAt(model.transient, o.batchSize, b);
  const memory: MemoryReport = {
    batchSize: o.batchSize,
    dtype: o.dtype,
    optimizer: o.optimizer,
    paramsBytes,
    gradientsBytes,
    optimizerStateBytes,
    buffersBytes,
    savedActivationsBytes,
    inferencePeakBytes: maxAt(model.inference, o.batchSize, b),
    largestTransientBytes,
    trainingPeakBytes: paramsBytes + gradientsBytes + optimizerStateBytes + buffersBytes + savedActivationsBytes + largestTransientBytes,
    ...(model.moduleSaved.size
      ? { savedByModule: Object.fromEntries([...model.moduleSaved].map(([path, e]) => [path, bytesAt(e, o.batchSize, b)])) } : {}),
    memoryComplete: model.complete,
    warnings: model.warnings,
  };
  return { memory, rowSaved: model.rowSaved.map((e) => (e === null ? null : bytesAt(e, o.batchSize, b))) };
}

/** The report with `memory` and each row's `savedBytes` at these options (a copy; the report is not changed). */
export function withMemory(report: ModelReport, o: MemoryOptions, model = memoryModel(report)): ModelReport {
  const { memory, rowSaved } = memoryAt(model, o);
  return {
    ...report,
    memory,
    layers: report.layers.map((l, i) => (rowSaved[i] === null ? l : { ...l, savedBytes: rowSaved[i] as number })),
  };
}
