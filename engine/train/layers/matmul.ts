// torch.matmul / bmm / `@` of two tensors of the graph (attention in CNNs: SAGAN's and non-local blocks'
// q·k and attention·v), with NumPy's rules: 1-D operands are promoted and their dimension dropped again, the
// leading (batch) dimensions broadcast, and each gradient is summed over the batch dimensions its operand was
// broadcast along.
import { Scratch, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer } from './layer';
import { broadcastIndex, broadcastShape } from './shape-ops';

interface Plan {
  /** Rows, inner size, columns. */
  n: number; k: number; m: number;
  /** Per output matrix, the matrix of each operand it reads. */
  ia: Int32Array; ib: Int32Array;
  out: number[];
}

export class Matmul implements Layer {
  private a: Tensor | null = null;
  private b: Tensor | null = null;
  private plan: Plan | null = null;
  private readonly y = new Scratch();
  private readonly ga = new Scratch();
  private readonly gb = new Scratch();

  private planFor(a: number[], b: number[]): Plan {
    const as = a.length === 1 ? [1, a[0]] : a, bs = b.length === 1 ? [b[0], 1] : b;
    const [n, k] = as.slice(-2), [k2, m] = bs.slice(-2);
    if (k !== k2) throw new TrainError(`matmul: ${shapeText(a)} @ ${shapeText(b)}: inner sizes ${k} and ${k2} differ`);
    const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2), 'matmul');
    const out = [...batch, ...(a.length === 1 ? [] : [n]), ...(b.length === 1 ? [] : [m])];
    return { n, k, m, ia: broadcastIndex(as.slice(0, -2), batch), ib: broadcastIndex(bs.slice(0, -2), batch), out };
  }

  forward([a, b]: Tensor[]): Tensor {
    const p = this.planFor(a.shape, b.shape), { n, k, m } = p, y = this.y.get(p.out), ad = a.data, bd = b.data, yd = y.data;
    this.a = a; this.b = b; this.plan = p;
    for (let t = 0; t < p.ia.length; t++) {
      const ao = p.ia[t] * n * k, bo = p.ib[t] * k * m, yo = t * n * m;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += ad[ao + i * k + q] * bd[bo + q * m + j];
        yd[yo + i * m + j] = s;
      }
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const p = this.plan!, { n, k, m } = p, a = this.a!, b = this.b!, g = dy.data;
    const da = needInput[0] ? this.ga.zeros(a.shape) : null, db = needInput[1] ? this.gb.zeros(b.shape) : null;
    for (let t = 0; t < p.ia.length; t++) {
      const ao = p.ia[t] * n * k, bo = p.ib[t] * k * m, go = t * n * m;
      // dA = dY·Bᵀ, dB = Aᵀ·dY, added into the operand's matrix that this output read
      if (da) for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += g[go + i * m + j] * b.data[bo + q * m + j];
        da.data[ao + i * k + q] += s;
      }
      if (db) for (let q = 0; q < k; q++) for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += a.data[ao + i * k + q] * g[go + i * m + j];
        db.data[bo + q * m + j] += s;
      }
    }
    return [da, db];
  }
}
