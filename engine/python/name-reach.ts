// The names a model's construction may read in the analysed file: those written in the top-level statement that
// makes it and, through every function and class of the file it names, in their bodies (transitively). A guess
// that chose a value for none of them (`depth = … if len(sys.argv) > 2 else 3` beside a model that never reads
// depth) left the model as it is. Names are collected as written, reads and writes alike: it errs towards reaching.
import type { Module, Stmt } from './ast';

/** Every name written in a subtree (`x`, the `x` of `x.y`, a def's or class's own name). */
function namesIn(node: unknown, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { for (const n of node) namesIn(n, out); return; }
  const t = (node as { t?: string }).t;
  if (t === 'name') out.add((node as { id: string }).id);
  if (t === 'named') out.add((node as { target: string }).target);
  for (const v of Object.values(node)) if (v && typeof v === 'object') namesIn(v, out);
}

/** The names a statement binds at its own level or in its nested blocks (not inside a def or class body). */
function boundBy(s: Stmt, out = new Set<string>()): Set<string> {
  const target = (e: unknown) => namesIn(e, out);
  switch (s.t) {
    case 'assign': s.targets.forEach(target); break;
    case 'augassign': case 'annassign': target(s.target); break;
    case 'for': target(s.target); [...s.body, ...s.orelse].forEach((x) => boundBy(x, out)); break;
    case 'while': case 'if': [...s.body, ...s.orelse].forEach((x) => boundBy(x, out)); break;
    case 'with': s.items.forEach((i) => i.as && target(i.as)); s.body.forEach((x) => boundBy(x, out)); break;
    case 'try': [...s.body, ...s.orelse, ...s.final, ...s.handlers.flatMap((h) => h.body)].forEach((x) => boundBy(x, out)); break;
    case 'def': case 'class': out.add(s.name); break;
    case 'import': for (const n of s.names) out.add(n.as ?? n.path[0]); break;
    case 'from': if (s.names !== '*') for (const n of s.names) out.add(n.as ?? n.name); break;
    default: break;
  }
  return out;
}

/**
 * The names reaching the statement at `line` (and the class `className`, when the file defines it): its own, those
 * of the file's functions and classes they name, and those of the top-level statements before it that bind one of
 * them (`x = layers.Conv2D(filters, 3)(inputs)` before `model = keras.Model(inputs, outputs)`), to a fixed point.
 */
export function namesReaching(ast: Module, line: number, className?: string): Set<string> {
  const defs = new Map<string, Stmt>();
  for (const s of ast.body) if (s.t === 'def' || s.t === 'class') defs.set(s.name, s);
  const at = ast.body.filter((s) => s.line <= line).length - 1;
  const before = ast.body.slice(0, Math.max(at, 0)).map((s) => ({ s, binds: boundBy(s) }));
  const reached = new Set<string>();
  const todo = new Set<string>();
  if (at >= 0) namesIn(ast.body[at], todo);
  if (className) todo.add(className);
  const taken = new Set<Stmt>();
  while (todo.size) {
    const name = todo.values().next().value as string;
    todo.delete(name);
    if (reached.has(name)) continue;
    reached.add(name);
    const more = new Set<string>();
    const def = defs.get(name);
    if (def && !taken.has(def)) { taken.add(def); namesIn(def, more); }
    for (const b of before) if (!taken.has(b.s) && b.binds.has(name)) { taken.add(b.s); namesIn(b.s, more); }
    for (const n of more) if (!reached.has(n)) todo.add(n);
  }
  return reached;
}
