// Finds the call expression written at a source offset, so that a diagnostic about a layer can
// point at (and fix) one of the constructor's arguments.
import type { Arg, Expr, Module } from './ast';

type Call = Extract<Expr, { t: 'call' }>;

const cache = new WeakMap<Module, Map<number, Call>>();

function collect(node: unknown, out: Map<number, Call>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { for (const x of node) collect(x, out); return; }
  const n = node as { t?: string; from?: number };
  if (n.t === 'call' && typeof n.from === 'number') out.set(n.from, node as Call);
  for (const v of Object.values(node)) if (v && typeof v === 'object') collect(v, out);
}

/** The call starting at `from` (offsets as in the AST), if the source has one there. */
export function callAt(module: Module, from: number): Call | undefined {
  let index = cache.get(module);
  if (!index) {
    index = new Map();
    collect(module.body, index);
    cache.set(module, index);
  }
  return index.get(from);
}

/** The argument bound to a parameter: by keyword, or by position when written positionally. */
export function argumentFor(call: Call, name: string, position: number): Expr | undefined {
  const kw = call.args.find((a): a is Extract<Arg, { kind: 'kw' }> => a.kind === 'kw' && a.name === name);
  if (kw) return kw.value;
  const positional = call.args.filter((a) => a.kind === 'pos' || a.kind === 'star');
  const a = positional[position];
  return a && a.kind === 'pos' && !positional.slice(0, position).some((p) => p.kind === 'star') ? a.value : undefined;
}

/** True for a number written out, possibly as arithmetic (`32 * 7 * 7`): safe to replace by its value. */
export function isLiteralArithmetic(e: Expr): boolean {
  if (e.t === 'num') return true;
  if (e.t === 'unary') return isLiteralArithmetic(e.v);
  if (e.t === 'bin') return isLiteralArithmetic(e.l) && isLiteralArithmetic(e.r);
  return false;
}
