// "Copy as Markdown": the summary as a torchinfo-style table, down to the chosen depth.
import { formatCount } from '../../engine/shapes/dim';
import type { SummaryModel } from '../protocol';

const n = (x: number): string => x.toLocaleString('en-US');
const share = (part: number, total: number): string => (total > 0 ? `${((100 * part) / total).toFixed(1)}%` : '—');

/** Rows visible at `maxDepth` (the root and containers deeper than it are folded into their parent). */
export function visibleRows(model: SummaryModel, maxDepth: number): SummaryModel['rows'] {
  return model.rows.filter((r) => r.depth <= maxDepth);
}

export function summaryMarkdown(model: SummaryModel, maxDepth: number, unit: 'MACs' | 'FLOPs'): string {
  const k = unit === 'FLOPs' ? 2 : 1;
  const lines = [
    `**${model.name}** (${model.framework}), input ${model.input} (${model.inputOrigin.replace(/`/g, '')})`,
    '',
    `| Layer (type) | Output shape | Params | ${unit} | % of ${unit} |`,
    '|---|---|---:|---:|---:|',
  ];
  for (const r of visibleRows(model, maxDepth)) {
    const name = r.path ? `${'&nbsp;&nbsp;'.repeat(Math.max(r.depth - 1, 0))}${r.path.split('.').pop()} (${r.type})` : `${model.name} (${r.type})`;
    lines.push(`| ${name} | ${r.output} | ${n(r.params)} | ${n(k * r.macs)} | ${share(r.macs, model.macs)} |`);
  }
  lines.push(
    '',
    `Total params: ${n(model.totalParams)} (${formatCount(model.totalParams)}) · trainable ${n(model.trainableParams)} · non-trainable ${n(model.nonTrainableParams)}  `,
    `Total ${unit}: ${n(k * model.macs)} (${formatCount(k * model.macs)}) per sample`,
  );
  return lines.join('\n');
}
