// The notebook program's AST, built cell by cell as Jupyter compiles them: each cell is parsed on
// its own (an unclosed bracket in one cell never swallows the next), then its positions are moved
// to where the cell sits in the program. A top-level `display(...)` (IPython's builtin) is dropped
// unless the notebook defines its own `display`.
import type { Module, Stmt } from '../python/ast';
import { parsePython } from '../python/parse';
import { shiftPositions } from '../python/shift-ast';
import type { NotebookProgram } from './program';

const isDisplayCall = (s: Stmt): boolean =>
  s.t === 'expr' && s.value.t === 'call' && s.value.fn.t === 'name' && s.value.fn.id === 'display';

const definesDisplay = (body: Stmt[]): boolean =>
  body.some((s) => (s.t === 'def' && s.name === 'display')
    || (s.t === 'assign' && s.targets.some((t) => t.t === 'name' && t.id === 'display'))
    || (s.t === 'from' && s.names !== '*' && s.names.some((n) => (n.as ?? n.name) === 'display')));

export function parseProgram(program: NotebookProgram): Module {
  const body: Stmt[] = [];
  const errors: Module['errors'] = [];
  for (const span of program.spans) {
    const cell = parsePython(program.text.slice(span.from, span.to));
    const seen = new Set<object>();
    for (const s of cell.body) shiftPositions(s, span.firstLine - 1, span.from, seen);
    body.push(...cell.body);
    errors.push(...cell.errors.map((e) => ({ line: e.line + span.firstLine - 1, from: e.from + span.from, to: e.to + span.from })));
  }
  const lineStarts = [0];
  for (let i = 0; i < program.text.length; i++) if (program.text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const keepDisplay = definesDisplay(body);
  return { body: keepDisplay ? body : body.filter((s) => !isDisplayCall(s)), errors, lineStarts };
}
