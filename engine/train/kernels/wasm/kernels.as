// AssemblyScript source of the WebAssembly SIMD kernels (compiled by scripts/build-wasm.mjs into
// kernels-wasm.generated.ts; the extension `.as` keeps it out of tsc, which does not know f32/v128).
// The matrix multiply, img2col/col2im, direct stride-1 convolution (forward, weight and input
// gradient), Winograd F(2×2, 3×3) for 3×3 ones (the same three) and F(4×4, 3×3) (forward and input gradient),
// Winograd F(4, 3) for 1-D ones of 3·G taps (the same three),
// max pooling, ReLU, ReLU6, BatchNorm and bias, on byte addresses into this module's
// memory, which the JavaScript side (wasm-kernels.ts) owns and lays out: nothing here allocates. Where a TypeScript
// kernel exists (matmul.ts, im2col.ts, the layers), the contract is the same and it is the reference.
//
// Matrix multiply: C[M×N] (+)= op(A)·op(B), row-major, leading dimensions in elements.
//   NN and TN keep a tile of C in f32x4 accumulators (rows × 8 columns), broadcasting one element
//   of A per row and loading two vectors of a row of B per k. NT takes dot products of rows with
//   vectors along k and sums the lanes at the end. Blocks of N and K keep the streamed part of B in
//   cache, as in the TypeScript kernels.

const NB: i32 = 512; // columns of C per block
const KB: i32 = 256; // depth per block

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// c + a·b per lane: one fused multiply-add where the build has relaxed SIMD (rounded once, so it may
// differ from a separate multiply and add in the last bit; every thread runs the same build, so a
// split never changes a result), else a multiply and an add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, c) : f32x4.add(c, f32x4.mul(a, b));
}

function zero(M: i32, N: i32, c: usize, ldc: i32): void {
  for (let i = 0; i < M; i++) {
    const r = at(c, i * ldc);
    let j = 0;
    for (; j + 4 <= N; j += 4) v128.store(at(r, j), f32x4.splat(0));
    zeros(r, j, N);
  }
}

/** C[M×N] = (accumulate ? C : 0) + A[M×K] · B[K×N] (transA = 0), or Aᵀ with A[K×M] (transA = 1). */
function matmulXN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, transA: i32): void {
  // Without accumulation the first block of depth stores its sums instead of adding them to C.
  if (!accumulate && K == 0) zero(M, N, c, ldc);
  // A[i][k] is at a + (i·si + k·sk) elements.
  const si = transA ? 1 : lda, sk = transA ? lda : 1;
  for (let j0 = 0; j0 < N; j0 += NB) {
    const j1 = min(N, j0 + NB);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = min(K, k0 + KB), fresh = !accumulate && k0 == 0;
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const a0 = at(a, i * si), a1 = at(a0, si), a2 = at(a1, si), a3 = at(a2, si);
        const r0 = at(c, i * ldc), r1 = at(r0, ldc), r2 = at(r1, ldc), r3 = at(r2, ldc);
        let j = j0;
        for (; j + 8 <= j1; j += 8) {
          let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
          let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
          // Byte offsets stepped, not k·sk per step (that multiply cost ~8% of a Winograd product).
          let bp = at(b, k0 * ldb + j), ap = <usize>(k0 * sk) << 2;
          const bs = <usize>ldb << 2, as = <usize>sk << 2, ae = <usize>(k1 * sk) << 2;
          for (; ap != ae; ap += as, bp += bs) {
            const b0 = v128.load(bp), b1 = v128.load(bp, 16);
            const x0 = v128.load32_splat(a0 + ap), x1 = v128.load32_splat(a1 + ap);
            c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
            c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
            const x2 = v128.load32_splat(a2 + ap), x3 = v128.load32_splat(a3 + ap);
            c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
            c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
          }
          const o = <usize>j << 2;
          put2(r0 + o, c00, c01, fresh); put2(r1 + o, c10, c11, fresh); put2(r2 + o, c20, c21, fresh); put2(r3 + o, c30, c31, fresh);
        }
        for (; j + 4 <= j1; j += 4) {
          let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
          let bp = at(b, k0 * ldb + j);
          for (let k = k0; k < k1; k++, bp = at(bp, ldb)) {
            const bv = v128.load(bp), ko = <usize>(k * sk) << 2;
            c0 = madd(v128.load32_splat(a0 + ko), bv, c0);
            c1 = madd(v128.load32_splat(a1 + ko), bv, c1);
            c2 = madd(v128.load32_splat(a2 + ko), bv, c2);
            c3 = madd(v128.load32_splat(a3 + ko), bv, c3);
          }
          const o = <usize>j << 2;
          put(r0 + o, c0, fresh); put(r1 + o, c1, fresh); put(r2 + o, c2, fresh); put(r3 + o, c3, fresh);
        }
        for (; j < j1; j++) {
          let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
          let bp = at(b, k0 * ldb + j);
          for (let k = k0; k < k1; k++, bp = at(bp, ldb)) {
            const bv = load<f32>(bp), ko = <usize>(k * sk) << 2;
            c0 += load<f32>(a0 + ko) * bv; c1 += load<f32>(a1 + ko) * bv; c2 += load<f32>(a2 + ko) * bv; c3 += load<f32>(a3 + ko) * bv;
          }
          const o = <usize>j << 2;
          put1(r0 + o, c0, fresh); put1(r1 + o, c1, fresh); put1(r2 + o, c2, fresh); put1(r3 + o, c3, fresh);
        }
      }
      // Leftover rows: one row of C at a time, a vector of columns at a time.
      for (; i < M; i++) {
        const ar = at(a, i * si), r = at(c, i * ldc);
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          let acc = f32x4.splat(0);
          let bp = at(b, k0 * ldb + j);
          for (let k = k0; k < k1; k++, bp = at(bp, ldb)) acc = madd(v128.load32_splat(at(ar, k * sk)), v128.load(bp), acc);
          const o = <usize>j << 2;
          put(r + o, acc, fresh);
        }
        for (; j < j1; j++) {
          let s: f32 = 0;
          let bp = at(b, k0 * ldb + j);
          for (let k = k0; k < k1; k++, bp = at(bp, ldb)) s += load<f32>(at(ar, k * sk)) * load<f32>(bp);
          const o = <usize>j << 2;
          put1(r + o, s, fresh);
        }
      }
    }
  }
}

export function matmulNN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  matmulXN(M, N, K, a, lda, b, ldb, c, ldc, accumulate, 0);
}

export function matmulTN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  matmulXN(M, N, K, a, lda, b, ldb, c, ldc, accumulate, 1);
}

// C += sums, or C = sums when `fresh` (the first block of a product that does not accumulate).
@inline function put(p: usize, v: v128, fresh: bool): void { v128.store(p, fresh ? v : f32x4.add(v128.load(p), v)); }
@inline function put2(p: usize, v0: v128, v1: v128, fresh: bool): void { put(p, v0, fresh); put(p + 16, v1, fresh); }
@inline function put1(p: usize, v: f32, fresh: bool): void { store<f32>(p, fresh ? v : load<f32>(p) + v); }

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** C[M×N] = (accumulate ? C : 0) + A[M×K] · B[N×K]ᵀ: 4×2 tiles of dot products, vectors along k. */
export function matmulNT(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  const fresh = !accumulate;
  const K4 = K & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = at(a, i * lda), a1 = at(a0, lda), a2 = at(a1, lda), a3 = at(a2, lda);
    const r0 = at(c, i * ldc), r1 = at(r0, ldc), r2 = at(r1, ldc), r3 = at(r2, ldc);
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = at(b, j * ldb), b1 = at(b0, ldb);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let o: usize = 0, e = <usize>K4 << 2; o < e; o += 16) {
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o);
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        c00 = madd(x0, y0, c00); c01 = madd(x0, y1, c01);
        c10 = madd(x1, y0, c10); c11 = madd(x1, y1, c11);
        const x2 = v128.load(a2 + o), x3 = v128.load(a3 + o);
        c20 = madd(x2, y0, c20); c21 = madd(x2, y1, c21);
        c30 = madd(x3, y0, c30); c31 = madd(x3, y1, c31);
      }
      let s00 = hsum(c00), s01 = hsum(c01), s10 = hsum(c10), s11 = hsum(c11);
      let s20 = hsum(c20), s21 = hsum(c21), s30 = hsum(c30), s31 = hsum(c31);
      for (let k = K4; k < K; k++) {
        const ko = <usize>k << 2, y0 = load<f32>(b0 + ko), y1 = load<f32>(b1 + ko);
        const x0 = load<f32>(a0 + ko), x1 = load<f32>(a1 + ko), x2 = load<f32>(a2 + ko), x3 = load<f32>(a3 + ko);
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1; s30 += x3 * y0; s31 += x3 * y1;
      }
      const o = <usize>j << 2;
      put1(r0 + o, s00, fresh); put1(r0 + o + 4, s01, fresh); put1(r1 + o, s10, fresh); put1(r1 + o + 4, s11, fresh);
      put1(r2 + o, s20, fresh); put1(r2 + o + 4, s21, fresh); put1(r3 + o, s30, fresh); put1(r3 + o + 4, s31, fresh);
    }
    for (; j < N; j++) {
      const bp = at(b, j * ldb);
      put1(at(r0, j), dot(a0, bp, K), fresh); put1(at(r1, j), dot(a1, bp, K), fresh);
      put1(at(r2, j), dot(a2, bp, K), fresh); put1(at(r3, j), dot(a3, bp, K), fresh);
    }
  }
  for (; i < M; i++) {
    const ar = at(a, i * lda), r = at(c, i * ldc);
    for (let j = 0; j < N; j++) put1(at(r, j), dot(ar, at(b, j * ldb), K), fresh);
  }
}

/** Σ x[k]·y[k] over k < K. */
function dot(x: usize, y: usize, K: i32): f32 {
  const K4 = K & ~3;
  let acc = f32x4.splat(0);
  for (let o: usize = 0, e = <usize>K4 << 2; o < e; o += 16) acc = madd(v128.load(x + o), v128.load(y + o), acc);
  let s = hsum(acc);
  for (let k = K4; k < K; k++) s += load<f32>(at(x, k)) * load<f32>(at(y, k));
  return s;
}

// img2col and col2im on one sample, as in im2col.ts: x[C, D, H, W] ⇄ cols[C·kd·kh·kw, od·oh·ow].
// The window is passed as a pointer to 18 i32: inSize, outSize, k, s, p, d (each D, H, W).

@inline function g(w: usize, i: i32): i32 { return load<i32>(w + (<usize>i << 2)); }

export function im2col(x: usize, C: i32, w: usize, cols: usize): void {
  const D = g(w, 0), H = g(w, 1), W = g(w, 2), OD = g(w, 3), OH = g(w, 4), OW = g(w, 5);
  const KD = g(w, 6), KH = g(w, 7), KW = g(w, 8), sd = g(w, 9), sh = g(w, 10), sw = g(w, 11);
  const pd = g(w, 12), ph = g(w, 13), pw = g(w, 14), dd = g(w, 15), dh = g(w, 16), dw = g(w, 17);
  let q = cols;
  for (let c = 0; c < C; c++) {
    const xc = at(x, c * D * H * W);
    for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) {
      const off = e * dw - pw, lo = owFirst(off, sw, OW), hi = owEnd(off, sw, W, OW, lo);
      for (let od = 0; od < OD; od++) {
        const id = od * sd - pd + a * dd;
        for (let oh = 0; oh < OH; oh++, q = at(q, OW)) {
          const ih = oh * sh - ph + b * dh;
          if (id < 0 || id >= D || ih < 0 || ih >= H) { zeros(q, 0, OW); continue; }
          const base = at(xc, (id * H + ih) * W + off);
          zeros(q, 0, lo);
          if (sw == 1) {
            // Rows are short (the output width): an inline vector loop beats a memory.copy call.
            let ow = lo;
            for (; ow + 4 <= hi; ow += 4) v128.store(at(q, ow), v128.load(at(base, ow)));
            for (; ow < hi; ow++) store<f32>(at(q, ow), load<f32>(at(base, ow)));
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(at(q, ow), load<f32>(at(base, ow * sw)));
          }
          zeros(q, hi, OW);
        }
      }
    }
  }
}

/** dx[C, D, H, W] += the columns scattered back onto their receptive fields. */
export function col2im(cols: usize, C: i32, w: usize, dx: usize): void {
  const D = g(w, 0), H = g(w, 1), W = g(w, 2), OD = g(w, 3), OH = g(w, 4), OW = g(w, 5);
  const KD = g(w, 6), KH = g(w, 7), KW = g(w, 8), sd = g(w, 9), sh = g(w, 10), sw = g(w, 11);
  const pd = g(w, 12), ph = g(w, 13), pw = g(w, 14), dd = g(w, 15), dh = g(w, 16), dw = g(w, 17);
  let q = cols;
  for (let c = 0; c < C; c++) {
    const xc = at(dx, c * D * H * W);
    for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++) {
      const off = e * dw - pw, lo = owFirst(off, sw, OW), hi = owEnd(off, sw, W, OW, lo);
      for (let od = 0; od < OD; od++) {
        const id = od * sd - pd + a * dd;
        for (let oh = 0; oh < OH; oh++, q = at(q, OW)) {
          const ih = oh * sh - ph + b * dh;
          if (id < 0 || id >= D || ih < 0 || ih >= H) continue;
          const base = at(xc, (id * H + ih) * W + off);
          if (sw == 1) {
            let ow = lo;
            for (; ow + 4 <= hi; ow += 4) {
              const p = at(base, ow);
              v128.store(p, f32x4.add(v128.load(p), v128.load(at(q, ow))));
            }
            for (; ow < hi; ow++) store<f32>(at(base, ow), load<f32>(at(base, ow)) + load<f32>(at(q, ow)));
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const p = at(base, ow * sw);
              store<f32>(p, load<f32>(p) + load<f32>(at(q, ow)));
            }
          }
        }
      }
    }
  }
}

/** Zeros at p[from … to), four at a time. */
function zeros(p: usize, from: i32, to: i32): void {
  const z = f32x4.splat(0);
  let i = from;
  for (; i + 4 <= to; i += 4) v128.store(at(p, i), z);
  for (; i < to; i++) store<f32>(at(p, i), 0);
}

// Output columns ow whose input column ow·sw + off lies inside [0, W) (as in im2col.ts).
@inline function owFirst(off: i32, sw: i32, OW: i32): i32 { return off >= 0 ? 0 : min(OW, (-off + sw - 1) / sw); }
@inline function owEnd(off: i32, sw: i32, W: i32, OW: i32, lo: i32): i32 {
  const t = W - 1 - off;
  // floor(t / sw) + 1 for a possibly negative t.
  const f = t >= 0 ? t / sw : -((-t + sw - 1) / sw);
  return max(lo, min(OW, f + 1));
}

/**
 * Max pooling without padding or dilation over P planes of H×W (as maxPlain2d in pool.ts): y gets
 * each window's maximum (NaN wins, as in PyTorch), argmax its index in the plane. Four neighbouring
 * outputs at a time in vectors, keeping the winner with a bitwise select: which element wins is a
 * coin toss that a branch would mispredict half the time.
 */
export function maxPool2d(x: usize, P: i32, H: i32, W: i32, OH: i32, OW: i32, KH: i32, KW: i32, sh: i32, sw: i32, y: usize, argmax: usize): void {
  const lanes = i32x4(0, sw, 2 * sw, 3 * sw);
  let q: usize = 0;
  for (let p = 0; p < P; p++) {
    const xp = at(x, p * H * W);
    for (let oh = 0; oh < OH; oh++) {
      let ow = 0;
      for (; ow + 4 <= OW; ow += 4, q += 16) {
        let first = oh * sh * W + ow * sw;
        let best = gather(at(xp, first), sw), bi = i32x4.add(i32x4.splat(first), lanes);
        for (let b = 0; b < KH; b++) {
          const row = (oh * sh + b) * W + ow * sw;
          for (let e = 0; e < KW; e++) {
            const v = gather(at(xp, row + e), sw);
            const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
            best = v128.bitselect(v, best, take);
            bi = v128.bitselect(i32x4.add(i32x4.splat(row + e), lanes), bi, take);
          }
        }
        v128.store(y + q, best);
        v128.store(argmax + q, bi);
      }
      for (; ow < OW; ow++, q += 4) {
        let bi = oh * sh * W + ow * sw, best = load<f32>(at(xp, bi));
        for (let b = 0; b < KH; b++) {
          const row = (oh * sh + b) * W + ow * sw;
          for (let e = 0; e < KW; e++) {
            const v = load<f32>(at(xp, row + e));
            if (v > best || (v != v && best == best)) { best = v; bi = row + e; }
          }
        }
        store<f32>(y + q, best);
        store<i32>(argmax + q, bi);
      }
    }
  }
}

