// The `# convlens: input=(…)` comment: reading what the user typed in the input box, and where the
// comment goes (replacing one already on or above the model, else a new line above it with the
// model's indentation). Pure, so unit tests cover it; the command turns the result into an edit.

export type ParsedShape = { shape: number[] } | { error: string };
export type ParsedShapes = { shapes: number[][] } | { error: string };

/** Accepts `(1, 3, 224, 224)`, `[1,3,224,224]`, `1, 3, 224, 224` or `1x3x224x224`. */
export function parseShapeText(text: string): ParsedShape {
  const body = text.trim().replace(/^[([]\s*/, '').replace(/\s*[)\]]$/, '').trim();
  if (!body) return { error: 'Type a shape such as (1, 3, 224, 224): batch first, then the sizes.' };
  const parts = body.split(/\s*[,x×]\s*/).filter((p) => p !== '');
  const bad = parts.find((p) => !/^\d+$/.test(p));
  if (bad !== undefined) return { error: `"${bad}" is not a whole number: use sizes such as (1, 3, 224, 224).` };
  const shape = parts.map(Number);
  if (shape.some((d) => d < 1)) return { error: 'Every size must be at least 1.' };
  if (shape.length < 2) return { error: 'Give at least the batch size and one more dimension, e.g. (1, 784).' };
  if (shape.length > 6) return { error: `${shape.length} dimensions is more than any layer takes (at most 5 with the batch).` };
  return { shape };
}

const GROUPS = /[([][^)\]]*[)\]]/g;

/** One shape, or a forward()'s several: `(1, 1, 64, 64), (1, 1, 64, 64)`. */
export function parseShapesText(text: string): ParsedShapes {
  const groups = /[)\]]\s*,\s*[([]/.test(text) ? text.match(GROUPS) ?? [] : [text];
  const shapes: number[][] = [];
  for (const [i, g] of groups.entries()) {
    const p = parseShapeText(g);
    if ('error' in p) return groups.length > 1 ? { error: `Input ${i + 1}: ${p.error}` } : p;
    shapes.push(p.shape);
  }
  return { shapes };
}

export const commentText = (shapes: number[][]): string => `# convlens: input=${shapes.map((s) => `(${s.join(', ')})`).join(', ')}`;

/** A single-line edit: replace [startCol, endCol) of `line` (0-based), or insert a new line before it. */
export interface LineEdit {
  line: number;
  startCol: number;
  endCol: number;
  newText: string;
}

const SHAPE = String.raw`(?:\([^)]*\)|\[[^\]]*\])`;
const COMMENT = new RegExp(String.raw`#\s*convlens:\s*input\s*=\s*(?:${SHAPE}(?:\s*,\s*${SHAPE})*)?`);

/** Where to write the comment for the model defined at 1-based `modelLine` of `lines`. */
export function inputCommentEdit(lines: string[], modelLine: number, shapes: number[][]): LineEdit {
  const at = modelLine - 1;
  for (const i of [at, at - 1]) {
    const m = i >= 0 && i < lines.length ? COMMENT.exec(lines[i]) : null;
    if (m) return { line: i, startCol: m.index, endCol: m.index + m[0].length, newText: commentText(shapes) };
  }
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  return { line: at, startCol: 0, endCol: 0, newText: `${indent}${commentText(shapes)}\n` };
}
