// Runtime values of the abstract interpreter. Python's None/bool/int/float/str are JavaScript's
// null/boolean/number/string; everything else is an object tagged by `k`. A value the analysis
// cannot know is `Unknown`, which carries the reason and flows through every operation.
import type { Expr, Param, Stmt } from './ast';
import type { Dim } from '../shapes/dim';
import type { Interpreter } from './interpreter';

export type Value = null | boolean | number | string | PyObject;

export type PyObject =
  | PyList | PyTuple | PyDict | PySet | PySlice
  | PyFunction | PyNative | PyWrapped | PyBound
  | PyClass | PyInstance | PyModule
  | PyUnknown | PySymDim | PyIterator | PyHostObject;

/** `deque` marks a collections.deque (a list with appendleft/popleft). */
export interface PyList { k: 'list'; items: Value[]; deque?: true }
/** `size`: a torch.Size (a shape), which legacy constructors read as sizes, not data. */
export interface PyTuple {
  k: 'tuple'; items: Value[]; size?: true;
  /** Names of the items, read as attributes (torch's `x.max(1).values`, `.indices`). */
  fields?: string[];
}
export interface PySet { k: 'set'; items: Value[] }
/** `factory` is a defaultdict's default_factory: called for a missing key, whose value it becomes. */
export interface PyDict { k: 'dict'; map: Map<unknown, [Value, Value]>; ordered?: boolean; factory?: Value }
export interface PySlice { k: 'slice'; lo: Value; hi: Value; step: Value }
export interface PyIterator { k: 'iter'; items: Value[] }
/** A symbolic tensor size (`N`, `H/2`) used as a Python int. */
export interface PySymDim { k: 'sym'; d: Exclude<Dim, number | null> }
/**
 * `made`: this unknown value is what calling an unknown callable gave (`Mystery(8, 16)`): the callee
 * as written and where, so that a module attribute or container item holding it stays visible.
 */
/**
 * `spread`: `f(*x)` of an unknown x, one argument standing for as many as x held (none to any).
 * `name`: what an unknown callable stands for when that is known (a registry's entry), for messages.
 */
export interface PyUnknown {
  k: 'unknown'; reason: string; line: number; made?: { name: string; site: CallSite }; spread?: true; name?: string;
  /** An attribute of another unknown value (`model.fc` of an unknown `model`): not what `made` made. */
  attribute?: true;
  /** Known not to be a tensor (a tensor's `device` or `dtype`): no statement hint shows it as one. */
  notTensor?: true;
}

/** A call of an unknown callable: what frameworks are told, to keep what they cannot model visible. */
export interface UnknownCall {
  fn: PyUnknown;
  /** The callee as written (`Mystery`, `torch.special.foo`, `x.stft`), or what made it. */
  name: string;
  /** The object of `obj.method(…)` when the callee was an attribute of it. */
  receiver?: Value;
  args: Value[];
  kwargs: Map<string, Value>;
  site: CallSite;
}

export interface Scope {
  vars: Map<string, Value>;
  parent?: Scope;
  /** Module globals. */
  globals: Map<string, Value>;
  globalNames?: Set<string>;
  nonlocalNames?: Set<string>;
}

export interface ModuleInfo {
  /** Dotted module name (`torchvision.models.resnet`), `__main__` for the analysed file. */
  name: string;
  file: string;
  /** The package for relative imports (`torchvision.models`). */
  pkg: string;
}

export interface PyFunction {
  k: 'func';
  name: string;
  qualname: string;
  params: Param[];
  defaults: Map<string, Value>;
  body: Stmt[] | Expr;
  closure: Scope;
  module: ModuleInfo;
  line: number;
  /** A generator function: calling it runs the body at once and returns an iterator over what it yielded. */
  generator?: boolean;
  /** What functools.wraps copied from the function it wraps: `__module__` and `__wrapped__`. */
  wraps?: { module: string; wrapped: Value };
}

export interface CallSite {
  line: number;
  from: number;
  to: number;
  file: string;
}

/** A function implemented in TypeScript. */
export interface PyNative {
  k: 'native';
  name: string;
  /** `interp`: the running interpreter, which natives shared across analyses use (see `portable.ts`). */
  call(args: Value[], kwargs: Map<string, Value>, site: CallSite, interp?: Interpreter): Value;
}

/** staticmethod / classmethod / property wrappers. */
export interface PyWrapped { k: 'wrapped'; kind: 'static' | 'class' | 'property'; fn: Value }

export interface PyBound { k: 'bound'; self: Value; fn: PyFunction | PyNative }

export interface PyClass {
  k: 'class';
  name: string;
  qualname: string;
  bases: PyClass[];
  mro: PyClass[];
  dict: Map<string, Value>;
  module?: ModuleInfo;
  line: number;
  /** Bases written in the class statement whose value is unknown (an unresolved import): why each is. */
  unknownBases?: Array<{ written: string; reason: string }>;
  /** Native behaviour: how calling the class builds a value (builtins like int, list, OrderedDict). */
  construct?: (args: Value[], kwargs: Map<string, Value>, site: CallSite, cls: PyClass, interp: Interpreter) => Value;
  /** Framework tag used by isinstance on native classes and by the framework layer. */
  tag?: string;
  /** `metaclass=`, own or inherited: its methods are the class's own (torchvision's StrEnumMeta.from_str). */
  meta?: PyClass;
}

