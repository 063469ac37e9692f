// Plain-text and Markdown renderings of a model report (CLI, "copy as Markdown").
import { formatCount, formatShape } from '../shapes/dim';
import type { Diagnostic, ModelReport, Shape } from './types';
import { summaryRows } from './summary-rows';
import { frozenMarks } from './frozen';
import { raisingError } from './assemble';
import { GUESSED, guessedFooter } from './guessed';
import { memoryLines, memoryText } from './format-memory';
import { formatBytes } from '../memory/size';
import { thousands as int } from './thousands';

/** A number that may be a lower bound: `9,249`, `≥ 9,249`, or `?` when nothing of it is known. */
export function bounded(n: number, known: boolean, text: (n: number) => string = int): string {
  if (known) return text(n);
  return n > 0 ? `≥ ${text(n)}` : '?';
}

/** Why totals are lower bounds: `≥: 2 things not modelled: Mystery (line 12), tensor.stft (line 14)`. */
export function unmodelledNote(model: ModelReport): string | undefined {
  const u = model.unmodelled;
  if (!u.length) return model.complete ? undefined : unknownWithoutUnmodelled(model);
  // the same thing made many times at one line (a block's DropPath) is named once, with its count
  const counts = new Map<string, number>();
  for (const x of u) {
    const what = `${x.name} (line ${x.line}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  const named = [...counts].map(([what, n]) => `${what}${n > 1 ? `, ${n} instances` : ''})`);
  const names = named.slice(0, 5).join(', ');
  return `≥: ${u.length} thing${u.length > 1 ? 's' : ''} not modelled: ${names}${named.length > 5 ? ', …' : ''}`;
}

/** Lower bounds with nothing unmodelled: an input of unknown size, rows of unknown counts, or a pass cut short. */
function unknownWithoutUnmodelled(model: ModelReport): string {
  const error = raisingError(model.diagnostics);
  if (error) {
    // the trace goes on past it (as if the layer had received what it expects) to find the next error
    return `≥: ${model.framework === 'keras' ? 'Keras' : 'PyTorch'} raises at line ${error.line} (${error.message}), `
      + 'so the counts after it are not exact';
  }
  const guess = model.diagnostics.find((d) => d.code === GUESSED);
  if (guess) return guessedFooter(guess);
  if (![model.totalParams, model.macs].every(Number.isSafeInteger)) {
    return '≥: a count exceeds 2^53 (about 9.0e15), beyond what ConvLens counts to the unit';
  }
  if (model.inputShape.slice(1).some((d) => typeof d !== 'number')) {
    return '≥: the input\'s size is not fully known, so the MACs that depend on it are not counted: '
      + 'give it with `# convlens: input=(…)`';
  }
  const rows = model.layers.filter((r) => !r.paramsKnown || !r.macsKnown);
  if (rows.length) {
    const names = rows.slice(0, 3).map((r) => `${r.path || r.type} (line ${r.line})`).join(', ');
    return `≥: the counts of ${names}${rows.length > 3 ? ', …' : ''} are not fully known`;
  }
  const output = model.outputShapes?.findIndex((shape) => shape === null) ?? -1;
  if (output >= 0) return `≥: the shape of output ${output + 1} of ${model.outputShapes?.length} is not known`;
  const stop = model.diagnostics.find((d) => STOPS.includes(d.code));
  if (stop?.code === 'step-budget') return '≥: the analysis ran out of steps in the forward pass, so what follows is not counted';
  if (stop) return `≥: the forward pass stopped at line ${stop.line}, so what follows it is not counted`;
  return '≥: the forward pass stopped early, so what follows it is not counted';
}

/** The diagnostics that say where a forward pass stopped (session.ts's `failure`). */
const STOPS = ['forward-raised', 'library-raised', 'unsure-raise', 'step-budget'];

/** The totals lines every table ends with, `≥` on each lower bound. */
function totalLines(model: ModelReport): string[] {
  const p = model.paramsComplete, m = model.macsComplete;
  const note = unmodelledNote(model);
  // the short form only where it says something the exact one does not (`40`, `?`)
  const macs = bounded(model.macs, m), short = bounded(model.macs, m, formatCount);
  return [
    `Total params: ${bounded(model.totalParams, p)}`,
    `Trainable params: ${bounded(model.trainableParams, p)}`,
    `Non-trainable params: ${bounded(model.nonTrainableParams, p)}`,
    `Total MACs: ${macs}${short === macs ? '' : ` (${short})`} · FLOPs: ${bounded(model.flops, m, formatCount)}`,
    ...(note ? [note] : []),
  ];
}

export function formatTable(model: ModelReport, depth = 3): string {
  return model.framework === 'keras' ? formatKerasTable(model) : formatTorchTable(model, depth);
}

/** `(None, 26, 26, 32)`, as Keras prints shapes. */
const kerasShape = (s: Shape | null): string => (s ? `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})` : '?');

/** Several outputs as Keras lists them: `[(None, 3), (None, 3)]`. */
const kerasShapes = (shapes: Array<Shape | null> | undefined, first: Shape | null): string =>
  (shapes ? `[${shapes.map(kerasShape).join(', ')}]` : kerasShape(first));

