// One spatial axis of a sliding window: its padding (resolved to a left/right split and read as
// valid/same/full/manual), its output length, the size formulas with the numbers substituted, and
// which padded positions no window reads.
import { paddingInfo, slidingAxis, type AxisWindow } from '../shapes/window';
import type { Formula, PaddingInfo } from '../report/types';
import { ExplainError } from './grid';
import type { AxisInfo, PaddingSpec } from './types';

export interface AxisRequest {
  name: string;
  length: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** Pooling's ceil_mode. */
  ceil: boolean;
}

type Kind = PaddingInfo['kind'];

function resolveSplit(a: AxisRequest, spec: PaddingSpec, axis: number): [number, number] {
  const span = a.dilation * (a.kernel - 1);
  const half = (total: number): [number, number] => [Math.floor(total / 2), total - Math.floor(total / 2)];
  switch (spec.mode) {
    case 'valid':
      return [0, 0];
    case 'full':
      return [span, span];
    case 'same':
      if (spec.rule === 'pytorch') return half(span);
      return half(Math.max((Math.ceil(a.length / a.stride) - 1) * a.stride + span + 1 - a.length, 0));
    case 'manual': {
      const split = spec.split[spec.split.length === 1 ? 0 : axis];
      if (!split) throw new ExplainError(`padding: ${spec.split.length} splits given for ${axis + 1}+ axes`);
      for (const p of split) if (!Number.isInteger(p) || p < 0) throw new ExplainError(`padding must be whole numbers ≥ 0, got ${p}`);
      return [split[0], split[1]];
    }
  }
}

const floorOrCeil = (ceil: boolean, inner: string): string => (ceil ? `⌈${inner}⌉` : `⌊${inner}⌋`);

/** `1 left, 2 right`; rows are padded top and bottom. */
const splitText = (a: AxisRequest, [l, r]: [number, number]): string => (a.name === 'h' ? `${l} top, ${r} bottom` : `${l} left, ${r} right`);

function paddingText(a: AxisRequest, spec: PaddingSpec, [l, r]: [number, number], kind: Kind): string {
  const split = splitText(a, [l, r]);
  const span = a.dilation * (a.kernel - 1);
  const dk = `${a.dilation}·(${a.kernel}−1)`;
  switch (spec.mode) {
    case 'valid':
      return 'valid: no padding';
    case 'full':
      return `full: d(k−1) = ${dk} = ${span} each side`;
    case 'same':
      return spec.rule === 'pytorch'
        ? `same (PyTorch): total d(k−1) = ${dk} = ${span}, ${split}`
        : `same (TensorFlow): total ${l + r}, ${split}${(l + r) % 2 ? ' (the odd pixel right)' : ''}`;
    case 'manual':
      return `manual: ${split}${kind !== 'manual' ? ` (reads as ${kind})` : ''}`;
  }
}

function formulas(a: AxisRequest, [l, r]: [number, number], spec: PaddingSpec, out: number, torch: Formula, dropped: boolean): Formula[] {
  const o = a.name === 'l' ? 'o' : `o_${a.name}`;
  const kText = a.dilation === 1 ? `${a.kernel}` : `(${a.dilation}·(${a.kernel}−1) + 1)`;
  const lecture: Formula = {
    label: o,
    general: `${o} = ${floorOrCeil(a.ceil, `(${a.name === 'l' ? 'l' : `l_${a.name}`} + p − ${a.dilation === 1 ? 'k' : '(d(k−1) + 1)'})/s`)} + 1, p = p_left + p_right`,
    substituted: `${floorOrCeil(a.ceil, `(${a.length} + ${l} + ${r} − ${kText})/${a.stride}`)} + 1${dropped ? ' − 1' : ''} = ${out}`,
  };
  const result = [lecture, { ...torch, label: `${o} (PyTorch, p per side)`, general: `${o} = ${torch.general}` }];
  if (spec.mode === 'same' && spec.rule === 'tensorflow') {
    result.push(
      { label: `${o} (TensorFlow same)`, general: `${o} = ⌈l/s⌉`, substituted: `⌈${a.length}/${a.stride}⌉ = ${out}` },
      {
        label: `p_${a.name} (TensorFlow same)`,
        general: 'p = max((o−1)s + d(k−1) + 1 − l, 0), left ⌊p/2⌋, the odd pixel right',
        substituted: `max((${out}−1)·${a.stride} + ${a.dilation}·(${a.kernel}−1) + 1 − ${a.length}, 0) = ${l + r} → ${splitText(a, [l, r])}`,
      },
    );
  }
  return result;
}

function tiling(a: AxisRequest, [l]: [number, number], padded: number, out: number): AxisInfo['tiling'] {
  const read = new Set<number>();
  for (let t = 0; t < out; t++) for (let i = 0; i < a.kernel; i++) read.add(t * a.stride + i * a.dilation);
  const neverRead = [...Array(padded).keys()].filter((p) => !read.has(p));
  return {
    exact: (out - 1) * a.stride + a.dilation * (a.kernel - 1) + 1 === padded,
    neverRead,
    neverReadInput: neverRead.filter((p) => p >= l && p < l + a.length).map((p) => p - l),
  };
}

export function checkAxis(a: AxisRequest): void {
  for (const [what, v] of [['kernel size', a.kernel], ['stride', a.stride], ['dilation', a.dilation]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ExplainError(`${what} must be a whole number ≥ 1, got ${v}`);
  }
}

export function resolveAxis(a: AxisRequest, spec: PaddingSpec, axis: number): AxisInfo {
  checkAxis(a);
  const split = resolveSplit(a, spec, axis);
  const window: AxisWindow = { k: a.kernel, s: a.stride, d: a.dilation, before: split[0], after: split[1] };
  const padded = a.length + split[0] + split[1];
  const effective = a.dilation * (a.kernel - 1) + 1;
  if (padded < effective) {
    throw new ExplainError(`the window (${effective}${a.dilation > 1 ? ` = d(k−1)+1 with d = ${a.dilation}` : ''}) is larger than the padded input (${a.length} + ${split[0] + split[1]} = ${padded}) along ${a.name}`);
  }
  // PyTorch's size rule (ceil_mode included) and its per-side formula come from the layer catalog.
  const torch = slidingAxis(a.length, window, a.name, a.ceil);
  const out = torch.out as number;
  const dropped = a.ceil && out < Math.ceil((padded - effective) / a.stride) + 1;
  // A manual split reads as what it amounts to (1,1 with k = 3 at stride 1 is same).
  const kind = spec.mode === 'manual' ? paddingInfo([window]).kind : spec.mode;
  return {
    name: a.name,
    length: a.length,
    kernel: a.kernel,
    stride: a.stride,
    dilation: a.dilation,
    effectiveKernel: effective,
    padBefore: split[0],
    padAfter: split[1],
    paddedLength: padded,
    outputLength: out,
    paddingText: paddingText(a, spec, split, kind),
    formulas: formulas(a, split, spec, out, torch.formula, dropped),
    paddingKind: kind,
    tiling: tiling(a, split, padded, out),
  };
}
