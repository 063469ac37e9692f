// Cache-blocked single-precision matrix multiply on row-major Float32Arrays, the work-horse behind
// convolution (img2col) and Linear. Three layouts cover every forward and backward product without
// materialising a transpose:
//   NN: C[M×N] (+)= A[M×K] · B[K×N]
//   NT: C[M×N] (+)= A[M×K] · B[N×K]ᵀ
//   TN: C[M×N] (+)= A[K×M]ᵀ · B[K×N]
// Each computes a 4×4 tile of C in local variables (the JIT keeps them in registers) while walking
// K, so the inner loop does 16 multiply-adds per 8 loads and no stores. Blocks of N and K keep the
// streamed panel of B in cache. Nothing is allocated. The three kernels look alike on purpose: the
// index arithmetic is spelled out in each so that the JIT sees plain loops (a shared helper taking
// strides or callbacks costs a third of the speed).

/** A matrix view: data, offset of element (0,0), row stride. */
export interface Mat {
  data: Float32Array;
  off: number;
  ld: number;
}

export const mat = (data: Float32Array, off = 0, ld = 0): Mat => ({ data, off, ld });

const NB = 512; // columns of C per block
const KB = 256; // depth per block

/** C[M×N] = (accumulate ? C : 0) + A[M×K] · B[K×N]. */
export function matmulNN(M: number, N: number, K: number, A: Mat, B: Mat, C: Mat, accumulate: boolean): void {
  const a = A.data, b = B.data, c = C.data;
  const lda = A.ld, ldb = B.ld, ldc = C.ld;
  if (!accumulate) zero(M, N, C);
  for (let j0 = 0; j0 < N; j0 += NB) {
    const j1 = Math.min(N, j0 + NB);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = Math.min(K, k0 + KB);
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const a0 = A.off + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        const r0 = C.off + i * ldc, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          let bp = B.off + k0 * ldb + j;
          for (let k = k0; k < k1; k++, bp += ldb) {
            const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
            c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
            c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
            c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
            c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
          }
          c[r0 + j] += c00; c[r0 + j + 1] += c01; c[r0 + j + 2] += c02; c[r0 + j + 3] += c03;
          c[r1 + j] += c10; c[r1 + j + 1] += c11; c[r1 + j + 2] += c12; c[r1 + j + 3] += c13;
          c[r2 + j] += c20; c[r2 + j + 1] += c21; c[r2 + j + 2] += c22; c[r2 + j + 3] += c23;
          c[r3 + j] += c30; c[r3 + j + 1] += c31; c[r3 + j + 2] += c32; c[r3 + j + 3] += c33;
        }
        for (; j < j1; j++) {
          let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
          let bp = B.off + k0 * ldb + j;
          for (let k = k0; k < k1; k++, bp += ldb) {
            const bv = b[bp];
            c0 += a[a0 + k] * bv; c1 += a[a1 + k] * bv; c2 += a[a2 + k] * bv; c3 += a[a3 + k] * bv;
          }
          c[r0 + j] += c0; c[r1 + j] += c1; c[r2 + j] += c2; c[r3 + j] += c3;
        }
      }
      for (; i < M; i++) {
        const ar = A.off + i * lda, r = C.off + i * ldc;
        for (let k = k0; k < k1; k++) {
          const x = a[ar + k];
          if (x === 0) continue;
          const bp = B.off + k * ldb;
          for (let j = j0; j < j1; j++) c[r + j] += x * b[bp + j];
        }
      }
    }
  }
}