export interface PyInstance {
  k: 'inst';
  cls: PyClass;
  attrs: Map<string, Value>;
  /** Framework state (an nn.Module's children, parameters, config, …). */
  ext?: unknown;
}

export interface PyModule {
  k: 'module';
  name: string;
  attrs: Map<string, Value>;
  /** Lazily supplies attributes not set yet (submodules of packages, framework modules). */
  getattr?: (name: string) => Value | undefined;
}

/** An object owned by a framework (an abstract tensor, a torch.Size, …) with its own protocol. */
export interface PyHostObject {
  k: 'host';
  kind: string;
  getattr(name: string, site: CallSite): Value;
  /** Binary operators; return undefined to fall back to the default (unknown). */
  binop?(op: string, other: Value, reflected: boolean, site: CallSite): Value | undefined;
  unop?(op: string, site: CallSite): Value | undefined;
  /** `self op= other` done in place (a tensor's `+=`); undefined to fall back to `binop`. */
  inplaceBinop?(op: string, other: Value, site: CallSite): Value | undefined;
  /** `self op other` (`<`, `==`, …) when it gives a value of its own (numpy's elementwise masks). */
  compare?(op: string, other: Value, site: CallSite): Value | undefined;
  getitem?(index: Value, site: CallSite): Value;
  /** `obj.name = v`; false when the object keeps no such attribute (the assignment is then dropped). */
  setattr?(name: string, v: Value, site: CallSite): boolean;
  iterate?(): Value[] | undefined;
  call?(args: Value[], kwargs: Map<string, Value>, site: CallSite): Value;
  len?(): Value;
  repr(): string;
}

export const unknown = (reason: string, line = 0): PyUnknown => ({ k: 'unknown', reason, line });
/** An unknown value a call of `name` made at `site`: discovery names the variable holding it (a model it cannot see). */
export const madeUnknown = (reason: string, line: number, name: string, site: CallSite): PyUnknown => ({ k: 'unknown', reason, line, made: { name, site } });

export const isObj = (v: Value): v is PyObject => v !== null && typeof v === 'object';
export const isUnknown = (v: Value): v is PyUnknown => isObj(v) && v.k === 'unknown';
export const tuple = (items: Value[]): PyTuple => ({ k: 'tuple', items });
export const list = (items: Value[]): PyList => ({ k: 'list', items });

export function native(name: string, call: PyNative['call']): PyNative {
  return { k: 'native', name, call };
}

/** A Python exception raised by the analysed code (`raise`), or by a builtin on bad input. */
export class PyRaise extends Error {
  /** Where it was raised, then every call site it left on its way out, innermost first: its traceback. */
  readonly traceback: Array<{ file: string; line: number }>;

  constructor(readonly type: string, readonly detail: string, readonly line: number, readonly value?: Value, file = '') {
    super(`${type}: ${detail}`);
    this.traceback = [{ file, line }];
  }
}

/**
 * Where an exception shows in `file`: the innermost line of its traceback there (0 when it never
 * passed through that file), and the place it was raised when that is in another file (a library).
 */
export function raisedIn(e: PyRaise, file: string): { line: number; origin?: { file: string; line: number } } {
  const here = e.traceback.find((t) => t.file === file && t.line > 0);
  const first = e.traceback[0];
  return { line: here?.line ?? 0, ...(first.file && first.file !== file ? { origin: first } : {}) };
}

/** The analysis ran out of its step budget (or its element budget); where, when the place is known. */
export class BudgetExceeded extends Error {
  constructor(message: string, public line = 0, public file = '') {
    super(message);
  }
}

/** Work that was asked to stop (`Interpreter.interruptWhen`): what it made is dropped, never used. */
export class Interrupted extends Error {}

/** JavaScript's own stack ran out: code nested deeper than the engine can follow (V8/JSC: RangeError, Firefox: InternalError). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof Error && (e instanceof RangeError || e.name === 'InternalError') && /call stack|too much recursion/i.test(e.message);
}

/** Key for dict/set membership: primitives by value, objects by identity. */
export function hashKey(v: Value): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  if (v.k === 'tuple') return `(${v.items.map((x) => String(hashKey(x))).join(',')})`;
  if (v.k === 'sym') return `sym:${v.d}`;
  return v;
}

export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'string': return 'str';
  }
  switch (v.k) {
    case 'inst': return v.cls.name;
    case 'class': return 'type';
    case 'func': case 'native': case 'bound': return 'function';
    case 'host': return v.kind;
    case 'sym': return 'int';
    default: return v.k;
  }
}

export function repr(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v}'`;
  switch (v.k) {
    case 'list': return `[${v.items.map(repr).join(', ')}]`;
    case 'tuple': return v.items.length === 1 ? `(${repr(v.items[0])},)` : `(${v.items.map(repr).join(', ')})`;
    case 'set': return v.items.length ? `{${v.items.map(repr).join(', ')}}` : 'set()';
    case 'dict': return `{${[...v.map.values()].map(([a, b]) => `${repr(a)}: ${repr(b)}`).join(', ')}}`;
    case 'sym': return v.d;
    case 'unknown': return '?';
    case 'class': return `<class '${v.name}'>`;
    case 'inst': return `<${v.cls.name} object>`;
    case 'func': return `<function ${v.name}>`;
    case 'native': return `<built-in function ${v.name}>`;
    case 'module': return `<module '${v.name}'>`;
    case 'host': return v.repr();
    default: return `<${v.k}>`;
  }
}

export function str(v: Value): string {
  return typeof v === 'string' ? v : repr(v);
}
