// `match` statements (Python 3.10), rewritten into what the interpreter already runs: the subject is bound to a
// hidden name, then an if/elif chain tests each case's pattern in order. A pattern is an expression of
// comparisons, isinstance/len checks and walrus bindings (`(name := subject, True)[1]` binds a capture), so an
// unknown subject is what an unknown `if` condition is: taken as false, noted as a guess. A pattern this rewrite
// does not know (`{**rest}` keys it cannot list) tests as unknown, never as a silent match or miss.
import type { SyntaxNode } from '@lezer/common';
import type { Expr, Pos, Stmt } from './ast';

/** What the rewrite needs of the converter. */
export interface PatternHost {
  kids(n: SyntaxNode): SyntaxNode[];
  text(n: { from: number; to: number }): string;
  pos(n: { from: number; to: number }): Pos;
  line(offset: number): number;
  expr(n: SyntaxNode): Expr;
  exprOf(nodes: SyntaxNode[]): Expr;
  body(n: SyntaxNode | undefined): Stmt[];
}

/** An expression without its position (every node the rewrite makes takes the match statement's). */
type Bare<T> = T extends unknown ? Omit<T, keyof Pos> : never;

/** Builtins whose class pattern's one positional sub-pattern matches the subject itself (`case int(n):`). */
const SELF_MATCHING = new Set(['bool', 'bytearray', 'bytes', 'dict', 'float', 'frozenset', 'int', 'list', 'set', 'str', 'tuple']);

