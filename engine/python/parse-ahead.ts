// Parsing an installed package's modules ahead of the interpreter, elsewhere (a Node host's second thread:
// engine/cli/parse-ahead-node.ts): a cold first analysis of a timm file parses ~280 modules, half of its time,
// while the interpreter runs each module's top level as soon as it has its AST. The engine only says which
// package was found and takes a module parsed ahead when its text is the one it read; anything else (no
// helper, another text, not parsed yet) is parsed here as before, so reports never depend on it.
import type { Module, Stmt } from './ast';

export interface ParseAhead {
  /** An installed package's folder (site-packages/<name>) was found: its modules may be parsed ahead. */
  package(dir: string): void;
  /** The module at `path` parsed ahead with skipped bodies, when it was parsed from `text`; else undefined. */
  take(path: string, text: string): Module | undefined;
  /** The module at `path` was parsed here (not taken): a parser ahead follows its imports from it. */
  parsedHere(path: string, module: Module): void;
}

let current: ParseAhead | undefined;

/** Sets (undefined: removes) the parser ahead the engine uses in this thread. */
export function setParseAhead(ahead: ParseAhead | undefined): void {
  current = ahead;
}

export const parseAhead = (): ParseAhead | undefined => current;

/** A module an import statement names: `level` dots (0: absolute) and the dotted path. */
export interface ImportTarget {
  level: number;
  path: string[];
}

/**
 * What a module's statements import, in the order Python runs them (function bodies aside: the parse skipped
 * them): a parser ahead follows these first, as the interpreter will. `from a import b` names `a` and `a.b`
 * (b may be a submodule); every package on a path comes before what is under it.
 */
export function importTargets(module: Module): ImportTarget[] {
  const out: ImportTarget[] = [];
  const add = (level: number, path: string[]) => {
    for (let n = 1; n <= path.length; n++) out.push({ level, path: path.slice(0, n) });
    if (!path.length) out.push({ level, path });
  };
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      if (s.t === 'import') for (const n of s.names) add(0, n.path);
      else if (s.t === 'from') {
        add(s.level, s.module);
        if (s.names !== '*') for (const n of s.names) out.push({ level: s.level, path: [...s.module, n.name] });
      } else if (s.t === 'if' || s.t === 'for' || s.t === 'while') visit([...s.body, ...s.orelse]);
      else if (s.t === 'try') visit([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final]);
      else if (s.t === 'with' || s.t === 'class') visit(s.body);
    }
  };
  visit(module.body);
  return out;
}
