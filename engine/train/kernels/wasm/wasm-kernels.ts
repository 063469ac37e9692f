// The WebAssembly SIMD kernels (kernels.as) behind the same contracts as the TypeScript ones. The
// module computes only in its own memory, so every call stages its operands there (one copy of each
// contiguous span), runs, and copies the result back; the staging area is reset by every call, so
// the memory grows to the largest single call and nothing outlives it. A convolution is staged per
// batch, not per product: the input goes in once and the products run inside the module, straight
// on the (zero-padded) image for stride 1 and through img2col/col2im otherwise, which keeps the
// copies to the size of the activations rather than of the column matrices. Max pooling, ReLU and
// the conv bias run here too: staged, they still cost a fraction of the same loops in JavaScript.
import type { Window } from '../geometry';
import type { Mat } from '../matmul';
import { TrainError } from '../../layers/layer';
import { kernelsWasmBase64 } from './kernels-wasm.generated';

type Product = (M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number) => void;

interface Exports {
  memory: WebAssembly.Memory;
  matmulNN: Product;
  matmulNT: Product;
  matmulTN: Product;
  im2col(x: number, C: number, window: number, cols: number): void;
  col2im(cols: number, C: number, window: number, dx: number): void;
  addBias(y: number, N: number, C: number, L: number, b: number): void;
  biasGrad(dy: number, N: number, C: number, L: number, db: number): void;
  relu(x: number, y: number, n: number): void;
  reluBackward(x: number, dy: number, dx: number, n: number): void;
  convDirect(x: number, Wp: number, OH: number, OW: number, koff: number, K: number, w: number, M: number, y: number): void;
  convDirectWeightGrad(x: number, xs: number, Wp: number, OH: number, OW: number, koff: number, K: number, dy: number, ys: number, M: number, N: number, dw: number): void;
  convDirectInputGrad(dxp: number, Wp: number, OH: number, OW: number, koff: number, K: number, w: number, M: number, dy: number): void;
  crop2d(xp: number, P: number, Hp: number, Wp: number, ph: number, pw: number, H: number, W: number, x: number): void;
  pad2d(x: number, P: number, H: number, W: number, ph: number, pw: number, Hp: number, Wp: number, out: number): void;
  maxPoolBackward(dy: number, argmax: number, P: number, inL: number, outL: number, dx: number): void;
  bnStats(x: number, N: number, C: number, L: number, stats: number): void;
  bnApply(x: number, N: number, C: number, L: number, scale: number, shift: number, y: number): void;
  bnBackwardSums(x: number, dy: number, N: number, C: number, L: number, mean: number, sums: number): void;
  bnBackwardApply(x: number, dy: number, N: number, C: number, L: number, k: number, dx: number): void;
  maxPool2d(x: number, P: number, H: number, W: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, y: number, argmax: number): void;
}

export type Layout = 'NN' | 'NT' | 'TN';

/** One convolution (any groups) over a batch: x[N, Cin, …in], w[Cout, Cin/G, …k], y[N, Cout, …out]. */
export interface ConvShape {
  N: number;
  inChannels: number;
  outChannels: number;
  groups: number;
  /** Values per sample and channel of the input and the output. */
  inL: number;
  outL: number;
  /** Kernel taps per channel (kd·kh·kw). */
  taps: number;
  window: Window;
  /** A 1×1, stride 1, unpadded convolution: the input is its own column matrix. */
  pointwise: boolean;
}

/** A stride-1 convolution staged for the direct kernels: the zero-padded input and the row offsets. */
interface Direct {
  /** Byte address of the padded input (the staged input itself when there is no padding). */
  x: number;
  /** Values per padded plane (Hp·Wp). */
  plane: number;
  H: number;
  W: number;
  Hp: number;
  Wp: number;
  ph: number;
  pw: number;
  OH: number;
  OW: number;
  /** Byte address of the K/groups i32 offsets of the column-matrix rows of one group. */
  koff: number;
}

export class WasmKernels {
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
  private top = 0;

  constructor(private readonly w: Exports) {}

  /** C[M×N] (+)= op(A)·op(B) for the layout, operands anywhere in JavaScript memory. */
  matmul(layout: Layout, M: number, N: number, K: number, A: Mat, B: Mat, C: Mat, accumulate: boolean): void {
    if (M === 0 || N === 0) return;
    this.top = 0;
    const [aRows, aCols] = layout === 'TN' ? [K, M] : [M, K];
    const [bRows, bCols] = layout === 'NT' ? [N, K] : [K, N];
    const a = this.putMat(A, aRows, aCols), b = this.putMat(B, bRows, bCols);
    const c = accumulate ? this.putMat(C, M, N) : this.alloc((M - 1) * C.ld + N);
    const f = layout === 'NN' ? this.w.matmulNN : layout === 'NT' ? this.w.matmulNT : this.w.matmulTN;
    f(M, N, K, a, A.ld, b, B.ld, c, C.ld, accumulate ? 1 : 0);
    this.getMat(c, C, M, N);
  }