/** The four values p[0], p[sw], p[2·sw], p[3·sw]. */
@inline function gather(p: usize, sw: i32): v128 {
  if (sw == 1) return v128.load(p);
  if (sw == 2) return v128.shuffle<f32>(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
  let v = v128.load32_splat(p);
  v = f32x4.replace_lane(v, 1, load<f32>(at(p, sw)));
  v = f32x4.replace_lane(v, 2, load<f32>(at(p, 2 * sw)));
  return f32x4.replace_lane(v, 3, load<f32>(at(p, 3 * sw)));
}

/** y[n, c, :] += b[c] over N samples of C channels of L values. */
export function addBias(y: usize, N: i32, C: i32, L: i32, b: usize): void {
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
    const bv = load<f32>(at(b, c)), bs = f32x4.splat(bv), r = at(y, (n * C + c) * L);
    let i = 0;
    for (; i + 4 <= L; i += 4) v128.store(at(r, i), f32x4.add(v128.load(at(r, i)), bs));
    for (; i < L; i++) store<f32>(at(r, i), load<f32>(at(r, i)) + bv);
  }
}

/** db[c] += Σ over samples and positions of dy[n, c, :]. */
export function biasGrad(dy: usize, N: i32, C: i32, L: i32, db: usize): void {
  for (let c = 0; c < C; c++) {
    let acc = f32x4.splat(0), s: f32 = 0;
    for (let n = 0; n < N; n++) {
      const r = at(dy, (n * C + c) * L);
      let i = 0;
      for (; i + 4 <= L; i += 4) acc = f32x4.add(acc, v128.load(at(r, i)));
      for (; i < L; i++) s += load<f32>(at(r, i));
    }
    store<f32>(at(db, c), load<f32>(at(db, c)) + (hsum(acc) + s));
  }
}

/** y = a + b elementwise (residual adds, gradient sums): single-precision adds, the same bits as JavaScript's. */
export function add(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(a, i)) + load<f32>(at(b, i)));
}

// The activations with kernels here, by code (`act`): 0 none, 1 ReLU, 2 ReLU6. Their operations are
// those of the TypeScript layer (activation.ts): ReLU keeps v where v > 0 or v is NaN; ReLU6 is
// min(max(v, 0), 6) with NaN kept; ReLU's gradient is dy where x > 0, else +0 (a mask), ReLU6's is
// dy · (0 < x < 6 ? 1 : 0) (a product, so −0 and NaN where the TypeScript one has them). The masks
// read the activation's input or its output alike: each is positive (and below 6) where the other is.
// ReLU6 is ReLU's operation, then pmin with 6 (one instruction where f32x4.min's NaN rules take several;
// NaN < 6 is false, so NaN stays). Every exported kernel that takes `act` dispatches to a copy of its
// body per code (the *Body functions, inlined with the code a constant), so that no loop tests it per vector.
@inline function act4(v: v128, act: i32): v128 {
  if (act == 0) return v;
  const r = v128.and(v, v128.not(f32x4.le(v, f32x4.splat(0))));
  return act == 2 ? f32x4.pmin(r, f32x4.splat(6)) : r;
}
@inline function act1(v: f32, act: i32): f32 {
  if (act == 1) return v <= 0 ? 0 : v;
  return act == 2 ? min<f32>(max<f32>(v, 0), 6) : v;
}
/** dy at g (its i-th vector) through activation `act` at x. */
@inline function actGrad(g: usize, x: usize, i: i32, act: i32): v128 {
  const d = v128.load(at(g, i));
  if (act == 1) return v128.and(d, f32x4.gt(v128.load(at(x, i)), f32x4.splat(0)));
  if (act != 2) return d;
  const v = v128.load(at(x, i));
  return f32x4.mul(d, v128.and(v128.and(f32x4.gt(v, f32x4.splat(0)), f32x4.lt(v, f32x4.splat(6))), f32x4.splat(1)));
}
@inline function actGrad1(g: usize, x: usize, i: i32, act: i32): f32 {
  const d = load<f32>(at(g, i));
  if (act == 1) return load<f32>(at(x, i)) > 0 ? d : 0;
  if (act != 2) return d;
  const v = load<f32>(at(x, i));
  return d * <f32>(v > 0 && v < 6 ? 1 : 0);
}

/** y = act(x) elementwise (NaN stays NaN, as in PyTorch). */
@inline function activateBody(x: usize, y: usize, n: i32, act: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), act4(v128.load(at(x, i)), act));
  for (; i < n; i++) store<f32>(at(y, i), act1(load<f32>(at(x, i)), act));
}
export function activate(x: usize, y: usize, n: i32, act: i32): void {
  if (act == 1) activateBody(x, y, n, 1);
  else if (act == 2) activateBody(x, y, n, 2);
  else activateBody(x, y, n, 0);
}

/** dx = dy through act at x. */
@inline function activateBackwardBody(x: usize, dy: usize, dx: usize, n: i32, act: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dx, i), actGrad(dy, x, i, act));
  for (; i < n; i++) store<f32>(at(dx, i), actGrad1(dy, x, i, act));
}
export function activateBackward(x: usize, dy: usize, dx: usize, n: i32, act: i32): void {
  if (act == 1) activateBackwardBody(x, dy, dx, n, 1);
  else if (act == 2) activateBackwardBody(x, dy, dx, n, 2);
  else activateBackwardBody(x, dy, dx, n, 0);
}

// One step of SGD (torch.optim.SGD's formulas) over n values: computed in f64 and rounded to f32
// where it stores, as the TypeScript optimiser does (optim/optimizer.ts), so both give the same bits.
// hp points at [lr, momentum, 1 − dampening, weight decay] as f64; flags: 1 with a momentum buffer b,
// 2 on its first step (b takes d), 4 Nesterov.
@inline function f64s(p: usize, i: i32): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(at(p, i))); }
@inline function storeF32s(p: usize, i: i32, v: v128): void { v128.store64_lane(at(p, i), f32x4.demote_f64x2_zero(v), 0); }

export function sgdStep(v: usize, g: usize, b: usize, n: i32, hp: usize, flags: i32): void {
  const lr = load<f64>(hp), mu = load<f64>(hp, 8), keep = load<f64>(hp, 16), wd = load<f64>(hp, 24);
  const L = f64x2.splat(lr), M = f64x2.splat(mu), K = f64x2.splat(keep), W = f64x2.splat(wd);
  const momentum = (flags & 1) != 0, first = (flags & 2) != 0, nesterov = (flags & 4) != 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x = f64s(v, i);
    let d = f64x2.add(f64s(g, i), f64x2.mul(W, x));
    if (momentum) {
      storeF32s(b, i, first ? d : f64x2.add(f64x2.mul(M, f64s(b, i)), f64x2.mul(K, d)));
      const r = f64s(b, i);
      d = nesterov ? f64x2.add(d, f64x2.mul(M, r)) : r;
    }
    storeF32s(v, i, f64x2.sub(x, f64x2.mul(L, d)));
  }
  for (; i < n; i++) {
    const x = <f64>load<f32>(at(v, i));
    let d = <f64>load<f32>(at(g, i)) + wd * x;
    if (momentum) {
      store<f32>(at(b, i), <f32>(first ? d : mu * <f64>load<f32>(at(b, i)) + keep * d));
      const r = <f64>load<f32>(at(b, i));
      d = nesterov ? d + mu * r : r;
    }
    store<f32>(at(v, i), <f32>(x - lr * d));
  }
}

// Direct convolution with stride 1 (no column matrix). Row k = (c, b, e) of the column matrix, at
// output (oh, ow), is x[koff[k] + oh·Wp + ow] in a zero-padded input of width Wp, so eight
// neighbouring outputs of a row read eight neighbouring inputs: the vectors come straight from the
// image, and img2col's copy (a quarter of the training time) disappears. koff holds K i32 offsets.

// The last 1–3 outputs of a row take a vector of four too: its reads past the row fall in the next row or, at the
// end of a buffer, in the 16 bytes that every block of wasm-heap.ts leaves after it, and only its first n lanes are
// stored. A scalar loop there took a quarter of LeNet's conv2 (10 outputs a row: 8 + 2).

/** The first n (1–3) lanes of v at p. */
@inline function head(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** y[M × OH·OW] = w[M × K] · cols, cols(k, oh·OW + ow) = x[koff[k] + oh·Wp + ow]. */
export function convDirect(x: usize, Wp: i32, OH: i32, OW: i32, koff: usize, K: i32, w: usize, M: i32, y: usize): void {
  const L = OH * OW;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const w0 = at(w, i * K), w1 = at(w0, K), w2 = at(w1, K), w3 = at(w2, K);
    const r0 = at(y, i * L), r1 = at(r0, L), r2 = at(r1, L), r3 = at(r2, L);
    for (let oh = 0; oh < OH; oh++) {
      const xr = at(x, oh * Wp);
      let ow = 0;
      for (; ow + 8 <= OW; ow += 8) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bp = at(xo, load<i32>(at(koff, k))), ko = <usize>k << 2;
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const x0 = v128.load32_splat(w0 + ko), x1 = v128.load32_splat(w1 + ko);
          c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
          c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
          const x2 = v128.load32_splat(w2 + ko), x3 = v128.load32_splat(w3 + ko);
          c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
          c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
        }
        const o = <usize>(oh * OW + ow) << 2;
        put2(r0 + o, c00, c01, true); put2(r1 + o, c10, c11, true); put2(r2 + o, c20, c21, true); put2(r3 + o, c30, c31, true);
      }
      for (; ow + 4 <= OW; ow += 4) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bv = v128.load(at(xo, load<i32>(at(koff, k)))), ko = <usize>k << 2;
          c0 = madd(v128.load32_splat(w0 + ko), bv, c0); c1 = madd(v128.load32_splat(w1 + ko), bv, c1);
          c2 = madd(v128.load32_splat(w2 + ko), bv, c2); c3 = madd(v128.load32_splat(w3 + ko), bv, c3);
        }
        const o = <usize>(oh * OW + ow) << 2;
        put(r0 + o, c0, true); put(r1 + o, c1, true); put(r2 + o, c2, true); put(r3 + o, c3, true);
      }
      if (ow < OW) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bv = v128.load(at(xo, load<i32>(at(koff, k)))), ko = <usize>k << 2;
          c0 = madd(v128.load32_splat(w0 + ko), bv, c0); c1 = madd(v128.load32_splat(w1 + ko), bv, c1);
          c2 = madd(v128.load32_splat(w2 + ko), bv, c2); c3 = madd(v128.load32_splat(w3 + ko), bv, c3);
        }
        const o = <usize>(oh * OW + ow) << 2, n = OW - ow;
        head(r0 + o, c0, n); head(r1 + o, c1, n); head(r2 + o, c2, n); head(r3 + o, c3, n);
      }
    }
  }
  // Two leftover rows (M = 6 in LeNet, a 6-channel input gradient) together: four vectors per offset
  // loaded, eight outputs at a time; the sums run over k in the same order as above.
  if (i + 2 <= M) {
    const w0 = at(w, i * K), w1 = at(w0, K), r0 = at(y, i * L), r1 = at(r0, L);
    for (let oh = 0; oh < OH; oh++) {
      const xr = at(x, oh * Wp);
      let ow = 0;
      for (; ow + 8 <= OW; ow += 8) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bp = at(xo, load<i32>(at(koff, k))), ko = <usize>k << 2;
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const x0 = v128.load32_splat(w0 + ko), x1 = v128.load32_splat(w1 + ko);
          c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
          c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
        }
        const o = <usize>(oh * OW + ow) << 2;
        put2(r0 + o, c00, c01, true); put2(r1 + o, c10, c11, true);
      }
      for (; ow + 4 <= OW; ow += 4) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bv = v128.load(at(xo, load<i32>(at(koff, k)))), ko = <usize>k << 2;
          c0 = madd(v128.load32_splat(w0 + ko), bv, c0); c1 = madd(v128.load32_splat(w1 + ko), bv, c1);
        }
        const o = <usize>(oh * OW + ow) << 2;
        put(r0 + o, c0, true); put(r1 + o, c1, true);
      }
      if (ow < OW) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bv = v128.load(at(xo, load<i32>(at(koff, k)))), ko = <usize>k << 2;
          c0 = madd(v128.load32_splat(w0 + ko), bv, c0); c1 = madd(v128.load32_splat(w1 + ko), bv, c1);
        }
        const o = <usize>(oh * OW + ow) << 2, n = OW - ow;
        head(r0 + o, c0, n); head(r1 + o, c1, n);
      }
    }
    i += 2;
  }
  // Leftover rows (all of a depthwise convolution's): eight outputs at a time, so that each weight
  // and offset loaded serves two vectors; the sums run over k in the same order as above.
  for (; i < M; i++) {
    const wr = at(w, i * K), r = at(y, i * L);
    for (let oh = 0; oh < OH; oh++) {
      const xr = at(x, oh * Wp);
      let ow = 0;
      for (; ow + 8 <= OW; ow += 8) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) {
          const bp = at(xo, load<i32>(at(koff, k))), wv = v128.load32_splat(at(wr, k));
          a0 = madd(wv, v128.load(bp), a0); a1 = madd(wv, v128.load(bp, 16), a1);
        }
        const o = at(r, oh * OW + ow);
        v128.store(o, a0); v128.store(o, a1, 16);
      }
      for (; ow + 4 <= OW; ow += 4) {
        let acc = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) acc = madd(v128.load32_splat(at(wr, k)), v128.load(at(xo, load<i32>(at(koff, k)))), acc);
        v128.store(at(r, oh * OW + ow), acc);
      }
      if (ow < OW) {
        let acc = f32x4.splat(0);
        const xo = at(xr, ow);
        for (let k = 0; k < K; k++) acc = madd(v128.load32_splat(at(wr, k)), v128.load(at(xo, load<i32>(at(koff, k)))), acc);
        head(at(r, oh * OW + ow), acc, OW - ow);
      }
    }
  }
}

/**
 * dw[M × K] += Σ over a chunk of N samples of dy_n[M × OH·OW] · cols_nᵀ, cols_n as in convDirect on
 * x + n·xs (dy_n at dy + n·ys, strides in elements): 4×2 tiles of dot products along each output row,
 * summed over the chunk before they touch dw (a sample alone has too few outputs to pay for the
 * horizontal sums). Every tile sweeps the chunk's inputs and output gradients, so a chunk is sized
 * to stay in the L2 cache (convBackwardDirectRange).
 */
function weightGradChunk(x: usize, xs: i32, Wp: i32, OH: i32, OW: i32, koff: usize, K: i32, dy: usize, ys: i32, M: i32, N: i32, dw: usize): void {
  const L = OH * OW, OW4 = OW & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const r0 = at(dw, i * K), r1 = at(r0, K), r2 = at(r1, K), r3 = at(r2, K);
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      const ka = load<i32>(at(koff, k)), kb = load<i32>(at(koff, k + 1));
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let n = 0; n < N; n++) {
        const xn = at(x, n * xs), pa0 = at(xn, ka), pb0 = at(xn, kb), dn = at(dy, n * ys + i * L);
        for (let oh = 0; oh < OH; oh++) {
          const pa = at(pa0, oh * Wp), pb = at(pb0, oh * Wp), d0 = at(dn, oh * OW), d1 = at(d0, L), d2 = at(d1, L), d3 = at(d2, L);
          for (let o: usize = 0, e = <usize>OW4 << 2; o < e; o += 16) {
            const y0 = v128.load(pa + o), y1 = v128.load(pb + o);
            const g0 = v128.load(d0 + o), g1 = v128.load(d1 + o);
            c00 = madd(g0, y0, c00); c01 = madd(g0, y1, c01);
            c10 = madd(g1, y0, c10); c11 = madd(g1, y1, c11);
            const g2 = v128.load(d2 + o), g3 = v128.load(d3 + o);
            c20 = madd(g2, y0, c20); c21 = madd(g2, y1, c21);
            c30 = madd(g3, y0, c30); c31 = madd(g3, y1, c31);
          }
        }
      }
      // The columns past the last whole vector, in a second pass (sums kept live across the vector loop would
      // not fit in the registers beside its eight accumulators): a vector of four whose lanes past the row are
      // zeroed in both operands (what lies there is the next row, or the 16 bytes after a block of wasm-heap.ts).
      let s00 = hsum(c00), s01 = hsum(c01), s10 = hsum(c10), s11 = hsum(c11), s20 = hsum(c20), s21 = hsum(c21), s30 = hsum(c30), s31 = hsum(c31);
      if (OW4 < OW) {
        const mask = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(OW - OW4)), e4 = <usize>OW4 << 2;
        c00 = f32x4.splat(0); c01 = f32x4.splat(0); c10 = f32x4.splat(0); c11 = f32x4.splat(0);
        c20 = f32x4.splat(0); c21 = f32x4.splat(0); c30 = f32x4.splat(0); c31 = f32x4.splat(0);
        for (let n = 0; n < N; n++) {
          const xn = at(x, n * xs), dn = at(dy, n * ys + i * L);
          for (let oh = 0; oh < OH; oh++) {
            const pa = at(xn, ka + oh * Wp) + e4, pb = at(xn, kb + oh * Wp) + e4, d = at(dn, oh * OW) + e4;
            const y0 = v128.and(v128.load(pa), mask), y1 = v128.and(v128.load(pb), mask);
            const g0 = v128.and(v128.load(d), mask), g1 = v128.and(v128.load(at(d, L)), mask);
            c00 = madd(g0, y0, c00); c01 = madd(g0, y1, c01); c10 = madd(g1, y0, c10); c11 = madd(g1, y1, c11);
            const g2 = v128.and(v128.load(at(d, 2 * L)), mask), g3 = v128.and(v128.load(at(d, 3 * L)), mask);
            c20 = madd(g2, y0, c20); c21 = madd(g2, y1, c21); c30 = madd(g3, y0, c30); c31 = madd(g3, y1, c31);
          }
        }
        s00 += hsum(c00); s01 += hsum(c01); s10 += hsum(c10); s11 += hsum(c11);
        s20 += hsum(c20); s21 += hsum(c21); s30 += hsum(c30); s31 += hsum(c31);
      }
      const o = <usize>k << 2;
      put1(r0 + o, s00, false); put1(r0 + o + 4, s01, false); put1(r1 + o, s10, false); put1(r1 + o + 4, s11, false);
      put1(r2 + o, s20, false); put1(r2 + o + 4, s21, false); put1(r3 + o, s30, false); put1(r3 + o + 4, s31, false);
    }
    for (; k < K; k++) {
      for (let r = 0; r < 4; r++) put1(at(at(dw, (i + r) * K), k), batchRowDot(dy, ys, i + r, L, x, xs, load<i32>(at(koff, k)), Wp, OH, OW, N), false);
    }
  }
  for (; i < M; i++) weightGradRow(x, xs, Wp, OH, OW, koff, K, dy, ys, i, L, N, at(dw, i * K));
}