/** C[M×N] = (accumulate ? C : 0) + A[M×K] · B[N×K]ᵀ (dot products of rows). */
export function matmulNT(M: number, N: number, K: number, A: Mat, B: Mat, C: Mat, accumulate: boolean): void {
  const a = A.data, b = B.data, c = C.data;
  const lda = A.ld, ldb = B.ld, ldc = C.ld;
  if (!accumulate) zero(M, N, C);
  for (let k0 = 0; k0 < K; k0 += KB) {
    const k1 = Math.min(K, k0 + KB);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const a0 = A.off + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
      const r0 = C.off + i * ldc, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const b0 = B.off + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let k = k0; k < k1; k++) {
          const y0 = b[b0 + k], y1 = b[b1 + k], y2 = b[b2 + k], y3 = b[b3 + k];
          const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        c[r0 + j] += c00; c[r0 + j + 1] += c01; c[r0 + j + 2] += c02; c[r0 + j + 3] += c03;
        c[r1 + j] += c10; c[r1 + j + 1] += c11; c[r1 + j + 2] += c12; c[r1 + j + 3] += c13;
        c[r2 + j] += c20; c[r2 + j + 1] += c21; c[r2 + j + 2] += c22; c[r2 + j + 3] += c23;
        c[r3 + j] += c30; c[r3 + j + 1] += c31; c[r3 + j + 2] += c32; c[r3 + j + 3] += c33;
      }
      for (; j < N; j++) {
        const bp = B.off + j * ldb;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let k = k0; k < k1; k++) {
          const y = b[bp + k];
          c0 += a[a0 + k] * y; c1 += a[a1 + k] * y; c2 += a[a2 + k] * y; c3 += a[a3 + k] * y;
        }
        c[r0 + j] += c0; c[r1 + j] += c1; c[r2 + j] += c2; c[r3 + j] += c3;
      }
    }
    for (; i < M; i++) {
      const ar = A.off + i * lda, r = C.off + i * ldc;
      for (let j = 0; j < N; j++) {
        const bp = B.off + j * ldb;
        let s = 0;
        for (let k = k0; k < k1; k++) s += a[ar + k] * b[bp + k];
        c[r + j] += s;
      }
    }
  }
}

/** C[M×N] = (accumulate ? C : 0) + A[K×M]ᵀ · B[K×N]. */
export function matmulTN(M: number, N: number, K: number, A: Mat, B: Mat, C: Mat, accumulate: boolean): void {
  const a = A.data, b = B.data, c = C.data;
  const lda = A.ld, ldb = B.ld, ldc = C.ld;
  if (!accumulate) zero(M, N, C);
  for (let j0 = 0; j0 < N; j0 += NB) {
    const j1 = Math.min(N, j0 + NB);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = Math.min(K, k0 + KB);
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const r0 = C.off + i * ldc, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          let bp = B.off + k0 * ldb + j;
          let ap = A.off + k0 * lda + i;
          for (let k = k0; k < k1; k++, bp += ldb, ap += lda) {
            const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            const x0 = a[ap], x1 = a[ap + 1], x2 = a[ap + 2], x3 = a[ap + 3];
            c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
            c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
            c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
            c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
          }
          c[r0 + j] += c00; c[r0 + j + 1] += c01; c[r0 + j + 2] += c02; c[r0 + j + 3] += c03;
          c[r1 + j] += c10; c[r1 + j + 1] += c11; c[r1 + j + 2] += c12; c[r1 + j + 3] += c13;
          c[r2 + j] += c20; c[r2 + j + 1] += c21; c[r2 + j + 2] += c22; c[r2 + j + 3] += c23;
          c[r3 + j] += c30; c[r3 + j + 1] += c31; c[r3 + j + 2] += c32; c[r3 + j + 3] += c33;
        }
        for (; j < j1; j++) {
          let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
          let bp = B.off + k0 * ldb + j;
          let ap = A.off + k0 * lda + i;
          for (let k = k0; k < k1; k++, bp += ldb, ap += lda) {
            const bv = b[bp];
            c0 += a[ap] * bv; c1 += a[ap + 1] * bv; c2 += a[ap + 2] * bv; c3 += a[ap + 3] * bv;
          }
          c[r0 + j] += c0; c[r1 + j] += c1; c[r2 + j] += c2; c[r3 + j] += c3;
        }
      }
      for (; i < M; i++) {
        const r = C.off + i * ldc;
        for (let k = k0; k < k1; k++) {
          const x = a[A.off + k * lda + i];
          if (x === 0) continue;
          const bp = B.off + k * ldb;
          for (let j = j0; j < j1; j++) c[r + j] += x * b[bp + j];
        }
      }
    }
  }
}

function zero(M: number, N: number, C: Mat): void {
  if (C.ld === N) { C.data.fill(0, C.off, C.off + M * N); return; }
  for (let i = 0; i < M; i++) C.data.fill(0, C.off + i * C.ld, C.off + i * C.ld + N);
}
