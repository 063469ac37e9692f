import type { Stmt } from './ast';

// Parsed statements moved to another place in a file, in place: a notebook cell parsed on its own
// goes to where the cell sits in the program, and the statements after an edit move by what the edit
// added or removed (re-parsing them would cost what parsing the whole file costs). A call site the
// interpreter cached on a node holds the old place, so it is dropped.

/** Moves every node under `node` by `lines` lines and `offset` characters (each node once). */
export function shiftPositions(node: unknown, lines: number, offset: number, seen: Set<object>): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const n = node as Record<string, unknown>;
  if (typeof n.line === 'number' && typeof n.from === 'number' && typeof n.to === 'number') {
    n.line += lines;
    n.from += offset;
    n.to += offset;
    delete n.site;
  }
  for (const k in n) shiftPositions(n[k], lines, offset, seen);
}

/** Statements with no body of their own: one of them on a line of its own is parsed again alone (`parse.ts`). */
const SIMPLE = new Set<Stmt['t']>(['expr', 'assign', 'augassign', 'annassign', 'return', 'pass', 'break', 'continue', 'raise', 'del', 'assert']);

export const isSimple = (s: Stmt): boolean => SIMPLE.has(s.t);

/** The statement lists a compound statement holds. */
function bodiesOf(s: Stmt): Stmt[][] {
  switch (s.t) {
    case 'if': case 'for': case 'while': return [s.body, s.orelse];
    case 'def': case 'class': case 'with': return [s.body];
    case 'try': return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.final];
    default: return [];
  }
}

/**
 * The innermost simple statement under `stmts` that holds all of [from, to], with the list that holds it and
 * where; undefined when the innermost statement that holds it is compound (a `def` line, a decorator).
 */
export function statementAround(stmts: Stmt[], from: number, to: number): { list: Stmt[]; index: number } | undefined {
  const index = stmts.findIndex((s) => s.from <= from && to <= s.to);
  if (index < 0) return undefined;
  const s = stmts[index];
  if (isSimple(s)) return { list: stmts, index };
  for (const body of bodiesOf(s)) {
    const inner = statementAround(body, from, to);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Moves by `offset` characters every position at or after `at` under `node` (each node once): the nodes after an
 * edit within one line, and the ends of those around it. Lines do not move.
 */
export function shiftFrom(node: unknown, at: number, offset: number, seen: Set<object>): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const n = node as Record<string, unknown>;
  if (typeof n.from === 'number' && typeof n.to === 'number' && n.to >= at) {
    if (n.from >= at) n.from += offset;
    n.to += offset;
    delete n.site;
  }
  for (const k in n) shiftFrom(n[k], at, offset, seen);
}