  /** y = conv(x, w) + bias. */
  convForward(s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
    this.top = 0;
    const { N, inChannels: Cin, outChannels: Cout, groups: G, inL, outL: L } = s;
    const K = Cin * s.taps, cog = Cout / G, kg = K / G, cig = Cin / G;
    const xa = this.put(x, 0, x.length), wa = this.put(w, 0, w.length), ya = this.alloc(N * Cout * L);
    const direct = this.direct(s, xa);
    const win = direct ? 0 : this.putWindow(s.window), cols = direct || s.pointwise ? 0 : this.alloc(K * L);
    for (let n = 0; n < N; n++) {
      const xn = xa + 4 * n * Cin * inL, cn = s.pointwise ? xn : cols;
      if (!direct && !s.pointwise) this.w.im2col(xn, Cin, win, cols);
      for (let gi = 0; gi < G; gi++) {
        const wg = wa + 4 * gi * cog * kg, yg = ya + 4 * (n * Cout + gi * cog) * L;
        if (direct) this.w.convDirect(direct.x + 4 * (n * Cin + gi * cig) * direct.plane, direct.Wp, direct.OH, direct.OW, direct.koff, kg, wg, cog, yg);
        else this.w.matmulNN(cog, L, kg, wg, kg, cn + 4 * gi * kg * L, L, yg, L, 0);
      }
    }
    if (bias) this.w.addBias(ya, N, Cout, L, this.put(bias, 0, Cout));
    y.set(this.f32.subarray(ya >> 2, (ya >> 2) + N * Cout * L));
  }

  /** dW += ∂L/∂w; dBias += ∂L/∂bias and dx = ∂L/∂x when given. Recomputes the columns from x (cheaper than keeping them). */
  convBackward(s: ConvShape, x: Float32Array, w: Float32Array, dy: Float32Array, dW: Float32Array, dBias: Float32Array | null, dx: Float32Array | null): void {
    this.top = 0;
    const { N, inChannels: Cin, outChannels: Cout, groups: G, inL, outL: L } = s;
    const K = Cin * s.taps, cog = Cout / G, kg = K / G, cig = Cin / G;
    const xa = this.put(x, 0, x.length), wa = this.put(w, 0, w.length);
    const dya = this.put(dy, 0, dy.length), dWa = this.put(dW, 0, dW.length);
    const direct = this.direct(s, xa);
    const dxa = dx ? this.alloc(N * Cin * inL) : 0;
    if (direct) {
      for (let gi = 0; gi < G; gi++) {
        this.w.convDirectWeightGrad(direct.x + 4 * gi * cig * direct.plane, Cin * direct.plane, direct.Wp, direct.OH, direct.OW, direct.koff, kg,
          dya + 4 * gi * cog * L, Cout * L, cog, N, dWa + 4 * gi * cog * kg);
      }
      if (dx) {
        // ∂X̂ lands on the padded input gradient, which is then cut back to the input.
        const dxp = direct.x === xa ? dxa : this.alloc(N * Cin * direct.plane);
        this.f32.fill(0, dxp >> 2, (dxp >> 2) + N * Cin * direct.plane);
        for (let n = 0; n < N; n++) for (let gi = 0; gi < G; gi++) {
          this.w.convDirectInputGrad(dxp + 4 * (n * Cin + gi * cig) * direct.plane, direct.Wp, direct.OH, direct.OW, direct.koff, kg,
            wa + 4 * gi * cog * kg, cog, dya + 4 * (n * Cout + gi * cog) * L);
        }
        if (dxp !== dxa) this.w.crop2d(dxp, N * Cin, direct.Hp, direct.Wp, direct.ph, direct.pw, direct.H, direct.W, dxa);
      }
    } else {
      const win = this.putWindow(s.window), cols = s.pointwise ? 0 : this.alloc(K * L), dcols = dx && !s.pointwise ? this.alloc(K * L) : 0;
      if (dx) this.f32.fill(0, dxa >> 2, (dxa >> 2) + N * Cin * inL);
      for (let n = 0; n < N; n++) {
        const xn = xa + 4 * n * Cin * inL, cn = s.pointwise ? xn : cols, dyn = dya + 4 * n * Cout * L;
        if (!s.pointwise) this.w.im2col(xn, Cin, win, cols);
        for (let gi = 0; gi < G; gi++) this.w.matmulNT(cog, kg, L, dyn + 4 * gi * cog * L, L, cn + 4 * gi * kg * L, L, dWa + 4 * gi * cog * kg, kg, 1);
        if (!dx) continue;
        const dxn = dxa + 4 * n * Cin * inL, target = s.pointwise ? dxn : dcols;
        for (let gi = 0; gi < G; gi++) {
          this.w.matmulTN(kg, L, cog, wa + 4 * gi * cog * kg, kg, dyn + 4 * gi * cog * L, L, target + 4 * gi * kg * L, L, 0);
        }
        if (!s.pointwise) this.w.col2im(dcols, Cin, win, dxn);
      }
    }
    dW.set(this.f32.subarray(dWa >> 2, (dWa >> 2) + dW.length));
    if (dBias) {
      const db = this.put(dBias, 0, Cout);
      this.w.biasGrad(dya, N, Cout, L, db);
      dBias.set(this.f32.subarray(db >> 2, (db >> 2) + Cout));
    }
    if (dx) dx.set(this.f32.subarray(dxa >> 2, (dxa >> 2) + dx.length));
  }

