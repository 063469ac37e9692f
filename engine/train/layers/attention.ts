// nn.MultiheadAttention (ViT-style encoders in CNN hybrids, nn.TransformerEncoderLayer): the q/k/v projections of
// in_proj_weight/in_proj_bias, per head softmax(q·kᵀ/√d) with dropout on the weights in training, ·v, and out_proj,
// as F.multi_head_attention_forward computes them. Inputs are (N, L, E) with batch_first, else (L, N, E), or an
// unbatched (L, E). Masks, separate key/value sizes, bias_kv and zero_attn are refused before a run.
import { mat } from '../kernels/matmul';
import { matmulNN, matmulNT, matmulTN } from '../kernels/select';
import { Scratch, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type ForwardContext, type Layer, type Param, type ParamFactory } from './layer';

type Cfg = Record<string, unknown>;

export class MultiheadAttention implements Layer {
  private readonly e: number;
  private readonly heads: number;
  private readonly p: number;
  private readonly batchFirst: boolean;
  private readonly inW: Param;
  private readonly inB: Param | null;
  private readonly outW: Param;
  private readonly outB: Param | null;
  /** Batch-first copies of the three inputs, the projections, the weights before and after dropout, the heads' output. */
  private xs: Float32Array[] = [];
  private qkv: Float32Array[] = [];
  private attn = new Float32Array(0);
  private kept = new Float32Array(0);
  private o: Float32Array = new Float32Array(0);
  private dims = { n: 0, l: 0, s: 0 };
  private inShapes: number[][] = [];
  private readonly out = new Scratch();
  private readonly grads = [new Scratch(), new Scratch(), new Scratch()];
  /** Working arrays kept between steps (a step's sizes repeat), by role. */
  private readonly work = new Map<string, Float32Array>();

  /** The working array `role` of n values, zeroed. */
  private take(role: string, n: number): Float32Array {
    let a = this.work.get(role);
    if (!a || a.length !== n) this.work.set(role, a = new Float32Array(n));
    else a.fill(0);
    return a;
  }

  constructor(cfg: Cfg, params: ParamFactory) {
    const e = cfg.embed_dim, h = cfg.num_heads;
    if (typeof e !== 'number' || typeof h !== 'number' || e % h) throw new TrainError('MultiheadAttention needs a known embed_dim divisible by num_heads');
    if (cfg.add_bias_kv === true || cfg.add_zero_attn === true) throw new TrainError('MultiheadAttention with add_bias_kv or add_zero_attn is not supported');
    if ((cfg.kdim !== null && cfg.kdim !== undefined && cfg.kdim !== e) || (cfg.vdim !== null && cfg.vdim !== undefined && cfg.vdim !== e)) {
      throw new TrainError('MultiheadAttention with kdim or vdim other than embed_dim is not supported');
    }
    if (cfg.masked !== false) {
      throw new TrainError(cfg.masked === true ? 'MultiheadAttention with an attn_mask, key_padding_mask or is_causal is not supported'
        : 'MultiheadAttention called with masks ConvLens cannot see');
    }
    this.e = e; this.heads = h; this.p = typeof cfg.dropout === 'number' ? cfg.dropout : 0; this.batchFirst = cfg.batch_first === true;
    const bias = cfg.bias !== false;
    this.inW = params.param('in_proj_weight', [3 * e, e], { kind: 'weight', fanIn: e, fanOut: 3 * e, glorot: true });
    this.inB = bias ? params.param('in_proj_bias', [3 * e], { kind: 'const', value: 0 }) : null;
    this.outW = params.param('out_proj.weight', [e, e], { kind: 'weight', fanIn: e, fanOut: e });
    this.outB = bias ? params.param('out_proj.bias', [e], { kind: 'const', value: 0 }) : null;
  }

