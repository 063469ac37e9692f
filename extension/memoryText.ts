// The memory facts the hover and the CodeLens show, at the training panel's defaults (batch 32, Adam,
// float32; engine/memory). Pure (no vscode import) so unit tests cover it.
import type { FileReport, LayerRow, MemoryReport, ModelReport } from '../engine/report/types';
import { DEFAULT_MEMORY_OPTIONS, memoryAt, memoryModel } from '../engine/memory/estimate';
import { memoryRule } from '../engine/memory/rules';
import { formatBytes } from '../engine/memory/size';

const models = new WeakMap<ModelReport, ReturnType<typeof memoryModel>>();
const modelOf = (m: ModelReport) => models.get(m) ?? (models.set(m, memoryModel(m)), models.get(m) as ReturnType<typeof memoryModel>);

/**
 * Each model's memory at the defaults as the analysis worker computed it, after the report (it needs the
 * graph, which the extension host would otherwise decode and walk on every edit for the CodeLens).
 */
const atDefaults = new WeakMap<ModelReport, MemoryReport>();

export function noteDefaultMemory(model: ModelReport, memory: MemoryReport): void {
  atDefaults.set(model, memory);
}

/** Whether the worker's figures for every model of the report came (noteDefaultMemory). */
export const hasDefaultMemories = (report: FileReport): boolean => report.models.every((m) => atDefaults.has(m));

/** What the worker sends for noteDefaultMemory: each model's memory at the defaults (undefined if it failed). */
export function defaultMemories(report: FileReport | undefined): Array<MemoryReport | undefined> {
  return (report?.models ?? []).map((m) => {
    try {
      return memoryAt(memoryModel(m), DEFAULT_MEMORY_OPTIONS).memory;
    } catch {
      return undefined;
    }
  });
}

/** The memory of one training step at the defaults: as the worker sent it, else computed here. */
export const defaultMemory = (model: ModelReport): MemoryReport =>
  atDefaults.get(model) ?? memoryAt(modelOf(model), DEFAULT_MEMORY_OPTIONS).memory;

/** `training ≈ 1.03 GiB (batch 32, adam)`, `≥` when something could not be counted. */
export function trainingPeakText(model: ModelReport): string {
  const memory = defaultMemory(model);
  return `training ≈ ${memory.memoryComplete ? '' : '≥ '}${formatBytes(memory.trainingPeakBytes)} (batch ${memory.batchSize}, ${memory.optimizer})`;
}

/** The hover's line: what this layer's call keeps for backward at batch 32, and why. */
export function keptForBackwardText(model: ModelReport, row: LayerRow): string | undefined {
  const mm = modelOf(model);
  const i = model.layers.indexOf(row);
  const { memory, rowSaved } = memoryAt(mm, DEFAULT_MEMORY_OPTIONS);
  const bytes = i >= 0 ? rowSaved[i] : null;
  if (bytes === null || bytes === undefined) return undefined;
  const rule = memoryRule(row.type, row.config, row.outputShape?.length);
  const why = rule ? `: ${rule.why}` : ' (no rule for what it keeps: not counted)';
  const note = bytes === 0 && rule?.keeps.length ? ', already kept by an earlier op or no gradient flows here' : '';
  return `Keeps ${formatBytes(bytes)} for backward at batch ${memory.batchSize}${why}${note}`;
}

/**
 * Before a training run: a warning when the estimated training peak at the panel's batch size exceeds the free
 * memory (`os.freemem()` in the extension host), else undefined. PyTorch's estimate; the editor's engine is close.
 */
export function batchFitWarning(model: ModelReport, s: { batchSize: number; optimizer: 'sgd' | 'adam' | 'adamw'; momentum: number },
  freeBytes: number): string | undefined {
  const optimizer = s.optimizer === 'sgd' ? (s.momentum > 0 ? 'sgd-momentum' : 'sgd') : s.optimizer;
  const { memory } = memoryAt(modelOf(model), { batchSize: s.batchSize, optimizer, dtype: 'float32' });
  if (memory.trainingPeakBytes <= freeBytes) return undefined;
  return `A training step at batch size ${s.batchSize} needs about ${memory.memoryComplete ? '' : 'at least '}`
    + `${formatBytes(memory.trainingPeakBytes)}, and this machine has ${formatBytes(freeBytes)} free. Lower the batch size, or start anyway.`;
}