export function matchStatement(h: PatternHost, n: SyntaxNode): Stmt[] {
  const p = h.pos(n);
  const k = h.kids(n);
  const bodyAt = k.findIndex((c) => c.name === 'MatchBody');
  // one name for every match: a nested match runs only inside a case body, when the outer tests are done; a name
  // without a position, so that an edit above re-parsed incrementally (positions shifted) equals a fresh parse
  const subjectName = 'match·subject';
  const at = (pos: Pos, e: Bare<Expr>): Expr => ({ ...pos, ...e }) as Expr;
  const subject = at(p, { t: 'name', id: subjectName });
  const bind: Stmt = { ...p, t: 'assign', targets: [subject], value: h.exprOf(k.slice(1, bodyAt < 0 ? k.length : bodyAt)) };
  const clauses = bodyAt < 0 ? [] : h.kids(k[bodyAt]).filter((c) => c.name === 'MatchClause');

  const yes = at(p, { t: 'const', v: true });
  const and = (l: Expr, r: Expr): Expr => (l === yes ? r : r === yes ? l : at(p, { t: 'bool', op: 'and', l, r }));
  const call = (fn: string, ...args: Expr[]): Expr =>
    at(p, { t: 'call', fn: at(p, { t: 'name', id: fn }), args: args.map((value) => ({ kind: 'pos' as const, value })) });
  const num = (v: number): Expr => at(p, { t: 'num', v });
  const str = (v: string): Expr => at(p, { t: 'str', v });
  const sub = (obj: Expr, index: Expr): Expr => at(p, { t: 'sub', obj, index });
  const cmp = (op: string, l: Expr, r: Expr): Expr => at(p, { t: 'cmp', op, l, r });
  // `(name := value, True)[1]`: binds and is true whatever the value
  const capture = (name: string, value: Expr): Expr =>
    name === '_' ? yes : sub(at(p, { t: 'tuple', items: [at(p, { t: 'named', target: name, value }), yes] }), num(1));
  const unknownTest = (what: string): Expr => at(p, { t: 'unknown', what: `the match pattern ${what}` });

  const pattern = (pn: SyntaxNode, value: Expr): Expr => {
    const pk = h.kids(pn);
    switch (pn.name) {
      case 'CapturePattern': return capture(h.text(pn), value);
      case 'LiteralPattern': {
        if (!pk.length) return yes; // lezer's empty node inside `str()`
        // `-3` arrives as two tokens
        const lit = pk[0].name === 'ArithOp' ? at(p, { t: 'unary', op: h.text(pk[0]), v: h.exprOf(pk.slice(1)) }) : h.exprOf(pk);
        return cmp(lit.t === 'const' ? 'is' : '==', value, lit);
      }
      // `Color.RED` arrives as flat tokens: the attribute chain is rebuilt
      case 'AttributePattern': return cmp('==', value, pk.filter((c) => c.name !== '.').map((c) => h.text(c))
        .reduce<Expr | undefined>((obj, name) => at(p, obj ? { t: 'attr', obj, name } : { t: 'name', id: name }), undefined) ?? yes);
      case 'OrPattern': {
        const alts = pk.filter((c) => c.name.endsWith('Pattern')).map((c) => pattern(c, value));
        return alts.reduce((l, r) => at(p, { t: 'bool', op: 'or', l, r }));
      }
      case 'AsPattern': {
        const inner = pk.find((c) => c.name.endsWith('Pattern'));
        const name = pk.filter((c) => c.name === 'VariableName').pop();
        return and(inner ? pattern(inner, value) : yes, name ? capture(h.text(name), value) : yes);
      }
      case 'ParenthesizedPattern': {
        const inner = pk.find((c) => c.name.endsWith('Pattern'));
        return inner ? pattern(inner, value) : unknownTest(h.text(pn));
      }
      case 'SequencePattern': return sequence(pk.filter((c) => c.name.endsWith('Pattern')), value);
      case 'MappingPattern': return mapping(pk, value, h.text(pn));
      case 'ClassPattern': return classPattern(pk, value);
      default: return unknownTest(h.text(pn));
    }
  };

  const sequence = (items: SyntaxNode[], value: Expr): Expr => {
    const star = items.findIndex((c) => c.name === 'StarPattern');
    const isSeq = call('isinstance', value, at(p, { t: 'tuple', items: [at(p, { t: 'name', id: 'list' }), at(p, { t: 'name', id: 'tuple' })] }));
    const fixed = star < 0 ? items.length : items.length - 1;
    let test = and(isSeq, cmp(star < 0 ? '==' : '>=', call('len', value), num(fixed)));
    items.forEach((item, i) => {
      if (i === star) {
        const name = h.kids(item).find((c) => c.name === 'CapturePattern');
        const rest = at(p, { t: 'slice', lo: num(i), hi: i === items.length - 1 ? undefined : num(i - items.length + 1) });
        if (name) test = and(test, capture(h.text(name), call('list', sub(value, rest))));
      } else {
        test = and(test, pattern(item, sub(value, num(star >= 0 && i > star ? i - items.length : i))));
      }
    });
    return test;
  };

  const mapping = (pk: SyntaxNode[], value: Expr, text: string): Expr => {
    if (pk.some((c) => c.name === '**')) return unknownTest(text);
    let test = call('isinstance', value, at(p, { t: 'name', id: 'dict' }));
    const parts = pk.filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',' && c.name !== ':');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const key = h.exprOf(h.kids(parts[i]).length ? h.kids(parts[i]) : [parts[i]]);
      test = and(test, and(cmp('in', key, value), pattern(parts[i + 1], sub(value, key))));
    }
    return test;
  };

  const classPattern = (pk: SyntaxNode[], value: Expr): Expr => {
    const argList = pk.find((c) => c.name === 'PatternArgList');
    const cls = h.exprOf(pk.slice(0, argList ? pk.indexOf(argList) : pk.length));
    let test = call('isinstance', value, cls);
    const args = argList ? h.kids(argList).filter((c) => c.name.endsWith('Pattern') && (c.name !== 'LiteralPattern' || h.kids(c).length)) : [];
    let position = 0;
    for (const a of args) {
      if (a.name === 'KeywordPattern') {
        const ak = h.kids(a);
        const attr = h.text(ak[0]);
        const inner = ak.find((c, i) => i > 0 && c.name.endsWith('Pattern'));
        test = and(test, and(call('hasattr', value, str(attr)), inner ? pattern(inner, at(p, { t: 'attr', obj: value, name: attr })) : yes));
      } else if (cls.t === 'name' && SELF_MATCHING.has(cls.id) && position === 0) {
        test = and(test, pattern(a, value));
        position++;
      } else {
        // the attribute named by the class's __match_args__ (a dataclass's fields, in order)
        const names = at(p, { t: 'attr', obj: call('type', value), name: '__match_args__' });
        test = and(test, pattern(a, call('getattr', value, sub(names, num(position++)))));
      }
    }
    return test;
  };

  let orelse: Stmt[] = [];
  for (let j = clauses.length - 1; j >= 0; j--) {
    const ck = h.kids(clauses[j]);
    const patternNode = ck.find((c) => c.name.endsWith('Pattern'));
    const guard = ck.find((c) => c.name === 'Guard');
    const guardTest = guard ? h.exprOf(h.kids(guard).slice(1)) : yes;
    const test = and(patternNode ? pattern(patternNode, subject) : unknownTest(h.text(clauses[j])), guardTest);
    const cp = h.pos(clauses[j]);
    const body = h.body(ck.find((c) => c.name === 'Body'));
    // an irrefutable last case (`case _:`) is the else branch
    orelse = test === yes && j === clauses.length - 1 ? body : [{ ...cp, t: 'if', test, body, orelse }];
  }
  return [bind, ...orelse];
}
