// Files the model code tried to read while building the model but could not (missing, outside the
// analysis root, not valid YAML/JSON). What was built from them is not known, so every model of
// the file says so (the honesty rule): a warning naming the path, an unmodelled entry, and totals
// that are lower bounds.
import type { FileProblem } from '../python/files';
import type { CallSite } from '../python/values';
import type { Diagnostic, ModelReport, SourceRange } from './types';

export function reportUnreadableFiles(
  problems: FileProblem[], file: string, models: ModelReport[], rangeOf: (site: CallSite) => SourceRange | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const p of problems) {
    // the place in the analysed file that led to the read (the read itself may be in an imported module)
    const site = p.sites.find((s) => s.file === file);
    const line = site?.line ?? 1;
    const range = site ? rangeOf(site) : undefined;
    diagnostics.push({ line, range, severity: 'warning', code: 'config-unreadable', message: `the model reads ${p.path === '?' ? 'a file' : `'${p.path}'`} while it is built: ${p.reason}; what comes from it is unknown` });
    for (const m of models) {
      m.unmodelled.push({ name: p.path, line, range, reason: `built from a file ConvLens could not read (${p.reason})`, missing: ['params', 'macs', 'shape'] });
      m.complete = m.paramsComplete = m.macsComplete = false;
    }
  }
  return diagnostics;
}
