// Records what each statement of the analysed file produces while a model is traced: the shapes it
// binds or returns, and the module/op calls it makes itself. Shared by the frameworks; each says
// which values are its tensors.
import { sequenceItems } from '../python/stdlib-namedtuple';
import type { Stmt } from '../python/ast';
import type { StatementObserver } from '../python/interpreter';
import { isObj, isUnknown, str, type PyDict, type Value } from '../python/values';
import type { Shape } from '../shapes/dim';
import type { SourceRange, StatementCall, StatementRecord, StatementTarget } from '../report/types';

const MAX_CALLS = 64;

/** The shape of a framework's tensor, or undefined when the value is not one. */
export type TensorShape = (v: Value) => Shape | null | undefined;

interface Open {
  record: StatementRecord;
  /** Targets bound by the run in progress. */
  run: StatementTarget[];
}

const sameShapes = (a: Array<Shape | null>, b: Array<Shape | null>): boolean =>
  a.length === b.length && a.every((s, i) => JSON.stringify(s) === JSON.stringify(b[i]));

export class StatementRecorder implements StatementObserver {
  private readonly records = new Map<Stmt, StatementRecord>();
  /** Innermost last; null for a statement outside the file or a module call (its insides are its own). */
  private readonly stack: Array<Open | null> = [];
  /** The line of the first error the forward pass met: PyTorch stops there. */
  private errorLine?: number;

  constructor(
    /** The statement's range in the analysed file, or undefined when it is elsewhere. */
    private readonly rangeOf: (s: Stmt) => SourceRange | undefined,
    private readonly tensorShape: TensorShape,
  ) {}

  enter(s: Stmt, inLoop: boolean): void {
    let record = this.records.get(s);
    if (!record) {
      const range = this.rangeOf(s);
      if (!range) { this.stack.push(null); return; }
      record = { range, targets: [], calls: [], iterations: 0, inLoop };
      this.records.set(s, record);
    }
    record.iterations++;
    if (this.errorLine !== undefined) record.afterError ??= { line: this.errorLine };
    this.stack.push({ record, run: [] });
  }

  /** The forward pass met an error: the statements under way finish after it, and every one after it. */
  error(line: number): void {
    this.errorLine ??= line;
    for (const open of this.stack) if (open) open.record.afterError ??= { line: this.errorLine };
  }

  bind(_s: Stmt, name: string, value: Value): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    const dict = isObj(value) && value.k === 'dict' ? this.dictShapes(value) : undefined;
    if (dict) { top.run.push({ name, ...dict }); return; }
    const shapes = this.shapesOf(value);
    if (shapes) top.run.push({ name, shapes });
  }

  leave(): void {
    const top = this.stack.pop();
    if (!top) return;
    const { record, run } = top;
    if (record.iterations === 1) { record.targets = run; return; }
    for (const t of run) {
      const old = record.targets.find((o) => o.name === t.name);
      if (!old) { record.targets.push(t); continue; }
      old.firstShapes ??= old.shapes;
      old.shapes = t.shapes;
    }
  }

  /** A module call starts: what runs inside it is not the statement's own call. */
  enterModule(): void {
    this.stack.push(null);
  }

  leaveModule(): void {
    this.stack.pop();
  }

  /** A functional op or tensor method ran. */
  op(type: string, outputShape: Shape | null): void {
    this.call({ kind: 'op', name: type, type, outputShape });
  }

  /** The statements that produced tensors (or unknown values), in source order. */
  result(): StatementRecord[] {
    const out = [...this.records.values()].filter((r) => r.targets.length > 0);
    for (const r of out) for (const t of r.targets) if (t.firstShapes && sameShapes(t.firstShapes, t.shapes)) delete t.firstShapes;
    return out.sort((a, b) => a.range.line - b.range.line || a.range.col - b.range.col);
  }

  /** A call made by the innermost open statement (a module call, after leaveModule). */
  call(call: StatementCall): void {
    const top = this.stack[this.stack.length - 1];
    if (top && top.record.calls.length < MAX_CALLS) top.record.calls.push(call);
  }

  /** A dict's tensor values (torchvision's `{'out': x, 'aux': y}`) with their keys; undefined when it holds none. */
  private dictShapes(d: PyDict): { shapes: Array<Shape | null>; keys: string[] } | undefined {
    const shapes: Array<Shape | null> = [], keys: string[] = [];
    for (const [k, v] of d.map.values()) {
      const s = isUnknown(v) ? null : this.tensorShape(v);
      if (s === undefined) continue;
      shapes.push(s);
      keys.push(str(k));
    }
    return shapes.length ? { shapes, keys } : undefined;
  }

  /** One shape per tensor; `[null]` for a value the engine does not know; undefined when no tensor is involved. */
  private shapesOf(v: Value): Array<Shape | null> | undefined {
    if (isUnknown(v)) return v.notTensor ? undefined : [null];
    const own = this.tensorShape(v);
    if (own !== undefined) return [own];
    const items = sequenceItems(v);
    if (!items) return undefined;
    const shapes: Array<Shape | null> = [];
    for (const x of items) {
      const s = isUnknown(x) ? (x.notTensor ? undefined : null) : this.tensorShape(x);
      if (s !== undefined) shapes.push(s);
    }
    return shapes.length ? shapes : undefined;
  }
}
