// The WebAssembly SIMD kernels (kernels.as) behind the same contracts as the TypeScript ones. The
// module computes only in its own memory: an operand that lives there (a resident buffer of the layers,
// wasm-heap.ts) is used in place, any other is staged (one copy of each contiguous span), and a result
// is written in place or copied back; the staging area is reset by every call, so it grows to the
// largest single call and nothing in it outlives the call. A convolution is staged per
// batch, not per product: the input goes in once and the products run inside the module, straight
// on the (zero-padded) image for stride 1 and through img2col/col2im otherwise, which keeps the
// copies to the size of the activations rather than of the column matrices; 3×3 stride-1 convolutions
// with enough channels go through Winograd instead (F(4×4, 3×3) forward and input gradient, F(2×2, 3×3) for the
// weight gradient), and 1-D ones of 3·G taps through F(4, 3) in groups of three taps (all three passes). Max
// pooling, ReLU and the conv bias run here too: staged, they still cost a fraction of the same loops in JavaScript.
import type { Window } from '../geometry';
import type { Mat } from '../matmul';
import type { WorkerHost } from '../worker-host';
import { workerHost } from '../worker-host';
import { KernelThreads, type ThreadCall } from './kernel-threads';
import { WasmHeap } from './wasm-heap';
import { kernelsRelaxedSharedWasmBase64, kernelsRelaxedWasmBase64, kernelsSharedWasmBase64, kernelsWasmBase64 } from './kernels-wasm.generated';

type Product = (M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number) => void;

/** A kernel over a range: (descriptor, range bounds…, column matrix). */
type RangeKernel = (...args: number[]) => void;

interface Exports {
  convForwardRange: RangeKernel;
  convInputGradRange: RangeKernel;
  convWeightGradRange: RangeKernel;
  convBackwardDirectRange: RangeKernel;
  addParts(dw: number, parts: number, S: number, n: number, stride: number): void;
  convBackwardGroupsRange: RangeKernel;
  winogradRange: RangeKernel;
  winograd4Range: RangeKernel;
  winograd4Weights: RangeKernel;
  winograd1dRange: RangeKernel;
  winograd1dWeights: RangeKernel;
  winograd1dWeightGradRange: RangeKernel;
  winograd1dWeightGradFinish(z: number, M: number, C: number, G: number, dw: number): void;
  winogradWeights(w: number, M: number, C: number, adjoint: number, u: number): void;
  winogradWeightGradRange: RangeKernel;
  winogradWeightGradFinish(z: number, M: number, C: number, dw: number): void;
  pad2d: RangeKernel;
  padChannelsLast: RangeKernel;
  matmulNN: Product;
  matmulNT: Product;
  matmulTN: Product;
  im2col(x: number, C: number, window: number, cols: number): void;
  col2im(cols: number, C: number, window: number, dx: number): void;
  addBias(y: number, N: number, C: number, L: number, b: number): void;
  biasGrad(dy: number, N: number, C: number, L: number, db: number): void;
  add(a: number, b: number, y: number, n: number): void;
  activate(x: number, y: number, n: number, act: number): void;
  activateBackward(x: number, dy: number, dx: number, n: number, act: number): void;
  convFlipWeights(w: number, G: number, cog: number, cig: number, T: number, wt: number): void;
  maxPoolBackward(dy: number, argmax: number, P: number, inL: number, outL: number, dx: number): void;
  bnStats(x: number, N: number, C: number, L: number, stats: number, c0: number, c1: number): void;
  bnApply(x: number, N: number, C: number, L: number, scale: number, shift: number, y: number, act: number): void;
  bnBackwardSums(x: number, dy: number, y: number, act: number, N: number, C: number, L: number, mean: number, sums: number, c0: number, c1: number): void;
  bnBackwardApply(x: number, dy: number, y: number, act: number, N: number, C: number, L: number, k: number, dx: number): void;
  sgdStep(v: number, g: number, b: number, n: number, hp: number, flags: number): void;
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

/** Field indices of a convolution descriptor: the D_* constants of kernels.as, in the same order. */
const D = {
  x: 0, w: 1, y: 2, dx: 3, dW: 4, N: 5, cin: 6, cout: 7, groups: 8, inL: 9, L: 10, K: 11, direct: 12, pointwise: 13,
  xp: 14, plane: 15, H: 16, W: 17, Hp: 18, Wp: 19, ph: 20, pw: 21, OH: 22, OW: 23, koff: 24, window: 25, dxp: 26,
  wt: 27, dyp: 28, kofft: 29, QH: 30, QW: 31, TH: 32, TW: 33, chunk: 34, slices: 35, parts: 36, xt: 37, toff: 38, count: 39,
} as const;

/** The exports the worker threads may run (ranges of one call, disjoint outputs). */
/** The activations with WebAssembly kernels, by their code in kernels.as: ReLU and ReLU6. */
export const enum KernelAct { Relu = 1, Relu6 = 2 }

const THREAD_KERNELS = ['convForwardRange', 'convInputGradRange', 'convWeightGradRange', 'convBackwardDirectRange', 'convBackwardGroupsRange', 'add', 'activate', 'activateBackward', 'maxPool2d',
  'maxPoolBackward', 'winogradRange', 'winograd4Range', 'winograd4Weights', 'winogradWeightGradRange', 'pad2d', 'padChannelsLast',
  'winograd1dRange', 'winograd1dWeights', 'winograd1dWeightGradRange',
  'bnStats', 'bnApply', 'bnBackwardSums', 'bnBackwardApply', 'sgdStep'] as const;
type ThreadKernel = (typeof THREAD_KERNELS)[number];

/** Values below which an element-wise call stays on one thread (waking a worker costs some tens of µs). */
const SPLIT_MIN = 1 << 15;

/** Items per thread a split call is cut into (at most): the finer, the less a late thread holds up the rest. */
const PIECES_PER_THREAD = 4;

/** Bytes of padded input and output gradient per chunk of samples that the direct weight gradient keeps in cache. */
const WG_CHUNK_BYTES = 256 << 10;

/**
 * Slices of the batch whose weight gradients the direct path sums apart (at most): whole slices go to
 * the threads, so more slices balance 3 threads better, at the price of a partial sum each.
 */
const SLICES = 8;

/**
 * Winograd F(2×2, 3×3) runs 3×3 stride-1 convolutions (forward and backward) with at least this many
 * input and output channels: below it the 16 products are too thin to pay for the transforms.
 */
const WINOGRAD_MIN_CHANNELS = 16;

/** Bytes of a Winograd chunk's transformed tiles (in and out) that stay in the L2 cache. */
const WINOGRAD_CHUNK_BYTES = 256 << 10;

/**
 * Tiles per Winograd chunk for C input and M output channels and P transform points (16 for F(2×2, 3×3), 36 for
 * F(4×4, 3×3)): a multiple of 8 (the products' tile width).
 */
const winogradChunk = (C: number, M: number, P = 16): number =>
  Math.max(8, 8 * Math.floor(WINOGRAD_CHUNK_BYTES / (4 * P * (C + M)) / 8));

export class WasmKernels {
  readonly heap: WasmHeap;
  /** 3×3 stride-1 convolutions through Winograd F(2×2, 3×3) where it pays (false: the direct kernel, for comparisons). */
  winograd = true;
  /**
   * The forward and the input gradient of those layers through F(4×4, 3×3) (36 products per 4×4 outputs against
   * F(2×2, 3×3)'s 64; false: F(2×2, 3×3), for comparisons). The weight gradient stays F(2×2, 3×3).
   */
  winograd4 = true;
  /**
   * 1-D convolutions (stride and dilation 1, one group, taps a multiple of 3, enough channels) through Winograd
   * F(4, 3) in groups of three taps, forward and input gradient (false: the direct kernel, for comparisons).
   */
  winograd1d = true;

