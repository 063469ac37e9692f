// Quick fixes for the two mismatches the issue names, built from the report when the engine attaches
// no `fixes` to the diagnostic: a Linear's `in_features` and a convolution's `in_channels` set to
// what arrives (the layer row's input shape). The argument is found in the constructor call's text
// with a bracket- and string-aware split. Pure (no vscode import).
import type { Diagnostic, Fix, LayerRow, ModelReport } from '../engine/report/types';

const ARGUMENT: Record<string, { name: string; axis: (rank: number) => number }> = {
  'linear-in-features': { name: 'in_features', axis: (rank) => rank - 1 },
  'channel-mismatch': { name: 'in_channels', axis: () => 1 },
};

interface Arg { start: number; end: number; keyword?: string }

/** Top-level arguments of the first call in `text`, as offsets into `text`. */
export function splitArguments(text: string): Arg[] | undefined {
  const open = text.indexOf('(');
  if (open < 0) return undefined;
  const args: Arg[] = [];
  let depth = 0;
  let start = open + 1;
  let quote = '';
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const s = start + lead;
    const e = start + raw.trimEnd().length;
    if (e > s) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*/.exec(text.slice(s, e));
      args.push(kw ? { start: s + kw[0].length, end: e, keyword: kw[1] } : { start: s, end: e });
    }
  };
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) { push(i); return args; }
      depth--;
    } else if (c === ',' && depth === 0) { push(i); start = i + 1; }
  }
  return undefined;
}

/**
 * The fix for a diagnostic, given the rows of its model and the text of the document's lines
 * (1-based line → text). Only for single-line constructor calls with the argument written out.
 */
export function argumentFix(d: Diagnostic, model: ModelReport, lineText: (line: number) => string): Fix | undefined {
  const want = ARGUMENT[d.code];
  const range = d.range;
  if (!want || !range || range.file || range.line !== range.endLine) return undefined;
  const row: LayerRow | undefined = model.layers.find((r) => r.range && !r.range.file && r.range.line === range.line && r.range.col === range.col);
  const input = row?.inputShapes[0];
  const arriving = input?.[want.axis(input.length)];
  if (typeof arriving !== 'number') return undefined;
  const text = lineText(range.line).slice(range.col, range.endCol);
  const args = splitArguments(text);
  const arg = args?.find((a) => a.keyword === want.name) ?? (args?.[0] && !args[0].keyword ? args[0] : undefined);
  if (!arg) return undefined;
  return {
    title: `Set ${want.name} to ${arriving} (what arrives)`,
    range: { line: range.line, col: range.col + arg.start, endLine: range.line, endCol: range.col + arg.end },
    newText: String(arriving),
  };
}