/** A functional model's "Connected to" cell: `-` for an input, else `dense[0][0], dense_1[0][0]`. */
const connections = (inputs: NonNullable<ModelReport['layers'][number]['inputs']>): string =>
  (inputs.length ? inputs.map((i) => `${i.layer}[${i.node}][${i.tensor}]`).join(', ') : '-');

/** Keras's `model.summary()` layout, one row per layer the model calls, plus a MACs column. */
function formatKerasTable(model: ModelReport): string {
  // Keras prints "Connected to" for functional models: the rows that know what they are called on
  const connected = model.layers.some((r) => r.inputs);
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs', ...(model.memory ? ['Saved'] : []), ...(connected ? ['Connected to'] : [])];
  const body = model.layers.map((r) => [`${r.path} (${r.type})`, kerasShapes(r.outputShapes, r.outputShape), bounded(r.params, r.paramsKnown), bounded(r.macs, r.macsKnown),
    ...(model.memory ? [formatBytes(r.savedBytes ?? 0)] : []), ...(connected ? [r.inputs ? connections(r.inputs) : '?'] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const left = (i: number) => i < 2 || (connected && i === head.length - 1);
  const line = (cells: string[]) => ` ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ')}`.trimEnd();
  const width = Math.max(...[head, ...body].map((c) => line(c).length));
  return [
    `Model: "${model.summaryName ?? model.name}"`,
    '_'.repeat(width),
    line(head),
    '='.repeat(width),
    ...body.map(line),
    '='.repeat(width),
    ...totalLines(model),
    ...memoryLines(model),
    `Input shape: ${kerasShape(model.inputShape)} — ${model.inputShapeOrigin}`,
    ...(model.outputShapes ? [`Output shapes: ${kerasShapes(model.outputShapes, null)}`] : []),
    '_'.repeat(width),
  ].join('\n');
}

/** torchinfo prints `--` for a zero count. */
const cell = (n: number, known: boolean): string => (known && !n ? '--' : bounded(n, known));

function formatTorchTable(model: ModelReport, depth: number): string {
  const rows = summaryRows(model, depth);
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs', ...(model.memory ? ['Saved'] : [])];
  const marks = frozenMarks(model);
  const body = rows.map((r) => {
    const indent = r.depth === 0 ? '' : `${'│    '.repeat(r.depth - 1)}├─`;
    const mark = r.depth === 0 ? undefined : marks.get(r.path);
    return [
      `${indent}${r.depth === 0 ? model.name : `${r.name}`} (${r.type})${mark ? ` [${mark}]` : ''}`,
      formatShape(r.outputShape),
      r.depth === 0 ? '--' : cell(r.params, r.paramsKnown),
      r.depth === 0 ? '--' : cell(r.macs, r.macsKnown),
      // the root row holds the model's total (its functional ops included), `≥` when that is a lower bound
      ...(r.savedBytes === undefined ? [] : [r.depth === 0 ? memoryText(r.savedBytes, model.memory?.memoryComplete !== false)
        : r.savedBytes ? formatBytes(r.savedBytes) : '--']),
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
    ...totalLines(model),
    ...memoryLines(model),
    model.inputShapes
      ? `Input shapes: ${model.inputShapes.map((s) => formatShape(s)).join(', ')} — ${model.inputShapeOrigin}`
      : `Input shape: ${formatShape(model.inputShape)} — ${model.inputShapeOrigin}`,
    model.outputShapes
      ? `Output shapes: ${model.outputShapes.map((s) => (s ? formatShape(s) : '?')).join(', ')}`
      : `Output shape: ${formatShape(model.outputShape)}`,
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
    ...rows.slice(1).map((r) => `| ${'&nbsp;&nbsp;'.repeat(r.depth - 1)}${r.path} | ${r.type} | ${formatShape(r.outputShape)} | ${bounded(r.params, r.paramsKnown)} | ${bounded(r.macs, r.macsKnown)} | ${(r.share * 100).toFixed(1)} % |`),
    '',
    `Total params: ${bounded(model.totalParams, model.paramsComplete)} (trainable ${bounded(model.trainableParams, model.paramsComplete)}) · MACs: ${bounded(model.macs, model.macsComplete, formatCount)} · FLOPs: ${bounded(model.flops, model.macsComplete, formatCount)} · input ${formatShape(model.inputShape)}`,
  ];
  const note = unmodelledNote(model);
  if (note) lines.push('', note);
  return lines.join('\n');
}

/** Where something is, for people: `line 4`, or in a notebook `cell 3, line 4`. */
export const placeText = (at: { line: number; cell?: number }): string => (at.cell === undefined ? `line ${at.line}` : `cell ${at.cell}, line ${at.line}`);

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const related = (d.related ?? []).map((r) => `\n  ${r.file}:${r.line}: ${r.message}`).join('');
  return `${file}:${d.cell === undefined ? d.line : placeText(d)}: ${d.severity} [${d.code}] ${d.message}${related}`;
}