  constructor(private readonly w: Exports, memory: WebAssembly.Memory, private readonly threads: KernelThreads | null,
    /** The relaxed-SIMD build runs: fused multiply-adds in the products. */
    readonly fused: boolean, shared: boolean) {
    this.heap = new WasmHeap(memory, shared);
  }

  /**
   * The direct backward's slices of the batch even, SLICES of them as far as the batch goes (false: as many as chunks
   * of the largest size the cache allows, for comparisons).
   */
  evenSlices = true;

  /** Independent calls share a job (`together`; false: a job each, for comparisons). */
  shareJobs = true;

  /** Whether the kernel threads spin a little before they sleep (false: at once, for comparisons). */
  get spin(): boolean {
    return this.threads?.spin ?? false;
  }

  set spin(on: boolean) {
    if (this.threads) this.threads.spin = on;
  }

  private get f32(): Float32Array {
    return this.heap.f32;
  }

  private get i32(): Int32Array {
    return this.heap.i32;
  }

  /** C[M×N] (+)= op(A)·op(B) for the layout, operands anywhere in JavaScript memory. */
  matmul(layout: Layout, M: number, N: number, K: number, A: Mat, B: Mat, C: Mat, accumulate: boolean): void {
    if (M === 0 || N === 0) return;
    this.heap.begin();
    const [aRows, aCols] = layout === 'TN' ? [K, M] : [M, K];
    const [bRows, bCols] = layout === 'NT' ? [N, K] : [K, N];
    const a = this.putMat(A, aRows, aCols), b = this.putMat(B, bRows, bCols);
    const c = accumulate ? this.putMat(C, M, N) : this.out(C.data, C.off, (M - 1) * C.ld + N);
    const f = layout === 'NN' ? this.w.matmulNN : layout === 'NT' ? this.w.matmulNT : this.w.matmulTN;
    f(M, N, K, a, A.ld, b, B.ld, c, C.ld, accumulate ? 1 : 0);
    this.getMat(c, C, M, N);
    this.heap.end();
  }

  /** y = conv(x, w) + bias: the batch split across the threads by samples. */
  convForward(s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
    this.heap.begin();
    const { N, outChannels: Cout, outL: L } = s;
    const xa = this.put(x, 0, x.length), wa = this.put(w, 0, w.length), ya = this.out(y, 0, N * Cout * L);
    if (this.winogradFits(s)) {
      const [, H, W] = s.window.inSize, [, OH, OW] = s.window.outSize, [, ph, pw] = s.window.p;
      const four = this.winograd4, [u, weights] = this.winogradWeights(wa, s, false, four);
      const [pad, products] = this.winogradConv(xa, N, s.inChannels, H, W, ph, pw, u, Cout, OH, OW, ya, four);
      this.together([...weights, pad]);
      this.together([products]);
    } else if (this.winograd1dFits(s)) {
      const [, , W] = s.window.inSize, [, , OW] = s.window.outSize, [, , pw] = s.window.p;
      const [weights, pad, products] = this.winograd1dConv(xa, wa, s, false, N, s.inChannels, W, pw, Cout, OW, ya);
      this.together([weights, pad]);
      this.together([products]);
    } else {
      const d = this.describe(s, xa, wa, ya, 0, 0, false);
      this.each('convForwardRange', [d], this.pieces(N), this.threadCols(s, d));
    }
    if (bias) this.w.addBias(ya, N, Cout, L, this.put(bias, 0, Cout));
    this.got(ya, y, N * Cout * L);
    this.heap.end();
  }

