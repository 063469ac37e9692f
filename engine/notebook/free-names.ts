// Names a notebook uses but that no cell defines (a deleted cell, a cell of another notebook, a
// typo). Jupyter would raise NameError where they are used; the analysis has only "unknown" for
// them, so each gets a warning that names it instead of a silent gap (the honesty rule).
import type { Expr, Module, Stmt } from '../python/ast';

/** CPython 3.11's builtins, and what IPython adds to a notebook's namespace. */
const BUILTINS = new Set(`ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError
FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError
IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None
NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning
PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning
StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True
TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ __import__
__loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes
callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit
filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter
len license list locals map max memoryview min next object oct open ord pow print property quit range repr
reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip
__file__ __builtins__ __annotations__ __class__ __module__ __qualname__
display get_ipython In Out _ __ ___ _ih _oh _dh`.split(/\s+/));

export interface FreeName {
  name: string;
  /** The first use: program line and offsets. */
  line: number;
  from: number;
  to: number;
}

/** Every name bound by an assignment target (`a, (b, *c) = …`). */
function targetNames(e: Expr, out: Set<string>): void {
  if (e.t === 'name') out.add(e.id);
  else if (e.t === 'tuple' || e.t === 'list') for (const i of e.items) targetNames(i, out);
  else if (e.t === 'starred') targetNames(e.v, out);
}

function bindings(node: Stmt | Expr, bound: Set<string>): void {
  switch (node.t) {
    case 'assign': for (const t of node.targets) targetNames(t, bound); break;
    case 'augassign': case 'annassign': targetNames(node.target, bound); break;
    case 'for': targetNames(node.target, bound); break;
    case 'def': bound.add(node.name); for (const p of node.params) bound.add(p.name); break;
    case 'lambda': for (const p of node.params) bound.add(p.name); break;
    case 'class': bound.add(node.name); break;
    case 'import': for (const n of node.names) bound.add(n.as ?? n.path[0]); break;
    case 'from': if (node.names !== '*') for (const n of node.names) bound.add(n.as ?? n.name); break;
    case 'try': for (const h of node.handlers) if (h.name) bound.add(h.name); break;
    case 'with': for (const i of node.items) if (i.as) targetNames(i.as, bound); break;
    case 'comp': for (const c of node.clauses) if (c.kind === 'for') targetNames(c.target, bound); break;
    case 'named': bound.add(node.target); break;
    case 'scope': for (const n of node.names) bound.add(n); break;
  }
}

/** Names used somewhere and bound nowhere (any scope, any cell); none after a `from … import *`. */
export function freeNames(module: Module): FreeName[] {
  const bound = new Set<string>();
  const uses = new Map<string, FreeName>();
  let starImport = false;
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const n = node as (Stmt | Expr) & Record<string, unknown>;
    if (typeof n.t === 'string') {
      bindings(n, bound);
      if (n.t === 'from' && n.names === '*') starImport = true;
      if (n.t === 'name' && !uses.has(n.id)) uses.set(n.id, { name: n.id, line: n.line, from: n.from, to: n.to });
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'site') walk(v);
  };
  walk(module.body);
  if (starImport) return [];
  return [...uses.values()].filter((u) => !bound.has(u.name) && !BUILTINS.has(u.name)).sort((a, b) => a.from - b.from);
}
