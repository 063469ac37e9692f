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

/** The names reaching the statement at `line` (and the class `className`, when the file defines it). */
export function namesReaching(ast: Module, line: number, className?: string): Set<string> {
  const defs = new Map<string, Stmt>();
  for (const s of ast.body) if (s.t === 'def' || s.t === 'class') defs.set(s.name, s);
  const reached = new Set<string>();
  const start = ast.body.filter((s) => s.line <= line).pop();
  const todo = new Set<string>();
  if (start) namesIn(start, todo);
  if (className) todo.add(className);
  const seen = new Set<Stmt>();
  while (todo.size) {
    const name = todo.values().next().value as string;
    todo.delete(name);
    if (reached.has(name)) continue;
    reached.add(name);
    const def = defs.get(name);
    if (def && !seen.has(def)) {
      seen.add(def);
      const inner = new Set<string>();
      namesIn(def, inner);
      for (const n of inner) if (!reached.has(n)) todo.add(n);
    }
  }
  return reached;
}