  /**
   * dW += ∂L/∂w; dBias += ∂L/∂bias and dx = ∂L/∂x when given. The columns are recomputed from x
   * (cheaper than keeping them). A stride-1 (direct) convolution goes by slices of the batch across the
   * threads, each slice's input gradient and weight gradient together (convBackwardDirectRange); the
   * img2col path as one job of two calls: the input gradient by samples and the weight gradient by output
   * channels (each thread sums its rows over the whole batch).
   */
  convBackward(s: ConvShape, x: Float32Array, w: Float32Array, dy: Float32Array, dW: Float32Array, dBias: Float32Array | null, dx: Float32Array | null): void {
    this.heap.begin();
    const { N, inChannels: Cin, outChannels: Cout, inL, outL: L } = s;
    const xa = this.put(x, 0, x.length), wa = this.put(w, 0, w.length);
    const dya = this.put(dy, 0, dy.length), dWa = this.put(dW, 0, dW.length);
    const dxa = dx ? this.out(dx, 0, N * Cin * inL) : 0;
    // dx as the forward convolution of dy padded by 2 − p with the turned, transposed kernels; the
    // weight gradient through the same transform where the channels-last copy of the input can be made.
    const [, H, W] = s.window.inSize, [, OH, OW] = s.window.outSize, [, ph, pw] = s.window.p;
    const wino = this.winogradFits(s) && ph <= 2 && pw <= 2;
    // The input and the weight gradient's Winograd passes share jobs: first the kernels' transform and both
    // paddings, then both products (each job's calls read nothing another of them writes).
    const first: ThreadCall[] = [], second: ThreadCall[] = [];
    if (wino && dxa) {
      const four = this.winograd4, [u, weights] = this.winogradWeights(wa, s, true, four);
      const [pad, products] = this.winogradConv(dya, N, Cout, OH, OW, 2 - ph, 2 - pw, u, Cin, H, W, dxa, four);
      first.push(...weights, pad);
      second.push(products);
    }
    // A 1-D convolution's input gradient through F(4, 3) where the adjoint's padding T − 1 − p is not negative.
    const wino1 = this.winograd1dFits(s) && pw <= s.taps - 1;
    if (wino1 && dxa) {
      const [weights, pad, products] = this.winograd1dConv(dya, wa, s, true, N, Cout, OW, s.taps - 1 - pw, Cin, W, dxa);
      first.push(weights, pad);
      second.push(products);
    }
    // Not the Winograd weight gradient on an image under two tiles a side: a kernel's 9 taps come out of one
    // transform, so a tap that few outputs reach (at the edge of a small image) takes the rounding of all of
    // them, up to ~400·u·Σ|dy||x| (fixtures/conv-reference.json), beyond the goldens' bound (layers.test.ts).
    const winoGrad = wino && Cin % 4 === 0 && OH >= 4 && OW >= 4;
    // The same for a 1-D weight gradient under two tiles long (its channels-last copy takes channels in fours).
    const wino1Grad = wino1 && Cin % 4 === 0 && OW >= 8;
    const finish = winoGrad ? this.winogradWeightGrad(xa, dya, s, dWa, first, second)
      : wino1Grad ? this.winograd1dWeightGrad(xa, dya, s, dWa, first, second) : null;
    this.together(first);
    this.together(second);
    const d = winoGrad || wino1Grad ? 0 : this.describe(s, xa, wa, dya, wino || wino1 ? 0 : dxa, dWa, true);
    if (finish) {
      finish();
    } else if (this.i32[(d >> 2) + D.direct]) {
      const S = this.i32[(d >> 2) + D.slices], parts = this.i32[(d >> 2) + D.parts], G = s.groups;
      // More groups than slices (a depthwise convolution's batch often fits one slice): shared by groups.
      if (G > S) this.each('convBackwardGroupsRange', [d], this.pieces(G, PIECES_PER_THREAD, 1, N * (Cin / G) * inL));
      else {
        this.each('convBackwardDirectRange', [d], this.pieces(S, S));
        this.w.addParts(dWa, parts, S, dW.length, dW.length);
      }
    } else {
      // dx and dW apart, so one job; a thread's columns serve one item at a time
      const cols = this.threadCols(s, d);
      this.together([this.call('convInputGradRange', [d], this.pieces(N), cols),
        this.call('convWeightGradRange', [d], this.channelRanges(s), cols)]);
    }
    this.got(dWa, dW, dW.length);
    if (dBias) {
      const db = this.put(dBias, 0, Cout);
      this.w.biasGrad(dya, N, Cout, L, db);
      this.got(db, dBias, Cout);
    }
    if (dx) this.got(dxa, dx, dx.length);
    this.heap.end();
  }

  /** A 3×3 convolution with stride and dilation 1, one group and enough channels for Winograd to pay. */
  private winogradFits(s: ConvShape): boolean {
    const g = s.window;
    return this.winograd && s.groups === 1 && Math.min(s.inChannels, s.outChannels) >= WINOGRAD_MIN_CHANNELS
      && g.inSize[0] === 1 && g.k[0] === 1 && g.k[1] === 3 && g.k[2] === 3 && g.s.every((v) => v === 1) && g.d.every((v) => v === 1);
  }

  /** A 1-D convolution with stride and dilation 1, one group, taps a multiple of 3 and enough channels for F(4, 3). */
  private winograd1dFits(s: ConvShape): boolean {
    const g = s.window;
    return this.winograd1d && s.groups === 1 && Math.min(s.inChannels, s.outChannels) >= WINOGRAD_MIN_CHANNELS
      && g.inSize[0] === 1 && g.inSize[1] === 1 && g.k[0] === 1 && g.k[1] === 1 && g.k[2] % 3 === 0
      && g.s.every((v) => v === 1) && g.d.every((v) => v === 1);
  }

