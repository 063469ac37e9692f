// A straightforward convolution, written independently of the step model, for the tests to compare
// against: pad with zeros, then y[f][i][j] = Σ_c Σ_a Σ_b w[f][c][a][b] · x[c][i·s + a·d][j·s + b·d].
// Planes are 2D; a 1D signal is one row.

export type Plane = number[][];

export function padPlane(x: Plane, [[t, b], [l, r]]: Array<[number, number]>): Plane {
  const w = x[0].length + l + r;
  const zeros = (): number[] => Array(w).fill(0);
  return [...Array.from({ length: t }, zeros), ...x.map((row) => [...Array(l).fill(0), ...row, ...Array(r).fill(0)]), ...Array.from({ length: b }, zeros)];
}

export function referenceConv(x: Plane[], w: Plane[][], stride: [number, number], pad: Array<[number, number]>, dil: [number, number]): Plane[] {
  const xp = x.map((p) => padPlane(p, pad));
  const [kh, kw] = [w[0][0].length, w[0][0][0].length];
  const oh = Math.floor((xp[0].length - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((xp[0][0].length - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  return w.map((filter) =>
    Array.from({ length: oh }, (_, i) =>
      Array.from({ length: ow }, (_, j) => {
        let s = 0;
        filter.forEach((k, c) => k.forEach((row, a) => row.forEach((v, b) => (s += v * xp[c][i * stride[0] + a * dil[0]][j * stride[1] + b * dil[1]]))));
        return s;
      }),
    ),
  );
}
