// The small Python AST the interpreter walks: what `parse.ts` builds from lezer's concrete tree.
// Every node keeps its source position: `line` (1-based) and character offsets `from`/`to`.

export interface Pos {
  line: number;
  from: number;
  to: number;
}

export type Arg =
  | { kind: 'pos'; value: Expr }
  | { kind: 'star'; value: Expr }
  | { kind: 'kw'; name: string; value: Expr }
  | { kind: 'dstar'; value: Expr };

export interface Param {
  name: string;
  kind: 'pos' | 'vararg' | 'kwonly' | 'kwarg';
  default?: Expr;
  /** `x: Optional[T]`: read only by inspect.signature (torchvision's get_model_weights), never evaluated otherwise. */
  annotation?: Expr;
}

export type CompClause = { kind: 'for'; target: Expr; iter: Expr } | { kind: 'if'; test: Expr };

export type Expr = Pos &
  (
    | { t: 'name'; id: string }
    | { t: 'num'; v: number }
    | { t: 'str'; v: string }
    | { t: 'fstr'; parts: Array<string | Expr> }
    | { t: 'const'; v: null | boolean | 'ellipsis' }
    | { t: 'attr'; obj: Expr; name: string }
    | { t: 'sub'; obj: Expr; index: Expr }
    | { t: 'slice'; lo?: Expr; hi?: Expr; step?: Expr }
    | { t: 'call'; fn: Expr; args: Arg[] }
    | { t: 'bin'; op: string; l: Expr; r: Expr }
    | { t: 'unary'; op: string; v: Expr }
    | { t: 'bool'; op: 'and' | 'or'; l: Expr; r: Expr }
    | { t: 'cmp'; op: string; l: Expr; r: Expr }
    | { t: 'cond'; test: Expr; body: Expr; orelse: Expr }
    | { t: 'lambda'; params: Param[]; body: Expr }
    | { t: 'tuple' | 'list' | 'set'; items: Expr[] }
    | { t: 'dict'; items: Array<{ k: Expr; v: Expr } | { dstar: Expr }> }
    | { t: 'comp'; kind: 'list' | 'set' | 'dict' | 'gen'; elt: Expr; value?: Expr; clauses: CompClause[] }
    | { t: 'starred'; v: Expr }
    | { t: 'named'; target: string; value: Expr }
    | { t: 'yield'; value?: Expr; delegate: boolean }
    | { t: 'unknown'; what: string }
  );

export type Stmt = Pos &
  (
    | { t: 'expr'; value: Expr }
    | { t: 'assign'; targets: Expr[]; value: Expr }
    | { t: 'augassign'; target: Expr; op: string; value: Expr }
    | { t: 'annassign'; target: Expr; value?: Expr }
    | { t: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] }
    | { t: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
    | { t: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[] }
    | { t: 'break' }
    | { t: 'continue' }
    | { t: 'pass' }
    | { t: 'return'; value?: Expr }
    | { t: 'def'; name: string; params: Param[]; body: Stmt[]; decorators: Expr[]; generator?: boolean }
    | { t: 'class'; name: string; bases: Arg[]; body: Stmt[]; decorators: Expr[] }
    | { t: 'import'; names: Array<{ path: string[]; as?: string }> }
    | { t: 'from'; level: number; module: string[]; names: Array<{ name: string; as?: string }> | '*' }
    | { t: 'try'; body: Stmt[]; handlers: Array<{ type?: Expr; name?: string; body: Stmt[] }>; orelse: Stmt[]; final: Stmt[] }
    | { t: 'with'; items: Array<{ ctx: Expr; as?: Expr }>; body: Stmt[] }
    | { t: 'raise'; exc?: Expr }
    | { t: 'del'; targets: Expr[] }
    | { t: 'scope'; kind: 'global' | 'nonlocal'; names: string[] }
    | { t: 'assert' }
  );

export interface Module {
  body: Stmt[];
  /** Syntax errors lezer recovered from (the rest of the file is still analysed); `message` says which, when known. */
  errors: Array<{ line: number; from: number; to: number; message?: string }>;
  /** Offsets where each line starts, to turn offsets into line/column. */
  lineStarts: number[];
}