  /**
   * y[N][M][OL] = the 1-D convolution of src[N][C][L] zero-padded by p on the left with the kernels of w (of the
   * convolution, or turned and transposed for its adjoint: the input gradient): the three calls to run in order,
   * the kernels' transform with the padding (one job), then the chunks of tiles (winograd1dRange of kernels.as).
   */
  private winograd1dConv(src: number, wa: number, s: ConvShape, adjoint: boolean, N: number, C: number, L: number, p: number,
    M: number, OL: number, y: number): [ThreadCall, ThreadCall, ThreadCall] {
    const T = s.taps, G = T / 3, R = G * C, TL = Math.ceil(OL / 4), Ls = 4 * TL + T - 1, u = this.alloc(6 * M * R);
    const weights = this.call('winograd1dWeights', [wa, s.outChannels, s.inChannels, T, adjoint ? 1 : 0, u],
      this.pieces(M, PIECES_PER_THREAD, 1, 6 * R));
    const xp = this.alloc(N * C * Ls);
    const pad = this.call('pad2d', [], this.pieces(N, PIECES_PER_THREAD, 1, C * L)
      .map(([a, b]) => [src + 4 * a * C * L, (b - a) * C, 1, L, 0, p, 1, Ls, xp + 4 * a * C * Ls]));
    const TC = winogradChunk(R, M, 6), K = Math.ceil((N * TL) / TC);
    const d = this.winogradDescriptor(xp, C, u, y, M, G, OL, N, TC, 0);
    const products = this.call('winograd1dRange', [d], this.pieces(K, PIECES_PER_THREAD, 1, 6 * TC * (R + M)),
      this.winogradScratch(R, M, TC, 6));
    return [weights, pad, products];
  }

  /**
   * The address of the transformed kernels of w[cout][cin][3][3] (of the convolution, or of its adjoint), and
   * the calls still to run that compute them: `four`, winograd4Weights of kernels.as, else none (winogradWeights
   * has run).
   */
  private winogradWeights(wa: number, s: ConvShape, adjoint: boolean, four: boolean): [number, ThreadCall[]] {
    const M = s.outChannels, C = s.inChannels, u = this.alloc((four ? 36 : 16) * M * C);
    // F(4×4)'s transform (f64, 36 points) costs ~3× F(2×2)'s: split by output channels, not left to one thread
    if (four) {
      const items = this.pieces(M, PIECES_PER_THREAD, 1, 36 * 9 * C);
      // each thread's 18 f64x2 of G·g and 36 × 16 floats of a run of transformed kernels
      const h = Array.from({ length: this.threadCount }, () => [this.alloc(72 + 576)]);
      return [u, [this.call('winograd4Weights', [wa, M, C, adjoint ? 1 : 0, u], items, h)]];
    }
    this.w.winogradWeights(wa, M, C, adjoint ? 1 : 0, u);
    return [u, []];
  }

  /**
   * y[N][M][OH × OW] = the 3×3 convolution of src[N][C][H × W], zero-padded by (ph, pw), with the
   * transformed kernels u: the input padded (by samples) to whole tiles, then the tiles in chunks
   * of a size fixed by the layer, each computed by one thread as a whole (winogradRange of kernels.as,
   * or winograd4Range with `four`: 4×4 outputs per tile). Returns the two calls, to run in that order.
   */
  private winogradConv(src: number, N: number, C: number, H: number, W: number, ph: number, pw: number, u: number, M: number,
    OH: number, OW: number, y: number, four: boolean): [ThreadCall, ThreadCall] {
    const m = four ? 4 : 2, P = (m + 2) ** 2, TH = Math.ceil(OH / m), TW = Math.ceil(OW / m), Hs = m * TH + 2, Ws = m * TW + 2;
    const xp = this.alloc(N * C * Hs * Ws);
    const pad = this.call('pad2d', [], this.pieces(N, PIECES_PER_THREAD, 1, C * H * W)
      .map(([a, b]) => [src + 4 * a * C * H * W, (b - a) * C, H, W, ph, pw, Hs, Ws, xp + 4 * a * C * Hs * Ws]));
    const TC = winogradChunk(C, M, P), K = Math.ceil((N * TH * TW) / TC), d = this.winogradDescriptor(xp, C, u, y, M, OH, OW, N, TC, 0);
    const products = this.pieces(K, PIECES_PER_THREAD, 1, P * TC * (C + M));
    return [pad, this.call(four ? 'winograd4Range' : 'winogradRange', [d], products,
      this.winogradScratch(C, M, TC, P))];
  }

  /**
   * dW += ∂L/∂w through Winograd (winogradWeightGradRange of kernels.as): the channels-last input padded to
   * whole tiles (by samples), the tiles' sums by slices fixed by the layer, the slices added in order,
   * then the transform back to 3×3 kernels. The padding goes into `first` and the sums into `second`, to run
   * in that order; the returned function then finishes.
   */
  private winogradWeightGrad(xa: number, dya: number, s: ConvShape, dWa: number, first: ThreadCall[],
    second: ThreadCall[]): () => void {
    const { N, inChannels: C, outChannels: M } = s, [, H, W] = s.window.inSize, [, OH, OW] = s.window.outSize, [, ph, pw] = s.window.p;
    const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2), Hs = 2 * TH + 2, Ws = 2 * TW + 2, xt = this.alloc(N * C * Hs * Ws);
    first.push(this.call('padChannelsLast', [], this.pieces(N, PIECES_PER_THREAD, 1, C * H * W)
      .map(([a, b]) => [xa + 4 * a * C * H * W, b - a, C, H, W, ph, pw, Hs, Ws, xt + 4 * a * C * Hs * Ws])));
    const TC = winogradChunk(C, M), S = Math.min(SLICES, Math.ceil((N * TH * TW) / TC)), n = 16 * M * C, parts = this.alloc(S * n);
    const d = this.winogradDescriptor(xt, C, parts, dya, M, OH, OW, N, TC, S);
    second.push(this.call('winogradWeightGradRange', [d], this.pieces(S, S), this.winogradScratch(C, M, TC)));
    const z = this.alloc(n);
    return () => {
      this.f32.fill(0, z >> 2, (z >> 2) + n);
      this.w.addParts(z, parts, S, n, n);
      this.w.winogradWeightGradFinish(z, M, C, dWa);
    };
  }

