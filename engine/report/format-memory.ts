// The memory section of the CLI table and the Markdown copy: what one training step and inference
// need at the estimate's batch size, dtype and optimiser (`≥` when something could not be counted).
import type { MemoryReport, ModelReport } from './types';
import { formatBudget, formatBytes } from '../memory/size';

/** `12.5 MiB`, or `≥ 12.5 MiB` when the estimate is a lower bound. */
export const memoryText = (bytes: number, complete: boolean): string => `${complete ? '' : '≥ '}${formatBytes(bytes)}`;

/** A peak: `≈ 12.5 MiB` (an estimate), or `≥ 12.5 MiB` when it is a lower bound (never both signs). */
export const peakText = (bytes: number, complete: boolean): string => `${complete ? '≈' : '≥'} ${formatBytes(bytes)}`;

export function memoryLines(model: ModelReport): string[] {
  const m: MemoryReport | undefined = model.memory;
  if (!m) return [];
  const t = (n: number) => memoryText(n, m.memoryComplete);
  const ops = Object.values(m.savedByModule ?? {}).reduce((n, b) => n + b, 0);
  const p = (n: number) => peakText(n, m.memoryComplete);
  const lines = [
    `Memory (batch ${m.batchSize}, ${m.dtype}, ${m.optimizer}):`,
    `  Params: ${t(m.paramsBytes)} · Gradients: ${t(m.gradientsBytes)} · Optimizer state: ${t(m.optimizerStateBytes)}`
      + ` · Buffers: ${t(m.buffersBytes)}`,
    `  Activations (saved for backward): ${t(m.savedActivationsBytes)}`
      + `${ops > 0 ? ` (${formatBytes(ops)} of it by functional ops in containers' forward(), on their rows)` : ''}`,
    `  Training peak ${p(m.trainingPeakBytes)} (largest transient ${t(m.largestTransientBytes)})`,
    `  Inference peak ${p(m.inferencePeakBytes)}`,
  ];
  if (m.largestBatch !== undefined && m.fitBytes !== undefined) {
    lines.push(`  Largest batch for ${formatBudget(m.fitBytes)}: ${m.memoryComplete ? '' : '≤ '}${m.largestBatch}`);
  }
  for (const w of m.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