  /**
   * For a stride-1 convolution over 1 or 2 dimensions (not pointwise, which needs no columns at
   * all): the staged input zero-padded to the planes the windows cover, and the offset of each
   * column-matrix row of one group in it, for convDirect. null for the img2col path.
   */
  private direct(s: ConvShape, xa: number): Direct | null {
    const g = s.window, [, H, W] = g.inSize, [, OH, OW] = g.outSize, [, KH, KW] = g.k, [, ph, pw] = g.p, [, dh, dw] = g.d;
    if (s.pointwise || g.inSize[0] !== 1 || g.k[0] !== 1 || g.s.some((v) => v !== 1)) return null;
    const Hp = OH + dh * (KH - 1), Wp = OW + dw * (KW - 1), P = s.N * s.inChannels;
    let x = xa;
    if (Hp !== H || Wp !== W || ph !== 0 || pw !== 0) {
      x = this.alloc(P * Hp * Wp);
      this.w.pad2d(xa, P, H, W, ph, pw, Hp, Wp, x);
    }
    const cig = s.inChannels / s.groups, koff = this.alloc(cig * KH * KW);
    let k = koff >> 2;
    for (let c = 0; c < cig; c++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) this.i32[k++] = c * Hp * Wp + b * dh * Wp + e * dw;
    return { x, plane: Hp * Wp, H, W, Hp, Wp, ph, pw, OH, OW, koff };
  }

  /** y = ReLU(x). */
  relu(x: Float32Array, y: Float32Array): void {
    this.top = 0;
    const xa = this.put(x, 0, x.length), ya = this.alloc(x.length);
    this.w.relu(xa, ya, x.length);
    y.set(this.f32.subarray(ya >> 2, (ya >> 2) + x.length));
  }