  /** (N, T, E) batch-first values of an input, and its N and T. */
  private batchFirstOf(x: Tensor, role: string): [Float32Array, number, number] {
    const s = x.shape, E = this.e;
    if (s[s.length - 1] !== E || (s.length !== 2 && s.length !== 3)) throw new TrainError(`MultiheadAttention expects (…, ${E}) inputs, got ${shapeText(s)}`);
    if (s.length === 2) return [x.data, 1, s[0]];
    if (this.batchFirst) return [x.data, s[0], s[1]];
    const [T, N] = s, y = this.take(role, x.data.length);
    for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) y.set(x.data.subarray((t * N + n) * E, (t * N + n + 1) * E), (n * T + t) * E);
    return [y, N, T];
  }

  /** Batch-first (N, T, E) values back into an input's layout. */
  private toLayout(v: Float32Array, shape: number[], into: Float32Array): void {
    if (shape.length === 2 || this.batchFirst) { into.set(v); return; }
    const [T, N] = shape, E = this.e;
    for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) into.set(v.subarray((n * T + t) * E, (n * T + t + 1) * E), (t * N + n) * E);
  }

  forward(inputs: Tensor[], ctx: ForwardContext): Tensor {
    if (inputs.length !== 3) throw new TrainError(`MultiheadAttention takes query, key and value, got ${inputs.length} tensors`);
    const E = this.e, H = this.heads, d = E / H, scale = 1 / Math.sqrt(d);
    const [[xq, N, L], [xk, Nk, S], [xv, Nv, Sv]] = inputs.map((x, i) => this.batchFirstOf(x, `x${i}`));
    if (Nk !== N || Nv !== N || Sv !== S) throw new TrainError(`MultiheadAttention: query, key and value ${inputs.map((x) => shapeText(x.shape)).join(', ')} do not agree`);
    this.inShapes = inputs.map((x) => x.shape); this.xs = [xq, xk, xv]; this.dims = { n: N, l: L, s: S };
    const rows = [N * L, N * S, N * S];
    this.qkv = rows.map((r, i) => {
      const y = this.take(`p${i}`, r * E);
      matmulNT(r, E, E, mat(this.xs[i], 0, E), mat(this.inW.value, i * E * E, E), mat(y, 0, E), false);
      if (this.inB) for (let k = 0; k < r; k++) for (let c = 0; c < E; c++) y[k * E + c] += this.inB.value[i * E + c];
      return y;
    });
    const [q, k, v] = this.qkv, size = N * H * L * S, drop = ctx.training && this.p > 0;
    if (this.attn.length !== size) { this.attn = new Float32Array(size); this.kept = new Float32Array(size); }
    this.o = this.take('o', N * L * E);
    const A = this.attn, K2 = this.kept, o = this.o;
    for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) {
      const base = (n * H + h) * L * S;
      for (let l = 0; l < L; l++) {
        const row = base + l * S, qo = (n * L + l) * E + h * d;
        let max = -Infinity;
        for (let s = 0; s < S; s++) {
          let dot = 0;
          const ko = (n * S + s) * E + h * d;
          for (let c = 0; c < d; c++) dot += q[qo + c] * scale * k[ko + c];
          A[row + s] = dot; if (dot > max) max = dot;
        }
        let sum = 0;
        for (let s = 0; s < S; s++) { const x = Math.exp(A[row + s] - max); A[row + s] = x; sum += x; }
        for (let s = 0; s < S; s++) {
          A[row + s] /= sum;
          K2[row + s] = drop ? (ctx.rng.uniform() < this.p ? 0 : 1 / (1 - this.p)) : 1;
        }
        for (let s = 0; s < S; s++) {
          const w = A[row + s] * K2[row + s], vo = (n * S + s) * E + h * d;
          if (w !== 0) for (let c = 0; c < d; c++) o[qo + c] += w * v[vo + c];
        }
      }
    }
    const outBF = this.take('out', N * L * E);
    matmulNT(N * L, E, E, mat(o, 0, E), mat(this.outW.value, 0, E), mat(outBF, 0, E), false);
    if (this.outB) for (let r = 0; r < N * L; r++) for (let c = 0; c < E; c++) outBF[r * E + c] += this.outB.value[c];
    const y = this.out.get(inputs[0].shape);
    this.toLayout(outBF, inputs[0].shape, y.data);
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const E = this.e, H = this.heads, d = E / H, scale = 1 / Math.sqrt(d), { n: N, l: L, s: S } = this.dims;
    const g = this.batchFirstOf(dy, 'dy')[0], [q, k, v] = this.qkv, A = this.attn, K2 = this.kept, o = this.o;
    matmulTN(E, E, N * L, mat(g, 0, E), mat(o, 0, E), mat(this.outW.grad, 0, E), true);
    if (this.outB) for (let r = 0; r < N * L; r++) for (let c = 0; c < E; c++) this.outB.grad[c] += g[r * E + c];
    const dO = this.take('dO', N * L * E);
    matmulNN(N * L, E, E, mat(g, 0, E), mat(this.outW.value, 0, E), mat(dO, 0, E), false);
    const dq = this.take('dq', N * L * E), dk = this.take('dk', N * S * E), dv = this.take('dv', N * S * E);
    const dA = this.take('dA', S);
    for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) {
      const base = (n * H + h) * L * S;
      for (let l = 0; l < L; l++) {
        const row = base + l * S, qo = (n * L + l) * E + h * d;
        let dot = 0;
        for (let s = 0; s < S; s++) {
          const vo = (n * S + s) * E + h * d, w = A[row + s] * K2[row + s];
          let a = 0;
          for (let c = 0; c < d; c++) { a += dO[qo + c] * v[vo + c]; dv[vo + c] += w * dO[qo + c]; }
          dA[s] = a * K2[row + s]; dot += dA[s] * A[row + s];
        }
        for (let s = 0; s < S; s++) {
          const ds = A[row + s] * (dA[s] - dot) * scale, ko = (n * S + s) * E + h * d;
          if (ds !== 0) for (let c = 0; c < d; c++) { dq[qo + c] += ds * k[ko + c]; dk[ko + c] += ds * q[qo + c]; }
        }
      }
    }
    const grads = [dq, dk, dv], rows = [N * L, N * S, N * S];
    return grads.map((gr, i) => {
      matmulTN(E, E, rows[i], mat(gr, 0, E), mat(this.xs[i], 0, E), mat(this.inW.grad, i * E * E, E), true);
      if (this.inB) for (let r = 0; r < rows[i]; r++) for (let c = 0; c < E; c++) this.inB.grad[i * E + c] += gr[r * E + c];
      if (!needInput[i]) return null;
      const dx = this.take(`dx${i}`, rows[i] * E);
      matmulNN(rows[i], E, E, mat(gr, 0, E), mat(this.inW.value, i * E * E, E), mat(dx, 0, E), false);
      const t = this.grads[i].get(this.inShapes[i]);
      this.toLayout(dx, this.inShapes[i], t.data);
      return t;
    });
  }
}
