// Building a LayerResult and the formulas every layer family shares.
import type { Formula } from '../report/types';
import type { Dim, Shape } from './dim';
import type { ArgReader } from './args';
import { fmt, fmtValue } from './layer-input';
import type { LayerResult, ParamEntry } from './layer-spec';

export function result(r: ArgReader, output: Shape | null, macs: Dim, formulas: Formula[] = [], extra: Partial<LayerResult> = {}): LayerResult {
  return { output, macs: output === null && macs !== 0 ? null : macs, formulas, diagnostics: r.diagnostics, ...extra };
}

/** `params` formula: general form, the factors of each parameter, and the total. */
export function paramsFormula(general: string, entries: ParamEntry[] | null): Formula[] {
  if (!entries || entries.length === 0) return [];
  const terms = entries.map((e) => (e.shape.length === 0 ? '1' : e.shape.join('·')));
  const total = entries.reduce((a, e) => a + e.shape.reduce((x, y) => x * y, 1), 0);
  return [{ label: 'params', general, substituted: `${terms.join(' + ')} = ${total}` }];
}

/** `MACs` formula from its factors. */
export function macsFormula(general: string, factors: Dim[], value: Dim): Formula {
  return { label: 'MACs', general, substituted: `${factors.map(fmt).join('·')} = ${fmtValue(value)}` };
}

/** Entries for a weight and an optional bias of the given shapes. */
export function weightAndBias(weight: number[], bias: number[] | null): ParamEntry[] {
  const out: ParamEntry[] = [{ name: 'weight', shape: weight, trainable: true }];
  if (bias) out.push({ name: 'bias', shape: bias, trainable: true });
  return out;
}