/**
 * out[n, hp, wp, c] = x[n, c, h, w] placed at (ph, pw) in zeros, cut at Hp × Wp: the channels-last
 * padded input (C a multiple of 4). Four channels at a time, four columns of each transposed in
 * registers into four stores of four channels; only the border is zeroed.
 */
export function padChannelsLast(x: usize, N: i32, C: i32, H: i32, W: i32, ph: i32, pw: i32, Hp: i32, Wp: i32,
  out: usize): void {
  const rows = min(H, Hp - ph), cols = min(W, Wp - pw), step = <usize>C << 2, HW = H * W, row = Wp * C;
  for (let n = 0; n < N; n++) {
    const o = at(out, n * Hp * row);
    zeros(o, 0, ph * row);
    zeros(o, (ph + rows) * row, Hp * row);
    for (let h = ph; h < ph + rows; h++) { zeros(o, h * row, (h * row) + pw * C); zeros(o, h * row + (pw + cols) * C, (h + 1) * row); }
    for (let c = 0; c < C; c += 4) {
      const x0 = at(x, (n * C + c) * HW), x1 = at(x0, HW), x2 = at(x1, HW), x3 = at(x2, HW);
      for (let h = 0; h < rows; h++) {
        let q = at(o, ((h + ph) * Wp + pw) * C + c), w = 0;
        const r = <usize>(h * W) << 2;
        for (; w + 4 <= cols; w += 4, q += step << 2) {
          const i = r + (<usize>w << 2);
          const a = v128.load(x0 + i), b = v128.load(x1 + i), e = v128.load(x2 + i), f = v128.load(x3 + i);
          const abLo = v128.shuffle<u32>(a, b, 0, 4, 1, 5), abHi = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
          const efLo = v128.shuffle<u32>(e, f, 0, 4, 1, 5), efHi = v128.shuffle<u32>(e, f, 2, 6, 3, 7);
          v128.store(q, v128.shuffle<u32>(abLo, efLo, 0, 1, 4, 5)); v128.store(q + step, v128.shuffle<u32>(abLo, efLo, 2, 3, 6, 7));
          v128.store(q + 2 * step, v128.shuffle<u32>(abHi, efHi, 0, 1, 4, 5)); v128.store(q + 3 * step, v128.shuffle<u32>(abHi, efHi, 2, 3, 6, 7));
        }
        for (; w < cols; w++, q += step) {
          const i = r + (<usize>w << 2);
          store<f32>(q, load<f32>(x0 + i)); store<f32>(q, load<f32>(x1 + i), 4);
          store<f32>(q, load<f32>(x2 + i), 8); store<f32>(q, load<f32>(x3 + i), 12);
        }
      }
    }
  }
}

/** p[j·stride] += lane j of v, for j = 0 … 3. */
@inline function addLanes(p: usize, stride: usize, v: v128): void {
  store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 0));
  store<f32>(p + stride, load<f32>(p + stride) + f32x4.extract_lane(v, 1));
  store<f32>(p + 2 * stride, load<f32>(p + 2 * stride) + f32x4.extract_lane(v, 2));
  store<f32>(p + 3 * stride, load<f32>(p + 3 * stride) + f32x4.extract_lane(v, 3));
}

/**
 * dw[m][c][t] += Σ over a chunk of N samples and outputs (oh, ow) of dy_n[m][oh·OW + ow] ·
 * xt_n[(oh·Wp + ow)·C + toff[t] + c] (one group; C a multiple of 8; xt_n at xt + n·xs, dy_n at dy + n·ys):
 * the weight gradient of a stride-1 convolution from the channels-last padded input. Tiles of 4 rows of
 * dy × 8 channels, convDirect's shape: a splat of dy serves two vectors of channels and every sum stays
 * in its lane (summed over the chunk in sample, row, column order), so there are no horizontal sums and
 * the loop runs along whole output rows. The channel-major tiles of weightGradChunk read six vectors
 * per eight products and ran at two thirds of convDirect's rate.
 */
function weightGradChannelsLast(xt: usize, xs: i32, Wp: i32, OH: i32, OW: i32, toff: usize, T: i32, C: i32,
  dy: usize, ys: i32, M: i32, N: i32, dw: usize): void {
  const L = OH * OW, K = C * T, step = <usize>C << 2, e = <usize>OW << 2, lane = <usize>T << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    for (let t = 0; t < T; t++) {
      const to = load<i32>(at(toff, t));
      for (let c = 0; c < C; c += 8) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        for (let n = 0; n < N; n++) {
          const xn = at(xt, n * xs + to + c), dn = at(dy, n * ys + i * L);
          for (let oh = 0; oh < OH; oh++) {
            let q = at(xn, oh * Wp * C);
            const d0 = at(dn, oh * OW), d1 = at(d0, L), d2 = at(d1, L), d3 = at(d2, L);
            for (let o: usize = 0; o < e; o += 4) {
              const b0 = v128.load(q), b1 = v128.load(q, 16);
              const g0 = v128.load32_splat(d0 + o), g1 = v128.load32_splat(d1 + o);
              c00 = madd(g0, b0, c00); c01 = madd(g0, b1, c01);
              c10 = madd(g1, b0, c10); c11 = madd(g1, b1, c11);
              const g2 = v128.load32_splat(d2 + o), g3 = v128.load32_splat(d3 + o);
              c20 = madd(g2, b0, c20); c21 = madd(g2, b1, c21);
              c30 = madd(g3, b0, c30); c31 = madd(g3, b1, c31);
              q += step;
            }
          }
        }
        const r0 = at(dw, i * K + c * T + t), r1 = at(r0, K), r2 = at(r1, K), r3 = at(r2, K), r = lane << 2;
        addLanes(r0, lane, c00); addLanes(r0 + r, lane, c01); addLanes(r1, lane, c10); addLanes(r1 + r, lane, c11);
        addLanes(r2, lane, c20); addLanes(r2 + r, lane, c21); addLanes(r3, lane, c30); addLanes(r3 + r, lane, c31);
      }
    }
  }
  // Leftover rows: one at a time, the same sums in the same order.
  for (; i < M; i++) {
    for (let t = 0; t < T; t++) {
      const to = load<i32>(at(toff, t));
      for (let c = 0; c < C; c += 8) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
        for (let n = 0; n < N; n++) {
          const xn = at(xt, n * xs + to + c), dn = at(dy, n * ys + i * L);
          for (let oh = 0; oh < OH; oh++) {
            let q = at(xn, oh * Wp * C);
            const d0 = at(dn, oh * OW);
            for (let o: usize = 0; o < e; o += 4) {
              const g0 = v128.load32_splat(d0 + o);
              a0 = madd(g0, v128.load(q), a0); a1 = madd(g0, v128.load(q, 16), a1);
              q += step;
            }
          }
        }
        const r0 = at(dw, i * K + c * T + t);
        addLanes(r0, lane, a0); addLanes(r0 + (lane << 2), lane, a1);
      }
    }
  }
}

/**
 * One leftover row of weightGradChunk (every row of a depthwise convolution): four weights at a time
 * share each vector of dy, with four independent sums; each sum is batchRowDot's, in its order.
 */
function weightGradRow(x: usize, xs: i32, Wp: i32, OH: i32, OW: i32, koff: usize, K: i32, dy: usize, ys: i32, row: i32, L: i32, N: i32, dwr: usize): void {
  const e = <usize>(OW & ~3) << 2;
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const o0 = load<i32>(at(koff, k)), o1 = load<i32>(at(koff, k + 1)), o2 = load<i32>(at(koff, k + 2)), o3 = load<i32>(at(koff, k + 3));
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    for (let n = 0; n < N; n++) {
      const g0 = at(dy, n * ys + row * L), xn = at(x, n * xs);
      for (let oh = 0; oh < OH; oh++) {
        const g = at(g0, oh * OW), xr = at(xn, oh * Wp), p0 = at(xr, o0), p1 = at(xr, o1), p2 = at(xr, o2), p3 = at(xr, o3);
        for (let o: usize = 0; o < e; o += 16) {
          const v = v128.load(g + o);
          c0 = madd(v, v128.load(p0 + o), c0); c1 = madd(v, v128.load(p1 + o), c1);
          c2 = madd(v, v128.load(p2 + o), c2); c3 = madd(v, v128.load(p3 + o), c3);
        }
      }
    }
    const r = at(dwr, k);
    put1(r, hsum(c0) + tailDot(dy, ys, row, L, x, xs, o0, Wp, OH, OW, N), false);
    put1(at(r, 1), hsum(c1) + tailDot(dy, ys, row, L, x, xs, o1, Wp, OH, OW, N), false);
    put1(at(r, 2), hsum(c2) + tailDot(dy, ys, row, L, x, xs, o2, Wp, OH, OW, N), false);
    put1(at(r, 3), hsum(c3) + tailDot(dy, ys, row, L, x, xs, o3, Wp, OH, OW, N), false);
  }
  for (; k < K; k++) put1(at(dwr, k), batchRowDot(dy, ys, row, L, x, xs, load<i32>(at(koff, k)), Wp, OH, OW, N), false);
}

/** batchRowDot's scalar part: the columns past the last whole vector. */
function tailDot(dy: usize, ys: i32, row: i32, L: i32, x: usize, xs: i32, off: i32, Wp: i32, OH: i32, OW: i32, N: i32): f32 {
  let s: f32 = 0;
  for (let n = 0; n < N; n++) {
    const g0 = at(dy, n * ys + row * L), x0 = at(x, n * xs + off);
    for (let oh = 0; oh < OH; oh++) for (let ow = OW & ~3; ow < OW; ow++) s += load<f32>(at(g0, oh * OW + ow)) * load<f32>(at(x0, oh * Wp + ow));
  }
  return s;
}

/**
 * Σ over samples n and outputs (oh, ow) of dy_n[row][oh·OW + ow] · x_n[off + oh·Wp + ow]: one vector
 * of sums over the whole batch and the columns past the last whole vector apart, added up once at
 * the end (a depthwise convolution's every weight goes this way).
 */
function batchRowDot(dy: usize, ys: i32, row: i32, L: i32, x: usize, xs: i32, off: i32, Wp: i32, OH: i32, OW: i32, N: i32): f32 {
  const e = <usize>(OW & ~3) << 2;
  let acc = f32x4.splat(0);
  for (let n = 0; n < N; n++) {
    const g0 = at(dy, n * ys + row * L), x0 = at(x, n * xs + off);
    for (let oh = 0; oh < OH; oh++) {
      const g = at(g0, oh * OW), xr = at(x0, oh * Wp);
      for (let o: usize = 0; o < e; o += 16) acc = madd(v128.load(g + o), v128.load(xr + o), acc);
    }
  }
  return hsum(acc) + tailDot(dy, ys, row, L, x, xs, off, Wp, OH, OW, N);
}

/** out[P, Hp, Wp] = x[P, H, W] placed at (ph, pw) in zeros, cut at Hp × Wp. */
export function pad2d(x: usize, P: i32, H: i32, W: i32, ph: i32, pw: i32, Hp: i32, Wp: i32, out: usize): void {
  const top = min(ph, Hp), left = min(pw, Wp), rows = max(0, min(H, Hp - ph)), cols = max(0, min(W, Wp - pw));
  for (let p = 0; p < P; p++) {
    const o = at(out, p * Hp * Wp), xp = at(x, p * H * W);
    // Only the border is zeroed: the whole plane, zeroed first, cost more than the copy.
    zeros(o, 0, top * Wp);
    for (let h = 0; h < rows; h++) {
      const src = at(xp, h * W), row = at(o, (h + ph) * Wp), dst = at(row, pw);
      zeros(row, 0, left);
      let w = 0;
      for (; w + 4 <= cols; w += 4) v128.store(at(dst, w), v128.load(at(src, w)));
      for (; w < cols; w++) store<f32>(at(dst, w), load<f32>(at(src, w)));
      zeros(row, left + cols, Wp);
    }
    zeros(o, (top + rows) * Wp, Hp * Wp);
  }
}

/**
 * dxp[koff[k] + oh·Wp + ow] += Σ_m w[m × K][k] · dy[m × OH·OW][oh·OW + ow] over every k and output:
 * the product Wᵀ·dY of img2col's backward pass, added straight onto the (padded) input gradient
 * instead of into a column matrix that col2im would scatter afterwards. Rows k of one tile may
 * overlap in dxp; each is added in turn.
 */
export function convDirectInputGrad(dxp: usize, Wp: i32, OH: i32, OW: i32, koff: usize, K: i32, w: usize, M: i32, dy: usize): void {
  const L = OH * OW;
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const p0 = at(dxp, load<i32>(at(koff, k))), p1 = at(dxp, load<i32>(at(koff, k + 1)));
    const p2 = at(dxp, load<i32>(at(koff, k + 2))), p3 = at(dxp, load<i32>(at(koff, k + 3)));
    const wk = at(w, k);
    for (let oh = 0; oh < OH; oh++) {
      const dr = at(dy, oh * OW), xo = <usize>(oh * Wp) << 2;
      let ow = 0;
      for (; ow + 8 <= OW; ow += 8) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let bp = at(dr, ow), wp = wk;
        for (let m = 0; m < M; m++, bp = at(bp, L), wp = at(wp, K)) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          const x0 = v128.load32_splat(wp), x1 = v128.load32_splat(wp, 4);
          c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
          c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
          const x2 = v128.load32_splat(wp, 8), x3 = v128.load32_splat(wp, 12);
          c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
          c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
        }
        const o = xo + (<usize>ow << 2);
        put2(p0 + o, c00, c01, false); put2(p1 + o, c10, c11, false); put2(p2 + o, c20, c21, false); put2(p3 + o, c30, c31, false);
      }
      for (; ow + 4 <= OW; ow += 4) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        let bp = at(dr, ow), wp = wk;
        for (let m = 0; m < M; m++, bp = at(bp, L), wp = at(wp, K)) {
          const bv = v128.load(bp);
          c0 = madd(v128.load32_splat(wp), bv, c0); c1 = madd(v128.load32_splat(wp, 4), bv, c1);
          c2 = madd(v128.load32_splat(wp, 8), bv, c2); c3 = madd(v128.load32_splat(wp, 12), bv, c3);
        }
        const o = xo + (<usize>ow << 2);
        put(p0 + o, c0, false); put(p1 + o, c1, false); put(p2 + o, c2, false); put(p3 + o, c3, false);
      }
      for (; ow < OW; ow++) {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let bp = at(dr, ow), wp = wk;
        for (let m = 0; m < M; m++, bp = at(bp, L), wp = at(wp, K)) {
          const v = load<f32>(bp);
          s0 += load<f32>(wp) * v; s1 += load<f32>(wp, 4) * v; s2 += load<f32>(wp, 8) * v; s3 += load<f32>(wp, 12) * v;
        }
        const o = xo + (<usize>ow << 2);
        put1(p0 + o, s0, false); put1(p1 + o, s1, false); put1(p2 + o, s2, false); put1(p3 + o, s3, false);
      }
    }
  }
  for (; k < K; k++) {
    const p = at(dxp, load<i32>(at(koff, k))), wk = at(w, k);
    for (let oh = 0; oh < OH; oh++) {
      const dr = at(dy, oh * OW), xo = <usize>(oh * Wp) << 2;
      let ow = 0;
      for (; ow + 4 <= OW; ow += 4) {
        let acc = f32x4.splat(0), bp = at(dr, ow), wp = wk;
        for (let m = 0; m < M; m++, bp = at(bp, L), wp = at(wp, K)) acc = madd(v128.load32_splat(wp), v128.load(bp), acc);
        put(p + xo + (<usize>ow << 2), acc, false);
      }
      for (; ow < OW; ow++) {
        let s: f32 = 0, bp = at(dr, ow), wp = wk;
        for (let m = 0; m < M; m++, bp = at(bp, L), wp = at(wp, K)) s += load<f32>(wp) * load<f32>(bp);
        put1(p + xo + (<usize>ow << 2), s, false);
      }
    }
  }
}

