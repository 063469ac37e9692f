// How report numbers read in the editor: the inlay-hint label, compute in MACs or FLOPs, the
// batch dimension as the user chose to see it. Pure (no vscode import) so unit tests cover it.
import { formatCount, formatShape } from '../engine/shapes/dim';
import type { InputShapeSource, LayerRow, ModelReport, Shape } from '../engine/report/types';
import { bounded } from '../engine/report/format';

export interface DisplayOptions {
  /** Which parts the inlay hint shows. */
  hintParts: Array<'shape' | 'params' | 'compute'>;
  computeUnit: 'MACs' | 'FLOPs';
  /** Label of the batch dimension (`N`); empty shows the batch size itself. */
  batchDimension: string;
}

/** A shape with its batch dimension shown the user's way (Keras's is `None` when the label is `N`). */
export function shapeText(shape: Shape | null, framework: ModelReport['framework'], o: DisplayOptions): string {
  if (!o.batchDimension) return formatShape(shape);
  const label = framework === 'keras' && o.batchDimension === 'N' ? 'None' : o.batchDimension;
  return formatShape(shape, label);
}

/** The model's input shape, or every input's for a forward() of several: `(N, 1, 64, 64), (N, 1, 64, 64)`. */
export function inputText(model: Pick<ModelReport, 'inputShape' | 'inputShapes' | 'framework'>, o: DisplayOptions): string {
  return (model.inputShapes ?? [model.inputShape]).map((s) => shapeText(s, model.framework, o)).join(', ');
}

/** `118M MACs` or `236M FLOPs`; `≥ 118M MACs` for a lower bound, `? MACs` when nothing is known. */
export function computeText(macs: number, unit: DisplayOptions['computeUnit'], known = true): string {
  return unit === 'FLOPs' ? `${bounded(2 * macs, known, formatCount)} FLOPs` : `${bounded(macs, known, formatCount)} MACs`;
}

export const paramsText = (n: number, known = true): string => `${bounded(n, known, formatCount)} params`;

/** A count written out in full, `≥` when it is a lower bound: `9,408`, `≥ 9,408`, `?`. */
export const fullCount = (n: number, known = true): string => bounded(n, known);

/**
 * The hint after a layer: `→ (N, 64, 112, 112) · 9.41K params · 118M MACs`. Several rows on one
 * place show the last output and the sums, and say in words what they are: `3 layers` (built in a
 * loop) or `called 2 times` (one module), never a symbol that reads as something else.
 * Zero parameters or compute are left out: on a ReLU they are noise. Unknown ones never are (`≥`, `?`).
 */
export function hintLabel(rows: LayerRow[], framework: ModelReport['framework'], o: DisplayOptions): string {
  const last = rows[rows.length - 1];
  const parts: string[] = [];
  if (o.hintParts.includes('shape')) parts.push(`→ ${shapeText(last.outputShape, framework, o)}${rowsText(rows)}`);
  const params = sumOnce(rows);
  const macs = rows.reduce((s, r) => s + r.macs, 0);
  const paramsKnown = rows.every((r) => r.paramsKnown), macsKnown = rows.every((r) => r.macsKnown);
  if (o.hintParts.includes('params') && (params > 0 || !paramsKnown)) parts.push(paramsText(params, paramsKnown));
  if (o.hintParts.includes('compute') && (macs > 0 || !macsKnown)) parts.push(computeText(macs, o.computeUnit, macsKnown));
  return parts.join(' · ');
}

/** ` (last of 3 layers)`, ` (called 2 times)`, or nothing for one row. */
function rowsText(rows: LayerRow[]): string {
  if (rows.length < 2) return '';
  const modules = new Set(rows.map((r) => r.path)).size;
  return modules > 1 ? ` (last of ${modules} layers)` : ` (called ${rows.length} times)`;
}

/** Parameters of the rows, each module counted once (a module called twice owns its weights once). */
function sumOnce(rows: LayerRow[]): number {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.path, r.params);
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

const SOURCE_WORDS: Record<InputShapeSource, string> = {
  argument: 'given explicitly',
  comment: 'from a `# convlens: input=` comment',
  call: 'from a call in this file',
  setting: 'from the setting `convlens.defaultInputShape`',
  inferred: 'inferred from a later layer that pins a size',
  symbolic: 'symbolic: no input shape given',
};

/** Where the input shape came from, in a few words (CodeLens, summary header). */
export const inputSourceShort = (model: ModelReport): string => SOURCE_WORDS[model.inputShapeSource];

/** Where the input shape came from, in the engine's own words when it has them (hover). */
export function inputSourceText(model: ModelReport): string {
  return model.inputShapeOrigin || inputSourceShort(model);
}
