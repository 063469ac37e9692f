// The tracer: what a forward pass with abstract tensors records — the dataflow graph (for the
// training engine), one row per leaf-module call (what forward hooks would see), each module's
// last output shape, and the shape errors PyTorch would raise.
import * as dim from '../../shapes/dim';
import type { Dim, Shape } from '../../shapes/dim';
import type { Diagnostic, GraphNode, LayerRow, SourceRange } from '../../report/types';
import { PyRaise, isObj, tuple, unknown, type CallSite, type Value } from '../../python/values';
import { toIndex } from '../../python/interpreter';
import { broadcast, resolveView } from '../../shapes/reshape';
import { isTensor, makeTensor, normDim, type TensorObj } from './tensor';
import { MAX_DATA } from './tensor-data';
import { UnmodelledLog } from '../../report/unmodelled';
import { deviceObject } from './device';

/** A module call in progress: whether it is a leaf row, whether its layer counts its own MACs, and the MACs
 * of the functional ops it ran. */
export interface ModuleCall {
  /** The module's path in the traced model (undefined for a module it does not hold). */
  path?: string;
  leaf: boolean;
  ownsMacs: boolean;
  macs: number;
  known: boolean;
}

export class Tracer {
  readonly graph: GraphNode[] = [];
  readonly rows: LayerRow[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** What this forward pass met that the engine cannot model. */
  readonly unmodelled = new UnmodelledLog();
  /** Last output shape of each module instance (containers included). */
  readonly moduleOutputs = new Map<object, Shape | null>();
  readonly noSite: CallSite = { line: 0, from: 0, to: 0, file: '' };
  /** Told of each functional op (not constants), for the statement records. */
  onOp?: (type: string, shape: Shape | null) => void;
  /** Told about each error the forward pass meets (PyTorch would raise there). */
  onError?: (line: number) => void;
  /** Turns a call site into a range in the analysed file (or undefined when it is elsewhere). */
  rangeOf: (site: CallSite) => SourceRange | undefined = () => undefined;
  /** Module calls in progress, innermost last: who counts the MACs of a functional convolution or linear. */
  readonly calls: ModuleCall[] = [];
  /** The forward pass read `self.training` (false in this eval-mode trace): a branch may run only in training. */
  readsTraining = false;
  /** The tracer recording now (the session's): tensors of this one record their ops there once it is done. */
  current: () => Tracer = () => this;
  /** Every tensor's `.device` (one object for all the tracers of a session: see device.ts). */
  device = deviceObject();
  /** State-dict names of the traced model's parameters, for the `parameter` nodes that read them. */
  parameterNames = new Map<TensorObj, string>();
  /** Nodes of this graph standing for tensors of another (parameters, constants made while the model was built). */
  private readonly brought = new Map<TensorObj, number>();

  input(shape: Shape): TensorObj {
    const node = this.node('input', 'input', {}, [], shape, 0);
    return makeTensor(this, shape, node);
  }

  node(kind: GraphNode['kind'], type: string, config: Record<string, unknown>, inputs: number[], shape: Shape | null, line: number, path?: string): number {
    const id = this.graph.length;
    const scope = kind === 'op' ? this.scope() : undefined;
    this.graph.push({ id, kind, type, path, config, inputs, outputShape: shape, line, ...(scope === undefined ? {} : { scope }) });
    if (kind === 'op' && type !== 'constant' && type !== 'parameter') this.onOp?.(type, shape);
    return id;
  }

  /** The path of the innermost module call in progress that the model holds. */
  private scope(): string | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i].path !== undefined) return this.calls[i].path;
    return undefined;
  }

  /** A tensor that does not come from the model input (torch.zeros inside forward, a parameter). */
  fresh(shape: Shape | null, site: CallSite): TensorObj {
    return makeTensor(this, shape, this.node('op', 'constant', {}, [], shape, site.line));
  }

  op(type: string, config: Record<string, unknown>, inputs: TensorObj[], shape: Shape | null, site: CallSite): TensorObj {
    return makeTensor(this, shape, this.node('op', type, config, this.refs(inputs, site), shape, site.line));
  }

  /**
   * The node ids of tensors going into a node of this graph. A parameter is a `parameter` node (once per
   * tensor: its state-dict name split into the owning module's path and its own name); a tensor made
   * outside this trace (while the model was built) is a `constant` node here, its id there meaning nothing.
   */
  refs(inputs: TensorObj[], site: CallSite): number[] {
    return inputs.map((t) => {
      if (t.owner === this && !t.param) {
        // a constant made in forward() gets its values once they are known (torch.eye sets them after the node)
        const g = this.graph[t.node];
        if (g?.type === 'constant' && !('values' in g.config)) g.config = constantValues(t);
        return t.node;
      }
      const known = this.brought.get(t);
      if (known !== undefined) return known;
      let id: number;
      if (t.param) {
        const name = this.parameterNames.get(t);
        const dot = name === undefined ? -1 : name.lastIndexOf('.');
        const config = name === undefined ? {} : { name: name.slice(dot + 1), shape: t.shape };
        id = this.node('op', 'parameter', config, [], t.shape, site.line, name === undefined ? undefined : name.slice(0, Math.max(dot, 0)));
      } else id = this.node('op', 'constant', constantValues(t), [], t.shape, site.line);
      this.brought.set(t, id);
      return id;
    });
  }

  /**
   * The MACs of `F.conv2d(x, w)` / `F.linear(x, w)`: a leaf module running it counts them in its row
   * (unless it is a catalogued layer that counts its own, as a Conv2d subclass does); elsewhere the
   * op is a row of its own. Unknown MACs (null) make that row's MACs a lower bound.
   */
  functionalMacs(name: string, macs: number | null, inputs: TensorObj[], output: Shape | null, site: CallSite): void {
    const top = this.calls[this.calls.length - 1];
    if (top?.leaf) {
      if (!top.ownsMacs) { top.macs += macs ?? 0; top.known &&= macs !== null; }
      return;
    }
    const range = this.rangeOf(site);
    this.rows.push({
      path: name, type: name, line: range?.line ?? site.line, range, callRange: range,
      inputShapes: inputs.map((t) => t.shape).filter((s): s is Shape => s !== null), outputShape: output,
      params: 0, trainableParams: 0, paramsKnown: true, macs: macs ?? 0, macsKnown: macs !== null, config: {}, formulas: [],
    });
  }

  /** A max pooling's result: `(output, indices)` with return_indices=True, the indices shaped as the output. */
  pooled(out: TensorObj, returnsIndices: boolean | null | undefined, site: CallSite): Value {
    if (returnsIndices === null) return unknown('return_indices is unknown, so is whether the result is a tuple', site.line);
    return returnsIndices ? tuple([out, this.op('indices', {}, [out], out.shape, site)]) : out;
  }

  diagnose(site: CallSite, severity: Diagnostic['severity'], code: string, message: string): void {
    const range = this.rangeOf(site);
    const line = range?.line ?? site.line;
    if (severity === 'error') this.onError?.(line);
    if (this.diagnostics.some((d) => d.line === line && d.code === code && d.message === message)) return;
    this.diagnostics.push({ line, severity, code, message, range });
  }

  elementwise(type: string, inputs: TensorObj[], site: CallSite): TensorObj {
    const [a, b] = inputs;
    // an operand of unknown shape may broadcast the other up: the result is unknown, never a guess
    if (!a.shape || !b.shape) return this.op(type, {}, inputs, null, site);
    const r = broadcast(a.shape, b.shape);
    if (r.bad !== undefined) {
      const what = type === 'add' ? 'add (residual +)' : type;
      this.diagnose(site, 'error', 'add-mismatch',
        `${what}: shapes ${dim.formatShape(a.shape)} and ${dim.formatShape(b.shape)} do not match at dimension ${r.bad}`);
      return this.op(type, {}, inputs, null, site);
    }
    return this.op(type, {}, inputs, r.shape, site);
  }

  matmul(a: TensorObj, b: TensorObj, site: CallSite): TensorObj {
    if (!a.shape || !b.shape || a.shape.length < 1 || b.shape.length < 1) return this.op('matmul', {}, [a, b], null, site);
    const k1 = a.shape[a.shape.length - 1];
    const k2 = b.shape.length === 1 ? b.shape[0] : b.shape[b.shape.length - 2];
    if (dim.sameDim(k1, k2) === false) {
      this.diagnose(site, 'error', 'matmul-mismatch', `matmul: ${dim.formatShape(a.shape)} @ ${dim.formatShape(b.shape)}: inner sizes ${k1} and ${k2} differ`);
      return this.op('matmul', {}, [a, b], null, site);
    }
    const batchA = a.shape.slice(0, -2), batchB = b.shape.length > 2 ? b.shape.slice(0, -2) : [];
    const rows = a.shape.length >= 2 ? [a.shape[a.shape.length - 2]] : [];
    const cols = b.shape.length >= 2 ? [b.shape[b.shape.length - 1]] : [];
    return this.op('matmul', {}, [a, b], [...broadcast(batchA, batchB).shape, ...rows, ...cols], site);
  }

  view(t: TensorObj, target: Dim[] | null, type: string, site: CallSite): TensorObj {
    if (!t.shape || !target) return this.op(type, {}, [t], null, site);
    const r = resolveView(t.shape, target);
    if (r.error) this.diagnose(site, 'error', 'view-mismatch', `${type}: ${r.error} ${dim.formatShape(t.shape)}`);
    return this.op(type, { shape: r.shape }, [t], r.error ? null : r.shape, site);
  }

  flatten(t: TensorObj, startV: Value, endV: Value, site: CallSite): TensorObj {
    const shape = t.shape;
    if (!shape) return this.op('flatten', {}, [t], null, site);
    if (shape.length === 0) return this.op('flatten', {}, [t], [1], site);
    const s = normDim(startV, shape.length), e = normDim(endV, shape.length);
    if (s === undefined || e === undefined) return this.op('flatten', {}, [t], null, site);
    const out = [...shape.slice(0, s), dim.product(shape.slice(s, e + 1)), ...shape.slice(e + 1)];
    return this.op('flatten', { start_dim: s, end_dim: e }, [t], out, site);
  }

  cat(items: Value, dimV: Value, site: CallSite, type = 'cat'): Value {
    const ts = isObj(items) && (items.k === 'list' || items.k === 'tuple' || items.k === 'iter') ? items.items.filter(isTensor) : [];
    if (!ts.length) return unknown(`torch.${type} of unknown tensors`, site.line);
    const shapes = ts.map((t) => t.shape);
    // an item that is not a known tensor leaves the size unknown (never the sum of the others)
    if (shapes.some((s) => !s) || ts.length !== (items as { items: Value[] }).items.length) return this.op(type, {}, ts, null, site);
    const first = shapes[0] as Shape;
    const rank = type === 'stack' ? first.length + 1 : first.length;
    const d = normDim(dimV, rank);
    if (d === undefined) return this.op(type, {}, ts, null, site);
    if (type === 'stack') return withJoinedData(this.op(type, { dim: d }, ts, [...first.slice(0, d), ts.length, ...first.slice(d)], site), ts, d);
    let total: Dim = 0;
    for (const s of shapes as Shape[]) {
      if (s.length !== first.length) {
        this.diagnose(site, 'error', 'cat-mismatch', `torch.cat: tensors of rank ${first.length} and ${s.length}`);
        return this.op(type, { dim: d }, ts, null, site);
      }
      for (let i = 0; i < s.length; i++) {
        if (i !== d && dim.sameDim(s[i], first[i]) === false) {
          this.diagnose(site, 'error', 'cat-mismatch',
            `torch.cat along dim ${d}: ${shapes.map((x) => dim.formatShape(x)).join(' and ')} differ at dimension ${i}`);
          return this.op(type, { dim: d }, ts, null, site);
        }
      }
      total = dim.add(total, s[d]);
    }
    const out = first.slice();
    out[d] = total;
    return withJoinedData(this.op(type, { dim: d }, ts, out, site), ts, d);
  }

  chunk(t: TensorObj, chunksV: Value, dimV: Value, site: CallSite): Value {
    const n = toIndex(chunksV);
    const shape = t.shape;
    const d = shape ? normDim(dimV, shape.length) : undefined;
    if (!shape || n === undefined || d === undefined) return unknown('chunk of unknown sizes', site.line);
    // PyTorch 1.13's own message; without it a negative count never ends the loop below
    if (n <= 0) throw new PyRaise('RuntimeError', `chunk expects \`chunks\` to be greater than 0, got: ${n}`, site.line);
    const len = shape[d];
    if (typeof len !== 'number' && n > MAX_DATA) return unknown(`chunk into ${n} pieces`, site.line);
    if (typeof len !== 'number') {
      return tuple(Array.from({ length: n }, (_, i) => this.op('chunk', { chunks: n, dim: d, index: i }, [t], shape.map((x, j) => (j === d ? dim.floorDiv(len, n) : x)), site)));
    }
    const size = Math.ceil(len / n);
    const parts: number[] = [];
    for (let left = len; left > 0; left -= size) parts.push(Math.min(size, left));
    return tuple(parts.map((p, i) => withSlice(this.op('chunk', { chunks: n, dim: d, index: i }, [t], shape.map((x, j) => (j === d ? p : x)), site), t, i * size, p)));
  }

  /** x.unbind(dim): one tensor per index along dim, that dimension removed (`q, k, v = qkv.unbind(0)`). */
  unbind(t: TensorObj, dimV: Value, site: CallSite): Value {
    const shape = t.shape;
    const d = shape ? normDim(dimV, shape.length) : undefined;
    const n = shape && d !== undefined ? shape[d] : undefined;
    if (!shape || d === undefined || typeof n !== 'number') return unknown('unbind along a dimension of unknown size', site.line);
    const out = shape.filter((_, j) => j !== d);
    return tuple(Array.from({ length: n }, (_, i) => this.op('unbind', { dim: d, index: i }, [t], out, site)));
  }

  split(t: TensorObj, sizeV: Value, dimV: Value, site: CallSite): Value {
    const shape = t.shape;
    const d = shape ? normDim(dimV, shape.length) : undefined;
    if (!shape || d === undefined) return unknown('split of unknown sizes', site.line);
    const len = shape[d];
    let parts: Dim[];
    if (isObj(sizeV) && (sizeV.k === 'list' || sizeV.k === 'tuple')) parts = sizeV.items.map((v) => (typeof v === 'number' ? v : null));
    else {
      const size = toIndex(sizeV);
      if (size === undefined || typeof len !== 'number') return unknown('split of unknown sizes', site.line);
      // PyTorch 1.13's messages; a size of 0 or less would never end the loop below
      if (size < 0) throw new PyRaise('RuntimeError', `split expects split_size be non-negative, but got split_size=${size}`, site.line);
      if (size === 0 && len > 0) throw new PyRaise('RuntimeError', `split_size can only be 0 if dimension size is 0, but got dimension size of ${len}`, site.line);
      parts = [];
      for (let left = len; left > 0; left -= size) parts.push(Math.min(size, left));
    }
    let offset = 0;
    return tuple(parts.map((p, i) => {
      const node = withSlice(this.op('split', { dim: d, index: i, start: offset, length: p }, [t], shape.map((x, j) => (j === d ? p : x)), site), t, offset, p);
      offset += typeof p === 'number' ? p : 0;
      return node;
    }));
  }
}