/** wt[g][c][m][T − 1 − t] = w[g][m][c][t] over G groups of cog × cig kernels of T taps: the weights of the adjoint convolution. */
export function convFlipWeights(w: usize, G: i32, cog: i32, cig: i32, T: i32, wt: usize): void {
  for (let gi = 0; gi < G; gi++) {
    const wg = at(w, gi * cog * cig * T), tg = at(wt, gi * cog * cig * T);
    for (let m = 0; m < cog; m++) for (let c = 0; c < cig; c++) {
      const src = at(wg, (m * cig + c) * T), dst = at(tg, (c * cog + m) * T + T - 1);
      for (let t = 0; t < T; t++) store<f32>(dst - (<usize>t << 2), load<f32>(at(src, t)));
    }
  }
}

/** x[P, H, W] = the window at (ph, pw) of xp[P, Hp, Wp] (the inverse of pad2d; Hp ≥ H + ph, Wp ≥ W + pw). */
export function crop2d(xp: usize, P: i32, Hp: i32, Wp: i32, ph: i32, pw: i32, H: i32, W: i32, x: usize): void {
  for (let p = 0; p < P; p++) {
    const src0 = at(xp, p * Hp * Wp), dst0 = at(x, p * H * W);
    for (let h = 0; h < H; h++) {
      const src = at(src0, (h + ph) * Wp + pw), dst = at(dst0, h * W);
      let w = 0;
      for (; w + 4 <= W; w += 4) v128.store(at(dst, w), v128.load(at(src, w)));
      for (; w < W; w++) store<f32>(at(dst, w), load<f32>(at(src, w)));
    }
  }
}

/** dx[P planes of inL] = 0, then dx[p][argmax[p][q]] += dy[p][q] (argmax −1: the window saw only padding). */
export function maxPoolBackward(dy: usize, argmax: usize, P: i32, inL: i32, outL: i32, dx: usize): void {
  zeros(dx, 0, P * inL);
  for (let p = 0; p < P; p++) {
    const g = at(dx, p * inL), d = at(dy, p * outL), a = at(argmax, p * outL);
    for (let q = 0; q < outL; q++) {
      const i = load<i32>(at(a, q));
      if (i >= 0) { const t = at(g, i); store<f32>(t, load<f32>(t) + load<f32>(at(d, q))); }
    }
  }
}

// Batch normalisation over x[N, C, L] (L values per sample and channel). The statistics are taken in
// one pass in f64, shifted by the channel's first value so that Σ(x−s)² does not cancel when the mean
// is large against the spread; the transforms are PyTorch's (batch_norm_cpu_transform_input and
// batch_norm_backward_cpu): y = x·scale + shift, dx = (dy − mean(dy) − (x − mean)·proj)·gs.
// A ReLU or ReLU6 right after the BatchNorm can be taken into it (graph/network.ts): bnApply then
// stores act(y), and the backward passes read the gradient through that output (activate and
// activateBackward's own operations, so the bits are those of the two layers apart).

/** stats[2c] = mean, stats[2c + 1] = biased variance of channel c (f64), for channels [c0, c1). */
export function bnStats(x: usize, N: i32, C: i32, L: i32, stats: usize, c0: i32, c1: i32): void {
  const L4 = L & ~3, count = <f64>N * <f64>L;
  for (let c = c0; c < c1; c++) {
    const s = <f64>load<f32>(at(x, c * L)), sv = f64x2.splat(s);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let t: f64 = 0, u: f64 = 0;
    for (let n = 0; n < N; n++) {
      const p = at(x, (n * C + c) * L);
      for (let i = 0; i < L4; i += 4) {
        const v = v128.load(at(p, i));
        const lo = f64x2.sub(f64x2.promote_low_f32x4(v), sv);
        const hi = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)), sv);
        a0 = f64x2.add(a0, lo); a1 = f64x2.add(a1, hi);
        q0 = f64x2.add(q0, f64x2.mul(lo, lo)); q1 = f64x2.add(q1, f64x2.mul(hi, hi));
      }
      for (let i = L4; i < L; i++) { const d = <f64>load<f32>(at(p, i)) - s; t += d; u += d * d; }
    }
    const a = f64x2.add(a0, a1), q = f64x2.add(q0, q1);
    t += f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    u += f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1);
    const m = t / count;
    store<f64>(stats + (<usize>c << 4), s + m);
    store<f64>(stats + (<usize>c << 4) + 8, max(u / count - m * m, 0));
  }
}

/** y = act(x·scale[c] + shift[c]) (scale and shift f32 per channel). */
@inline function bnApplyBody(x: usize, N: i32, C: i32, L: i32, scale: usize, shift: usize, y: usize, act: i32): void {
  const L4 = L & ~3;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
    const o = (n * C + c) * L, p = at(x, o), q = at(y, o);
    const a = load<f32>(at(scale, c)), b = load<f32>(at(shift, c)), av = f32x4.splat(a), bv = f32x4.splat(b);
    if (act) {
      for (let i = 0; i < L4; i += 4) v128.store(at(q, i), act4(f32x4.add(f32x4.mul(v128.load(at(p, i)), av), bv), act));
      for (let i = L4; i < L; i++) store<f32>(at(q, i), act1(load<f32>(at(p, i)) * a + b, act));
    } else {
      for (let i = 0; i < L4; i += 4) v128.store(at(q, i), f32x4.add(f32x4.mul(v128.load(at(p, i)), av), bv));
      for (let i = L4; i < L; i++) store<f32>(at(q, i), load<f32>(at(p, i)) * a + b);
    }
  }
}
export function bnApply(x: usize, N: i32, C: i32, L: i32, scale: usize, shift: usize, y: usize, act: i32): void {
  if (act == 1) bnApplyBody(x, N, C, L, scale, shift, y, 1);
  else if (act == 2) bnApplyBody(x, N, C, L, scale, shift, y, 2);
  else bnApplyBody(x, N, C, L, scale, shift, y, 0);
}

/**
 * sums[2c] = Σ dy, sums[2c + 1] = Σ dy·(x − mean[c]) over channel c (f64; mean f32 per channel), for
 * channels [c0, c1); dy through a taken activation `act` (at its output y).
 */
@inline function bnBackwardSumsBody(x: usize, dy: usize, y: usize, act: i32, N: i32, C: i32, L: i32, mean: usize, sums: usize, c0: i32, c1: i32): void {
  const L4 = L & ~3;
  for (let c = c0; c < c1; c++) {
    const m = <f64>load<f32>(at(mean, c)), mv = f64x2.splat(m);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let t: f64 = 0, u: f64 = 0;
    for (let n = 0; n < N; n++) {
      const o = (n * C + c) * L, p = at(x, o), g = at(dy, o), yo = at(y, o);
      for (let i = 0; i < L4; i += 4) {
        const v = v128.load(at(p, i)), d = actGrad(g, yo, i, act);
        const dlo = f64x2.promote_low_f32x4(d), dhi = f64x2.promote_low_f32x4(v128.shuffle<u32>(d, d, 2, 3, 0, 1));
        const xlo = f64x2.sub(f64x2.promote_low_f32x4(v), mv), xhi = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)), mv);
        a0 = f64x2.add(a0, dlo); a1 = f64x2.add(a1, dhi);
        q0 = f64x2.add(q0, f64x2.mul(dlo, xlo)); q1 = f64x2.add(q1, f64x2.mul(dhi, xhi));
      }
      for (let i = L4; i < L; i++) { const d = <f64>actGrad1(g, yo, i, act); t += d; u += d * (<f64>load<f32>(at(p, i)) - m); }
    }
    const a = f64x2.add(a0, a1), q = f64x2.add(q0, q1);
    store<f64>(sums + (<usize>c << 4), t + f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
    store<f64>(sums + (<usize>c << 4) + 8, u + f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1));
  }
}
export function bnBackwardSums(x: usize, dy: usize, y: usize, act: i32, N: i32, C: i32, L: i32, mean: usize, sums: usize, c0: i32, c1: i32): void {
  if (act == 1) bnBackwardSumsBody(x, dy, y, 1, N, C, L, mean, sums, c0, c1);
  else if (act == 2) bnBackwardSumsBody(x, dy, y, 2, N, C, L, mean, sums, c0, c1);
  else bnBackwardSumsBody(x, dy, y, 0, N, C, L, mean, sums, c0, c1);
}

/**
 * dx = (dy − mdy[c] − (x − mean[c])·proj[c])·gs[c]; params f32 per channel in rows of 4: mean, mdy,
 * proj, gs; dy through a taken activation `act` (at its output y).
 */
@inline function bnBackwardApplyBody(x: usize, dy: usize, y: usize, act: i32, N: i32, C: i32, L: i32, k: usize, dx: usize): void {
  const L4 = L & ~3;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
    const o = (n * C + c) * L, p = at(x, o), g = at(dy, o), yo = at(y, o), r = at(dx, o), kc = at(k, 4 * c);
    const m = load<f32>(kc), md = load<f32>(kc, 4), pj = load<f32>(kc, 8), gs = load<f32>(kc, 12);
    const mv = f32x4.splat(m), mdv = f32x4.splat(md), pv = f32x4.splat(pj), gv = f32x4.splat(gs);
    for (let i = 0; i < L4; i += 4) {
      const t = f32x4.sub(f32x4.sub(actGrad(g, yo, i, act), mdv), f32x4.mul(f32x4.sub(v128.load(at(p, i)), mv), pv));
      v128.store(at(r, i), f32x4.mul(t, gv));
    }
    for (let i = L4; i < L; i++) store<f32>(at(r, i), (actGrad1(g, yo, i, act) - md - (load<f32>(at(p, i)) - m) * pj) * gs);
  }
}
export function bnBackwardApply(x: usize, dy: usize, y: usize, act: i32, N: i32, C: i32, L: i32, k: usize, dx: usize): void {
  if (act == 1) bnBackwardApplyBody(x, dy, y, 1, N, C, L, k, dx);
  else if (act == 2) bnBackwardApplyBody(x, dy, y, 2, N, C, L, k, dx);
  else bnBackwardApplyBody(x, dy, y, 0, N, C, L, k, dx);
}

// Batch-level convolution over a range of the batch or of the output channels, so that several
// threads on one shared memory can each take a range (wasm-kernels.ts hands them out): every output
// value is computed by exactly one thread, by the same code in the same order whatever the ranges,
// so the results are bit for bit those of one thread. The convolution is described by i32 fields at
// `d` (the CONV_* indices below, which wasm-kernels.ts writes); `cols` is the calling thread's own
// column matrix (K·L floats), unused on the direct stride-1 path.
const D_X = 0, D_W = 1, D_Y = 2, D_DX = 3, D_DW = 4, D_N = 5, D_CIN = 6, D_COUT = 7, D_G = 8, D_INL = 9, D_L = 10, D_K = 11;
const D_DIRECT = 12, D_POINTWISE = 13, D_XP = 14, D_PLANE = 15, D_H = 16, D_W_ = 17, D_HP = 18, D_WP = 19, D_PH = 20, D_PW = 21;
const D_OH = 22, D_OW = 23, D_KOFF = 24, D_WIN = 25, D_DXP = 26;
// The input gradient as a forward convolution (stride 1, padding within the kernel's reach): the
// flipped, transposed weights, the zero-padded output gradient (QH × QW planes, dy placed at (TH, TW))
// and the row offsets into it.
const D_WT = 27, D_DYP = 28, D_KOFFT = 29, D_QH = 30, D_QW = 31, D_TH = 32, D_TW = 33;
// The direct path's backward by slices of the batch: samples per chunk, slices, and the slices' partial
// weight gradients (slices × cout·K/G floats).
const D_CHUNK = 34, D_SLICES = 35, D_PARTS = 36;
// The weight gradient from a channels-last copy of the padded input (one group, channels a multiple of
// 8; 0 otherwise): its address (N·Hp·Wp·cin floats) and each tap's offset in it.
const D_XT = 37, D_TOFF = 38;

/** The padded input of samples [n0, n1), input channels [c0, c1), for the direct path (nothing when the input is its own padding). */
function padRange(d: usize, n0: i32, n1: i32, c0: i32, c1: i32): void {
  const xp = g(d, D_XP), x = g(d, D_X);
  if (xp == x) return;
  const cin = g(d, D_CIN), inL = g(d, D_INL), plane = g(d, D_PLANE);
  for (let n = n0; n < n1; n++) {
    pad2d(at(x, (n * cin + c0) * inL), c1 - c0, g(d, D_H), g(d, D_W_), g(d, D_PH), g(d, D_PW), g(d, D_HP), g(d, D_WP), at(xp, (n * cin + c0) * plane));
  }
}

/** y = conv(x, w) for samples [n0, n1). */
export function convForwardRange(d: usize, n0: i32, n1: i32, cols: usize): void {
  const cin = g(d, D_CIN), cout = g(d, D_COUT), G = g(d, D_G), inL = g(d, D_INL), L = g(d, D_L), K = g(d, D_K);
  const cog = cout / G, kg = K / G, cig = cin / G, x = g(d, D_X), w = g(d, D_W), y = g(d, D_Y);
  if (g(d, D_DIRECT)) {
    padRange(d, n0, n1, 0, g(d, D_CIN));
    const xp = g(d, D_XP), plane = g(d, D_PLANE);
    for (let n = n0; n < n1; n++) for (let gi = 0; gi < G; gi++) {
      convDirect(at(xp, (n * cin + gi * cig) * plane), g(d, D_WP), g(d, D_OH), g(d, D_OW), g(d, D_KOFF), kg, at(w, gi * cog * kg), cog,
        at(y, (n * cout + gi * cog) * L));
    }
    return;
  }
  const pointwise = g(d, D_POINTWISE);
  for (let n = n0; n < n1; n++) {
    const xn = at(x, n * cin * inL), cn = pointwise ? xn : cols;
    if (!pointwise) im2col(xn, cin, g(d, D_WIN), cols);
    for (let gi = 0; gi < G; gi++) matmulNN(cog, L, kg, at(w, gi * cog * kg), kg, at(cn, gi * kg * L), L, at(y, (n * cout + gi * cog) * L), L, 0);
  }
}

/**
 * The direct path's dx of samples [n0, n1) and groups [g0, g1) when asked for (D_DX ≠ 0), and the padded
 * input of those samples and groups for the weight gradient.
 */
function directInputGrad(d: usize, n0: i32, n1: i32, g0: i32, g1: i32): void {
  const cin = g(d, D_CIN), cout = g(d, D_COUT), G = g(d, D_G), inL = g(d, D_INL), L = g(d, D_L), K = g(d, D_K);
  const cog = cout / G, kg = K / G, cig = cin / G, w = g(d, D_W), dy = g(d, D_Y), dx = g(d, D_DX), c0 = g0 * cig, c1 = g1 * cig;
  // The padded input only serves the weight gradient; the channels-last path pads its own copy.
  if (!g(d, D_XT)) padRange(d, n0, n1, c0, c1);
  if (!dx) return;
  const dxp = g(d, D_DXP), plane = g(d, D_PLANE), Wp = g(d, D_WP), OH = g(d, D_OH), OW = g(d, D_OW), wt = g(d, D_WT);
  if (wt) {
    // dx = conv(pad(dy), flip(w)ᵀ): each value of dx is summed in registers and stored once, where
    // the scatter below adds every tap's share onto the padded gradient in memory.
    const dyp = g(d, D_DYP), QH = g(d, D_QH), QW = g(d, D_QW), qplane = QH * QW, kt = cog * (kg / cig), o0 = g0 * cog;
    for (let n = n0; n < n1; n++) {
      pad2d(at(dy, (n * cout + o0) * L), (g1 - g0) * cog, OH, OW, g(d, D_TH), g(d, D_TW), QH, QW, at(dyp, (n * cout + o0) * qplane));
      for (let gi = g0; gi < g1; gi++) {
        convDirect(at(dyp, (n * cout + gi * cog) * qplane), QW, g(d, D_H), g(d, D_W_), g(d, D_KOFFT), kt, at(wt, gi * cig * kt), cig,
          at(dx, (n * cin + gi * cig) * inL));
      }
    }
    return;
  }
  for (let n = n0; n < n1; n++) {
    zeros(at(dxp, (n * cin + c0) * plane), 0, (c1 - c0) * plane);
    for (let gi = g0; gi < g1; gi++) {
      convDirectInputGrad(at(dxp, (n * cin + gi * cig) * plane), Wp, OH, OW, g(d, D_KOFF), kg, at(w, gi * cog * kg), cog, at(dy, (n * cout + gi * cog) * L));
    }
    // ∂X̂ landed on the padded input gradient: cut it back to the input.
    if (dxp != dx) crop2d(at(dxp, (n * cin + c0) * plane), c1 - c0, g(d, D_HP), Wp, g(d, D_PH), g(d, D_PW), g(d, D_H), g(d, D_W_), at(dx, (n * cin + c0) * inL));
  }
}

