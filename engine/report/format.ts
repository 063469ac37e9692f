// Plain-text and Markdown renderings of a model report (CLI, "copy as Markdown").
import { formatCount, formatShape } from '../shapes/dim';
import type { Diagnostic, ModelReport, Shape } from './types';
import { summaryRows } from './summary-rows';

const int = (n: number) => n.toLocaleString('en-US');

export function formatTable(model: ModelReport, depth = 3): string {
  return model.framework === 'keras' ? formatKerasTable(model) : formatTorchTable(model, depth);
}

/** `(None, 26, 26, 32)`, as Keras prints shapes. */
const kerasShape = (s: Shape | null): string => (s ? `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})` : '?');

/** Keras's `model.summary()` layout, one row per layer the model calls, plus a MACs column. */
function formatKerasTable(model: ModelReport): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs'];
  const body = model.layers.map((r) => [`${r.path} (${r.type})`, kerasShape(r.outputShape), int(r.params), r.macs ? int(r.macs) : '0']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => ` ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ')}`;
  const width = line(head).length;
  return [
    `Model: "${model.name}"`,
    '_'.repeat(width),
    line(head),
    '='.repeat(width),
    ...body.map(line),
    '='.repeat(width),
    `Total params: ${int(model.totalParams)}`,
    `Trainable params: ${int(model.trainableParams)}`,
    `Non-trainable params: ${int(model.nonTrainableParams)}`,
    `Total MACs: ${int(model.macs)} (${formatCount(model.macs)}) · FLOPs: ${formatCount(model.flops)}`,
    `Input shape: ${kerasShape(model.inputShape)} — ${model.inputShapeOrigin}`,
    '_'.repeat(width),
  ].join('\n');
}

function formatTorchTable(model: ModelReport, depth: number): string {
  const rows = summaryRows(model, depth);
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs'];
  const body = rows.map((r) => {
    const indent = r.depth === 0 ? '' : `${'│    '.repeat(r.depth - 1)}├─`;
    return [
      `${indent}${r.depth === 0 ? model.name : `${r.name}`} (${r.type})`,
      formatShape(r.outputShape),
      r.depth === 0 ? '--' : r.params ? int(r.params) : '--',
      r.depth === 0 ? '--' : r.macs ? int(r.macs) : '--',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ');
  const rule = '='.repeat(line(head).length);
  return [
    rule,
    line(head),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${int(model.totalParams)}`,
    `Trainable params: ${int(model.trainableParams)}`,
    `Non-trainable params: ${int(model.nonTrainableParams)}`,
    `Total MACs: ${int(model.macs)} (${formatCount(model.macs)}) · FLOPs: ${formatCount(model.flops)}`,
    `Input shape: ${formatShape(model.inputShape)} — ${model.inputShapeOrigin}`,
    `Output shape: ${formatShape(model.outputShape)}`,
    rule,
  ].join('\n');
}

export function formatMarkdown(model: ModelReport, depth = 3): string {
  const rows = summaryRows(model, depth);
  const lines = [
    `### ${model.name}`,
    '',
    '| Layer | Type | Output shape | Params | MACs | Share |',
    '|---|---|---|---:|---:|---:|',
    ...rows.slice(1).map((r) => `| ${'&nbsp;&nbsp;'.repeat(r.depth - 1)}${r.path} | ${r.type} | ${formatShape(r.outputShape)} | ${int(r.params)} | ${int(r.macs)} | ${(r.share * 100).toFixed(1)} % |`),
    '',
    `Total params: ${int(model.totalParams)} (trainable ${int(model.trainableParams)}) · MACs: ${formatCount(model.macs)} · FLOPs: ${formatCount(model.flops)} · input ${formatShape(model.inputShape)}`,
  ];
  return lines.join('\n');
}

/** Where something is, for people: `line 4`, or in a notebook `cell 3, line 4`. */
export const placeText = (at: { line: number; cell?: number }): string => (at.cell === undefined ? `line ${at.line}` : `cell ${at.cell}, line ${at.line}`);

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.cell === undefined ? d.line : placeText(d)}: ${d.severity} [${d.code}] ${d.message}`;
}
