// Where a model's input shape comes from, besides an explicit argument: a `# convlens: input=(…)`
// comment, or the setting; and the symbolic shape used when nothing says.
import type { Dim, Shape } from './shapes/dim';

export interface ShapeComment {
  line: number;
  shape: Shape;
  /** The shapes of a forward()'s further inputs: `input=(1, 1, 64, 64), (1, 1, 64, 64)`. */
  extra: Shape[];
}

const COMMENT = /#\s*convlens:\s*input\s*=\s*([([][^#]*)/;
const GROUP = /[([]([^)\]]*)[)\]]/g;

/** Parses `1, 3, 224, 224` or `N, 3, H, W` (names stay symbolic). */
export function parseShapeText(text: string): Shape | undefined {
  const parts = text.split(/[,x×\s]+/).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return undefined;
  const out: Dim[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) out.push(Number(p));
    else if (p.toLowerCase() === 'none') out.push(null);
    else if (/^[A-Za-z_]\w*$/.test(p)) out.push(p);
    else return undefined;
  }
  return out;
}

/** `(1, 3, 32, 32), (1, 10)`: one shape per bracketed group (what follows the last group is ignored). */
export function parseShapeList(text: string): Shape[] | undefined {
  const shapes: Shape[] = [];
  for (const g of text.matchAll(GROUP)) {
    const shape = parseShapeText(g[1]);
    if (!shape) break;
    shapes.push(shape);
  }
  return shapes.length ? shapes : undefined;
}

export function findShapeComments(source: string): ShapeComment[] {
  const out: ShapeComment[] = [];
  source.split('\n').forEach((text, i) => {
    const m = COMMENT.exec(text);
    if (!m) return;
    const shapes = parseShapeList(m[1]);
    if (shapes) out.push({ line: i + 1, shape: shapes[0], extra: shapes.slice(1) });
  });
  return out;
}

/**
 * The comment that applies to a model defined at `modelLine`: the closest one on or above it with
 * no other model definition in between.
 */
export function commentFor(comments: ShapeComment[], modelLine: number, otherModelLines: number[]): ShapeComment | undefined {
  const above = comments.filter((c) => c.line <= modelLine).sort((a, b) => b.line - a.line)[0];
  if (!above) return undefined;
  if (otherModelLines.some((l) => l > above.line && l < modelLine)) return undefined;
  return above;
}

/** Symbolic input for a first layer of the given kind: (N, C, H, W) and friends. */
export function symbolicInput(rank: number, channels: Dim): Shape {
  switch (rank) {
    case 2: return ['N', channels ?? 'C'];
    case 3: return ['N', channels ?? 'C', 'L'];
    case 5: return ['N', channels ?? 'C', 'D', 'H', 'W'];
    default: return ['N', channels ?? 'C', 'H', 'W'];
  }
}
