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
