// Arithmetic the element-wise Binary op (add, mul of two tensors) does not cover: a tensor with a Python
// number (x * 0.5, 1 - x, x / 2: the graph's `scalar`, `reversed` when the number is on the left), and
// subtraction and division of two tensors with broadcasting. Shape changes without copies: squeeze and
// unsqueeze, as PyTorch resolves them on the real batch (squeeze() of a batch of one drops it, of 32 not).
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer } from './layer';
import { broadcastIndex, broadcastShape } from './shape-ops';

export type ArithOp = 'add' | 'sub' | 'mul' | 'div';

/** x op s, or s op x when `reversed`. */
export class ScalarOp implements Layer {
  private x: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(private readonly op: ArithOp, private readonly s: number, private readonly reversed: boolean) {}

  forward([x]: Tensor[]): Tensor {
    const y = this.out.get(x.shape), xd = x.data, yd = y.data, s = this.s, n = xd.length;
    this.x = x;
    switch (this.op) {
      case 'add': for (let i = 0; i < n; i++) yd[i] = xd[i] + s; break;
      case 'mul': for (let i = 0; i < n; i++) yd[i] = xd[i] * s; break;
      case 'sub': if (this.reversed) for (let i = 0; i < n; i++) yd[i] = s - xd[i]; else for (let i = 0; i < n; i++) yd[i] = xd[i] - s; break;
      case 'div': if (this.reversed) for (let i = 0; i < n; i++) yd[i] = s / xd[i]; else for (let i = 0; i < n; i++) yd[i] = xd[i] / s; break;
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const dx = this.dx.get(dy.shape), g = dy.data, d = dx.data, xd = this.x!.data, s = this.s, n = g.length;
    switch (this.op) {
      case 'add': d.set(g); break;
      case 'mul': for (let i = 0; i < n; i++) d[i] = g[i] * s; break;
      case 'sub': if (this.reversed) for (let i = 0; i < n; i++) d[i] = -g[i]; else d.set(g); break;
      case 'div':
        if (this.reversed) for (let i = 0; i < n; i++) d[i] = (-s * g[i]) / (xd[i] * xd[i]);
        else for (let i = 0; i < n; i++) d[i] = g[i] / s;
    }
    return [dx];
  }
}

/** a - b and a / b with NumPy broadcasting; each gradient summed over the dimensions its operand was broadcast along. */
export class SubDiv implements Layer {
  private a: Tensor | null = null;
  private b: Tensor | null = null;
  private ia: Int32Array = new Int32Array(0);
  private ib: Int32Array = new Int32Array(0);
  private readonly out = new Scratch();
  private readonly ga = new Scratch();
  private readonly gb = new Scratch();

  constructor(private readonly op: 'sub' | 'div') {}

  forward([a, b]: Tensor[]): Tensor {
    if (!b) throw new TrainError(`${this.op} needs two tensors`);
    const shape = broadcastShape(a.shape, b.shape, this.op), y = this.out.get(shape), n = y.data.length;
    this.a = a; this.b = b;
    this.ia = broadcastIndex(a.shape, shape); this.ib = broadcastIndex(b.shape, shape);
    const ad = a.data, bd = b.data, yd = y.data, ia = this.ia, ib = this.ib;
    if (this.op === 'sub') for (let i = 0; i < n; i++) yd[i] = ad[ia[i]] - bd[ib[i]];
    else for (let i = 0; i < n; i++) yd[i] = ad[ia[i]] / bd[ib[i]];
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const a = this.a!, b = this.b!, g = dy.data, n = g.length, ia = this.ia, ib = this.ib, ad = a.data, bd = b.data;
    let da: Tensor | null = null, db: Tensor | null = null;
    if (needInput[0]) {
      da = this.ga.zeros(a.shape);
      if (this.op === 'sub') for (let i = 0; i < n; i++) da.data[ia[i]] += g[i];
      else for (let i = 0; i < n; i++) da.data[ia[i]] += g[i] / bd[ib[i]];
    }
    if (needInput[1]) {
      db = this.gb.zeros(b.shape);
      if (this.op === 'sub') for (let i = 0; i < n; i++) db.data[ib[i]] -= g[i];
      else for (let i = 0; i < n; i++) { const v = bd[ib[i]]; db.data[ib[i]] -= (g[i] * ad[ia[i]]) / (v * v); }
    }
    return [da, db];
  }
}

/** squeeze(dim) / squeeze() and unsqueeze(dim): the same values under another shape. */
export class SqueezeView implements Layer {
  private inShape: number[] = [];

  /** `dim` undefined: squeeze every dimension of size 1. */
  constructor(private readonly kind: 'squeeze' | 'unsqueeze', private readonly dim: number | undefined) {}

  forward([x]: Tensor[]): Tensor {
    this.inShape = x.shape;
    const r = x.shape.length, d = this.dim;
    if (this.kind === 'unsqueeze') {
      const at = d! < 0 ? d! + r + 1 : d!;
      if (at < 0 || at > r) throw new TrainError(`unsqueeze(${d}) of ${shapeText(x.shape)}`);
      return { shape: [...x.shape.slice(0, at), 1, ...x.shape.slice(at)], data: x.data };
    }
    if (d === undefined) return { shape: x.shape.filter((s) => s !== 1), data: x.data };
    const at = d < 0 ? d + r : d;
    if (at < 0 || at >= r) throw new TrainError(`squeeze(${d}) of ${shapeText(x.shape)}`);
    return { shape: x.shape[at] === 1 ? x.shape.filter((_, i) => i !== at) : x.shape, data: x.data };
  }

  backward(dy: Tensor): Array<Tensor | null> {
    if (numel(this.inShape) !== dy.data.length) throw new TrainError('squeeze: gradient of another size');
    return [{ shape: this.inShape, data: dy.data }];
  }
}