/** A piece of a 1-D tensor whose values are known keeps its values (`linspace(…).split(depths)`). */
function withSlice(piece: TensorObj, whole: TensorObj, start: number, length: Dim): TensorObj {
  if (whole.data && whole.shape?.length === 1 && typeof length === 'number') piece.data = whole.data.slice(start, start + length);
  return piece;
}

/** cat/stack of constant tensors keeps their values: per index before `d`, each input's block in turn. */
function withJoinedData(r: TensorObj, ts: TensorObj[], d: number): TensorObj {
  if (!ts.every((x) => x.data && x.shape?.every((n) => typeof n === 'number'))) return r;
  const shapes = ts.map((x) => x.shape as number[]);
  const outer = shapes[0].slice(0, d).reduce((p, n) => p * n, 1);
  // an input's block is its part from `d` on (stack inserts the new axis at d, so the same holds)
  const blocks = shapes.map((sh) => sh.slice(d).reduce((p, n) => p * n, 1));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) ts.forEach((x, i) => data.push(...(x.data as number[]).slice(o * blocks[i], (o + 1) * blocks[i])));
  if (data.length <= MAX_DATA) r.data = data;
  return r;
}

/** A constant's values for training (`torch.eye(16)` in a forward pass), when known and at most 4,096 (the report stays small). */
function constantValues(t: TensorObj): Record<string, unknown> {
  const n = t.shape?.every((d) => typeof d === 'number') ? dim.product(t.shape) : null;
  return t.data && typeof n === 'number' && n <= 4096 && t.data.length === n ? { shape: t.shape, values: [...t.data] } : {};
}