  /**
   * dW += ∂L/∂w of a 1-D convolution through F(4, 3) (winograd1dWeightGradRange of kernels.as): the channels-last
   * input padded to whole tiles (by samples) into `first`, the slices' sums into `second`; the returned function adds
   * the slices in order and transforms back.
   */
  private winograd1dWeightGrad(xa: number, dya: number, s: ConvShape, dWa: number, first: ThreadCall[],
    second: ThreadCall[]): () => void {
    const { N, inChannels: C, outChannels: M } = s, [, , L] = s.window.inSize, [, , OL] = s.window.outSize, [, , p] = s.window.p;
    const G = s.taps / 3, R = G * C, TL = Math.ceil(OL / 4), Ls = 4 * TL + s.taps - 1, xt = this.alloc(N * C * Ls);
    first.push(this.call('padChannelsLast', [], this.pieces(N, PIECES_PER_THREAD, 1, C * L)
      .map(([a, b]) => [xa + 4 * a * C * L, b - a, C, 1, L, 0, p, 1, Ls, xt + 4 * a * C * Ls])));
    const TC = winogradChunk(R, M, 6), S = Math.min(SLICES, Math.ceil((N * TL) / TC)), n = 6 * M * R, parts = this.alloc(S * n);
    const d = this.winogradDescriptor(xt, C, parts, dya, M, G, OL, N, TC, S);
    second.push(this.call('winograd1dWeightGradRange', [d], this.pieces(S, S), this.winogradScratch(R, M, TC, 6)));
    const z = this.alloc(n);
    return () => {
      this.f32.fill(0, z >> 2, (z >> 2) + n);
      this.w.addParts(z, parts, S, n, n);
      this.w.winograd1dWeightGradFinish(z, M, C, G, dWa);
    };
  }

  /** Each thread's transformed input and output tiles of one chunk of P points (a cache line more per point: wgStride of kernels.as). */
  private winogradScratch(C: number, M: number, TC: number, P = 16): number[][] {
    return Array.from({ length: this.threadCount }, () => [this.alloc(P * (C * TC + 16)), this.alloc(P * (M * TC + 16))]);
  }

  /** The W_* fields of kernels.as for a Winograd call, and their address. */
  private winogradDescriptor(...fields: number[]): number {
    const at = this.alloc(fields.length);
    this.i32.set(fields, at >> 2);
    return at;
  }

  /** Threads the kernels run on (this one included). */
  get threadCount(): number {
    return this.threads?.size ?? 1;
  }

  /**
   * Calls a kernel as f(...pre, ...item, ...post[t]) once per item, items shared out among the threads
   * as they come free (t the thread): only for items that write disjoint memory, each value by one
   * call, so that the split never changes a result. Without threads, post[0] serves every item.
   */
  private each(name: ThreadKernel, pre: number[], items: number[][], post: number[][] = []): void {
    this.together([this.call(name, pre, items, post)]);
  }

  /** A call of `each`, to run with others that read nothing it writes (`together`). */
  private call(name: ThreadKernel, pre: number[], items: number[][], post: number[][] = []): ThreadCall {
    return { name, pre, items, post, own: this.w[name] as (...a: number[]) => void };
  }

  /** Runs calls as `each` would, in one job (one each without `shareJobs`): none may read what another writes. */
  private together(calls: ThreadCall[]): void {
    if (!this.shareJobs && calls.length > 1) for (const c of calls) this.together([c]);
    else if (this.threads && calls.reduce((n, c) => n + c.items.length, 0) > 1) this.threads.runAll(calls);
    else for (const { pre, items, post, own } of calls) for (const it of items) own(...pre, ...it, ...(post[0] ?? []));
  }

  /**
   * [a, b) items over n of `weight` values each, the bounds multiples of `align`: one range on one
   * thread or when the whole is too small to be worth waking the other threads, else up to
   * `perThread` per thread of at least SPLIT_MIN values where there are that many, so that a thread
   * that comes free takes over what another has not begun.
   */
  private pieces(n: number, perThread = PIECES_PER_THREAD, align = 1, weight = SPLIT_MIN): number[][] {
    const T = n * weight < SPLIT_MIN ? 1 : this.threadCount;
    const count = T === 1 ? 1 : Math.min(Math.ceil(n / align), perThread * T, Math.max(T, Math.floor((n * weight) / SPLIT_MIN)));
    const chunk = align * Math.ceil(n / align / count), out: number[][] = [];
    for (let a = 0; a < n; a += chunk) out.push([a, Math.min(n, a + chunk)]);
    return out.length ? out : [[0, 0]];
  }

  /**
   * [g0, g1, r0, r1) items for the weight gradient: ranges of the groups when there are several, else of
   * the output channels in multiples of 4 (the kernels' tile height, so that every tile is the one a
   * single thread would compute). One item per thread: each item turns the whole batch into columns
   * for its channels, so more items would repeat that work.
   */
  private channelRanges(s: ConvShape): number[][] {
    const G = s.groups, cog = s.outChannels / G;
    return G > 1 ? this.pieces(G, 1).map(([a, b]) => [a, b, 0, cog]) : this.pieces(cog, 1, 4).map(([a, b]) => [0, 1, a, b]);
  }

  /** A column matrix per thread for the img2col path (none for the direct and pointwise ones), as post arguments. */
  private threadCols(s: ConvShape, d: number): number[][] {
    const K = s.inChannels * s.taps, direct = this.i32[(d >> 2) + D.direct] !== 0;
    return Array.from({ length: this.threadCount }, () => [direct || s.pointwise ? 0 : this.alloc(K * s.outL)]);
  }