/** dx of samples [n0, n1) when asked for (D_DX ≠ 0), and the padded input of those samples for the weight gradient. */
export function convInputGradRange(d: usize, n0: i32, n1: i32, cols: usize): void {
  const cin = g(d, D_CIN), cout = g(d, D_COUT), G = g(d, D_G), inL = g(d, D_INL), L = g(d, D_L), K = g(d, D_K);
  const cog = cout / G, kg = K / G, cig = cin / G, w = g(d, D_W), dy = g(d, D_Y), dx = g(d, D_DX);
  if (g(d, D_DIRECT)) { directInputGrad(d, n0, n1, 0, G); return; }
  if (!dx) return;
  const pointwise = g(d, D_POINTWISE);
  zeros(at(dx, n0 * cin * inL), 0, (n1 - n0) * cin * inL);
  for (let n = n0; n < n1; n++) {
    const dxn = at(dx, n * cin * inL), target = pointwise ? dxn : cols;
    for (let gi = 0; gi < G; gi++) matmulTN(kg, L, cog, at(w, gi * cog * kg), kg, at(dy, (n * cout + gi * cog) * L), L, at(target, gi * kg * L), L, 0);
    if (!pointwise) col2im(cols, cin, g(d, D_WIN), dxn);
  }
}

/**
 * The direct path's backward for slices [s0, s1) of the batch: chunk by chunk, the padded input, dx
 * (when asked for) and the chunk's weight gradient, while the chunk's input and output gradient are
 * still in cache. Slice s (chunks [s·C/S, (s+1)·C/S) of C) sums its chunks into its own partial
 * weight gradient, from zero; addParts then adds the slices to dW in order. The slices depend on the
 * batch and the layer only, so any number of threads, each taking whole slices, gives the same sums.
 */
export function convBackwardDirectRange(d: usize, s0: i32, s1: i32): void {
  directBackward(d, s0, s1, 0, g(d, D_G));
}

/** Slices [s0, s1) of convBackwardDirectRange for groups [g0, g1) only (their rows of each slice's partial weight gradient). */
function directBackward(d: usize, s0: i32, s1: i32, g0: i32, g1: i32): void {
  const cin = g(d, D_CIN), cout = g(d, D_COUT), G = g(d, D_G), L = g(d, D_L), K = g(d, D_K), N = g(d, D_N);
  const cog = cout / G, kg = K / G, cig = cin / G, dy = g(d, D_Y), xp = g(d, D_XP), plane = g(d, D_PLANE);
  const chunk = g(d, D_CHUNK), S = g(d, D_SLICES), C = (N + chunk - 1) / chunk, MK = cout * kg, rows = cog * kg;
  for (let sl = s0; sl < s1; sl++) {
    const part = at(g(d, D_PARTS), sl * MK);
    zeros(part, g0 * rows, g1 * rows);
    for (let c = sl * C / S, c1 = (sl + 1) * C / S; c < c1; c++) {
      const n0 = c * chunk, n1 = min(N, n0 + chunk);
      directInputGrad(d, n0, n1, g0, g1);
      const xt = g(d, D_XT);
      if (xt) {
        const Hp = g(d, D_HP), Wp = g(d, D_WP), xc = at(xt, n0 * cin * plane);
        const x0 = at(g(d, D_X), n0 * cin * g(d, D_INL));
        padChannelsLast(x0, n1 - n0, cin, g(d, D_H), g(d, D_W_), g(d, D_PH), g(d, D_PW), Hp, Wp, xc);
        weightGradChannelsLast(xc, cin * plane, Wp, g(d, D_OH), g(d, D_OW), g(d, D_TOFF), kg / cin, cin,
          at(dy, n0 * cout * L), cout * L, cout, n1 - n0, part);
        continue;
      }
      for (let gi = g0; gi < g1; gi++) {
        weightGradChunk(at(xp, (n0 * cin + gi * cig) * plane), cin * plane, g(d, D_WP), g(d, D_OH), g(d, D_OW), g(d, D_KOFF), kg,
          at(dy, (n0 * cout + gi * cog) * L), cout * L, cog, n1 - n0, at(part, gi * cog * kg));
      }
    }
  }
}

/**
 * The direct path's backward for groups [g0, g1) over the whole batch: every slice of those groups in
 * turn, then their rows of dW += the slices' parts in order. The same values and sums as
 * convBackwardDirectRange and addParts, shared by groups where the slices are too few to share (a
 * depthwise convolution's backward often fits one slice).
 */
export function convBackwardGroupsRange(d: usize, g0: i32, g1: i32): void {
  const rows = g(d, D_COUT) / g(d, D_G) * (g(d, D_K) / g(d, D_G)), S = g(d, D_SLICES);
  directBackward(d, 0, S, g0, g1);
  addParts(at(g(d, D_DW), g0 * rows), at(g(d, D_PARTS), g0 * rows), S, (g1 - g0) * rows, g(d, D_COUT) * (g(d, D_K) / g(d, D_G)));
}

/** dw[i] += parts[s][i] for s = 0, 1, … S − 1 in turn, i < n, the slices `stride` floats apart (the slices of convBackwardDirectRange). */
export function addParts(dw: usize, parts: usize, S: i32, n: i32, stride: i32): void {
  for (let sl = 0; sl < S; sl++) {
    const p = at(parts, sl * stride);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(at(dw, i), f32x4.add(v128.load(at(dw, i)), v128.load(at(p, i))));
    for (; i < n; i++) store<f32>(at(dw, i), load<f32>(at(dw, i)) + load<f32>(at(p, i)));
  }
}

/** dW += ∂L/∂w through img2col for groups [g0, g1), rows [r0, r1) of each (r0 a multiple of 4, so the tiles are those of one thread). */
export function convWeightGradRange(d: usize, g0: i32, g1: i32, r0: i32, r1: i32, cols: usize): void {
  const cin = g(d, D_CIN), cout = g(d, D_COUT), G = g(d, D_G), inL = g(d, D_INL), L = g(d, D_L), K = g(d, D_K), N = g(d, D_N);
  const cog = cout / G, kg = K / G, cig = cin / G, x = g(d, D_X), dy = g(d, D_Y), dW = g(d, D_DW), M = r1 - r0;
  if (M <= 0) return;
  const pointwise = g(d, D_POINTWISE);
  for (let n = 0; n < N; n++) {
    // Only the channels of groups [g0, g1) are turned into columns (rows are channel-major).
    const xn = at(x, n * cin * inL);
    if (!pointwise) im2col(at(xn, g0 * cig * inL), (g1 - g0) * cig, g(d, D_WIN), cols);
    for (let gi = g0; gi < g1; gi++) {
      const cg = pointwise ? at(xn, gi * kg * L) : at(cols, (gi - g0) * kg * L);
      matmulNT(M, kg, L, at(dy, (n * cout + gi * cog + r0) * L), L, cg, L, at(dW, (gi * cog + r0) * kg), kg, 1);
    }
  }
}

// Winograd F(2×2, 3×3) for 3×3 convolutions with stride and dilation 1 (Lavin and Gray, 2015): each
// 2×2 block of outputs (a tile) is Aᵀ·[Σ_c (G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A over the 4×4 input block d it reads,
// 16 products per tile and channel pair where the direct kernel takes 36. The sum over channels is 16
// matrix products (one per point ξ of the 4×4 transform): m[ξ][M × tiles] = u[ξ][M × C] · v[ξ][C × tiles].
// The tiles of all the samples are numbered in a row (t = (n, th, tw) over TH × TW per sample) and taken
// in chunks of a fixed size that depends on the layer only, so a thread that takes a chunk computes it
// with the same code and column layout as one thread alone would: the split never changes a bit.

/** u[16][M][C] = G·g·Gᵀ of the kernels g = w[m][c] (M × C of 3×3); with `adjoint`, u[16][C][M] of w[m][c] turned by 180°. */
export function winogradWeights(w: usize, M: i32, C: i32, adjoint: i32, u: usize): void {
  const MC = M * C;
  for (let m = 0; m < M; m++) for (let c = 0; c < C; c++) {
    const p = at(w, (m * C + c) * 9), o = adjoint ? c * M + m : m * C + c;
    // The adjoint convolution's kernel is g turned by 180°: g[r][s] = w[8 − 3r − s].
    const g0 = gTap(p, 0, adjoint), g1 = gTap(p, 1, adjoint), g2 = gTap(p, 2, adjoint);
    const g3 = gTap(p, 3, adjoint), g4 = gTap(p, 4, adjoint), g5 = gTap(p, 5, adjoint);
    const g6 = gTap(p, 6, adjoint), g7 = gTap(p, 7, adjoint), g8 = gTap(p, 8, adjoint);
    // G·g: rows [g₀, (g₀ + g₁ + g₂)/2, (g₀ − g₁ + g₂)/2, g₂] of the kernel's rows, then the same along each row.
    gRow(u, MC, o, 0, g0, g1, g2);
    gRow(u, MC, o, 4, (g0 + g3 + g6) * 0.5, (g1 + g4 + g7) * 0.5, (g2 + g5 + g8) * 0.5);
    gRow(u, MC, o, 8, (g0 - g3 + g6) * 0.5, (g1 - g4 + g7) * 0.5, (g2 - g5 + g8) * 0.5);
    gRow(u, MC, o, 12, g6, g7, g8);
  }
}
@inline function gTap(p: usize, i: i32, adjoint: i32): f32 { return load<f32>(at(p, adjoint ? 8 - i : i)); }
/** Row i/4 of G·g·Gᵀ from row (a, b, e) of G·g: u[ξ = i … i + 3][o]. */
@inline function gRow(u: usize, MC: i32, o: i32, i: i32, a: f32, b: f32, e: f32): void {
  store<f32>(at(u, i * MC + o), a); store<f32>(at(u, (i + 1) * MC + o), (a + b + e) * 0.5);
  store<f32>(at(u, (i + 2) * MC + o), (a - b + e) * 0.5); store<f32>(at(u, (i + 3) * MC + o), e);
}

// Bᵀ·d·B on rows or columns of four: (d₀ − d₂, d₁ + d₂, d₂ − d₁, d₁ − d₃). Vectors hold four tiles side by side.
@inline function evens(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 2, 4, 6); }
@inline function odds(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 1, 3, 5, 7); }

/**
 * Row r of four neighbouring tiles' 4×4 blocks (columns 0…9 from p, tile k at 2k) transformed along
 * the row, stored at q + ξ·xs for the four points ξ = 4r … 4r + 3 of each tile (xs in bytes).
 */
@inline function tileRows4(p: usize, q: usize, xs: usize): void {
  const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 8), e = v128.load(p, 24);
  const d0 = evens(a, b), d1 = odds(a, b), d2 = evens(c, e), d3 = odds(c, e);
  v128.store(q, f32x4.sub(d0, d2)); v128.store(q + xs, f32x4.add(d1, d2));
  v128.store(q + 2 * xs, f32x4.sub(d2, d1)); v128.store(q + 3 * xs, f32x4.sub(d1, d3));
}

/**
 * v[16][C][TC] (column t − t0) = Bᵀ·d·B of tiles [t0, t1) of the padded planes src[·][C][Hs × Ws]
 * (tile t = (n, th, tw), TH × TW per plane, reading rows 2th … 2th + 3 and columns 2tw … 2tw + 3).
 * The transform along rows goes into v first, then down the columns in place: both by vectors of four
 * tiles in a row, the row's last ones alone.
 */
function winogradInput(src: usize, C: i32, Hs: i32, Ws: i32, TH: i32, TW: i32, t0: i32, t1: i32, v: usize, TC: i32): void {
  const per = TH * TW, plane = Hs * Ws, xs = <usize>wgStride(C, TC) << 2, rs = <usize>Ws << 2;
  for (let t = t0; t < t1;) {
    const n = t / per, r = t % per, th = r / TW, tw = r % TW, run = min(t1 - t, TW - tw);
    for (let c = 0; c < C; c++) {
      const base = at(src, (n * C + c) * plane + 2 * th * Ws + 2 * tw), out = at(v, c * TC + t - t0);
      let k = 0;
      for (; k + 4 <= run; k += 4) {
        const p = base + (<usize>k << 3), q = out + (<usize>k << 2);
        for (let i = 0; i < 4; i++) tileRows4(p + i * rs, q + 4 * i * xs, xs);
        for (let j = 0; j < 4; j++) {
          const qj = q + j * xs;
          const e0 = v128.load(qj), e1 = v128.load(qj + 4 * xs), e2 = v128.load(qj + 8 * xs), e3 = v128.load(qj + 12 * xs);
          v128.store(qj, f32x4.sub(e0, e2)); v128.store(qj + 4 * xs, f32x4.add(e1, e2));
          v128.store(qj + 8 * xs, f32x4.sub(e2, e1)); v128.store(qj + 12 * xs, f32x4.sub(e1, e3));
        }
      }
      for (; k < run; k++) {
        const p = base + (<usize>k << 3), q = out + (<usize>k << 2);
        for (let i = 0; i < 4; i++) {
          const pi = p + i * rs, qi = q + 4 * i * xs;
          const d0 = load<f32>(pi), d1 = load<f32>(pi, 4), d2 = load<f32>(pi, 8), d3 = load<f32>(pi, 12);
          store<f32>(qi, d0 - d2); store<f32>(qi + xs, d1 + d2); store<f32>(qi + 2 * xs, d2 - d1); store<f32>(qi + 3 * xs, d1 - d3);
        }
        for (let j = 0; j < 4; j++) {
          const qj = q + j * xs;
          const e0 = load<f32>(qj), e1 = load<f32>(qj + 4 * xs), e2 = load<f32>(qj + 8 * xs), e3 = load<f32>(qj + 12 * xs);
          store<f32>(qj, e0 - e2); store<f32>(qj + 4 * xs, e1 + e2); store<f32>(qj + 8 * xs, e2 - e1); store<f32>(qj + 12 * xs, e1 - e3);
        }
      }
    }
    t += run;
  }
}

/**
 * y[·][M][OH × OW] = Aᵀ·m·A of tiles [t0, t1) from mm[16][M][TC]: rows (m₀ + m₁ + m₂, m₁ − m₂ − m₃) of
 * each tile's 4×4, then the same along them, the 2×2 outputs cut at the image's edge.
 */
function winogradOutput(mm: usize, M: i32, TC: i32, TH: i32, TW: i32, t0: i32, t1: i32, OH: i32, OW: i32, y: usize): void {
  const per = TH * TW, L = OH * OW, xs = <usize>wgStride(M, TC) << 2, ro = <usize>OW << 2;
  for (let t = t0; t < t1;) {
    const n = t / per, r = t % per, th = r / TW, tw = r % TW, run = min(t1 - t, TW - tw);
    const two = 2 * th + 1 < OH, whole = two ? min(run, OW / 2 - tw) : 0;
    for (let o = 0; o < M; o++) {
      const q = at(mm, o * TC + t - t0), out = at(y, (n * M + o) * L + 2 * th * OW + 2 * tw);
      let k = 0;
      for (; k + 4 <= whole; k += 4) {
        const p = q + (<usize>k << 2);
        let s00 = f32x4.splat(0), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        for (let j = 0; j < 4; j++) {
          const pj = p + j * xs;
          const m0 = v128.load(pj), m1 = v128.load(pj + 4 * xs), m2 = v128.load(pj + 8 * xs), m3 = v128.load(pj + 12 * xs);
          const a = f32x4.add(f32x4.add(m0, m1), m2), b = f32x4.sub(f32x4.sub(m1, m2), m3);
          if (j == 0) { s00 = a; s10 = b; } else if (j == 1) { s01 = a; s11 = b; }
          else if (j == 2) { s02 = a; s12 = b; } else { s03 = a; s13 = b; }
        }
        const y00 = f32x4.add(f32x4.add(s00, s01), s02), y01 = f32x4.sub(f32x4.sub(s01, s02), s03);
        const y10 = f32x4.add(f32x4.add(s10, s11), s12), y11 = f32x4.sub(f32x4.sub(s11, s12), s13);
        const w = out + (<usize>k << 3);
        v128.store(w, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5)); v128.store(w, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
        v128.store(w + ro, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5)); v128.store(w + ro, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
      }
      for (; k < run; k++) {
        const p = q + (<usize>k << 2);
        let s00: f32 = 0, s01: f32 = 0, s02: f32 = 0, s03: f32 = 0, s10: f32 = 0, s11: f32 = 0, s12: f32 = 0, s13: f32 = 0;
        for (let j = 0; j < 4; j++) {
          const pj = p + j * xs;
          const m0 = load<f32>(pj), m1 = load<f32>(pj + 4 * xs), m2 = load<f32>(pj + 8 * xs), m3 = load<f32>(pj + 12 * xs);
          const a = m0 + m1 + m2, b = m1 - m2 - m3;
          if (j == 0) { s00 = a; s10 = b; } else if (j == 1) { s01 = a; s11 = b; }
          else if (j == 2) { s02 = a; s12 = b; } else { s03 = a; s13 = b; }
        }
        const w = out + (<usize>k << 3), right = 2 * (tw + k) + 1 < OW;
        store<f32>(w, s00 + s01 + s02);
        if (right) store<f32>(w, s01 - s02 - s03, 4);
        if (two) {
          store<f32>(w + ro, s10 + s11 + s12);
          if (right) store<f32>(w + ro, s11 - s12 - s13, 4);
        }
      }
    }
    t += run;
  }
}

