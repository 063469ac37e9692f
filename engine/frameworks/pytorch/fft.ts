// torch.fft (Fourier layers: FNO, FFC, spectral pooling): the output shape of each transform. A real FFT keeps
// n // 2 + 1 frequencies along its last transformed dim, its inverse gives back 2 (n - 1) samples unless told n;
// the values are complex, which ConvLens does not track (`.abs()`, `.real` keep the shape as in torch).
import { toIndex } from '../../python/interpreter';
import { pyModule } from '../../python/stdlib';
import { isObj, isUnknown, native, unknown, type CallSite, type PyModule, type Value } from '../../python/values';
import type { Dim, Shape } from '../../shapes/dim';
import * as dim from '../../shapes/dim';
import { isTensor, normDim } from './tensor';
import type { Tracer } from './trace';

type Kind = 'complex' | 'real' | 'inverse-real';

const items = (v: Value): Value[] | undefined =>
  v === null ? undefined : isObj(v) && (v.k === 'tuple' || v.k === 'list') ? v.items : [v];

/** The dims a transform acts on (normalised) and their requested sizes, or undefined when either is not known. */
function plan(rank: number, dims: Value, sizes: Value, oneDim: boolean, allByDefault: boolean):
  { axes: number[]; lengths: Array<number | null> } | undefined {
  const s = items(sizes);
  if (s?.some((x) => x !== null && toIndex(x) === undefined)) return undefined;
  let d = items(dims);
  if (!d) d = s ? s.map((_, i) => i - s.length) : oneDim ? [-1] : allByDefault ? [...Array(rank).keys()] : [-2, -1];
  const axes = d.map((x) => normDim(x, rank));
  if (axes.some((x) => x === undefined) || (s && s.length !== axes.length)) return undefined;
  return { axes: axes as number[], lengths: axes.map((_, i) => (s?.[i] === undefined || s[i] === null ? null : toIndex(s[i]) as number)) };
}

function transformed(shape: Shape, kind: Kind, p: { axes: number[]; lengths: Array<number | null> }): Shape {
  const out = shape.slice();
  p.axes.forEach((axis, i) => {
    const n = p.lengths[i];
    const last = i === p.axes.length - 1;
    if (kind === 'real' && last) out[axis] = dim.add(dim.floorDiv(n ?? out[axis], 2), 1);
    else if (kind === 'inverse-real' && last) out[axis] = n ?? dim.mul(dim.sub(out[axis], 1), 2);
    else if (n !== null) out[axis] = n;
  });
  return out;
}

export function fftModule(tracer: () => Tracer): PyModule {
  const transform = (name: string, kind: Kind, oneDim: boolean, allByDefault: boolean) => native(name, (a, k, site: CallSite) => {
    const x = a[0] ?? k.get('input') ?? null;
    if (!isTensor(x)) return isUnknown(x) ? x : unknown(`torch.fft.${name} of a value that is not a tensor`, site.line);
    const sizes = a[1] ?? k.get(oneDim ? 'n' : 's') ?? null;
    const dims = a[2] ?? k.get('dim') ?? null;
    const p = x.shape ? plan(x.shape.length, dims, sizes, oneDim, allByDefault) : undefined;
    return tracer().op(`fft.${name}`, {}, [x], x.shape && p ? transformed(x.shape, kind, p) : null, site);
  });
  const same = (name: string) => native(name, (a, k, site) => {
    const x = a[0] ?? k.get('input') ?? null;
    return isTensor(x) ? tracer().op(`fft.${name}`, {}, [x], x.shape, site) : unknown(`torch.fft.${name}`, site.line);
  });
  const attrs: Record<string, Value> = {
    fftshift: same('fftshift'), ifftshift: same('ifftshift'),
  };
  for (const [prefix, oneDim, all] of [['', true, false], ['2', false, false], ['n', false, true]] as const) {
    for (const base of ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft']) {
      const name = base + prefix;
      const kind: Kind = base === 'rfft' || base === 'ihfft' ? 'real' : base === 'irfft' || base === 'hfft' ? 'inverse-real' : 'complex';
      attrs[name] = transform(name, kind, oneDim, all);
    }
  }
  return pyModule('torch.fft', attrs, (name) => unknown(`torch.fft.${name} is not modelled`));
}

/** `torch.view_as_real` (a trailing dim of 2) and `torch.view_as_complex` (that dim removed). */
export function complexViews(tracer: () => Tracer): Record<string, Value> {
  const view = (name: string, f: (s: Shape) => Shape | null) => native(name, (a, _k, site) => {
    const x = a[0] ?? null;
    return isTensor(x) ? tracer().op(name, {}, [x], x.shape ? f(x.shape) : null, site) : unknown(`torch.${name}`, site.line);
  });
  return {
    view_as_real: view('view_as_real', (s) => [...s, 2 as Dim]),
    view_as_complex: view('view_as_complex', (s) => (s.length && s[s.length - 1] === 2 ? s.slice(0, -1) : null)),
  };
}
