// Why a notebook (or file) shows nothing, in a few words: a module of its own so that the editor's
// status bar has it without loading the engine.
import type { Diagnostic, FileReport } from '../report/types';
import { placeText } from '../report/format';

/** Diagnostics that say why a notebook shows nothing, most telling first. */
export function emptyReason(report: FileReport): string | undefined {
  if (report.models.length) return undefined;
  const all: Diagnostic[] = report.diagnostics;
  const invalid = all.find((d) => d.code === 'notebook-invalid' || d.code === 'notebook-language');
  if (invalid) return invalid.message;
  const syntax = all.find((d) => d.code === 'syntax-error');
  if (syntax) return `no model: a syntax error in ${placeText(syntax)}`;
  const error = all.find((d) => d.severity === 'error');
  if (error) return `no model: ${error.message}`;
  return 'no PyTorch or Keras model found';
}
