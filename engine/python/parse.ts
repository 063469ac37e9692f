// Python source → the interpreter's AST, through @lezer/python (a real, error-tolerant parser).
// lezer's tree is concrete (punctuation and keywords are nodes, tuples without parentheses are
// flat), so this file regroups tokens into expressions and statements. Anything it does not know
// becomes an `unknown` expression or is skipped, never an exception.
import { parser } from '@lezer/python';
import { NodeType, Tree, type SyntaxNode } from '@lezer/common';
import type { Arg, CompClause, Expr, Module, Param, Pos, Stmt } from './ast';
import { fixTrailingDotFloats } from './trailing-dot';
import { parenthesiseMatchSubjects } from './match-subject';
import { MAX_BRACKETS, blankTooDeep } from './bracket-depth';
import { isSimple, shiftFrom, shiftPositions, statementAround } from './shift-ast';
import { skeleton } from './skip-bodies';
import { matchStatement } from './parse-match';

/** CPython's tokenizer refuses more than 100 levels of indentation (and 200 nested brackets). */
const MAX_INDENT = 100;
/**
 * Expressions nested deeper than this (operator chains, attribute chains, lambdas) are not
 * converted: deeper nesting would overflow JavaScript's stack here and in the interpreter. CPython
 * stops near 3,000 with a RecursionError; model code never comes close.
 */
const MAX_EXPR_DEPTH = 500;
/**
 * Syntax errors kept per parse. A file lezer cannot recover from well (unbalanced brackets that swallow
 * the rest of it) has an error node in nearly every expression; the first ones say all there is to say.
 */
const MAX_ERRORS = 1000;
const BRACKETED = new Set(['ParenthesizedExpression', 'TupleExpression', 'ArrayExpression', 'SetExpression', 'DictionaryExpression',
  'ArrayComprehensionExpression', 'SetComprehensionExpression', 'DictionaryComprehensionExpression', 'ComprehensionExpression', 'ArgList']);

type ParseError = Module['errors'][number];

/** Whether imported modules' function bodies are skipped (`skip-bodies.ts`); off only to compare (tests). */
let skipBodies = true;

/** Runs `fn` with every imported module parsed whole (tests compare its reports with skipped bodies'). */
export function withWholeParses<T>(fn: () => T): T {
  skipBodies = false;
  try {
    return fn();
  } finally {
    skipBodies = true;
  }
}

/** Whether imported modules are parsed with their function bodies skipped now (a stored parse is one such). */
export const skippingBodies = (): boolean => skipBodies;

/**
 * The defs whose bodies lezer skipped (`skip-bodies.ts`): where each `def` keyword is and where its body's last
 * line ends, so that a parse written to disk (`parse-store.ts`) keeps those not read yet by place, unconverted.
 */
const skippedPlaces = new WeakMap<object, { at: number; eol: number; read: boolean }>();

/** Where a def's skipped body is ([`def` keyword offset, end of its last line]); undefined: not skipped, or read. */
export function skippedPlace(def: Stmt): [number, number] | undefined {
  const place = skippedPlaces.get(def);
  return place && !place.read ? [place.at, place.eol] : undefined;
}

type DefHead = Omit<Extract<Stmt, { t: 'def' }>, 'body' | 'generator'>;

/**
 * Makes defs whose bodies lezer skipped again from their place in `text` (a parse read back from disk): each
 * body is parsed from the text when first read, as the parse that skipped it would have done.
 */
export function skippedDefs(text: string, lineStarts: number[]): (head: DefHead, at: number, eol: number) => Stmt {
  // the text prepared as the parse prepared it (same length and lines), once, at the first body read
  const converter = once(() => {
    const c = new Converter(blankTooDeep(parenthesiseMatchSubjects(fixTrailingDotFloats(text))).src, true, lineStarts);
    c.skipping(new Map());
    return c;
  });
  return (head, at, eol) => lazyDef(head, at, eol, () => converter().skippedBody(at, eol, head.name));
}

/** A def whose body is converted when first read; `at`/`eol`: its skipped body's place (kept for the disk). */
function lazyDef(head: DefHead, at: number, eol: number | undefined, convert: () => { body: Stmt[]; generator?: boolean }): Stmt {
  const place = eol === undefined ? undefined : { at, eol, read: false };
  const force = once(() => {
    if (place) place.read = true;
    return convert();
  });
  // getters in the literal: defineProperties on thousands of defs made each a slow dictionary object
  const def = {
    ...head,
    get body() { return force().body; },
    get generator() { return force().generator; },
  };
  if (place) skippedPlaces.set(def, place);
  return def;
}

