// What the editor says about one statement of forward()/call(): the hint is the value the statement
// produces (what `x` is after the line), never an inner call's; the hover lists the module and op
// calls the statement makes. Pure (no vscode import). Shapes are the engine's own text; names from
// the file go through untrusted.ts.
import type { ModelReport, Shape, StatementRecord, StatementTarget } from '../engine/report/types';
import { type DisplayOptions, computeText, paramsText, shapeText } from './format';
import { placeText } from '../engine/report/format';
import { mdCode, mdText } from './untrusted';

type Framework = ModelReport['framework'];

/** One shape, a tuple of them, or a dict's by key (`{out: (N, 5, 32, 32), aux: …}`); keys come from the file, escaped for Markdown. */
const shapesText = (shapes: Array<Shape | null>, f: Framework, o: DisplayOptions, keys?: string[], md = false): string => {
  if (keys) return `{${shapes.map((s, i) => `${md ? mdText(keys[i]) : keys[i]}: ${shapeText(s, f, o)}`).join(', ')}}`;
  return shapes.length === 1 ? shapeText(shapes[0], f, o) : `(${shapes.map((s) => shapeText(s, f, o)).join(', ')})`;
};

/** How often it ran, in words: `over 4 iterations` (a loop), `over 8 calls` (its function ran 8 times). */
function runsText(st: StatementRecord, changed: boolean): string {
  if (st.iterations < 2) return '';
  const what = `${st.iterations} ${st.inLoop ? 'iterations' : 'calls'}`;
  return changed ? ` over ${what}` : ` in each of ${what}`;
}

/** `(N, 10, 12, 12)`, or `(N, 64, 56, 56) … (N, 512, 7, 7)` when the first run differed from the last. */
function targetShapes(t: StatementTarget, f: Framework, o: DisplayOptions, md = false): string {
  const last = shapesText(t.shapes, f, o, t.keys, md);
  return t.firstShapes ? `${shapesText(t.firstShapes, f, o, t.keys, md)} … ${last}` : last;
}

const unknownShape = (st: StatementRecord): boolean => st.targets.some((t) => t.shapes.includes(null));

/** The error the forward pass met before the statement ran: PyTorch stops there, so the shape is the engine's guess. */
const afterErrorText = (st: StatementRecord): string => (st.afterError ? ` (after the error on ${placeText(st.afterError)})` : '');

/** Parameters (each module once) and MACs of the statement's module calls, with whether they are exact. */
export function statementTotals(st: StatementRecord): { params: number; paramsKnown: boolean; macs: number; macsKnown: boolean } {
  const modules = st.calls.filter((c) => c.kind === 'module');
  const once = new Map(modules.map((c) => [c.name, c]));
  return {
    params: [...once.values()].reduce((n, c) => n + (c.params ?? 0), 0),
    paramsKnown: [...once.values()].every((c) => c.paramsKnown !== false),
    macs: modules.reduce((n, c) => n + (c.macs ?? 0), 0),
    macsKnown: modules.every((c) => c.macsKnown !== false),
  };
}

const atLeast = (known: boolean): string => (known ? '' : '≥ ');

/**
 * The hint after a statement: `→ (N, 10, 12, 12) · 260 params · 144K MACs`. Several targets are
 * named (`→ a (N, 8, 8, 8), b (N, 8, 8, 8)`); a statement that ran several times shows its first
 * and last shapes and how often it ran, in words; an unknown shape says so.
 */
export function statementHint(st: StatementRecord, f: Framework, o: DisplayOptions): string {
  const parts: string[] = [];
  if (o.hintParts.includes('shape')) {
    const named = st.targets.length > 1;
    const changed = st.targets.some((t) => t.firstShapes);
    const shapes = st.targets.map((t) => `${named ? `${t.name || 'value'} ` : ''}${targetShapes(t, f, o)}`).join(', ');
    parts.push(`→ ${shapes}${runsText(st, changed)}${unknownShape(st) ? ' (shape unknown)' : ''}${afterErrorText(st)}`);
  }
  const t = statementTotals(st);
  if (o.hintParts.includes('params') && t.params > 0) parts.push(`${atLeast(t.paramsKnown)}${paramsText(t.params)}`);
  if (o.hintParts.includes('compute') && t.macs > 0) parts.push(`${atLeast(t.macsKnown)}${computeText(t.macs, o.computeUnit)}`);
  return parts.join(' · ');
}

/** The hover section of a statement: what it produces, then each call it makes, with its numbers. */
export function statementMarkdown(st: StatementRecord, f: Framework, o: DisplayOptions): string {
  const out: string[] = [];
  const changed = st.targets.some((t) => t.firstShapes);
  for (const t of st.targets) {
    const name = t.name === 'return' ? 'returns' : t.name ? `${mdCode(t.name)} is` : 'value';
    out.push(`${name} **${targetShapes(t, f, o, true)}**${runsText(st, changed)}${t.shapes.includes(null) ? ' (the engine could not work out this shape)' : ''}  `);
  }
  if (st.afterError) {
    out.push('', `PyTorch stops at the error on ${placeText(st.afterError)}: this statement does not run there, and its shape is only what ConvLens carried on with.`);
  }
  if (st.calls.length) {
    out.push('', 'Calls in this statement:');
    for (const c of st.calls) {
      const numbers = c.kind === 'module'
        ? ` · ${atLeast(c.paramsKnown !== false)}${paramsText(c.params ?? 0)} · ${atLeast(c.macsKnown !== false)}${computeText(c.macs ?? 0, o.computeUnit)}`
        : '';
      const what = c.kind === 'module' ? `${mdCode(c.name)} (${mdText(c.type)})` : mdText(c.name);
      out.push(`- ${what} → ${shapeText(c.outputShape, f, o)}${numbers}`);
    }
  }
  return out.join('\n');
}
