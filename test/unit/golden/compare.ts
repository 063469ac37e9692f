// Compares the engine's model report with what real PyTorch printed, field by field, and says
// where they first part ways in words a person can act on.
import type { Dim, LayerRow, ModelReport } from '../../../engine/report/types';
import type { TorchReport, TorchRow } from './golden';

const shape = (s: readonly Dim[] | null): string => (s === null ? 'null' : `[${s.join(', ')}]`);
const sameShape = (a: readonly Dim[] | null, b: readonly Dim[]): boolean =>
  a !== null && a.length === b.length && a.every((d, i) => d === b[i]);

type Row = Pick<LayerRow, 'path' | 'type' | 'params' | 'macs'> & { outputShape: readonly Dim[] | null };

const rowText = (r: Row | undefined): string =>
  r === undefined ? '(no row)' : `${r.path} ${r.type} ${shape(r.outputShape)} params=${r.params} macs=${r.macs}`;

function sameRow(ours: Row, torch: TorchRow): boolean {
  return ours.path === torch.path && ours.type === torch.type && sameShape(ours.outputShape, torch.outputShape)
    && ours.params === torch.params && ours.macs === (torch.macs ?? 0);
}

/** Every difference between the report and torch's JSON; empty when they agree on every field. */
export function differences(model: ModelReport, torch: TorchReport): string[] {
  const out: string[] = [];
  // the honesty rule: a model PyTorch ran fully is modelled fully, its totals exact and marked so
  if (!model.complete) {
    out.push(`complete: false (paramsComplete ${model.paramsComplete}, macsComplete ${model.macsComplete}; not modelled: ${model.unmodelled.map((u) => `${u.name} line ${u.line}`).join(', ') || 'nothing'})`);
  }
  const unsure = model.layers.filter((r) => !r.paramsKnown || !r.macsKnown).map((r) => r.path);
  if (unsure.length) out.push(`rows with unknown params or MACs: ${unsure.join(', ')}`);
  if (!sameShape(model.inputShape, torch.inputShape)) out.push(`inputShape: ${shape(model.inputShape)}, torch ${shape(torch.inputShape)}`);
  if (!sameShape(model.outputShape, torch.outputShape)) out.push(`outputShape: ${shape(model.outputShape)}, torch ${shape(torch.outputShape)}`);
  for (const key of ['totalParams', 'trainableParams', 'macs'] as const) {
    if (model[key] !== torch[key]) out.push(`${key}: ${model[key]}, torch ${torch[key]} (${model[key] - torch[key] > 0 ? '+' : ''}${model[key] - torch[key]})`);
  }
  const first = torch.layers.findIndex((t, i) => model.layers[i] === undefined || !sameRow(model.layers[i], t));
  if (first >= 0 || model.layers.length !== torch.layers.length) {
    const i = first >= 0 ? first : torch.layers.length;
    out.push(
      `layers: ${model.layers.length} rows, torch ${torch.layers.length}; first difference at row ${i}:\n` +
      `    ours  ${rowText(model.layers[i])}\n` +
      `    torch ${rowText(torch.layers[i] && { ...torch.layers[i], macs: torch.layers[i].macs ?? 0 })}` +
      (i > 0 ? `\n    (row ${i - 1} agrees: ${rowText(model.layers[i - 1])})` : ''),
    );
  }
  return out;
}

/** The issue's acceptance numbers for one model: exact params, MACs within 0.5 %, ≥ 99 % of (path, shape) rows. */
export interface Agreement {
  paramsExact: boolean;
  macsDiffPercent: number;
  /** Share of torch's (path, output shape) rows that the report also has, as a multiset, in percent. */
  rowsMatchingPercent: number;
  outputShapeExact: boolean;
}

export function agreement(model: ModelReport, torch: TorchReport): Agreement {
  const key = (path: string, s: readonly Dim[] | null): string => `${path} ${shape(s)}`;
  const ours = new Map<string, number>();
  for (const r of model.layers) ours.set(key(r.path, r.outputShape), (ours.get(key(r.path, r.outputShape)) ?? 0) + 1);
  let matched = 0;
  for (const r of torch.layers) {
    const n = ours.get(key(r.path, r.outputShape)) ?? 0;
    if (n > 0) {
      matched++;
      ours.set(key(r.path, r.outputShape), n - 1);
    }
  }
  return {
    paramsExact: model.totalParams === torch.totalParams,
    macsDiffPercent: torch.macs === 0 ? (model.macs === 0 ? 0 : Infinity) : (100 * Math.abs(model.macs - torch.macs)) / torch.macs,
    rowsMatchingPercent: torch.layers.length === 0 ? 100 : (100 * matched) / torch.layers.length,
    outputShapeExact: sameShape(model.outputShape, torch.outputShape),
  };
}
