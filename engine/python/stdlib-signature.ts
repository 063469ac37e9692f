// inspect.signature of a Python function: its parameters in order, each with its name, kind, default and
// annotation, the annotation evaluated where the function was defined (what Python evaluated at the def).
// torchvision's get_model_weights finds a builder's weights enum in `Optional[ResNet50_Weights]` this way.
// Anything else (a native, a class) keeps a Signature with nothing filled, as before.
import type { Expr, Param } from './ast';
import { makeClass, pyDict } from './builtins';
import { DefFunction } from './def-function';
import type { Interpreter } from './interpreter';
import { PyRaise, isObj, unknown, type CallSite, type PyClass, type PyFunction, type Value } from './values';

const KINDS: Record<Param['kind'], number> = { pos: 1, vararg: 2, kwonly: 3, kwarg: 4 };

export interface SignatureClasses { signature: PyClass; parameter: PyClass; empty: PyClass }

export function signatureClasses(): SignatureClasses {
  const empty = makeClass('_empty');
  const parameter = makeClass('Parameter');
  for (const [name, n] of [['POSITIONAL_ONLY', 0], ['POSITIONAL_OR_KEYWORD', 1], ['VAR_POSITIONAL', 2], ['KEYWORD_ONLY', 3], ['VAR_KEYWORD', 4]] as const) {
    parameter.dict.set(name, n);
  }
  parameter.dict.set('empty', empty);
  const signature = makeClass('Signature');
  signature.dict.set('empty', empty);
  return { signature, parameter, empty };
}

/** The annotations of a def's parameters (a def read back from a snapshot is parsed for them). */
function annotations(fn: PyFunction): Array<Expr | undefined> {
  const def = fn instanceof DefFunction ? (fn.def as { annotations?: Array<Expr | undefined> }) : undefined;
  return def?.annotations ?? fn.params.map((p) => p.annotation);
}

export function signatureOf(interp: Interpreter, c: SignatureClasses, target: Value, site: CallSite): Value {
  const bound = isObj(target) && target.k === 'bound' && target.fn.k === 'func';
  let fn = bound ? target.fn as PyFunction : isObj(target) && target.k === 'func' ? target : undefined;
  // as inspect.signature does, through functools.wraps to the function wrapped (a decorated builder)
  for (let hops = 0; fn?.wraps && hops < 100; hops++) {
    const inner: Value = fn.wraps.wrapped;
    fn = isObj(inner) && inner.k === 'func' ? inner : undefined;
  }
  if (!fn) return { k: 'inst', cls: c.signature, attrs: new Map() };
  const notes = annotations(fn);
  const annotation = (e: Expr | undefined): Value => {
    if (!e) return c.empty;
    try {
      return interp.eval(e, fn.closure, fn.module);
    } catch (err) {
      if (err instanceof PyRaise) return unknown(`the annotation at line ${e.line}: ${err.message}`, site.line);
      throw err;
    }
  };
  const params = fn.params.map((p, i): [Value, Value] => [p.name, {
    k: 'inst', cls: c.parameter, attrs: new Map<string, Value>([
      ['name', p.name], ['kind', KINDS[p.kind]], ['default', fn.defaults.get(p.name) ?? c.empty], ['annotation', annotation(notes[i])],
    ]),
  }]);
  return {
    k: 'inst', cls: c.signature,
    attrs: new Map<string, Value>([['parameters', pyDict(bound ? params.slice(1) : params)], ['return_annotation', unknown('a return annotation')]]),
  };
}