  /**
   * Writes the convolution's descriptor for the range kernels (the D_* fields of kernels.as) and
   * returns its address. A stride-1 convolution over 1 or 2 dimensions (not pointwise, which needs
   * no columns at all) takes the direct path: room for the zero-padded input (and its gradient)
   * that the windows cover, and the offset of each column-matrix row of one group in it.
   */
  private describe(s: ConvShape, xa: number, wa: number, ya: number, dxa: number, dWa: number, backward: boolean): number {
    const g = s.window, [, H, W] = g.inSize, [, OH, OW] = g.outSize, [, KH, KW] = g.k, [, ph, pw] = g.p, [, dh, dw] = g.d;
    const direct = !s.pointwise && g.inSize[0] === 1 && g.k[0] === 1 && g.s.every((v) => v === 1);
    const f = new Array<number>(D.count).fill(0);
    f[D.x] = xa; f[D.w] = wa; f[D.y] = ya; f[D.dx] = dxa; f[D.dW] = dWa; f[D.N] = s.N; f[D.cin] = s.inChannels; f[D.cout] = s.outChannels;
    f[D.groups] = s.groups; f[D.inL] = s.inL; f[D.L] = s.outL; f[D.K] = s.inChannels * s.taps; f[D.pointwise] = s.pointwise ? 1 : 0;
    if (direct) {
      const Hp = OH + dh * (KH - 1), Wp = OW + dw * (KW - 1), P = s.N * s.inChannels, padded = Hp !== H || Wp !== W || ph !== 0 || pw !== 0;
      const cig = s.inChannels / s.groups, koff = this.alloc(cig * KH * KW);
      let k = koff >> 2;
      for (let c = 0; c < cig; c++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) this.i32[k++] = c * Hp * Wp + b * dh * Wp + e * dw;
      // The backward of one group with channels in multiples of 8 takes its weight gradient from a
      // channels-last copy of the padded input instead of the channel-major one.
      const channelsLast = backward && s.groups === 1 && s.inChannels % 8 === 0;
      f[D.direct] = 1; f[D.xp] = padded && !channelsLast ? this.alloc(P * Hp * Wp) : xa;
      f[D.plane] = Hp * Wp; f[D.H] = H; f[D.W] = W; f[D.Hp] = Hp; f[D.Wp] = Wp;
      if (channelsLast) {
        const toff = this.alloc(KH * KW);
        let k = toff >> 2;
        for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) this.i32[k++] = (b * dh * Wp + e * dw) * s.inChannels;
        f[D.xt] = this.alloc(P * Hp * Wp); f[D.toff] = toff;
      }
      f[D.ph] = ph; f[D.pw] = pw; f[D.OH] = OH; f[D.OW] = OW; f[D.koff] = koff;
      if (backward && dxa && ph <= dh * (KH - 1) && pw <= dw * (KW - 1)) this.describeAdjoint(f, s, KH, KW, dh, dw);
      else f[D.dxp] = backward && dxa && padded ? this.alloc(P * Hp * Wp) : dxa;
      if (backward) {
        // Samples per chunk at most from the reach of one sample's window rows (koff's last entry) and its output rows.
        const bytes = 8 * ((cig - 1) * Hp * Wp + (KH - 1) * dh * Wp + (KW - 1) * dw + OH * Wp);
        const most = Math.max(1, Math.floor(WG_CHUNK_BYTES / Math.max(bytes, 1))), fewest = Math.ceil(s.N / most);
        // Where the threads share the slices (not the groups: convBackward), SLICES of them as far as the batch goes,
        // each the same number of chunks (`evenSlices`): the slices of chunks as large as the cache allows were uneven
        // (the 1-D net's first layer: 31 samples and 1, the whole layer on one thread; its third: 5 slices).
        const even = this.evenSlices && s.groups <= SLICES, want = Math.min(SLICES, even ? s.N : fewest);
        const chunk = even ? Math.ceil(s.N / (want * Math.ceil(fewest / want))) : most;
        // (no slice without a chunk: 9 samples go in 5 chunks of 2)
        const slices = Math.min(want, Math.ceil(s.N / chunk));
        f[D.chunk] = chunk; f[D.slices] = slices; f[D.parts] = this.alloc(slices * s.outChannels * (s.inChannels / s.groups) * KH * KW);
      }
    } else {
      f[D.window] = this.putWindow(g);
    }
    const at = this.alloc(D.count);
    this.i32.set(f, at >> 2);
    return at;
  }

  /**
   * The input gradient of a stride-1 convolution as the forward convolution of the output gradient,
   * zero-padded by the kernel's reach less the padding, with the flipped and transposed weights: the
   * forward kernel then sums every value of dx in registers (the fields D.wt … D.TW).
   */
  private describeAdjoint(f: number[], s: ConvShape, KH: number, KW: number, dh: number, dw: number): void {
    const [, H, W] = s.window.inSize, [, ph, pw] = s.window.p, G = s.groups, cog = s.outChannels / G, cig = s.inChannels / G;
    const QH = H + dh * (KH - 1), QW = W + dw * (KW - 1), kofft = this.alloc(cog * KH * KW), wt = this.alloc(s.outChannels * cig * KH * KW);
    let k = kofft >> 2;
    for (let m = 0; m < cog; m++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) this.i32[k++] = m * QH * QW + b * dh * QW + e * dw;
    this.w.convFlipWeights(f[D.w], G, cog, cig, KH * KW, wt);
    f[D.wt] = wt; f[D.dyp] = this.alloc(s.N * s.outChannels * QH * QW); f[D.kofft] = kofft;
    f[D.QH] = QH; f[D.QW] = QW; f[D.TH] = dh * (KH - 1) - ph; f[D.TW] = dw * (KW - 1) - pw;
  }

  /**
   * y = a + b (y may be a): the residual adds and gradient sums, split across the threads as ReLU is
   * (with the operands resident, the pass is all the call does). A quarter of the time of the same
   * loop in JavaScript, which adds in f64.
   */
  add(a: Float32Array, b: Float32Array, y: Float32Array): void {
    this.heap.begin();
    const n = y.length, aa = this.put(a, 0, n), ba = this.put(b, 0, n), ya = this.out(y, 0, n);
    this.each('add', [], this.pieces(n, PIECES_PER_THREAD, 4, 1).map(([i, j]) => [aa + 4 * i, ba + 4 * i, ya + 4 * i, j - i]));
    this.got(ya, y, n);
    this.heap.end();
  }

  /** y = act(x) for an activation with a kernel (KernelAct). */
  activate(act: KernelAct, x: Float32Array, y: Float32Array): void {
    this.heap.begin();
    const xa = this.put(x, 0, x.length), ya = this.out(y, 0, x.length);
    this.each('activate', [], this.pieces(x.length, PIECES_PER_THREAD, 4, 1).map(([a, b]) => [xa + 4 * a, ya + 4 * a, b - a, act]));
    this.got(ya, y, x.length);
    this.heap.end();
  }

  /** dx = dy through act at x (its input, or its output: the gradients agree). */
  activateBackward(act: KernelAct, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.heap.begin();
    const xa = this.put(x, 0, x.length), dya = this.put(dy, 0, dy.length), dxa = this.out(dx, 0, dx.length);
    this.each('activateBackward', [], this.pieces(dx.length, PIECES_PER_THREAD, 4, 1)
      .map(([a, b]) => [xa + 4 * a, dya + 4 * a, dxa + 4 * a, b - a, act]));
    this.got(dxa, dx, dx.length);
    this.heap.end();
  }

  /** Max pooling of P planes H×W without padding or dilation (the contract of maxPlain2d in pool.ts). */
  maxPool2d(x: Float32Array, P: number, H: number, W: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number,
    y: Float32Array, argmax: Int32Array): void {
    this.heap.begin();
    const n = P * OH * OW, xa = this.put(x, 0, P * H * W), ya = this.out(y, 0, n), aa = this.alloc(n);
    this.each('maxPool2d', [], this.pieces(P, PIECES_PER_THREAD, 1, H * W)
      .map(([a, b]) => [xa + 4 * a * H * W, b - a, H, W, OH, OW, KH, KW, sh, sw, ya + 4 * a * OH * OW, aa + 4 * a * OH * OW]));
    this.got(ya, y, n);
    argmax.set(this.i32.subarray(aa >> 2, (aa >> 2) + n));
    this.heap.end();
  }

  /** dx = 0 with each dy added at its window's argmax (the backward pass of every max pooling). */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, P: number, inL: number, outL: number, dx: Float32Array): void {
    this.heap.begin();
    const n = P * outL, dya = this.put(dy, 0, n), aa = this.alloc(n), dxa = this.out(dx, 0, P * inL);
    this.i32.set(argmax.subarray(0, n), aa >> 2);
    this.each('maxPoolBackward', [], this.pieces(P, PIECES_PER_THREAD, 1, inL)
      .map(([a, b]) => [dya + 4 * a * outL, aa + 4 * a * outL, b - a, inL, outL, dxa + 4 * a * inL]));
    this.got(dxa, dx, P * inL);
    this.heap.end();
  }

  /**
   * BatchNorm's forward over x[N, C, L], x staged once: with `stats`, first its per-channel mean and
   * biased variance (one pass in f64) into `stats` as [mean, var] pairs; then `coefs()` returns
   * [scale (C) | shift (C)] and y = act(x·scale[c] + shift[c]) (an activation taken in; 0: none).
   */
  bnForward(x: Float32Array, N: number, C: number, L: number, stats: Float64Array | null, coefs: () => Float32Array,
    y: Float32Array, act: KernelAct | 0 = 0): void {
    this.heap.begin();
    const n = N * C * L, xa = this.put(x, 0, n);
    if (stats) {
      const sa = this.alloc(4 * C);
      this.each('bnStats', [xa, N, C, L, sa], this.pieces(C, PIECES_PER_THREAD, 1, N * L));
      stats.set(new Float64Array(this.f32.buffer, sa, 2 * C));
    }
    const sc = this.put(coefs(), 0, 2 * C), sh = sc + 4 * C, ya = this.out(y, 0, n);
    this.each('bnApply', [], this.pieces(N, PIECES_PER_THREAD, 1, C * L).map(([a, b]) => [xa + 4 * a * C * L, b - a, C, L, sc, sh, ya + 4 * a * C * L, act]));
    this.got(ya, y, n);
    this.heap.end();
  }

  /**
   * BatchNorm's backward over x[N, C, L]: sums gets [Σdy, Σdy·(x − mean)] per channel; then, when dx is
   * given, `coefs(sums)` returns the rows [mean, mdy, proj, gs] per channel and dx = (dy − mdy − (x − mean)·proj)·gs.
   * With `taken` (the activation a forward took in and that forward's output), dy first goes through it.
   */
  bnBackward(x: Float32Array, dy: Float32Array, N: number, C: number, L: number, mean: Float32Array, sums: Float64Array,
    coefs: (sums: Float64Array) => Float32Array | null, dx: Float32Array | null, taken: { act: KernelAct; y: Float32Array } | null = null): void {
    this.heap.begin();
    const n = N * C * L, xa = this.put(x, 0, n), dya = this.put(dy, 0, n), ma = this.put(mean, 0, C), sa = this.alloc(4 * C);
    const ra = taken ? this.put(taken.y, 0, n) : 0, act = taken?.act ?? 0;
    this.each('bnBackwardSums', [xa, dya, ra, act, N, C, L, ma, sa], this.pieces(C, PIECES_PER_THREAD, 1, N * L));
    sums.set(new Float64Array(this.f32.buffer, sa, 2 * C));
    const k = coefs(sums);
    if (!dx || !k) { this.heap.end(); return; }
    const ka = this.put(k, 0, 4 * C), dxa = this.out(dx, 0, n);
    this.each('bnBackwardApply', [], this.pieces(N, PIECES_PER_THREAD, 1, C * L)
      .map(([a, b]) => [xa + 4 * a * C * L, dya + 4 * a * C * L, ra + 4 * a * C * L, act, b - a, C, L, ka, dxa + 4 * a * C * L]));
    this.got(dxa, dx, n);
    this.heap.end();
  }

  /**
   * One step of SGD over a parameter's values v with its gradient g and momentum buffer b (null
   * without momentum), the bits of the TypeScript optimiser's (sgdStep of kernels.as), split across
   * the threads. `first`: b has no state yet and takes the step's d.
   */
  sgdStep(v: Float32Array, g: Float32Array, b: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number,
    nesterov: boolean, first: boolean): void {
    this.heap.begin();
    const n = v.length, va = this.put(v, 0, n), ga = this.put(g, 0, n), ba = b ? this.put(b, 0, n) : 0, hp = this.alloc(8);
    new Float64Array(this.f32.buffer, hp, 4).set([lr, momentum, 1 - dampening, weightDecay]);
    const flags = (b ? 1 : 0) | (first ? 2 : 0) | (nesterov ? 4 : 0);
    this.each('sgdStep', [], this.pieces(n, PIECES_PER_THREAD, 4, 1).map(([i, j]) => [va + 4 * i, ga + 4 * i, ba && ba + 4 * i, j - i, hp, flags]));
    this.got(va, v, n);
    if (b) this.got(ba, b, n);
    this.heap.end();
  }

  /** Byte address of n fresh scratch floats of this call (16-byte aligned). */
  private alloc(n: number): number {
    return this.heap.alloc(n);
  }

  /** Address of src[off, off + n) in the module's memory: where it lives when resident, else a staged copy. */
  private put(src: Float32Array, off: number, n: number): number {
    const home = this.heap.addressOf(src);
    if (home >= 0) return home + 4 * off;
    const at = this.alloc(n);
    this.f32.set(n === src.length && off === 0 ? src : src.subarray(off, off + n), at >> 2);
    return at;
  }

  /** Where a result of n floats for dst[off…] is written: in place when dst is resident, else in scratch (copied by `got`). */
  private out(dst: Float32Array, off: number, n: number): number {
    const home = this.heap.addressOf(dst);
    return home >= 0 ? home + 4 * off : this.alloc(n);
  }

  /** Copies a result written at `at` into dst unless it was written in place. */
  private got(at: number, dst: Float32Array, n: number): void {
    if (this.heap.addressOf(dst) !== at) dst.set(this.f32.subarray(at >> 2, (at >> 2) + n));
  }

  /** Stages the rows × cols matrix of m (with its row stride, as one span). */
  private putMat(m: Mat, rows: number, cols: number): number {
    return this.put(m.data, m.off, rows === 0 ? 0 : (rows - 1) * m.ld + cols);
  }

  private getMat(at: number, m: Mat, rows: number, cols: number): void {
    const home = this.heap.addressOf(m.data);
    if (home >= 0 && home + 4 * m.off === at) return;
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

const loading = new Map<string, Promise<WasmKernels | null>>();

/**
 * Instantiates the module from its inlined bytes (works in Node, workers and browsers); null without
 * WebAssembly SIMD. With SharedArrayBuffer the shared-memory build runs, whose memory can hold the
 * layers' buffers (`resident`, unless false): on threads − 1 workers besides the caller with threads > 1
 * and a worker host (worker-host.ts), else on the caller alone; without it, the own-memory build on the
 * caller. The relaxed-SIMD build (fused multiply-add) is taken where the runtime validates it, unless
 * `fused` is false; the plain one otherwise.
 */
export function loadWasmKernels(threads = 1, fused = true, resident = true): Promise<WasmKernels | null> {
  const host = workerHost(), shared = typeof SharedArrayBuffer !== 'undefined';
  const n = threads > 1 && host && shared ? Math.floor(threads) : 1;
  const key = `${n}:${fused}:${resident}`;
  let p = loading.get(key);
  if (!p) {
    p = (shared && (n > 1 || resident) ? loadShared(host, n, fused, resident) : Promise.reject(new Error('own memory')))
      .catch(() => loadPlain(fused)).catch(() => null);
    loading.set(key, p);
  }
  return p;
}

const bytesOf = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/** The relaxed-SIMD build's bytes when wanted and valid here, else the plain build's. */
function pickBuild(fused: boolean, relaxed: string, plain: string): { bytes: Uint8Array<ArrayBuffer>; fused: boolean } {
  if (fused) {
    const bytes = bytesOf(relaxed);
    if (WebAssembly.validate(bytes)) return { bytes, fused: true };
  }
  return { bytes: bytesOf(plain), fused: false };
}

async function loadPlain(fused: boolean): Promise<WasmKernels | null> {
  if (typeof WebAssembly === 'undefined') return null;
  const build = pickBuild(fused, kernelsRelaxedWasmBase64, kernelsWasmBase64);
  if (!WebAssembly.validate(build.bytes)) return null;
  const { instance } = await WebAssembly.instantiate(build.bytes, {});
  const exports = instance.exports as unknown as Exports & { memory: WebAssembly.Memory };
  return new WasmKernels(exports, exports.memory, null, build.fused, false);
}

async function loadShared(host: WorkerHost | null, n: number, fused: boolean, resident: boolean): Promise<WasmKernels> {
  const build = pickBuild(fused, kernelsRelaxedSharedWasmBase64, kernelsSharedWasmBase64);
  const module = await WebAssembly.compile(build.bytes);
  // Shared memory needs a maximum; 4 GB is wasm32's limit and only reserves address space.
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const threads = n > 1 && host ? new KernelThreads(host, n - 1, module, memory, [...THREAD_KERNELS]) : null;
  return new WasmKernels(instance.exports as unknown as Exports, memory, threads, build.fused, resident);
}
