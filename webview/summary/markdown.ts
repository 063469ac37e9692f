// "Copy as Markdown": the summary as a torchinfo-style table, down to the chosen depth.
import { formatCount } from '../../engine/shapes/dim';
import { bounded } from '../../engine/report/format';
import type { SummaryModel } from '../protocol';

const n = (x: number, known = true): string => bounded(x, known);
/** `9,249 (9.25K)`, `≥ 9,249 (≥ 9.25K)` or `?`. */
export const total = (x: number, known: boolean): string => (!known && !x ? '?' : `${n(x, known)} (${bounded(x, known, formatCount)})`);
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
    lines.push(`| ${name} | ${r.output} | ${n(r.params, r.paramsKnown)} | ${n(k * r.macs, r.macsKnown)} | ${share(r.macs, model.macs)} |`);
  }
  const p = model.paramsComplete;
  lines.push(
    '',
    `Total params: ${total(model.totalParams, p)} · trainable ${n(model.trainableParams, p)} · non-trainable ${n(model.nonTrainableParams, p)}  `,
    `Total ${unit}: ${total(k * model.macs, model.macsComplete)} per sample${model.bound ? '  ' : ''}`,
  );
  if (model.bound) lines.push(model.bound);
  return lines.join('\n');
}