/** `make`, called once, on first use. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

class Converter {
  readonly errors: Module['errors'] = [];
  private readonly errorKeys = new Set<string>();
  /** Compound expressions converted in the current top-level statement, by node: each is converted once. */
  private converted = new Map<string, Expr>();
  /** Child nodes read: linear in the size of the tree, whatever shape lezer's error recovery gave it. */
  work = 0;
  private depth = 0;
  private brackets = 0;
  private indent = 0;
  /** `yield`s met in the function body being read (which makes it a generator). */
  private yields = 0;
  readonly lineStarts: number[] = [0];

  /** Function bodies lezer skipped (`skip-bodies.ts`): `def` keyword offset → end of the body's last line. */
  private skipped?: { bodies: Map<number, number>; pieces?: SourcePieces };

  constructor(private readonly src: string, private readonly lazyBodies: boolean, lineStarts?: number[]) {
    if (lineStarts) this.lineStarts = lineStarts;
    else for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  line(offset: number): number {
    let lo = 0, hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }

  pos(n: { from: number; to: number }): Pos {
    return { line: this.line(n.from), from: n.from, to: n.to };
  }

  text(n: { from: number; to: number }): string {
    return this.src.slice(n.from, n.to);
  }

  /** Records a syntax error once, up to MAX_ERRORS (errors that say what is wrong are always kept). */
  error(e: ParseError): void {
    const key = `${e.from}:${e.to}:${e.message ?? ''}`;
    if (this.errorKeys.has(key) || (this.errors.length >= MAX_ERRORS && !e.message)) return;
    this.errorKeys.add(key);
    this.errors.push(e);
  }

  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      this.work++;
      if (c.name === 'Comment') continue;
      // lezer marks a bare `yield` and a class pattern with no arguments (`case str():`) with an empty error
      // node: valid Python, not a syntax error
      const benign = c.from === c.to && (c.prevSibling?.name === 'yield' || n.name === 'LiteralPattern');
      if (c.type.isError && !benign) this.error(this.pos(c));
      if (c.type.isError) continue;
      out.push(c);
    }
    return out;
  }

  // ---- statements -------------------------------------------------------------------------

  /** The top-level statements under `top` as chunks (the unit an edited file's next parse reuses). */
  topLevel(top: SyntaxNode): Chunk[] {
    const chunks: Chunk[] = [];
    for (const c of this.kids(top)) {
      this.converted = new Map();
      const before = this.errors.length;
      const stmts: Stmt[] = [];
      this.stmtInto(c, stmts);
      chunks.push({ from: c.from, to: c.to, stmts, errors: this.errors.slice(before) });
    }
    return chunks;
  }

  body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    if (this.indent >= MAX_INDENT) {
      this.error({ ...this.pos(n), message: 'IndentationError: too many levels of indentation' });
      return [];
    }
    const out: Stmt[] = [];
    this.indent++;
    try {
      for (const c of this.kids(n)) this.stmtInto(c, out);
    } finally {
      this.indent--;
    }
    return out;
  }

  stmtInto(n: SyntaxNode, out: Stmt[]): void {
    if (n.name === 'StatementGroup' || n.name === 'Body') {
      for (const c of this.kids(n)) this.stmtInto(c, out);
      return;
    }
    if (n.name === ':' || n.name === ';') return;
    try {
      if (n.name === 'MatchStatement') { out.push(...matchStatement(this, n)); return; }
      const s = this.stmt(n);
      if (s) out.push(s);
    } catch {
      // a tree lezer recovered in a shape this converter does not expect: skip the statement
      this.error(this.pos(n));
    }
  }

  stmt(n: SyntaxNode): Stmt | undefined {
    const p = this.pos(n);
    const k = this.kids(n);
    switch (n.name) {
      case 'ExpressionStatement': {
        const items = this.commaList(k);
        return { ...p, t: 'expr', value: items.length === 1 ? items[0] : { ...p, t: 'tuple', items } };
      }
      case 'AssignStatement': return this.assign(n, k, p);
      case 'UpdateStatement': {
        const opNode = k.find((c) => c.name === 'UpdateOp');
        const i = opNode ? k.indexOf(opNode) : 1;
        return { ...p, t: 'augassign', target: this.exprOf(k.slice(0, i)), op: opNode ? this.text(opNode).slice(0, -1) : '+', value: this.exprOf(k.slice(i + 1)) };
      }
      case 'IfStatement': return this.ifChain(k, p);
      case 'WhileStatement': {
        const bodies = k.filter((c) => c.name === 'Body');
        return { ...p, t: 'while', test: this.exprOf(k.slice(1, k.indexOf(bodies[0]))), body: this.body(bodies[0]), orelse: this.body(bodies[1]) };
      }
      case 'ForStatement': {
        const bodies = k.filter((c) => c.name === 'Body');
        const start = k[0]?.name === 'async' ? 2 : 1;
        const head = bodies.length ? k.slice(start, k.indexOf(bodies[0])) : k.slice(start);
        const [target, iter] = this.splitAt(head, 'in', p);
        return { ...p, t: 'for', target, iter, body: this.body(bodies[0]), orelse: this.body(bodies[1]) };
      }
      case 'PassStatement': return { ...p, t: 'pass' };
      case 'BreakStatement': return { ...p, t: 'break' };
      case 'ContinueStatement': return { ...p, t: 'continue' };
      case 'YieldStatement': return { ...p, t: 'expr', value: this.yieldExpr(k, p) };
      case 'ReturnStatement': {
        const rest = k.slice(1);
        return { ...p, t: 'return', value: rest.length ? this.exprOf(rest) : undefined };
      }
      case 'FunctionDefinition': return this.funcDef(k, p, []);
      case 'ClassDefinition': return this.classDef(k, p, []);
      case 'DecoratedStatement': {
        const decorators = k.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const def = k.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!def) return undefined;
        const dk = this.kids(def);
        return def.name === 'FunctionDefinition' ? this.funcDef(dk, p, decorators) : this.classDef(dk, p, decorators);
      }
      case 'ImportStatement': return this.importStmt(k, p);
      case 'TryStatement': return this.tryStmt(k, p);
      case 'WithStatement': {
        const items: Array<{ ctx: Expr; as?: Expr }> = [];
        const bodyNode = k.find((c) => c.name === 'Body');
        const parts = this.splitOn(k.slice(1, bodyNode ? k.indexOf(bodyNode) : k.length), ',');
        for (const part of parts) {
          const asIdx = part.findIndex((c) => c.name === 'as');
          if (asIdx < 0) items.push({ ctx: this.exprOf(part) });
          else items.push({ ctx: this.exprOf(part.slice(0, asIdx)), as: this.exprOf(part.slice(asIdx + 1)) });
        }
        return { ...p, t: 'with', items, body: this.body(bodyNode) };
      }
      case 'RaiseStatement': {
        const fromIdx = k.findIndex((c) => c.name === 'from');
        const rest = k.slice(1, fromIdx < 0 ? k.length : fromIdx);
        return { ...p, t: 'raise', exc: rest.length ? this.exprOf(rest) : undefined };
      }
      case 'DeleteStatement': return { ...p, t: 'del', targets: this.commaList(k.slice(1)) };
      case 'ScopeStatement': return { ...p, t: 'scope', kind: k[0]?.name === 'nonlocal' ? 'nonlocal' : 'global', names: k.filter((c) => c.name === 'VariableName').map((c) => this.text(c)) };
      case 'AssertStatement': return { ...p, t: 'assert' };
      default: return undefined;
    }
  }

  assign(_n: SyntaxNode, k: SyntaxNode[], p: Pos): Stmt {
    // `a = b = 1`, `a, b = 1, 2`, `x: int = 3`, `x: int`
    const typeDef = k.find((c) => c.name === 'TypeDef');
    const groups = this.splitOn(k.filter((c) => c !== typeDef), 'AssignOp');
    const exprs = groups.map((g) => this.exprOf(g));
    if (typeDef) {
      return exprs.length > 1 ? { ...p, t: 'annassign', target: exprs[0], value: exprs[exprs.length - 1] } : { ...p, t: 'annassign', target: exprs[0] };
    }
    return { ...p, t: 'assign', targets: exprs.slice(0, -1), value: exprs[exprs.length - 1] };
  }

  ifChain(k: SyntaxNode[], p: Pos): Stmt {
    // if c Body (elif c Body)* (else Body)?
    const clauses: Array<{ test?: Expr; body: Stmt[]; line: number; from: number }> = [];
    let i = 0;
    while (i < k.length) {
      const kw = k[i];
      if (kw.name === 'if' || kw.name === 'elif') {
        const b = indexFrom(k, i + 1, 'Body');
        if (b < 0) break;
        clauses.push({ test: this.exprOf(k.slice(i + 1, b)), body: this.body(k[b]), line: this.line(kw.from), from: kw.from });
        i = b + 1;
      } else if (kw.name === 'else') {
        clauses.push({ body: this.body(k[i + 1]), line: this.line(kw.from), from: kw.from });
        i += 2;
      } else i++;
    }
    let orelse: Stmt[] = [];
    for (let j = clauses.length - 1; j >= 0; j--) {
      const c = clauses[j];
      if (!c.test) { orelse = c.body; continue; }
      const s: Stmt = { line: c.line, from: c.from, to: p.to, t: 'if', test: c.test, body: c.body, orelse };
      orelse = [s];
    }
    return orelse[0] ?? { ...p, t: 'pass' };
  }

  /** `@a.b.c(args)` arrives as flat tokens: rebuild the attribute chain and the call. */
  decorator(d: SyntaxNode): Expr {
    const k = this.kids(d).filter((c) => c.name !== 'At');
    if (k.length === 1 || !k.some((c) => c.name === '.' || c.name === 'ArgList')) return this.exprOf(k);
    let e: Expr = this.expr(k[0]);
    for (let i = 1; i < k.length; i++) {
      const c = k[i];
      const p = this.pos({ from: k[0].from, to: c.to });
      if (c.name === 'VariableName' || c.name === 'PropertyName') e = { ...p, t: 'attr', obj: e, name: this.text(c) };
      else if (c.name === 'ArgList') e = { ...p, t: 'call', fn: e, args: this.args(c) };
    }
    return e;
  }

  params(n: SyntaxNode | undefined): Param[] {
    if (!n) return [];
    const out: Param[] = [];
    let mode: Param['kind'] = 'pos';
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === '*') {
        if (k[i + 1]?.name === 'VariableName') { out.push({ name: this.text(k[i + 1]), kind: 'vararg' }); i++; }
        mode = 'kwonly';
      } else if (c.name === '**') {
        if (k[i + 1]) out.push({ name: this.text(k[i + 1]), kind: 'kwarg' });
        i++;
      } else if (c.name === 'VariableName') {
        const param: Param = { name: this.text(c), kind: mode };
        if (k[i + 1]?.name === 'TypeDef') {
          param.annotation = this.exprOf(this.kids(k[i + 1]).filter((t) => t.name !== ':'));
          i++;
        }
        if (k[i + 1]?.name === 'AssignOp') {
          const end = indexFrom(k, i + 2, ',');
          param.default = this.exprOf(k.slice(i + 2, end < 0 ? k.length : end));
          i = end < 0 ? k.length : end - 1;
        }
        out.push(param);
      }
    }
    return out;
  }

  funcDef(k: SyntaxNode[], p: Pos, decorators: Expr[]): Stmt {
    const name = k.find((c) => c.name === 'VariableName');
    const bodyNode = k.find((c) => c.name === 'Body');
    const head = { ...p, t: 'def' as const, name: name ? this.text(name) : '<lambda>', params: this.params(k.find((c) => c.name === 'ParamList')), decorators };
    if (!this.lazyBodies) return { ...head, ...this.funcBody(bodyNode) };
    // converted on first use: most functions of an imported package are never called (bound, not closures
    // over this scope: a skipped body must not keep lezer's tree of its file alive through `bodyNode`)
    const at = k.find((c) => c.name === 'def')?.from ?? -1;
    const eol = this.skipped?.bodies.get(at);
    return lazyDef(head, at, eol, eol === undefined ? this.funcBody.bind(this, bodyNode) : this.skippedBody.bind(this, at, eol, head.name));
  }

  /** Whether the parse skipped function bodies (then `skippedBody` parses each from the text). */
  skipping(bodies: Map<number, number>): void {
    this.skipped = { bodies };
  }

  /**
   * The body lezer skipped of the def at `at`, parsed from the text alone; from a parse of the whole text when
   * it does not parse alone as that def.
   */
  skippedBody(at: number, eol: number, name: string): { body: Stmt[]; generator?: boolean } {
    const skipped = this.skipped!;
    const def = (skipped.pieces ??= new SourcePieces(this.src, this.lineStarts)).def(at, eol + 1, name);
    if (def) return def.generator ? { body: def.body, generator: true } : { body: def.body };
    let n: SyntaxNode | null = parser.parse(this.src).resolveInner(at, 1);
    while (n && n.name !== 'FunctionDefinition') n = n.parent;
    return this.funcBody(n?.getChild('Body') ?? undefined);
  }

  private funcBody(bodyNode: SyntaxNode | undefined): { body: Stmt[]; generator?: boolean } {
    const outerYields = this.yields;
    this.yields = 0;
    const body = this.body(bodyNode);
    const generator = this.yields > 0;
    this.yields = outerYields;
    return generator ? { body, generator } : { body };
  }

  /** `yield x`, `yield a, b`, `yield from it`; counted so that the enclosing def is a generator. */
  yieldExpr(k: SyntaxNode[], p: Pos): Expr {
    this.yields++;
    const delegate = k[1]?.name === 'from';
    const rest = k.slice(delegate ? 2 : 1);
    return { ...p, t: 'yield', value: rest.length ? this.exprOf(rest) : undefined, delegate };
  }

  classDef(k: SyntaxNode[], p: Pos, decorators: Expr[]): Stmt {
    const name = k.find((c) => c.name === 'VariableName');
    const argList = k.find((c) => c.name === 'ArgList');
    return {
      ...p, t: 'class', name: name ? this.text(name) : '<class>',
      bases: argList ? this.args(argList) : [], body: this.body(k.find((c) => c.name === 'Body')), decorators,
    };
  }

  dotted(nodes: SyntaxNode[]): string[] {
    return nodes.filter((c) => c.name === 'VariableName').map((c) => this.text(c));
  }

  importStmt(k: SyntaxNode[], p: Pos): Stmt {
    if (k[0]?.name === 'from') {
      const imp = k.findIndex((c) => c.name === 'import');
      const head = k.slice(1, imp);
      let level = 0;
      for (const c of head) if (c.name === '.') level++; else if (c.name === 'Ellipsis') level += 3; else break;
      // dots between names are separators, not levels
      const firstName = head.findIndex((c) => c.name === 'VariableName');
      level = head.slice(0, firstName < 0 ? head.length : firstName).reduce((a, c) => a + (c.name === '.' ? 1 : c.name === 'Ellipsis' ? 3 : 0), 0);
      const module = this.dotted(head);
      const rest = k.slice(imp + 1).filter((c) => c.name !== '(' && c.name !== ')');
      if (rest.some((c) => c.name === '*')) return { ...p, t: 'from', level, module, names: '*' };
      const names = this.splitOn(rest, ',').filter((g) => g.length).map((g) => {
        const asIdx = g.findIndex((c) => c.name === 'as');
        return { name: this.text(g[0]), as: asIdx >= 0 && g[asIdx + 1] ? this.text(g[asIdx + 1]) : undefined };
      });
      return { ...p, t: 'from', level, module, names };
    }
    const groups = this.splitOn(k.slice(1), ',');
    return {
      ...p, t: 'import',
      names: groups.filter((g) => g.length).map((g) => {
        const asIdx = g.findIndex((c) => c.name === 'as');
        return { path: this.dotted(asIdx < 0 ? g : g.slice(0, asIdx)), as: asIdx >= 0 && g[asIdx + 1] ? this.text(g[asIdx + 1]) : undefined };
      }),
    };
  }

  tryStmt(k: SyntaxNode[], p: Pos): Stmt {
    const s: Extract<Stmt, { t: 'try' }> = { ...p, t: 'try', body: [], handlers: [], orelse: [], final: [] };
    let i = 0;
    while (i < k.length) {
      const c = k[i];
      const b = indexFrom(k, i + 1, 'Body');
      if (b < 0) break;
      if (c.name === 'try') s.body = this.body(k[b]);
      else if (c.name === 'except') {
        const head = k.slice(i + 1, b);
        const asIdx = head.findIndex((x) => x.name === 'as');
        const typeNodes = (asIdx < 0 ? head : head.slice(0, asIdx)).filter((x) => x.name !== '*');
        s.handlers.push({
          type: typeNodes.length ? this.exprOf(typeNodes) : undefined,
          name: asIdx >= 0 && head[asIdx + 1] ? this.text(head[asIdx + 1]) : undefined,
          body: this.body(k[b]),
        });
      } else if (c.name === 'else') s.orelse = this.body(k[b]);
      else if (c.name === 'finally') s.final = this.body(k[b]);
      i = b + 1;
    }
    return s;
  }

  // ---- expressions ------------------------------------------------------------------------

  splitOn(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
    const out: SyntaxNode[][] = [[]];
    for (const c of nodes) if (c.name === sep) out.push([]); else out[out.length - 1].push(c);
    return out;
  }

  /**
   * `a in b`, `k: v`: the expressions either side of the first `sep`. Without one (a tree lezer
   * recovered), the whole run is the left side and the right side is unknown: no node is read twice.
   */
  splitAt(nodes: SyntaxNode[], sep: string, p: Pos): [Expr, Expr] {
    const i = indexFrom(nodes, 0, sep);
    if (i < 0) return [this.exprOf(nodes), { ...p, t: 'unknown', what: `malformed expression: no \`${sep}\`` }];
    return [this.exprOf(nodes.slice(0, i)), this.exprOf(nodes.slice(i + 1))];
  }

  /** A comma-separated run of tokens: each group is one expression (`*x` becomes starred). */
  commaList(nodes: SyntaxNode[]): Expr[] {
    return this.splitOn(nodes, ',').filter((g) => g.length).map((g) => this.exprOf(g));
  }

  /** Expression from a run of sibling nodes: one expression, `*x`, or a bare tuple `a, b`. */
  exprOf(nodes: SyntaxNode[]): Expr {
    try {
      return this.exprOfUnchecked(nodes);
    } catch {
      const p = nodes.length ? this.pos({ from: nodes[0].from, to: nodes[nodes.length - 1].to }) : { line: 1, from: 0, to: 0 };
      this.error(p);
      return { ...p, t: 'unknown', what: 'malformed expression' };
    }
  }

  private exprOfUnchecked(nodes: SyntaxNode[]): Expr {
    if (nodes.length === 0) return { line: 1, from: 0, to: 0, t: 'unknown', what: 'empty expression' };
    if (nodes.some((c) => c.name === ',')) {
      const first = nodes[0], last = nodes[nodes.length - 1];
      return { ...this.pos({ from: first.from, to: last.to }), t: 'tuple', items: this.commaList(nodes) };
    }
    if ((nodes[0].name === '*' || nodes[0].name === '**') && nodes.length > 1) {
      return { ...this.pos({ from: nodes[0].from, to: nodes[nodes.length - 1].to }), t: 'starred', v: this.expr(nodes[1]) };
    }
    return this.expr(nodes[0]);
  }

  args(n: SyntaxNode): Arg[] {
    return this.nested(n, () => this.argsInner(n)) ?? [];
  }

  private argsInner(n: SyntaxNode): Arg[] {
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    if (k.some((c) => c.name === 'for')) {
      // f(x for x in y): a single generator argument
      return [{ kind: 'pos', value: this.comprehension(k, 'gen', this.pos(n)) }];
    }
    const out: Arg[] = [];
    for (const g of this.splitOn(k, ',')) {
      if (!g.length) continue;
      if (g[0].name === '*') out.push({ kind: 'star', value: this.exprOf(g.slice(1)) });
      else if (g[0].name === '**') out.push({ kind: 'dstar', value: this.exprOf(g.slice(1)) });
      else if (g.length >= 3 && g[1].name === 'AssignOp' && g[0].name === 'VariableName') out.push({ kind: 'kw', name: this.text(g[0]), value: this.exprOf(g.slice(2)) });
      else out.push({ kind: 'pos', value: this.exprOf(g) });
    }
    return out;
  }

  comprehension(k: SyntaxNode[], kind: 'list' | 'set' | 'dict' | 'gen', p: Pos): Expr {
    const firstFor = k.findIndex((c) => c.name === 'for' || c.name === 'async');
    const head = k.slice(0, firstFor);
    let elt: Expr, value: Expr | undefined;
    if (kind === 'dict') [elt, value] = this.splitAt(head, ':', p);
    else elt = this.exprOf(head);
    const clauses: CompClause[] = [];
    let i = firstFor;
    while (i < k.length) {
      const c = k[i];
      if (c.name === 'async') { i++; continue; }
      const next = indexFrom(k, i + 1, 'for', 'if', 'async');
      const end = next < 0 ? k.length : next;
      if (c.name === 'for') {
        const [target, iter] = this.splitAt(k.slice(i + 1, end), 'in', p);
        clauses.push({ kind: 'for', target, iter });
      } else if (c.name === 'if') {
        clauses.push({ kind: 'if', test: this.exprOf(k.slice(i + 1, end)) });
      }
      i = end;
    }
    return { ...p, t: 'comp', kind, elt, value, clauses };
  }

  subscript(k: SyntaxNode[], p: Pos): Expr {
    // obj [ ... ] where ... are expressions separated by ',' with ':' for slices
    const open = indexFrom(k, 1, '[');
    const obj = this.expr(k[0]);
    const inner = open < 0 ? [] : k.slice(open + 1, k[k.length - 1]?.name === ']' ? k.length - 1 : k.length);
    const parts = this.splitOn(inner, ',');
    const items = parts.filter((g, i) => g.length || i < parts.length - 1).map((g): Expr => {
      if (!g.some((c) => c.name === ':')) return this.exprOf(g);
      const [lo, hi, step] = this.splitOn(g, ':');
      const gp = g.length ? this.pos({ from: g[0].from, to: g[g.length - 1].to }) : p;
      return { ...gp, t: 'slice', lo: lo?.length ? this.exprOf(lo) : undefined, hi: hi?.length ? this.exprOf(hi) : undefined, step: step?.length ? this.exprOf(step) : undefined };
    });
    const index: Expr = items.length === 1 && parts.length === 1 ? items[0] : { ...p, t: 'tuple', items };
    return { ...p, t: 'sub', obj, index };
  }

  expr(n: SyntaxNode): Expr {
    // leaves first: no child list, one object each (this runs for every name and number in the file)
    switch (n.name) {
      case 'VariableName': return { line: this.line(n.from), from: n.from, to: n.to, t: 'name', id: this.text(n) };
      case 'Number': return { line: this.line(n.from), from: n.from, to: n.to, t: 'num', v: parseNumber(this.text(n)) };
      case 'String': return { line: this.line(n.from), from: n.from, to: n.to, t: 'str', v: decodeString(this.text(n)) };
    }
    // a recovered tree can hand the same node to two readers; converting it again would double the
    // work at every level of nesting
    const key = `${n.type.id}:${n.from}:${n.to}`;
    const seen = this.converted.get(key);
    if (seen) return seen;
    const e = this.nested(n, () => this.compound(n)) ?? { ...this.pos(n), t: 'unknown', what: 'too deeply nested expression' };
    this.converted.set(key, e);
    return e;
  }

  /**
   * Converts a node that nests: past CPython's bracket limit or this converter's depth, the
   * syntax error CPython would give instead (undefined), and nothing deeper is read.
   */
  private nested<T>(n: SyntaxNode, convert: () => T): T | undefined {
    const bracket = BRACKETED.has(n.name) ? 1 : 0;
    if (this.brackets + bracket > MAX_BRACKETS) {
      this.error({ ...this.pos(n), message: 'SyntaxError: too many nested parentheses' });
      return undefined;
    }
    if (this.depth >= MAX_EXPR_DEPTH) {
      this.error({ ...this.pos(n), message: `expression nested more than ${MAX_EXPR_DEPTH} levels deep: ConvLens does not analyse it` });
      return undefined;
    }
    this.depth++;
    this.brackets += bracket;
    try {
      return convert();
    } finally {
      this.depth--;
      this.brackets -= bracket;
    }
  }

  private compound(n: SyntaxNode): Expr {
    const p = this.pos(n);
    const k = this.kids(n);
    switch (n.name) {
      case 'ContinuedString': return { ...p, t: 'str', v: k.map((c) => (c.name === 'String' ? decodeString(this.text(c)) : '')).join('') };
      case 'FormatString': return this.fstring(n, k, p);
      case 'Boolean': return { ...p, t: 'const', v: this.text(n) === 'True' };
      case 'None': return { ...p, t: 'const', v: null };
      case 'Ellipsis': return { ...p, t: 'const', v: 'ellipsis' };
      case 'ParenthesizedExpression': {
        const inner = k.filter((c) => c.name !== '(' && c.name !== ')');
        if (inner.some((c) => c.name === 'for')) return this.comprehension(inner, 'gen', p);
        return this.exprOf(inner);
      }
      case 'TupleExpression': return { ...p, t: 'tuple', items: this.commaList(k.filter((c) => c.name !== '(' && c.name !== ')')) };
      case 'ArrayExpression': return { ...p, t: 'list', items: this.commaList(k.filter((c) => c.name !== '[' && c.name !== ']')) };
      case 'SetExpression': return { ...p, t: 'set', items: this.commaList(k.filter((c) => c.name !== '{' && c.name !== '}')) };
      case 'ArrayComprehensionExpression': return this.comprehension(k.slice(1, -1), 'list', p);
      case 'SetComprehensionExpression': return this.comprehension(k.slice(1, -1), 'set', p);
      case 'DictionaryComprehensionExpression': return this.comprehension(k.slice(1, -1), 'dict', p);
      case 'ComprehensionExpression': return this.comprehension(k.slice(1, -1), 'gen', p);
      case 'DictionaryExpression': {
        const items: Extract<Expr, { t: 'dict' }>['items'] = [];
        for (const g of this.splitOn(k.filter((c) => c.name !== '{' && c.name !== '}'), ',')) {
          if (!g.length) continue;
          if (g[0].name === '**') { items.push({ dstar: this.exprOf(g.slice(1)) }); continue; }
          const [key, v] = this.splitAt(g, ':', p);
          items.push({ k: key, v });
        }
        return { ...p, t: 'dict', items };
      }
      case 'MemberExpression': {
        if (k[1]?.name === '[') return this.subscript(k, p);
        const prop = k.find((c) => c.name === 'PropertyName');
        return { ...p, t: 'attr', obj: this.expr(k[0]), name: prop ? this.text(prop) : '?' };
      }
      case 'CallExpression': {
        const argList = k.find((c) => c.name === 'ArgList');
        return { ...p, t: 'call', fn: this.expr(k[0]), args: argList ? this.args(argList) : [] };
      }
      case 'UnaryExpression': {
        const op = this.text(k[0]);
        if (op === 'not') return this.boolChain(n, p);
        return { ...p, t: 'unary', op, v: this.exprOf(k.slice(1)) };
      }
      case 'BinaryExpression':
        if (k[1]?.name === 'and' || k[1]?.name === 'or') return this.boolChain(n, p);
        return this.binary(k, p);
      case 'ConditionalExpression': {
        const ifIdx = indexFrom(k, 0, 'if');
        const elseIdx = ifIdx < 0 ? -1 : indexFrom(k, ifIdx + 1, 'else');
        if (elseIdx < 0) return { ...p, t: 'unknown', what: 'malformed conditional expression' };
        return { ...p, t: 'cond', body: this.exprOf(k.slice(0, ifIdx)), test: this.exprOf(k.slice(ifIdx + 1, elseIdx)), orelse: this.exprOf(k.slice(elseIdx + 1)) };
      }
      case 'LambdaExpression': {
        const colon = indexFrom(k, 0, ':');
        if (colon < 0) return { ...p, t: 'unknown', what: 'malformed lambda' };
        return { ...p, t: 'lambda', params: this.params(k.find((c) => c.name === 'ParamList')), body: this.exprOf(k.slice(colon + 1)) };
      }
      case 'YieldExpression': return this.yieldExpr(k, p);
      case 'NamedExpression': return { ...p, t: 'named', target: this.text(k[0]), value: this.exprOf(k.slice(2)) };
      default: return { ...p, t: 'unknown', what: n.name };
    }
  }

  /**
   * `not`, `and`, `or` with Python's precedence (or < and < not). The grammar lets `not` take
   * everything to its right (`not a and b` as `not (a and b)`), so the chain is flattened into
   * operands and keywords and parsed again.
   */
  boolChain(n: SyntaxNode, p: Pos): Expr {
    const toks: Array<'and' | 'or' | 'not' | Expr> = [];
    const flatten = (m: SyntaxNode): void => {
      const k = this.kids(m);
      if (m.name === 'UnaryExpression' && this.text(k[0]) === 'not') {
        toks.push('not');
        flatten(k[1]);
      } else if (m.name === 'BinaryExpression' && (k[1]?.name === 'and' || k[1]?.name === 'or')) {
        flatten(k[0]);
        toks.push(k[1].name as 'and' | 'or');
        flatten(k[2]);
      } else toks.push(this.expr(m));
    };
    flatten(n);
    let i = 0;
    const operand = (): Expr => {
      const t = toks[i++];
      if (t === 'not') return { ...p, t: 'unary', op: 'not', v: operand() };
      return typeof t === 'object' ? t : { ...p, t: 'unknown', what: 'malformed boolean expression' };
    };
    const chain = (op: 'and' | 'or', next: () => Expr) => (): Expr => {
      let l = next();
      while (toks[i] === op) { i++; l = { ...p, t: 'bool', op, l, r: next() }; }
      return l;
    };
    return chain('or', chain('and', operand))();
  }

  binary(k: SyntaxNode[], p: Pos): Expr {
    // l op r, with multi-token operators: `not in`, `is not`
    const l = this.expr(k[0]);
    let i = 1;
    let op = this.text(k[i]);
    if (k[i].name === 'not' && k[i + 1]?.name === 'in') { op = 'not in'; i++; }
    else if (k[i].name === 'is' && k[i + 1]?.name === 'not') { op = 'is not'; i++; }
    const r = this.exprOf(k.slice(i + 1));
    if (op === 'and' || op === 'or') return { ...p, t: 'bool', op, l, r };
    if (['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not', '<>'].includes(op)) return { ...p, t: 'cmp', op, l, r };
    return { ...p, t: 'bin', op, l, r };
  }

  fstring(n: SyntaxNode, k: SyntaxNode[], p: Pos): Expr {
    const parts: Array<string | Expr> = [];
    let cursor = n.from;
    const raw = this.text(n);
    const quoteLen = /^[a-zA-Z]*("""|'''|"|')/.exec(raw)?.[0].length ?? 2;
    cursor += quoteLen;
    for (const c of k) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > cursor) parts.push(this.src.slice(cursor, c.from));
      const inner = this.kids(c).filter((x) => !['{', '}', 'FormatSpec', 'FormatConversion', 'FormatSelfDoc'].includes(x.name));
      parts.push(inner.length ? this.exprOf(inner) : { ...this.pos(c), t: 'unknown', what: 'format' });
      cursor = c.to;
    }
    const end = n.to - (quoteLen - (/^[a-zA-Z]*/.exec(raw)?.[0].length ?? 1));
    if (end > cursor) parts.push(this.src.slice(cursor, end));
    return { ...p, t: 'fstr', parts };
  }
}

/** The first node at or after `start` with one of `names`, or -1 (a scan from `start`, so loops stay linear). */
function indexFrom(nodes: SyntaxNode[], start: number, ...names: string[]): number {
  for (let i = start; i < nodes.length; i++) if (names.includes(nodes[i].name)) return i;
  return -1;
}

function parseNumber(text: string): number {
  const s = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(s)) return NaN;
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  return Number(s);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

function decodeString(text: string): string {
  const m = /^([a-zA-Z]*)("""|'''|"|')/.exec(text);
  if (!m) return text;
  const raw = /r/i.test(m[1]);
  const q = m[2];
  const body = text.slice(m[0].length, text.endsWith(q) && text.length >= m[0].length + q.length ? text.length - q.length : text.length);
  if (raw) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|\n|.)/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e === '\n') return '';
    return ESCAPES[e] ?? `\\${e}`;
  });
}

interface Chunk {
  from: number;
  to: number;
  stmts: Stmt[];
  errors: Module['errors'];
}

/** What a parse leaves for the next parse of the same file, so that an edit re-parses little. */
export interface ParseState {
  src: string;
  chunks: Chunk[];
  /** Where the first syntax error starts (Infinity: none), and where the last one ends (-1: none). */
  firstError: number;
  lastErrorEnd: number;
  lazyBodies: boolean;
}

/**
 * `lazyBodies`: function bodies are converted when first read (imported modules; their syntax
 * errors are not reported, and those found late would only be appended to `errors`).
 */
export function parsePython(text: string, opts: { lazyBodies?: boolean } = {}): Module {
  return parseIncremental(text, undefined, opts).module;
}

/**
 * Where a parse of an edited text may start afresh: the start of the last top-level statement that
 * begins before the edit (so that an `else:` typed after an `if` joins it), when it starts a line
 * and nothing before it has a syntax error (lezer's error recovery may look across statements).
 * Everything before it is the same text, parsed the same way.
 */
function restartAt(previous: ParseState, editFrom: number): number {
  const { src, chunks } = previous;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const from = chunks[i].from;
    if (from >= editFrom) continue;
    if (from < previous.firstError && (from === 0 || src.charCodeAt(from - 1) === 10)) return from;
  }
  return 0;
}

/**
 * Where the fresh parse may stop: the first top-level statement of the previous parse that lies wholly
 * in the text after the edit and starts a line, when no syntax error of the previous parse reaches it
 * or lies after it (those statements carry no errors). From there on the text is the same, so its
 * statements are the previous ones, moved. (The parse up to there must end without an error, or it
 * may have wanted to run on, and without a backslash continuation.)
 */
function resumeAt(previous: ParseState, src: string, editEndOld: number): { at: number; index: number } | undefined {
  const { src: old, chunks } = previous;
  const delta = src.length - old.length;
  for (let i = 0; i < chunks.length; i++) {
    const from = chunks[i].from;
    if (from < editEndOld || from === 0) continue;
    if (from <= previous.lastErrorEnd) return undefined;
    if (old.charCodeAt(from - 1) === 10 && src.charCodeAt(from + delta - 1) === 10) return { at: from + delta, index: i };
  }
  return undefined;
}

const newlines = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
};

/** lezer's parse of src[start, end), converted with the file's own positions. */
function convertRange(src: string, regions: Array<{ from: number; to: number }>, start: number, end: number, lazyBodies: boolean): { c: Converter; chunks: Chunk[]; clean: boolean } {
  const c = new Converter(src, lazyBodies);
  const skel = lazyBodies && skipBodies ? skeleton(src, start, end) : undefined;
  let tree = skel ? parser.parse(skel.src, undefined, skel.ranges) : undefined;
  let unsafe = !tree || unsafeStretch(tree);
  // an error in the skeleton may be the scan's: the stretch is parsed whole instead
  if (skel && tree && !unsafe) c.skipping(skel.bodies);
  else {
    tree = parser.parse(start === 0 && end === src.length ? src : src.slice(start, end));
    unsafe = unsafeStretch(tree);
  }
  // placed at `start` in a tree of the whole text, so that positions are the file's (a parse over ranges
  // counts from the first one's start too)
  const top = start > 0 ? new Tree(NodeType.none, [tree], [start], src.length).topNode.firstChild! : tree.topNode;
  for (const r of regions) c.error({ ...c.pos(r), message: 'SyntaxError: too many nested parentheses' });
  return { c, chunks: c.topLevel(top), clean: !unsafe && !endsInContinuation(src, start, end) };
}

/**
 * Whether the last line of code in src[start, end) ends with a backslash: the logical line goes on
 * past the comments and blank lines after it, into the next statement (lezer sees no error at the end).
 */
function endsInContinuation(src: string, start: number, end: number): boolean {
  let lineEnd = end;
  while (lineEnd > start) {
    const lineStart = Math.max(start, src.lastIndexOf('\n', lineEnd - 1) + 1);
    const code = src.slice(lineStart, lineEnd).trim();
    if (code && !code.startsWith('#')) return code.endsWith('\\');
    // the newline that ends the line before
    lineEnd = lineStart - 1;
  }
  return false;
}

/** Nodes nested deeper than this in a re-parsed stretch mean a parse of the whole file (see below). */
const MAX_STRETCH_DEPTH = 200;

/**
 * Whether a stretch parsed on its own may read differently inside the whole file: lezer recovered from
 * an error somewhere (an unterminated string's is inside the String node), or nesting is deep enough
 * for lezer to force reductions by the size of its whole stack (more than 2,800 levels, or 300
 * left-associative operators in a row), which the statements before the stretch add to.
 */
function unsafeStretch(tree: Tree): boolean {
  const cursor = tree.cursor();
  let depth = 0;
  for (;;) {
    if (cursor.type.isError || depth > MAX_STRETCH_DEPTH) return true;
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return false;
      depth--;
    }
  }
}

/** Where the line that holds `at` ends (its newline, or the end of the text). */
const lineEnd = (s: string, at: number): number => {
  const i = s.indexOf('\n', at);
  return i < 0 ? s.length : i;
};

/**
 * An edit inside one simple statement that has its line to itself (`self.fc = nn.Linear(512, 10)` → `11`): that
 * line alone is parsed again and put in the previous parse's place, whose nodes after it move by the change in
 * length (a nested statement's whole top-level one was parsed again: a class of 100 lines per keystroke). Undefined
 * when that does not hold, or the line does not parse alone as one such statement ending where it should; the
 * caller then parses the top-level statements the edit touches. Only for a previous parse without errors.
 */
function reparseStatement(previous: ParseState, src: string, from: number, oldTo: number): ReturnType<typeof parseIncremental> | undefined {
  const old = previous.src;
  const offset = src.length - old.length;
  if (previous.lazyBodies || previous.firstError !== Infinity || old.slice(from, oldTo).includes('\n') || src.slice(from, oldTo + offset).includes('\n')) return undefined;
  const k = previous.chunks.findIndex((c) => c.from <= from && oldTo <= c.to);
  const place = k < 0 ? undefined : statementAround(previous.chunks[k].stmts, from, oldTo);
  const stmt = place?.list[place.index];
  if (!place || !stmt) return undefined;
  const lineStart = old.lastIndexOf('\n', stmt.from - 1) + 1;
  const code = old.slice(stmt.from, stmt.to);
  // code only from the line's indentation to a comment at most, and no `yield` (which makes its def a generator)
  const alone = (s: string, to: number) => /^[ \t]*$/.test(s.slice(lineStart, stmt.from)) && /^[ \t]*(#[^\r\n]*)?\r?$/.test(s.slice(to, lineEnd(s, to)));
  const end = lineEnd(src, oldTo + offset);
  const piece = src.slice(stmt.from, end);
  if (code.includes('\n') || !alone(old, stmt.to) || /\byield\b/.test(code) || /\byield\b/.test(piece) || endsInContinuation(src, stmt.from, end)) return undefined;
  const tree = parser.parse(piece);
  if (unsafeStretch(tree)) return undefined;
  const c = new Converter(src, false);
  const chunks = c.topLevel(new Tree(NodeType.none, [tree], [stmt.from], src.length).topNode.firstChild!);
  const fresh = chunks.length === 1 && chunks[0].stmts.length === 1 ? chunks[0].stmts[0] : undefined;
  if (!fresh || c.errors.length || !isSimple(fresh) || fresh.from !== stmt.from || fresh.to !== stmt.to + offset || !alone(src, fresh.to)) return undefined;
  // the previous parse is done with: the nodes after the edit move, those around it end later or sooner
  const seen = new Set<object>([stmt]);
  for (const chunk of previous.chunks.slice(k)) shiftFrom(chunk, oldTo, offset, seen);
  place.list[place.index] = fresh;
  const state: ParseState = { src, chunks: previous.chunks, lazyBodies: false, firstError: Infinity, lastErrorEnd: -1 };
  return { module: { body: state.chunks.flatMap((x) => x.stmts), errors: c.errors, lineStarts: c.lineStarts }, state, work: c.work };
}

/**
 * Parses `text`, reusing what `previous` (the parse of an earlier version of the same file) still
 * holds: the top-level statements before the edit keep their AST, those after it are moved, and lezer
 * parses only the statements the edit may change; when that stretch has a syntax error or very deep
 * nesting, the whole text is parsed (how lezer recovers and cuts depends on what came before). lezer's own incremental parse, from
 * tree fragments, is not used: it can nest a class in the one above it when a line far below is edited
 * (Python's indentation tracking does not survive its reuse of nodes). `work`: the tree nodes the
 * converter read, linear in the tree's size (tests bound it).
 */
export function parseIncremental(text: string, previous?: ParseState, opts: { lazyBodies?: boolean } = {}): { module: Module; state: ParseState; work: number } {
  const lazyBodies = opts.lazyBodies ?? false;
  const { src, regions } = blankTooDeep(parenthesiseMatchSubjects(fixTrailingDotFloats(text)));
  if (previous?.lazyBodies !== lazyBodies) previous = undefined;
  let start = 0;
  let resume: { at: number; index: number } | undefined;
  let lineShift = 0;
  if (previous) {
    const a = previous.src;
    let prefix = 0;
    const max = Math.min(a.length, src.length);
    while (prefix < max && a.charCodeAt(prefix) === src.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < max - prefix && a.charCodeAt(a.length - 1 - suffix) === src.charCodeAt(src.length - 1 - suffix)) suffix++;
    const inLine = regions.length ? undefined : reparseStatement(previous, src, prefix, a.length - suffix);
    if (inLine) return inLine;
    start = restartAt(previous, prefix);
    // function bodies converted lazily hold lezer's nodes, which cannot be moved
    resume = lazyBodies ? undefined : resumeAt(previous, src, a.length - suffix);
    lineShift = newlines(src, prefix, src.length - suffix) - newlines(a, prefix, a.length - suffix);
  }
  let parsed = convertRange(src, regions, start, resume?.at ?? src.length, lazyBodies);
  if (!parsed.clean && (start > 0 || resume)) {
    // lezer's error recovery depends on what came before (a half-typed `try:` in fixture 61, parsed from
    // the class above it, had 5 errors where the whole file has 1), and so do its cuts of very deep nesting
    start = 0;
    resume = undefined;
    parsed = convertRange(src, regions, 0, src.length, lazyBodies);
  }
  const { c } = parsed;
  const kept = start > 0 && previous ? previous.chunks.filter((k) => k.to <= start) : [];
  const offset = src.length - (previous?.src.length ?? 0);
  // the previous parse is done with: its statements after the edit move where they now are
  const moved = resume && previous ? previous.chunks.slice(resume.index) : [];
  if (offset !== 0 || lineShift !== 0) {
    const seen = new Set<object>();
    for (const k of moved) {
      k.from += offset;
      k.to += offset;
      shiftPositions(k.stmts, lineShift, offset, seen);
    }
  }
  const chunks = [...kept, ...parsed.chunks, ...moved];
  return {
    module: { body: chunks.flatMap((k) => k.stmts), errors: c.errors, lineStarts: c.lineStarts },
    state: {
      src, chunks, lazyBodies,
      firstError: c.errors.reduce((m, e) => Math.min(m, e.from), Infinity),
      lastErrorEnd: c.errors.reduce((m, e) => Math.max(m, e.to), -1),
    },
    work: c.work,
  };
}

const DEF_KEYWORD = /[ \t]*(?:async[ \t]+)?def\b/y;

/**
 * A file's text, prepared once, from which single functions are parsed again with the file's own
 * positions: an import snapshot read from disk (`snapshot-serial.ts`) holds its functions by place and
 * converts a body when the function is first called, without parsing the whole file.
 */
export class SourcePieces {
  /** Where the file's lines start, computed once. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string, lineStarts?: number[]) {
    if (lineStarts) this.lineStarts = lineStarts;
    else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /**
   * The top-level statements lezer finds in text[from, to), converted in place (function bodies lazily);
   * `oneLine`: its line breaks read as spaces (an expression written over lines inside brackets). Only
   * the piece is prepared as a whole file is (`1.` floats, brackets nested too deep): both keep its length.
   */
  private parse(from: number, to: number, oneLine = false): Stmt[] {
    const raw = this.text.slice(from, to);
    const piece = blankTooDeep(parenthesiseMatchSubjects(fixTrailingDotFloats(oneLine ? raw.replace(/[\r\n]/g, ' ') : raw))).src;
    const tree = parser.parse(piece);
    // the file's own text when the piece needed no change (most do not): a text put together anew per
    // function would be copied whole, once per function, when the converter first reads it
    const src = piece === raw ? this.text : this.text.slice(0, from) + piece + this.text.slice(to);
    const top = new Tree(NodeType.none, [tree], [from], src.length).topNode.firstChild!;
    const c = new Converter(src, true, this.lineStarts);
    return c.topLevel(top).flatMap((k) => k.stmts);
  }

  /**
   * The `def` statement (decorators included) at [from, to) named `name`, parsed from its `def` keyword
   * (a method's later lines are indented more than that, so the piece parses alone); undefined when the
   * text there is no such function.
   */
  def(from: number, to: number, name: string): Extract<Stmt, { t: 'def' }> | undefined {
    // past the decorators: the first line (from `from` on) that starts with the keyword
    let at = from;
    for (;;) {
      DEF_KEYWORD.lastIndex = at;
      const m = DEF_KEYWORD.exec(this.text);
      if (m) {
        at += m[0].length - m[0].trimStart().length;
        break;
      }
      const eol = this.text.indexOf('\n', at);
      if (eol < 0 || eol + 1 >= to) return undefined;
      at = eol + 1;
    }
    const [s, ...rest] = this.parse(at, to);
    if (rest.length || s?.t !== 'def' || s.name !== name) return undefined;
    s.from = from;
    s.line = new Converter('', true, this.lineStarts).line(from);
    return s;
  }

  /**
   * The lambda expression whose body is at [from, to); undefined when there is none (or a comment or a
   * backslash inside it: its lines are read as one).
   */
  lambda(from: number, to: number): Extract<Expr, { t: 'lambda' }> | undefined {
    const at = this.text.lastIndexOf('lambda', from - 1);
    if (at < 0) return undefined;
    const [s, ...rest] = this.parse(at, to, true);
    const e = s?.t === 'expr' ? s.value : undefined;
    return !rest.length && e?.t === 'lambda' && e.body.from === from && e.body.to === to ? e : undefined;
  }
}
