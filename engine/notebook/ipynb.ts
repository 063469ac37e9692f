// Reading a Jupyter notebook (nbformat 4 JSON) into its cells. Bad input never throws: it becomes
// a problem the report shows (corrupt JSON, no cell list, a cell whose source is not text).
import type { Diagnostic } from '../report/types';

export type CellKind = 'code' | 'markdown' | 'raw';

/** One cell of a notebook, in notebook order; only `code` cells are Python. */
export interface CellSource {
  kind: CellKind;
  source: string;
}

export interface ParsedNotebook {
  cells: CellSource[];
  /** What is wrong with the file; with an error here, `cells` holds what could still be read. */
  problems: Diagnostic[];
}

const problem = (code: string, message: string, line = 1): Diagnostic => ({ line, severity: 'error', code, message });

/** The 1-based line of a character offset, for JSON errors that give one. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `source` is a string or a list of strings (lines with their newlines) in nbformat 4. */
function sourceText(source: unknown): string | undefined {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((s) => typeof s === 'string')) return source.join('');
  return undefined;
}

export function parseIpynb(text: string): ParsedNotebook {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(detail);
    const line = at ? lineAt(text, Number(at[1])) : 1;
    return { cells: [], problems: [problem('notebook-invalid', `the notebook is not valid JSON (${detail}): Jupyter cannot open it either`, line)] };
  }
  const nb = json as { cells?: unknown; nbformat?: unknown; worksheets?: unknown; metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } };
  if (!nb || typeof nb !== 'object' || Array.isArray(nb)) return { cells: [], problems: [problem('notebook-invalid', 'not a Jupyter notebook: the file is JSON but not an object with a "cells" list')] };
  if (!Array.isArray(nb.cells)) {
    const old = Array.isArray(nb.worksheets) ? ` (this is nbformat ${String(nb.nbformat ?? 3)}; save it again with Jupyter to get nbformat 4)` : '';
    return { cells: [], problems: [problem('notebook-invalid', `not a Jupyter notebook ConvLens can read: no "cells" list${old}`)] };
  }
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language;
  if (typeof language === 'string' && language.toLowerCase() !== 'python') {
    return { cells: [], problems: [{ ...problem('notebook-language', `this is a ${language} notebook: ConvLens reads Python notebooks only`), severity: 'info' }] };
  }
  const cells: CellSource[] = [];
  const problems: Diagnostic[] = [];
  nb.cells.forEach((c: unknown, i) => {
    const cell = (c && typeof c === 'object' ? c : {}) as { cell_type?: unknown; source?: unknown };
    const kind: CellKind = cell.cell_type === 'code' || cell.cell_type === 'markdown' ? cell.cell_type : 'raw';
    const source = sourceText(cell.source);
    if (source === undefined) {
      if (kind === 'code') problems.push({ ...problem('notebook-invalid', `cell ${i + 1} has no readable source (nbformat 4 wants a string or a list of strings): it is left out`), severity: 'warning', cell: i + 1 });
      cells.push({ kind: 'raw', source: '' });
    } else {
      cells.push({ kind, source });
    }
  });
  return { cells, problems };
}
