// A function made by a `def` statement. Its body and generator flag are read through the statement,
// since an imported module's function bodies are converted on first call; on the prototype, so that
// these objects share one shape (copying them into another analysis, `world-copy.ts`, stays cheap).
import type { Param, Stmt } from './ast';
import type { ModuleInfo, PyFunction, Scope, Value } from './values';

type DefStatement = Extract<Stmt, { t: 'def' }>;

export class DefFunction implements PyFunction {
  readonly k = 'func';
  name: string;
  qualname: string;
  readonly params: Param[];
  defaults: Map<string, Value>;
  closure: Scope;
  readonly module: ModuleInfo;
  readonly line: number;

  constructor(made: Omit<PyFunction, 'k' | 'body'>, readonly def: DefStatement) {
    this.name = made.name;
    this.qualname = made.qualname;
    this.params = made.params;
    this.defaults = made.defaults;
    this.closure = made.closure;
    this.module = made.module;
    this.line = made.line;
  }

  get body(): Stmt[] {
    return this.def.body;
  }

  get generator(): boolean | undefined {
    return this.def.generator;
  }
}
