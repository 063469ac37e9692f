// What a module's top level imports, in the order Python runs it: what a parser ahead on another thread
// (`cli/parse-ahead.ts`) follows, so that the modules the interpreter will import next are parsed before it asks.
import type { Module, Stmt } from './ast';

/** A module an import statement names: `level` dots (0: absolute) and the dotted path. */
export interface ImportTarget {
  level: number;
  path: string[];
}

/**
 * The modules `module`'s statements import (function bodies aside: imports skip them), in order: every package on
 * a path before what is under it, and `from a import b` names `a` then `a.b` (b may be a submodule).
 */
export function importTargets(module: Module): ImportTarget[] {
  const out: ImportTarget[] = [];
  const add = (level: number, path: string[]) => {
    for (let n = 1; n <= path.length; n++) out.push({ level, path: path.slice(0, n) });
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
