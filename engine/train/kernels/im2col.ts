// img2col and its adjoint col2im (the lecture's "column to receptive field" accumulation), on one
// sample: x[C, D, H, W] ⇄ cols[C·kd·kh·kw, od·oh·ow]. Row r = ((c·kd + a)·kh + b)·kw + e holds, for
// every output position, the input value under kernel tap (a, b, e) of channel c (0 in padding).
import type { Window } from './geometry';

// Output columns ow whose input column iw = ow·sw + off (off = e·dw − pw) lies inside [0, W).
const firstInside = (off: number, sw: number, OW: number): number => (off >= 0 ? 0 : Math.min(OW, Math.ceil(-off / sw)));
const endInside = (off: number, sw: number, W: number, OW: number, lo: number): number => Math.max(lo, Math.min(OW, Math.floor((W - 1 - off) / sw) + 1));

export function im2col(x: Float32Array, xOff: number, C: number, g: Window, cols: Float32Array): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.k;
  const [sd, sh, sw] = g.s, [pd, ph, pw] = g.p, [dd, dh, dw] = g.d;
  const L = OD * OH * OW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const xc = xOff + c * D * H * W;
    for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++, row++) {
      let q = row * L;
      const off = e * dw - pw, owLo = firstInside(off, sw, OW), owHi = endInside(off, sw, W, OW, owLo);
      for (let od = 0; od < OD; od++) {
        const id = od * sd - pd + a * dd;
        for (let oh = 0; oh < OH; oh++, q += OW) {
          const ih = oh * sh - ph + b * dh;
          if (id < 0 || id >= D || ih < 0 || ih >= H) { cols.fill(0, q, q + OW); continue; }
          const base = xc + (id * H + ih) * W + off;
          for (let ow = 0; ow < owLo; ow++) cols[q + ow] = 0;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) cols[q + ow] = x[base + ow];
          else for (let ow = owLo; ow < owHi; ow++) cols[q + ow] = x[base + ow * sw];
          for (let ow = owHi; ow < OW; ow++) cols[q + ow] = 0;
        }
      }
    }
  }
}

/** dx[C, D, H, W] += the columns scattered back onto their receptive fields. */
export function col2im(cols: Float32Array, C: number, g: Window, dx: Float32Array, dxOff: number): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.k;
  const [sd, sh, sw] = g.s, [pd, ph, pw] = g.p, [dd, dh, dw] = g.d;
  const L = OD * OH * OW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const xc = dxOff + c * D * H * W;
    for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let e = 0; e < KW; e++, row++) {
      let q = row * L;
      const off = e * dw - pw, owLo = firstInside(off, sw, OW), owHi = endInside(off, sw, W, OW, owLo);
      for (let od = 0; od < OD; od++) {
        const id = od * sd - pd + a * dd;
        for (let oh = 0; oh < OH; oh++, q += OW) {
          const ih = oh * sh - ph + b * dh;
          if (id < 0 || id >= D || ih < 0 || ih >= H) continue;
          const base = xc + (id * H + ih) * W + off;
          if (sw === 1) for (let ow = owLo; ow < owHi; ow++) dx[base + ow] += cols[q + ow];
          else for (let ow = owLo; ow < owHi; ow++) dx[base + ow * sw] += cols[q + ow];
        }
      }
    }
  }
}