/**
 * Floats from one point ξ of the transformed tiles to the next (R rows of TC): a cache line more than
 * R·TC, whose powers of two would put the 16 points of a tile in one set of the cache.
 */
@inline function wgStride(R: i32, TC: i32): i32 { return R * TC + 16; }

// A Winograd call is described by i32 fields at `d` (the W_* indices, which wasm-kernels.ts writes):
// the padded input (channel-major for the convolution, channels-last for the weight gradient), its
// channels C, the transformed kernels u (or the weight gradient's slices), the output or output
// gradient and its M channels of OH × OW, the batch, tiles per chunk and the weight gradient's slices.
const W_SRC = 0, W_C = 1, W_U = 2, W_Y = 3, W_M = 4, W_OH = 5, W_OW = 6, W_N = 7, W_TC = 8, W_S = 9;

/**
 * y = the convolution of the padded planes src[N][C][Hs × Ws] (Hs = 2·TH + 2, Ws = 2·TW + 2) with the
 * transformed kernels u[16][M][C] (winogradWeights), for chunks [k0, k1) of TC tiles, in the calling
 * thread's own v (16·(C·TC + 16) floats) and mm (16·(M·TC + 16) floats).
 */
export function winogradRange(d: usize, k0: i32, k1: i32, v: usize, mm: usize): void {
  const C = g(d, W_C), u = g(d, W_U), M = g(d, W_M), OH = g(d, W_OH), OW = g(d, W_OW), TC = g(d, W_TC);
  const TH = (OH + 1) / 2, TW = (OW + 1) / 2, T = g(d, W_N) * TH * TW;
  for (let k = k0; k < k1; k++) {
    const t0 = k * TC, t1 = min(T, t0 + TC);
    winogradInput(g(d, W_SRC), C, 2 * TH + 2, 2 * TW + 2, TH, TW, t0, t1, v, TC);
    for (let xi = 0; xi < 16; xi++) {
      matmulNN(M, t1 - t0, C, at(u, xi * M * C), C, at(v, xi * wgStride(C, TC)), TC, at(mm, xi * wgStride(M, TC)), TC, 0);
    }
    winogradOutput(mm, M, TC, TH, TW, t0, t1, OH, OW, g(d, W_Y));
  }
}

// The weight gradient through the same transform: with y_t = Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d_t·B)]·A for every
// tile t, ∂L/∂g = Gᵀ·[Σ_t (A·dy_t·Aᵀ) ⊙ (Bᵀ·d_t·B)]·G: 16 products (one per point ξ) summed over the
// tiles, z[ξ][M × C] += ŷ[ξ][M × tiles] · v[ξ][tiles × C], then one small transform per kernel.

/**
 * v[16][TC][C] (row t − t0) = Bᵀ·d·B of tiles [t0, t1) of the channels-last padded input xt[·][Hs][Ws][C]
 * (C a multiple of 4): four channels per vector, straight from memory.
 */
function winogradInputChannelsLast(xt: usize, C: i32, Hs: i32, Ws: i32, TH: i32, TW: i32, t0: i32, t1: i32, v: usize, TC: i32): void {
  const per = TH * TW, xs = <usize>wgStride(TC, C) << 2, cs = <usize>C << 2, rs = <usize>(Ws * C) << 2;
  for (let t = t0; t < t1; t++) {
    const n = t / per, r = t % per, th = r / TW, tw = r % TW;
    const base = at(xt, ((n * Hs + 2 * th) * Ws + 2 * tw) * C), out = at(v, (t - t0) * C);
    for (let c = 0; c < C; c += 4) {
      const p = base + (<usize>c << 2), q = out + (<usize>c << 2);
      // Along each row first (columns 0…3 of the tile, cs apart), then down the columns.
      let p0 = p, a0 = v128.load(p0), a1 = v128.load(p0 + cs), a2 = v128.load(p0 + 2 * cs), a3 = v128.load(p0 + 3 * cs);
      const f00 = f32x4.sub(a0, a2), f01 = f32x4.add(a1, a2), f02 = f32x4.sub(a2, a1), f03 = f32x4.sub(a1, a3);
      p0 += rs; a0 = v128.load(p0); a1 = v128.load(p0 + cs); a2 = v128.load(p0 + 2 * cs); a3 = v128.load(p0 + 3 * cs);
      const f10 = f32x4.sub(a0, a2), f11 = f32x4.add(a1, a2), f12 = f32x4.sub(a2, a1), f13 = f32x4.sub(a1, a3);
      p0 += rs; a0 = v128.load(p0); a1 = v128.load(p0 + cs); a2 = v128.load(p0 + 2 * cs); a3 = v128.load(p0 + 3 * cs);
      const f20 = f32x4.sub(a0, a2), f21 = f32x4.add(a1, a2), f22 = f32x4.sub(a2, a1), f23 = f32x4.sub(a1, a3);
      v128.store(q, f32x4.sub(f00, f20)); v128.store(q + xs, f32x4.sub(f01, f21));
      v128.store(q + 2 * xs, f32x4.sub(f02, f22)); v128.store(q + 3 * xs, f32x4.sub(f03, f23));
      v128.store(q + 4 * xs, f32x4.add(f10, f20)); v128.store(q + 5 * xs, f32x4.add(f11, f21));
      v128.store(q + 6 * xs, f32x4.add(f12, f22)); v128.store(q + 7 * xs, f32x4.add(f13, f23));
      v128.store(q + 8 * xs, f32x4.sub(f20, f10)); v128.store(q + 9 * xs, f32x4.sub(f21, f11));
      v128.store(q + 10 * xs, f32x4.sub(f22, f12)); v128.store(q + 11 * xs, f32x4.sub(f23, f13));
      p0 += rs; a0 = v128.load(p0); a1 = v128.load(p0 + cs); a2 = v128.load(p0 + 2 * cs); a3 = v128.load(p0 + 3 * cs);
      v128.store(q + 12 * xs, f32x4.sub(f10, f32x4.sub(a0, a2))); v128.store(q + 13 * xs, f32x4.sub(f11, f32x4.add(a1, a2)));
      v128.store(q + 14 * xs, f32x4.sub(f12, f32x4.sub(a2, a1))); v128.store(q + 15 * xs, f32x4.sub(f13, f32x4.sub(a1, a3)));
    }
  }
}

/** Row (a, b) of A·dy through Aᵀ: (a, a + b, a − b, −b) at q + ξ·xs for ξ = i … i + 3. */
@inline function dyRow4(q: usize, xs: usize, a: v128, b: v128): void {
  v128.store(q, a); v128.store(q + xs, f32x4.add(a, b)); v128.store(q + 2 * xs, f32x4.sub(a, b)); v128.store(q + 3 * xs, f32x4.neg(b));
}
@inline function dyRow1(q: usize, xs: usize, a: f32, b: f32): void {
  store<f32>(q, a); store<f32>(q + xs, a + b); store<f32>(q + 2 * xs, a - b); store<f32>(q + 3 * xs, -b);
}

/**
 * yy[16][M][TC] (column t − t0) = A·dy_t·Aᵀ of the 2×2 output gradients of tiles [t0, t1) of dy[·][M][OH × OW]
 * (zero past the image's edge): rows (p, q), (r, s) become (p, q), (p + r, q + s), (p − r, q − s), (−r, −s).
 */
function winogradOutputGrad(dy: usize, M: i32, OH: i32, OW: i32, TH: i32, TW: i32, t0: i32, t1: i32, yy: usize, TC: i32): void {
  const per = TH * TW, L = OH * OW, xs = <usize>wgStride(M, TC) << 2, ro = <usize>OW << 2;
  for (let t = t0; t < t1;) {
    const n = t / per, r = t % per, th = r / TW, tw = r % TW, run = min(t1 - t, TW - tw);
    const two = 2 * th + 1 < OH, whole = two ? min(run, OW / 2 - tw) : 0;
    for (let o = 0; o < M; o++) {
      const src = at(dy, (n * M + o) * L + 2 * th * OW + 2 * tw), q = at(yy, o * TC + t - t0);
      let k = 0;
      for (; k + 4 <= whole; k += 4) {
        const p = src + (<usize>k << 3), a = v128.load(p), b = v128.load(p, 16), c = v128.load(p + ro), e = v128.load(p + ro, 16);
        const y0 = evens(a, b), y1 = odds(a, b), y2 = evens(c, e), y3 = odds(c, e), qk = q + (<usize>k << 2);
        dyRow4(qk, xs, y0, y1); dyRow4(qk + 4 * xs, xs, f32x4.add(y0, y2), f32x4.add(y1, y3));
        dyRow4(qk + 8 * xs, xs, f32x4.sub(y0, y2), f32x4.sub(y1, y3)); dyRow4(qk + 12 * xs, xs, f32x4.neg(y2), f32x4.neg(y3));
      }
      for (; k < run; k++) {
        const p = src + (<usize>k << 3), right = 2 * (tw + k) + 1 < OW, qk = q + (<usize>k << 2);
        const y0 = load<f32>(p), y1: f32 = right ? load<f32>(p, 4) : 0;
        const y2: f32 = two ? load<f32>(p + ro) : 0, y3: f32 = two && right ? load<f32>(p + ro, 4) : 0;
        dyRow1(qk, xs, y0, y1); dyRow1(qk + 4 * xs, xs, y0 + y2, y1 + y3);
        dyRow1(qk + 8 * xs, xs, y0 - y2, y1 - y3); dyRow1(qk + 12 * xs, xs, -y2, -y3);
      }
    }
    t += run;
  }
}

/**
 * The weight gradient's sums for slices [s0, s1) of the tiles: slice s takes chunks [s·K/S, (s+1)·K/S)
 * of TC tiles (K chunks in all) and sums them in turn into its own z (at W_U + s·16·M·C floats), from
 * zero; the slices depend on the layer only, so any number of threads, each taking whole slices, gives
 * the same sums. W_SRC: the channels-last input padded to whole tiles, W_Y: the output gradient; v
 * (16·(TC·C + 16) floats) and yy (16·(M·TC + 16)) are the calling thread's own.
 */
export function winogradWeightGradRange(d: usize, s0: i32, s1: i32, v: usize, yy: usize): void {
  const xt = g(d, W_SRC), C = g(d, W_C), parts = g(d, W_U), dy = g(d, W_Y), M = g(d, W_M), OH = g(d, W_OH), OW = g(d, W_OW);
  const TC = g(d, W_TC), S = g(d, W_S), TH = (OH + 1) / 2, TW = (OW + 1) / 2, T = g(d, W_N) * TH * TW, K = (T + TC - 1) / TC, MC = M * C;
  for (let sl = s0; sl < s1; sl++) {
    const z = at(parts, sl * 16 * MC);
    zeros(z, 0, 16 * MC);
    for (let k = sl * K / S, k1 = (sl + 1) * K / S; k < k1; k++) {
      const t0 = k * TC, t1 = min(T, t0 + TC);
      winogradInputChannelsLast(xt, C, 2 * TH + 2, 2 * TW + 2, TH, TW, t0, t1, v, TC);
      winogradOutputGrad(dy, M, OH, OW, TH, TW, t0, t1, yy, TC);
      for (let xi = 0; xi < 16; xi++) {
        matmulNN(M, C, t1 - t0, at(yy, xi * wgStride(M, TC)), TC, at(v, xi * wgStride(TC, C)), C, at(z, xi * MC), C, 1);
      }
    }
  }
}

/** dw[m][c] (3×3) += Gᵀ·z·G of z[16][M][C]: rows (z₀ + (z₁ + z₂)/2, (z₁ − z₂)/2, (z₁ + z₂)/2 + z₃), then along them. */
export function winogradWeightGradFinish(z: usize, M: i32, C: i32, dw: usize): void {
  const MC = M * C;
  for (let o = 0; o < MC; o++) {
    const q = at(dw, o * 9), p = at(z, o), s = <usize>MC << 2;
    // Gᵀ·z down each column j: rows a (top), b (middle), e (bottom).
    const h0 = zHalf(p, s, 0), h1 = zHalf(p, s, 1), h2 = zHalf(p, s, 2), h3 = zHalf(p, s, 3);
    const a0 = zAt(p, s, 0) + h0, a1 = zAt(p, s, 1) + h1, a2 = zAt(p, s, 2) + h2, a3 = zAt(p, s, 3) + h3;
    const b0 = zDiff(p, s, 0), b1 = zDiff(p, s, 1), b2 = zDiff(p, s, 2), b3 = zDiff(p, s, 3);
    const e0 = h0 + zAt(p, s, 12), e1 = h1 + zAt(p, s, 13), e2 = h2 + zAt(p, s, 14), e3 = h3 + zAt(p, s, 15);
    finishRow(q, a0, a1, a2, a3); finishRow(at(q, 3), b0, b1, b2, b3); finishRow(at(q, 6), e0, e1, e2, e3);
  }
}
@inline function zAt(p: usize, s: usize, xi: i32): f32 { return load<f32>(p + xi * s); }
@inline function zHalf(p: usize, s: usize, j: i32): f32 { return (zAt(p, s, 4 + j) + zAt(p, s, 8 + j)) * 0.5; }
@inline function zDiff(p: usize, s: usize, j: i32): f32 { return (zAt(p, s, 4 + j) - zAt(p, s, 8 + j)) * 0.5; }
/** q[0…2] += (a + (b + c)/2, (b − c)/2, (b + c)/2 + e): a row of Gᵀ·z through G. */
@inline function finishRow(q: usize, a: f32, b: f32, c: f32, e: f32): void {
  const h = (b + c) * 0.5;
  store<f32>(q, load<f32>(q) + (a + h)); store<f32>(q, load<f32>(q, 4) + (b - c) * 0.5, 4); store<f32>(q, load<f32>(q, 8) + (h + e), 8);
}

// Winograd F(4×4, 3×3) (Lavin and Gray, 2015; points 0, ±1, ±2, ∞) for the forward and the input gradient
// of layers with enough channels: each 4×4 block of outputs is Aᵀ·[Σ_c (G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A over the 6×6
// input block d it reads, 36 products per tile and channel pair where F(2×2, 3×3) takes 64 and the direct
// kernel 144. The same chunks of tiles numbered in a row as F(2×2, 3×3)'s, 4 outputs a side per tile; its
// rounding is larger (the transforms' entries reach 8), within the goldens' c·u·Σ|x||w| (layers.test.ts).

/**
 * G·(a, b, e) for G's rows (¼, 0, 0), −⅙(1, 1, 1), −⅙(1, −1, 1), (1/24, 1/12, ⅙), (1/24, −1/12, ⅙), (0, 0, 1),
 * in f64 for two kernels at once (a lane each), element k at q + k·s: as f64x2, or (`narrow`) rounded to f32,
 * lane 0 at q + k·s and lane 1 o1 bytes on. a/24 = (a/6)·¼ and b/12 = (b/6)·½ exactly (scaling by a power of
 * two rounds alike), so rows 3 and 4 share three quotients: 5 divisions per column where a division per row
 * and term took 8, with the same bits.
 */
@inline function g6(a: v128, b: v128, e: v128, q: usize, s: usize, narrow: bool, o1: usize): void {
  const six = f64x2.splat(6), a6 = f64x2.div(a, six), b6 = f64x2.div(b, six), e6 = f64x2.div(e, six);
  const a24 = f64x2.mul(a6, f64x2.splat(0.25)), b12 = f64x2.mul(b6, f64x2.splat(0.5));
  g6put(q, f64x2.mul(a, f64x2.splat(0.25)), narrow, o1);
  g6put(q + s, f64x2.div(f64x2.neg(f64x2.add(f64x2.add(a, b), e)), six), narrow, o1);
  g6put(q + 2 * s, f64x2.div(f64x2.neg(f64x2.add(f64x2.sub(a, b), e)), six), narrow, o1);
  g6put(q + 3 * s, f64x2.add(f64x2.add(a24, b12), e6), narrow, o1);
  g6put(q + 4 * s, f64x2.add(f64x2.sub(a24, b12), e6), narrow, o1);
  g6put(q + 5 * s, e, narrow, o1);
}
@inline function g6put(p: usize, v: v128, narrow: bool, o1: usize): void {
  if (!narrow) { v128.store(p, v); return; }
  const f = f32x4.demote_f64x2_zero(v);
  store<f32>(p, f32x4.extract_lane(f, 0)); store<f32>(p + o1, f32x4.extract_lane(f, 1));
}

/** Tap i of kernels p and p1 (turned by 180° with `adjoint`) as f64 lanes. */
@inline function taps2(p: usize, p1: usize, i: i32, adjoint: i32): v128 {
  return f64x2.replace_lane(f64x2.splat(<f64>gTap(p, i, adjoint)), 1, <f64>gTap(p1, i, adjoint));
}

