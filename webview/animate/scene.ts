// From the panel's parameters to what it animates: the step-model request, the explanation of the
// chosen view, and per frame the arithmetic to show and announce. Pure (no DOM), so it is tested.
import { explain, explainBackward, explainImg2col } from '../../engine/explain/index';
import type { BackwardExplanation, BackwardRequest, Img2colExplanation, SlidingExplanation } from '../../engine/explain/types';
import type { AnimateParams } from './protocol';

export type Scene =
  | { view: 'sliding'; e: SlidingExplanation; frames: number }
  | { view: 'img2col'; e: Img2colExplanation; frames: number }
  | { view: 'backward'; e: BackwardExplanation; frames: number };

export function toRequest(p: AnimateParams): BackwardRequest {
  const pool = p.op !== 'conv';
  return {
    op: p.op,
    dims: p.dims,
    input: p.input,
    ...(pool ? { kernelSize: p.kernelSize } : { kernel: p.kernel }),
    stride: p.stride,
    dilation: p.dilation,
    padding: p.padding,
    ...(pool && p.ceilMode ? { ceilMode: true } : {}),
    ...(p.op === 'avgpool' && p.countIncludePad !== undefined ? { countIncludePad: p.countIncludePad } : {}),
  };
}

/** The explanation of the chosen view (img2col and backward explain a convolution); throws ExplainError on bad input. */
export function buildScene(p: AnimateParams): Scene {
  const req = toRequest(p);
  if (p.op === 'conv' && p.view === 'img2col') {
    const e = explainImg2col(req);
    return { view: 'img2col', e, frames: e.steps.length };
  }
  if (p.op === 'conv' && p.view === 'backward') {
    const e = explainBackward(req);
    return { view: 'backward', e, frames: e.steps.length };
  }
  const e = explain(req);
  return { view: 'sliding', e, frames: e.steps.length };
}

/** The arithmetic of frame `i`, one line per sum (img2col: one per filter; backward: one per addition). */
export function frameArithmetic(s: Scene, i: number): string[] {
  switch (s.view) {
    case 'sliding':
      return [s.e.steps[i].arithmetic];
    case 'img2col':
      return s.e.steps[i].products.map((p) => p.arithmetic);
    case 'backward':
      return s.e.steps[i].adds.map((a) => a.arithmetic);
  }
}

/** What a screen reader hears on frame `i`: where we are and the arithmetic (long sums are cut). */
export function announcement(s: Scene, i: number): string {
  const lines = frameArithmetic(s, i);
  const head = s.view === 'sliding' ? `Step ${i + 1} of ${s.frames}` : `Column ${i + 1} of ${s.frames}`;
  const body = lines.slice(0, 4).join('; ') + (lines.length > 4 ? `; and ${lines.length - 4} more` : '');
  return `${head}: ${body}`;
}

/** `X̂ is 4 × 9 (C·k_h·k_w × o_h·o_w)`: the shapes of the img2col matrices. */
export function matrixShapes(e: Img2colExplanation): { xHat: [number, number]; w: [number, number]; y: [number, number]; text: string } {
  const k = e.conv.dims === 1 ? 'C·k' : 'C·k_h·k_w';
  const o = e.conv.dims === 1 ? 'o' : 'o_h·o_w';
  const xHat: [number, number] = [e.xHat.length, e.xHat[0].length];
  const w: [number, number] = [e.w.length, e.w[0].length];
  const y: [number, number] = [e.y.length, e.y[0].length];
  return { xHat, w, y, text: `X̂ is ${xHat[0]} × ${xHat[1]} (${k} × ${o}), W is ${w[0]} × ${w[1]} (F × ${k}), Y = W·X̂ is ${y[0]} × ${y[1]} (F × ${o})` };
}
