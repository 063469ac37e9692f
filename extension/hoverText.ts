// The Markdown of a layer's hover: shapes, formulas with this layer's numbers, parameters and
// compute, padding, receptive field, warnings, where the input shape came from, and links.
// Pure (no vscode import): the provider adds trust for the command links, so every string that
// comes from the analysed file (names, types, messages, config values) goes through untrusted.ts.
import type { Diagnostic, LayerRow, ModelReport, PaddingInfo } from '../engine/report/types';
import { frozenMarks } from '../engine/report/frozen';
import { COMMANDS, commandUri } from './commands';
import { type DisplayOptions, fullCount, inputSourceText, inputText, shapeText } from './format';
import { mdCode, mdText } from './untrusted';
import { keptForBackwardText } from './memoryText';

const SIDES = [['top', 'bottom'], ['left', 'right']];

/** `same: 3 top / 3 bottom, 3 left / 3 right` (the last two dimensions read as rows and columns). */
export function paddingText(p: PaddingInfo): string {
  const split = p.split.map(([a, b], i) => {
    const sides = p.split.length === 1 ? ['left', 'right'] : SIDES[i - (p.split.length - 2)] ?? ['before', 'after'];
    return `${a} ${sides[0]} / ${b} ${sides[1]}`;
  });
  return `${p.kind}${split.length ? `: ${split.join(', ')}` : ''}`;
}

/** ` (one of 3 layers built here, the first shown)` or ` (called 2 times, the first call shown)`. */
function repeatText(rows: LayerRow[]): string {
  if (rows.length < 2) return '';
  const layers = new Set(rows.map((r) => r.path)).size;
  return layers > 1 ? ` (one of ${layers} layers built here, the first shown)` : ` (called ${rows.length} times, the first call shown)`;
}

export function hoverMarkdown(uri: string, model: ModelReport, rows: LayerRow[], diagnostics: Diagnostic[], o: DisplayOptions): string {
  const row = rows[0];
  const shape = (s: LayerRow['outputShape']) => shapeText(s, model.framework, o);
  const out: string[] = [];
  out.push(`**${mdText(row.type)}** ${mdCode(row.path)} in ${mdCode(model.name)}${repeatText(rows)}`);
  out.push('');
  out.push(`${row.inputShapes.map(shape).join(' + ') || '?'} → **${shape(row.outputShape)}**`);
  if (row.formulas.length) {
    out.push('');
    for (const f of row.formulas) out.push(`- ${mdText(f.label)} = ${mdText(f.general)}  \n  = ${mdText(f.substituted)}`);
  }
  out.push('');
  const mark = frozenMarks(model).get(row.path);
  const trainable = mark === 'frozen' ? ' (frozen)'
    : row.trainableParams !== row.params ? ` (${fullCount(row.trainableParams, row.paramsKnown)} trainable${mark ? ', partly frozen' : ''})` : '';
  out.push(`**Parameters** ${fullCount(row.params, row.paramsKnown)}${trainable} · **MACs** ${fullCount(row.macs, row.macsKnown)} · **FLOPs** ${fullCount(2 * row.macs, row.macsKnown)} (per sample)`);
  const kept = model.framework === 'pytorch' ? keptForBackwardText(model, row) : undefined;
  if (kept) out.push('', `**Memory** ${mdText(kept)}`);
  const facts: string[] = [];
  if (row.padding) facts.push(`**Padding** ${mdText(paddingText(row.padding))}`);
  if (row.receptiveField) facts.push(`**Receptive field** ${row.receptiveField.size.join('×')} input pixels, jump ${row.receptiveField.jump.join('×')}`);
  if (facts.length) out.push('', facts.join(' · '));
  for (const d of diagnostics) out.push('', `${d.severity === 'error' ? '$(error)' : d.severity === 'warning' ? '$(warning)' : '$(info)'} ${mdText(d.message)}`);
  out.push('');
  out.push(`Input ${inputText(model, o)}: ${mdText(inputSourceText(model))}. [Set input shape](${commandUri(COMMANDS.setInputShape, { uri, modelLine: model.line })} "Writes a # convlens: input=(…) comment above the model")`);
  out.push('');
  out.push(`[Animate this layer](${commandUri(COMMANDS.animateLayer, { uri, modelLine: model.line, layer: row.path })}) · [Show summary](${commandUri(COMMANDS.showSummary, { uri, modelLine: model.line })})`);
  return out.join('\n');
}