  /** dx = dy where x > 0, else 0. */
  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.top = 0;
    const xa = this.put(x, 0, x.length), dya = this.put(dy, 0, dy.length), dxa = this.alloc(dx.length);
    this.w.reluBackward(xa, dya, dxa, dx.length);
    dx.set(this.f32.subarray(dxa >> 2, (dxa >> 2) + dx.length));
  }

  /** Max pooling of P planes H×W without padding or dilation (the contract of maxPlain2d in pool.ts). */
  maxPool2d(x: Float32Array, P: number, H: number, W: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number,
    y: Float32Array, argmax: Int32Array): void {
    this.top = 0;
    const n = P * OH * OW, xa = this.put(x, 0, P * H * W), ya = this.alloc(n), aa = this.alloc(n);
    this.w.maxPool2d(xa, P, H, W, OH, OW, KH, KW, sh, sw, ya, aa);
    y.set(this.f32.subarray(ya >> 2, (ya >> 2) + n));
    argmax.set(this.i32.subarray(aa >> 2, (aa >> 2) + n));
  }

  /** dx = 0 with each dy added at its window's argmax (the backward pass of every max pooling). */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, P: number, inL: number, outL: number, dx: Float32Array): void {
    this.top = 0;
    const n = P * outL, dya = this.put(dy, 0, n), aa = this.alloc(n), dxa = this.alloc(P * inL);
    this.i32.set(argmax.subarray(0, n), aa >> 2);
    this.w.maxPoolBackward(dya, aa, P, inL, outL, dxa);
    dx.set(this.f32.subarray(dxa >> 2, (dxa >> 2) + P * inL));
  }

  /** Per-channel mean and biased variance of x[N, C, L] (single pass in f64), into `stats` as [mean, var] pairs. */
  bnStats(x: Float32Array, N: number, C: number, L: number, stats: Float64Array): void {
    this.top = 0;
    const xa = this.put(x, 0, N * C * L), sa = this.alloc(4 * C);
    this.w.bnStats(xa, N, C, L, sa);
    stats.set(new Float64Array(this.f32.buffer, sa, 2 * C));
  }

  /** y = x·scale[c] + shift[c] over x[N, C, L]. */
  bnApply(x: Float32Array, N: number, C: number, L: number, scale: Float32Array, shift: Float32Array, y: Float32Array): void {
    this.top = 0;
    const n = N * C * L, xa = this.put(x, 0, n), sc = this.put(scale, 0, C), sh = this.put(shift, 0, C), ya = this.alloc(n);
    this.w.bnApply(xa, N, C, L, sc, sh, ya);
    y.set(this.f32.subarray(ya >> 2, (ya >> 2) + n));
  }

  /**
   * BatchNorm's backward over x[N, C, L]: sums gets [Σdy, Σdy·(x − mean)] per channel; then, when dx is
   * given, `coefs(sums)` returns the rows [mean, mdy, proj, gs] per channel and dx = (dy − mdy − (x − mean)·proj)·gs.
   */
  bnBackward(x: Float32Array, dy: Float32Array, N: number, C: number, L: number, mean: Float32Array, sums: Float64Array,
    coefs: (sums: Float64Array) => Float32Array | null, dx: Float32Array | null): void {
    this.top = 0;
    const n = N * C * L, xa = this.put(x, 0, n), dya = this.put(dy, 0, n), ma = this.put(mean, 0, C), sa = this.alloc(4 * C);
    this.w.bnBackwardSums(xa, dya, N, C, L, ma, sa);
    sums.set(new Float64Array(this.f32.buffer, sa, 2 * C));
    const k = coefs(sums);
    if (!dx || !k) return;
    const ka = this.put(k, 0, 4 * C), dxa = this.alloc(n);
    this.w.bnBackwardApply(xa, dya, N, C, L, ka, dxa);
    dx.set(this.f32.subarray(dxa >> 2, (dxa >> 2) + n));
  }

  /** Byte address of n fresh floats (16-byte aligned), growing the memory when needed. */
  private alloc(n: number): number {
    // 16 spare bytes: a vector load may read one vector past the last value it uses.
    const at = this.top, end = at + ((4 * n + 15) & ~15) + 16;
    const mem = this.w.memory;
    if (end > mem.buffer.byteLength) {
      try {
        mem.grow(Math.ceil((end - mem.buffer.byteLength) / 65536));
      } catch {
        throw new TrainError(`the WebAssembly kernels need ${Math.ceil(end / 2 ** 20)} MB for one layer of this batch, more than the runtime gives: use a smaller batch or the TypeScript kernels`);
      }
    }
    if (this.f32.buffer !== mem.buffer) {
      this.f32 = new Float32Array(mem.buffer);
      this.i32 = new Int32Array(mem.buffer);
    }
    this.top = end;
    return at;
  }

  private put(src: Float32Array, off: number, n: number): number {
    const at = this.alloc(n);
    this.f32.set(n === src.length && off === 0 ? src : src.subarray(off, off + n), at >> 2);
    return at;
  }

  /** Stages the rows × cols matrix of m (with its row stride, as one span). */
  private putMat(m: Mat, rows: number, cols: number): number {
    return this.put(m.data, m.off, rows === 0 ? 0 : (rows - 1) * m.ld + cols);
  }

  private getMat(at: number, m: Mat, rows: number, cols: number): void {
    const base = at >> 2;
    if (m.ld === cols) { m.data.set(this.f32.subarray(base, base + rows * cols), m.off); return; }
    for (let i = 0; i < rows; i++) m.data.set(this.f32.subarray(base + i * m.ld, base + i * m.ld + cols), m.off + i * m.ld);
  }

  private putWindow(g: Window): number {
    const at = this.alloc(18);
    this.i32.set([...g.inSize, ...g.outSize, ...g.k, ...g.s, ...g.p, ...g.d], at >> 2);
    return at;
  }
}

let loading: Promise<WasmKernels | null> | null = null;

/** Instantiates the module from its inlined bytes (works in Node, workers and browsers); null without WebAssembly SIMD. */
export function loadWasmKernels(): Promise<WasmKernels | null> {
  loading ??= (async () => {
    if (typeof WebAssembly === 'undefined') return null;
    const bytes = Uint8Array.from(atob(kernelsWasmBase64), (ch) => ch.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) return null;
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return new WasmKernels(instance.exports as unknown as Exports);
  })().catch(() => null);
  return loading;
}