/**
 * u[36][M][C] = G·g·Gᵀ (in f64, rounded once) of the kernels w[m][c] for m in [m0, m1); with `adjoint`, u[36][C][M]
 * of w turned by 180°. Threads take ranges of m: each kernel's transform is its own, so the bits are the same.
 * u's rows are runs of 16 kernels along its contiguous index (c, or m for the adjoint), two at a time (the last
 * twice in an odd run, its second lane then stored over its first): G·g goes through the calling thread's 18
 * f64x2 at h (row i, column j at h + 48·i + 16·j), each row of it through G into the run's 36 × 16 floats after
 * them, which go out a row at a time. Stored straight into u, a kernel's 36 values fall 4·M·C bytes apart, in one
 * cache set from 32 channels, and the stores took 3–4 times the arithmetic.
 */
export function winograd4Weights(w: usize, M: i32, C: i32, adjoint: i32, u: usize, m0: i32, m1: i32, h: usize): void {
  const MC = M * C, run = h + 288;
  const a0 = adjoint ? 0 : m0, a1 = adjoint ? C : m1, b0 = adjoint ? m0 : 0, b1 = adjoint ? m1 : C;
  // kernel (a, b) is w[a][b], or w[b][a] for the adjoint; the next one along b is 9 or 9·C floats on
  const next = adjoint ? 9 * C : 9, B = adjoint ? M : C;
  for (let a = a0; a < a1; a++) for (let r0 = b0; r0 < b1; r0 += 16) {
    const r1 = min(b1, r0 + 16);
    for (let b = r0; b < r1; b += 2) {
      const two = b + 1 < r1, p = at(w, 9 * (adjoint ? b * C + a : a * C + b)), p1 = two ? at(p, next) : p;
      for (let j = 0; j < 3; j++) {
        const t0 = taps2(p, p1, j, adjoint), t3 = taps2(p, p1, 3 + j, adjoint), t6 = taps2(p, p1, 6 + j, adjoint);
        g6(t0, t3, t6, h + 16 * j, 48, false, 0);
      }
      for (let i = 0; i < 6; i++) {
        const q = h + 48 * i;
        g6(v128.load(q), v128.load(q, 16), v128.load(q, 32), at(run, 96 * i + b - r0), 64, true, two ? 4 : 0);
      }
    }
    for (let k = 0; k < 36; k++) copy(at(run, 16 * k), at(u, k * MC + a * B + r0), r1 - r0);
  }
}

/** dst[0, n) = src[0, n) (floats; disjoint). */
@inline function copy(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}

/**
 * Bᵀ along six values (vectors of four tiles), stored at q + ξ·xs for ξ = 0 … 5 (xs in bytes):
 * (4d₀ − 5d₂ + d₄, (d₄ − 4d₂) ± (d₃ − 4d₁), (d₄ − d₂) ± 2(d₃ − d₁), 4d₁ − 5d₃ + d₅).
 */
@inline function bt6(q: usize, xs: usize, d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const s1 = f32x4.sub(d4, f32x4.mul(four, d2)), s2 = f32x4.sub(d3, f32x4.mul(four, d1));
  const s3 = f32x4.sub(d4, d2), s4 = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(q, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  v128.store(q + xs, f32x4.add(s1, s2)); v128.store(q + 2 * xs, f32x4.sub(s1, s2));
  v128.store(q + 3 * xs, f32x4.add(s3, s4)); v128.store(q + 4 * xs, f32x4.sub(s3, s4));
  v128.store(q + 5 * xs, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}
/** bt6 on single values (a tile alone at the end of a row). */
@inline function bt6s(q: usize, xs: usize, d0: f32, d1: f32, d2: f32, d3: f32, d4: f32, d5: f32): void {
  const s1 = d4 - 4 * d2, s2 = d3 - 4 * d1, s3 = d4 - d2, s4 = (d3 - d1) * 2;
  store<f32>(q, 4 * d0 - 5 * d2 + d4); store<f32>(q + xs, s1 + s2); store<f32>(q + 2 * xs, s1 - s2);
  store<f32>(q + 3 * xs, s3 + s4); store<f32>(q + 4 * xs, s3 - s4); store<f32>(q + 5 * xs, d1 * 4 - d3 * 5 + d5);
}

/** Byte offset of tile t's first value (its top left input or output) in planes of `plane` values, `rs` bytes a row, C a sample. */
@inline function tileAt(t: i32, per: i32, TW: i32, C: i32, plane: i32, rs: usize): usize {
  const n = t / per, r = t % per;
  return (<usize>(n * C * plane) << 2) + <usize>(r / TW) * 4 * rs + (<usize>(r % TW) << 4);
}

/** Four rows of four values (one per tile) turned into four vectors of one column each: a 4×4 transpose. */
@inline function lo2(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
@inline function hi2(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }
@inline function lo4(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 1, 4, 5); }
@inline function hi4(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 3, 6, 7); }

/**
 * v[36][C][TC] (column t − t0) = Bᵀ·d·B of tiles [t0, t1) of the padded planes src[·][C][Hs × Ws]
 * (tile t = (n, th, tw), TH × TW per plane, reading rows 4th … 4th + 5 and columns 4tw … 4tw + 5): along
 * the rows into v, then down the columns in place, four tiles in a row of t at a time wherever they lie (an
 * 8×8 image has two tiles a row), the last ones alone.
 */
function winograd4Input(src: usize, C: i32, Hs: i32, Ws: i32, TH: i32, TW: i32, t0: i32, t1: i32, v: usize, TC: i32): void {
  const per = TH * TW, plane = Hs * Ws, xs = <usize>wgStride(C, TC) << 2, rs = <usize>Ws << 2, cs = <usize>plane << 2, s = 6 * xs;
  let t = t0;
  for (; t + 4 <= t1; t += 4) {
    let b0 = src + tileAt(t, per, TW, C, plane, rs), b1 = src + tileAt(t + 1, per, TW, C, plane, rs);
    let b2 = src + tileAt(t + 2, per, TW, C, plane, rs), b3 = src + tileAt(t + 3, per, TW, C, plane, rs);
    let q = at(v, t - t0);
    for (let c = 0; c < C; c++, b0 += cs, b1 += cs, b2 += cs, b3 += cs, q += <usize>TC << 2) {
      for (let i = 0; i < 6; i++) {
        const o = i * rs;
        const a0 = v128.load(b0 + o), a1 = v128.load(b1 + o), a2 = v128.load(b2 + o), a3 = v128.load(b3 + o);
        const e0 = v128.load64_zero(b0 + o, 16), e1 = v128.load64_zero(b1 + o, 16);
        const e2 = v128.load64_zero(b2 + o, 16), e3 = v128.load64_zero(b3 + o, 16);
        const l0 = lo2(a0, a1), l1 = lo2(a2, a3), h0 = hi2(a0, a1), h1 = hi2(a2, a3), f0 = lo2(e0, e1), f1 = lo2(e2, e3);
        bt6(q + 6 * i * xs, xs, lo4(l0, l1), hi4(l0, l1), lo4(h0, h1), hi4(h0, h1), lo4(f0, f1), hi4(f0, f1));
      }
      for (let j = 0; j < 6; j++) {
        const qj = q + j * xs;
        bt6(qj, s, v128.load(qj), v128.load(qj + s), v128.load(qj + 2 * s), v128.load(qj + 3 * s), v128.load(qj + 4 * s), v128.load(qj + 5 * s));
      }
    }
  }
  for (; t < t1; t++) {
    let p = src + tileAt(t, per, TW, C, plane, rs), q = at(v, t - t0);
    for (let c = 0; c < C; c++, p += cs, q += <usize>TC << 2) {
      for (let i = 0; i < 6; i++) {
        const pi = p + i * rs;
        bt6s(q + 6 * i * xs, xs, load<f32>(pi), load<f32>(pi, 4), load<f32>(pi, 8), load<f32>(pi, 12), load<f32>(pi, 16), load<f32>(pi, 20));
      }
      for (let j = 0; j < 6; j++) {
        const qj = q + j * xs;
        bt6s(qj, s, load<f32>(qj), load<f32>(qj + s), load<f32>(qj + 2 * s), load<f32>(qj + 3 * s), load<f32>(qj + 4 * s), load<f32>(qj + 5 * s));
      }
    }
  }
}

/**
 * y[·][M][OH × OW] = Aᵀ·m·A of tiles [t0, t1) from mm[36][M][TC]: Aᵀ down each column of a tile's 6×6 in place
 * (rows m₀ + a + c, b + 2d, a + 4c, b + 8d + m₅ with a, b = m₁ ± m₂ and c, d = m₃ ± m₄), then along each of
 * its four rows; four tiles in a row of t at a time where all four lie inside the image, else one at a time,
 * its 4×4 outputs cut at the image's edge.
 */
function winograd4Output(mm: usize, M: i32, TC: i32, TH: i32, TW: i32, t0: i32, t1: i32, OH: i32, OW: i32, y: usize): void {
  const per = TH * TW, L = OH * OW, xs = <usize>wgStride(M, TC) << 2, ro = <usize>OW << 2, ls = <usize>L << 2, s = 6 * xs;
  // Tiles whose 4×4 outputs all lie inside the image: rows and columns of whole tiles.
  const WH = OH / 4, WW = OW / 4;
  for (let t = t0; t < t1;) {
    if (t + 4 <= t1 && wholeTile(t, per, TW, WH, WW) && wholeTile(t + 1, per, TW, WH, WW) && wholeTile(t + 2, per, TW, WH, WW)
      && wholeTile(t + 3, per, TW, WH, WW)) {
      let w0 = y + outAt(t, per, TW, M, L, ro), w1 = y + outAt(t + 1, per, TW, M, L, ro);
      let w2 = y + outAt(t + 2, per, TW, M, L, ro), w3 = y + outAt(t + 3, per, TW, M, L, ro);
      let p = at(mm, t - t0);
      for (let o = 0; o < M; o++, w0 += ls, w1 += ls, w2 += ls, w3 += ls, p += <usize>TC << 2) {
        for (let j = 0; j < 6; j++) {
          const pj = p + j * xs;
          at4(pj, s, v128.load(pj), v128.load(pj + s), v128.load(pj + 2 * s), v128.load(pj + 3 * s), v128.load(pj + 4 * s), v128.load(pj + 5 * s));
        }
        for (let i = 0; i < 4; i++) {
          const pi = p + i * s;
          const m0 = v128.load(pi), m1 = v128.load(pi + xs), m2 = v128.load(pi + 2 * xs);
          const m3 = v128.load(pi + 3 * xs), m4 = v128.load(pi + 4 * xs), m5 = v128.load(pi + 5 * xs);
          const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), d = f32x4.sub(m3, m4);
          const y0 = f32x4.add(f32x4.add(m0, a), c), y1 = f32x4.add(b, f32x4.mul(f32x4.splat(2), d));
          const y2 = f32x4.add(a, f32x4.mul(f32x4.splat(4), c)), y3 = f32x4.add(f32x4.add(b, f32x4.mul(f32x4.splat(8), d)), m5);
          // y0 … y3 hold columns 0 … 3 of row i of the four tiles: transposed, each tile's row of four.
          const l0 = lo2(y0, y1), l1 = lo2(y2, y3), h0 = hi2(y0, y1), h1 = hi2(y2, y3), r = i * ro;
          v128.store(w0 + r, lo4(l0, l1)); v128.store(w1 + r, hi4(l0, l1)); v128.store(w2 + r, lo4(h0, h1)); v128.store(w3 + r, hi4(h0, h1));
        }
      }
      t += 4;
      continue;
    }
    const n = t / per, r = t % per, th = r / TW, tw = r % TW, rows = min(4, OH - 4 * th), cols = min(4, OW - 4 * tw);
    let p = at(mm, t - t0), w = at(y, n * M * L + 4 * th * OW + 4 * tw);
    for (let o = 0; o < M; o++, w += ls, p += <usize>TC << 2) {
      for (let j = 0; j < 6; j++) {
        const pj = p + j * xs;
        at4s(pj, s, load<f32>(pj), load<f32>(pj + s), load<f32>(pj + 2 * s), load<f32>(pj + 3 * s), load<f32>(pj + 4 * s), load<f32>(pj + 5 * s));
      }
      for (let i = 0; i < rows; i++) {
        const pi = p + i * s;
        const m0 = load<f32>(pi), m1 = load<f32>(pi + xs), m2 = load<f32>(pi + 2 * xs);
        const m3 = load<f32>(pi + 3 * xs), m4 = load<f32>(pi + 4 * xs), m5 = load<f32>(pi + 5 * xs);
        const a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4, wi = w + i * ro;
        store<f32>(wi, m0 + a + c);
        if (cols > 1) store<f32>(wi, b + 2 * d, 4);
        if (cols > 2) store<f32>(wi, a + 4 * c, 8);
        if (cols > 3) store<f32>(wi, b + 8 * d + m5, 12);
      }
    }
    t++;
  }
}
@inline function wholeTile(t: i32, per: i32, TW: i32, WH: i32, WW: i32): bool {
  const r = t % per;
  return r / TW < WH && r % TW < WW;
}
@inline function outAt(t: i32, per: i32, TW: i32, M: i32, L: i32, ro: usize): usize {
  const n = t / per, r = t % per;
  return (<usize>(n * M * L) << 2) + <usize>(r / TW) * 4 * ro + (<usize>(r % TW) << 4);
}
/** Aᵀ down six values at q + i·s (vectors of four tiles), the four results over the first four. */
@inline function at4(q: usize, s: usize, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): void {
  const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), d = f32x4.sub(m3, m4);
  v128.store(q, f32x4.add(f32x4.add(m0, a), c)); v128.store(q + s, f32x4.add(b, f32x4.mul(f32x4.splat(2), d)));
  v128.store(q + 2 * s, f32x4.add(a, f32x4.mul(f32x4.splat(4), c))); v128.store(q + 3 * s, f32x4.add(f32x4.add(b, f32x4.mul(f32x4.splat(8), d)), m5));
}
@inline function at4s(q: usize, s: usize, m0: f32, m1: f32, m2: f32, m3: f32, m4: f32, m5: f32): void {
  const a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4;
  store<f32>(q, m0 + a + c); store<f32>(q + s, b + 2 * d); store<f32>(q + 2 * s, a + 4 * c); store<f32>(q + 3 * s, b + 8 * d + m5);
}

/**
 * y = the convolution of the padded planes src[N][C][Hs × Ws] (Hs = 4·TH + 2, Ws = 4·TW + 2) with the
 * transformed kernels u[36][M][C] (winograd4Weights), for chunks [k0, k1) of TC tiles, in the calling
 * thread's own v (36·(C·TC + 16) floats) and mm (36·(M·TC + 16) floats).
 */
export function winograd4Range(d: usize, k0: i32, k1: i32, v: usize, mm: usize): void {
  const C = g(d, W_C), u = g(d, W_U), M = g(d, W_M), OH = g(d, W_OH), OW = g(d, W_OW), TC = g(d, W_TC);
  const TH = (OH + 3) / 4, TW = (OW + 3) / 4, T = g(d, W_N) * TH * TW;
  for (let k = k0; k < k1; k++) {
    const t0 = k * TC, t1 = min(T, t0 + TC);
    winograd4Input(g(d, W_SRC), C, 4 * TH + 2, 4 * TW + 2, TH, TW, t0, t1, v, TC);
    for (let xi = 0; xi < 36; xi++) {
      matmulNN(M, t1 - t0, C, at(u, xi * M * C), C, at(v, xi * wgStride(C, TC)), TC, at(mm, xi * wgStride(M, TC)), TC, 0);
    }
    winograd4Output(mm, M, TC, TH, TW, t0, t1, OH, OW, g(d, W_Y));
  }
}

// Winograd F(4, 3) along one dimension (points 0, ±1, ±2, ∞; bt6, at4 and g6 above) for 1-D convolutions with
// stride and dilation 1, one group and taps a multiple of 3 (a Conv1d's 3 or 9): the taps go in G groups of three,
// and 4 outputs of a tile (t = (n, r), TL per sample) are Aᵀ·[Σ_{g,c} (G·w[m][c][3g … 3g + 2]) ⊙ (Bᵀ·d_{g,c})]
// over the 6 inputs d_{g,c} = x[c][4r + 3g …] of the zero-padded rows: 6 products of M × (G·C) × tiles per chunk,
// 18 multiplies per 4 outputs and group where the direct kernel takes 36. The same chunks of tiles as the 2-D
// kernels (a size fixed by the layer, so any number of threads gives the same bits). Descriptor: the W_* fields,
// OH the groups of taps, OW the output length (and W_S the weight gradient's slices). The weight gradient goes
// through the same transform: ∂L/∂w[m][c][3g …] = Gᵀ·Σ_t (A·dy_t) ⊙ (Bᵀ·d_{t,g,c}), from a channels-last copy.

/** Tap i of kernel p of T taps, turned (T − 1 − i) with `adjoint`, as f64. */
@inline function tap1d(p: usize, i: i32, T: i32, adjoint: i32): f64 { return <f64>load<f32>(at(p, adjoint ? T - 1 - i : i)); }

/**
 * u[6][A][G·B] = G·(three taps) in f64, rounded once, of the kernels w[M][C][T] for rows a in [a0, a1) (A = M, B = C);
 * with `adjoint`, of w turned and transposed (A = C, B = M: u[ξ][c][g·M + m] from w[m][c][T − 1 − 3g − j]). Two
 * kernels along b at a time in f64x2 lanes (the last alone twice in an odd run, its second lane stored over its
 * first); u's rows are written along their contiguous index.
 */
export function winograd1dWeights(w: usize, M: i32, C: i32, T: i32, adjoint: i32, u: usize, a0: i32, a1: i32): void {
  const G = T / 3, A = adjoint ? C : M, B = adjoint ? M : C, R = G * B, s = <usize>(A * R) << 2, next = adjoint ? C * T : T;
  for (let a = a0; a < a1; a++) for (let gi = 0; gi < G; gi++) for (let b = 0; b < B; b += 2) {
    const two = b + 1 < B, p = at(w, T * (adjoint ? b * C + a : a * C + b)), p1 = two ? at(p, next) : p;
    const t0 = f64x2.replace_lane(f64x2.splat(tap1d(p, 3 * gi, T, adjoint)), 1, tap1d(p1, 3 * gi, T, adjoint));
    const t1 = f64x2.replace_lane(f64x2.splat(tap1d(p, 3 * gi + 1, T, adjoint)), 1, tap1d(p1, 3 * gi + 1, T, adjoint));
    const t2 = f64x2.replace_lane(f64x2.splat(tap1d(p, 3 * gi + 2, T, adjoint)), 1, tap1d(p1, 3 * gi + 2, T, adjoint));
    g6(t0, t1, t2, at(u, a * R + gi * B + b), s, true, two ? 4 : 0);
  }
}

/** Byte offset of 1-D tile t's first input (rows of Ls values, C a sample) or output (rows of OL, M a sample). */
@inline function tile1d(t: i32, TL: i32, C: i32, Ls: i32): usize {
  return (<usize>((t / TL) * C * Ls) << 2) + (<usize>(t % TL) << 4);
}

/**
 * v[6][G·C][TC] (column t − t0) = Bᵀ·d of tiles [t0, t1) for each group g and channel c (row g·C + c), d the six
 * values from 4r + 3g of row c of the padded src[·][C][Ls]: four tiles at a time wherever they lie (their rows of
 * six turned into vectors of one position each, as winograd4Input does), the last ones alone.
 */
function winograd1dInput(src: usize, C: i32, G: i32, Ls: i32, TL: i32, t0: i32, t1: i32, v: usize, TC: i32): void {
  const xs = <usize>wgStride(G * C, TC) << 2, cs = <usize>Ls << 2, row = <usize>TC << 2;
  let t = t0;
  for (; t + 4 <= t1; t += 4) {
    const s0 = src + tile1d(t, TL, C, Ls), s1 = src + tile1d(t + 1, TL, C, Ls);
    const s2 = src + tile1d(t + 2, TL, C, Ls), s3 = src + tile1d(t + 3, TL, C, Ls);
    let q = at(v, t - t0);
    for (let gi = 0; gi < G; gi++) {
      const go = <usize>(12 * gi);
      let b0 = s0 + go, b1 = s1 + go, b2 = s2 + go, b3 = s3 + go;
      for (let c = 0; c < C; c++, b0 += cs, b1 += cs, b2 += cs, b3 += cs, q += row) {
        const a0 = v128.load(b0), a1 = v128.load(b1), a2 = v128.load(b2), a3 = v128.load(b3);
        const e0 = v128.load64_zero(b0, 16), e1 = v128.load64_zero(b1, 16);
        const e2 = v128.load64_zero(b2, 16), e3 = v128.load64_zero(b3, 16);
        const l0 = lo2(a0, a1), l1 = lo2(a2, a3), h0 = hi2(a0, a1), h1 = hi2(a2, a3), f0 = lo2(e0, e1), f1 = lo2(e2, e3);
        bt6(q, xs, lo4(l0, l1), hi4(l0, l1), lo4(h0, h1), hi4(h0, h1), lo4(f0, f1), hi4(f0, f1));
      }
    }
  }
  for (; t < t1; t++) {
    const s = src + tile1d(t, TL, C, Ls);
    let q = at(v, t - t0);
    for (let gi = 0; gi < G; gi++) {
      let p = s + <usize>(12 * gi);
      for (let c = 0; c < C; c++, p += cs, q += row) {
        bt6s(q, xs, load<f32>(p), load<f32>(p, 4), load<f32>(p, 8), load<f32>(p, 12), load<f32>(p, 16), load<f32>(p, 20));
      }
    }
  }
}

/**
 * y[·][M][OL] = Aᵀ·m of tiles [t0, t1) from mm[6][M][TC]: four tiles at a time where all four lie inside the
 * output (their four results turned into each tile's four outputs), else one at a time, cut at OL.
 */
function winograd1dOutput(mm: usize, M: i32, TC: i32, TL: i32, t0: i32, t1: i32, OL: i32, y: usize): void {
  const xs = <usize>wgStride(M, TC) << 2, ls = <usize>OL << 2, row = <usize>TC << 2, whole = OL / 4;
  for (let t = t0; t < t1;) {
    if (t + 4 <= t1 && t % TL < whole && (t + 1) % TL < whole && (t + 2) % TL < whole && (t + 3) % TL < whole) {
      let w0 = y + tile1d(t, TL, M, OL), w1 = y + tile1d(t + 1, TL, M, OL);
      let w2 = y + tile1d(t + 2, TL, M, OL), w3 = y + tile1d(t + 3, TL, M, OL);
      let p = at(mm, t - t0);
      for (let o = 0; o < M; o++, w0 += ls, w1 += ls, w2 += ls, w3 += ls, p += row) {
        const m0 = v128.load(p), m1 = v128.load(p + xs), m2 = v128.load(p + 2 * xs);
        const m3 = v128.load(p + 3 * xs), m4 = v128.load(p + 4 * xs), m5 = v128.load(p + 5 * xs);
        const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), d = f32x4.sub(m3, m4);
        const y0 = f32x4.add(f32x4.add(m0, a), c), y1 = f32x4.add(b, f32x4.mul(f32x4.splat(2), d));
        const y2 = f32x4.add(a, f32x4.mul(f32x4.splat(4), c)), y3 = f32x4.add(f32x4.add(b, f32x4.mul(f32x4.splat(8), d)), m5);
        const l0 = lo2(y0, y1), l1 = lo2(y2, y3), h0 = hi2(y0, y1), h1 = hi2(y2, y3);
        v128.store(w0, lo4(l0, l1)); v128.store(w1, hi4(l0, l1)); v128.store(w2, lo4(h0, h1)); v128.store(w3, hi4(h0, h1));
      }
      t += 4;
      continue;
    }
    const cols = min(4, OL - 4 * (t % TL));
    let p = at(mm, t - t0), w = y + tile1d(t, TL, M, OL);
    for (let o = 0; o < M; o++, w += ls, p += row) {
      const m0 = load<f32>(p), m1 = load<f32>(p + xs), m2 = load<f32>(p + 2 * xs);
      const m3 = load<f32>(p + 3 * xs), m4 = load<f32>(p + 4 * xs), m5 = load<f32>(p + 5 * xs);
      const a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4;
      store<f32>(w, m0 + a + c);
      if (cols > 1) store<f32>(w, b + 2 * d, 4);
      if (cols > 2) store<f32>(w, a + 4 * c, 8);
      if (cols > 3) store<f32>(w, b + 8 * d + m5, 12);
    }
    t++;
  }
}

/**
 * y[N][M][OL] = the 1-D convolution of the padded rows src[N][C][Ls] (Ls = 4·TL + 3·G − 1) with the transformed
 * kernels u[6][M][G·C] (winograd1dWeights), for chunks [k0, k1) of TC tiles, in the calling thread's own v
 * (6·(G·C·TC + 16) floats) and mm (6·(M·TC + 16) floats).
 */
export function winograd1dRange(d: usize, k0: i32, k1: i32, v: usize, mm: usize): void {
  const C = g(d, W_C), u = g(d, W_U), M = g(d, W_M), OL = g(d, W_OW), TC = g(d, W_TC), G = g(d, W_OH), R = G * C;
  const TL = (OL + 3) / 4, T = g(d, W_N) * TL;
  for (let k = k0; k < k1; k++) {
    const t0 = k * TC, t1 = min(T, t0 + TC);
    winograd1dInput(g(d, W_SRC), C, G, 4 * TL + 3 * G - 1, TL, t0, t1, v, TC);
    for (let xi = 0; xi < 6; xi++) {
      matmulNN(M, t1 - t0, R, at(u, xi * M * R), R, at(v, xi * wgStride(R, TC)), TC, at(mm, xi * wgStride(M, TC)), TC, 0);
    }
    winograd1dOutput(mm, M, TC, TL, t0, t1, OL, g(d, W_Y));
  }
}

/**
 * v[6][TC][G·C] (row t − t0) = Bᵀ·d of tiles [t0, t1) for each group g and channel c (column g·C + c), d the six
 * positions from 4r + 3g of the channels-last padded src[·][Ls][C] (C a multiple of 4): vectors of four channels.
 */
function winograd1dInputChannelsLast(src: usize, C: i32, G: i32, Ls: i32, TL: i32, t0: i32, t1: i32, v: usize, TC: i32): void {
  const R = G * C, xs = <usize>wgStride(TC, R) << 2, ps = <usize>C << 2;
  for (let t = t0; t < t1; t++) {
    const base = src + (<usize>(((t / TL) * Ls + 4 * (t % TL)) * C) << 2);
    let q = at(v, (t - t0) * R);
    for (let gi = 0; gi < G; gi++) {
      let p = base + <usize>(3 * gi) * ps;
      for (let c = 0; c < C; c += 4, p += 16, q += 16) {
        bt6(q, xs, v128.load(p), v128.load(p + ps), v128.load(p + 2 * ps), v128.load(p + 3 * ps), v128.load(p + 4 * ps), v128.load(p + 5 * ps));
      }
    }
  }
}

/** A (the transpose of at4's Aᵀ) on four values: (d₀, d₀ + d₁ + d₂ + d₃, d₀ − d₁ + d₂ − d₃, (d₀ + 4d₂) ± (2d₁ + 8d₃), d₃), at q + ξ·xs. */
@inline function a6(q: usize, xs: usize, d0: v128, d1: v128, d2: v128, d3: v128): void {
  const e = f32x4.add(d0, d2), o = f32x4.add(d1, d3);
  const e4 = f32x4.add(d0, f32x4.mul(f32x4.splat(4), d2)), o2 = f32x4.add(f32x4.mul(f32x4.splat(2), d1), f32x4.mul(f32x4.splat(8), d3));
  v128.store(q, d0); v128.store(q + xs, f32x4.add(e, o)); v128.store(q + 2 * xs, f32x4.sub(e, o));
  v128.store(q + 3 * xs, f32x4.add(e4, o2)); v128.store(q + 4 * xs, f32x4.sub(e4, o2)); v128.store(q + 5 * xs, d3);
}

/**
 * yy[6][M][TC] (column t − t0) = A·dy of tiles [t0, t1), dy[·][M][OL] (zeros past OL): four tiles at a time where
 * all four lie inside (their outputs turned into vectors of one position each), else one at a time.
 */
function winograd1dOutputGrad(dy: usize, M: i32, OL: i32, TL: i32, t0: i32, t1: i32, yy: usize, TC: i32): void {
  const xs = <usize>wgStride(M, TC) << 2, ls = <usize>OL << 2, row = <usize>TC << 2, whole = OL / 4;
  for (let t = t0; t < t1;) {
    if (t + 4 <= t1 && t % TL < whole && (t + 1) % TL < whole && (t + 2) % TL < whole && (t + 3) % TL < whole) {
      let w0 = dy + tile1d(t, TL, M, OL), w1 = dy + tile1d(t + 1, TL, M, OL);
      let w2 = dy + tile1d(t + 2, TL, M, OL), w3 = dy + tile1d(t + 3, TL, M, OL);
      let q = at(yy, t - t0);
      for (let o = 0; o < M; o++, w0 += ls, w1 += ls, w2 += ls, w3 += ls, q += row) {
        const a0 = v128.load(w0), a1 = v128.load(w1), a2 = v128.load(w2), a3 = v128.load(w3);
        const l0 = lo2(a0, a1), l1 = lo2(a2, a3), h0 = hi2(a0, a1), h1 = hi2(a2, a3);
        a6(q, xs, lo4(l0, l1), hi4(l0, l1), lo4(h0, h1), hi4(h0, h1));
      }
      t += 4;
      continue;
    }
    const cols = min(4, OL - 4 * (t % TL));
    let w = dy + tile1d(t, TL, M, OL), q = at(yy, t - t0);
    for (let o = 0; o < M; o++, w += ls, q += row) {
      const d1 = cols > 1 ? load<f32>(w, 4) : 0, d2 = cols > 2 ? load<f32>(w, 8) : 0, d3 = cols > 3 ? load<f32>(w, 12) : 0;
      a6s(q, xs, load<f32>(w), d1, d2, d3);
    }
    t++;
  }
}
/** a6 on single values (a tile alone). */
@inline function a6s(q: usize, xs: usize, d0: f32, d1: f32, d2: f32, d3: f32): void {
  const e = d0 + d2, o = d1 + d3, e4 = d0 + d2 * 4, o2 = d1 * 2 + d3 * 8;
  store<f32>(q, d0); store<f32>(q + xs, e + o); store<f32>(q + 2 * xs, e - o);
  store<f32>(q + 3 * xs, e4 + o2); store<f32>(q + 4 * xs, e4 - o2); store<f32>(q + 5 * xs, d3);
}

/**
 * Slices [s0, s1) of the 1-D weight gradient: slice s sums its chunks of tiles (a fixed share of them, so any number
 * of threads gives the same sums) into z_s[6][M][G·C] = Σ_t (A·dy_t)[ξ] · (Bᵀ·d_t)[ξ] from zero, in the calling
 * thread's own v (6·(TC·G·C + 16) floats) and yy (6·(M·TC + 16)); src is the channels-last padded input.
 */
export function winograd1dWeightGradRange(d: usize, s0: i32, s1: i32, v: usize, yy: usize): void {
  const xt = g(d, W_SRC), C = g(d, W_C), parts = g(d, W_U), dy = g(d, W_Y), M = g(d, W_M), G = g(d, W_OH), OL = g(d, W_OW);
  const TC = g(d, W_TC), S = g(d, W_S), R = G * C, MR = M * R, TL = (OL + 3) / 4, T = g(d, W_N) * TL, K = (T + TC - 1) / TC;
  for (let sl = s0; sl < s1; sl++) {
    const z = at(parts, sl * 6 * MR);
    zeros(z, 0, 6 * MR);
    for (let k = sl * K / S, k1 = (sl + 1) * K / S; k < k1; k++) {
      const t0 = k * TC, t1 = min(T, t0 + TC);
      winograd1dInputChannelsLast(xt, C, G, 4 * TL + 3 * G - 1, TL, t0, t1, v, TC);
      winograd1dOutputGrad(dy, M, OL, TL, t0, t1, yy, TC);
      for (let xi = 0; xi < 6; xi++) {
        matmulNN(M, R, t1 - t0, at(yy, xi * wgStride(M, TC)), TC, at(v, xi * wgStride(TC, R)), R, at(z, xi * MR), R, 1);
      }
    }
  }
}

/**
 * dw[m][c][3g + j] += (Gᵀ·z)[j] of z[6][M][G·C] (dw[M][C][3G]), in f64 and rounded once per tap:
 * (z₀/4 − (z₁ + z₂)/6 + (z₃ + z₄)/24, (z₂ − z₁)/6 + (z₃ − z₄)/12, (z₃ + z₄ − z₁ − z₂)/6 + z₅).
 */
export function winograd1dWeightGradFinish(z: usize, M: i32, C: i32, G: i32, dw: usize): void {
  const R = G * C, s = <usize>(M * R) << 2;
  for (let m = 0; m < M; m++) for (let gi = 0; gi < G; gi++) for (let c = 0; c < C; c++) {
    const p = at(z, m * R + gi * C + c), q = at(dw, (m * C + c) * 3 * G + 3 * gi);
    const z0 = <f64>load<f32>(p), z1 = <f64>load<f32>(p + s), z2 = <f64>load<f32>(p + 2 * s);
    const z3 = <f64>load<f32>(p + 3 * s), z4 = <f64>load<f32>(p + 4 * s), z5 = <f64>load<f32>(p + 5 * s);
    const n = (z1 + z2) / 6;
    store<f32>(q, load<f32>(q) + <f32>(z0 / 4 - n + (z3 + z4) / 24));
    store<f32>(q, load<f32>(q, 4) + <f32>((z2 - z1) / 6 + (z3 - z4) / 12), 4);
    store<f32>(q, load<f32>(q, 8) + <f32>((z3 + z4) / 6 - n + z5), 8);
  }
}
