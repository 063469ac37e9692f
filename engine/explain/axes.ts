// One spatial axis of a sliding window: its padding (resolved to a left/right split and read as
// valid/same/full/manual), its output length, the size formulas with the numbers substituted, and
// which padded positions no window reads.
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

/** What a manual split amounts to: valid when 0, full when d(k−1) each side, same when it keeps the length at stride 1. */
function readManual(a: AxisRequest, [l, r]: [number, number]): Kind {
  const span = a.dilation * (a.kernel - 1);
  if (l === 0 && r === 0) return 'valid';
  if (l === span && r === span) return 'full';
  if (a.stride === 1 && l === Math.floor(span / 2) && r === span - l) return 'same';
  return 'manual';
}

const floorOrCeil = (ceil: boolean, inner: string): string => (ceil ? `⌈${inner}⌉` : `⌊${inner}⌋`);

function paddingText(a: AxisRequest, spec: PaddingSpec, [l, r]: [number, number], kind: Kind): string {
  const split = `${l} left, ${r} right`;
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

function formulas(a: AxisRequest, [l, r]: [number, number], spec: PaddingSpec, out: number): Formula[] {
  const o = a.name === 'l' ? 'o' : `o_${a.name}`;
  // ceil_mode drops a last window that would start in the right padding (PyTorch's rule).
  const dropped = a.ceil && out !== ceilOut(a, l + r) ? ' (the last window would start in the right padding, so it is dropped)' : '';
  const kText = a.dilation === 1 ? `${a.kernel}` : `(${a.dilation}·(${a.kernel}−1) + 1)`;
  const lecture: Formula = {
    label: o,
    general: `${o} = ${floorOrCeil(a.ceil, `(l + p − ${a.dilation === 1 ? 'k' : '(d(k−1) + 1)'})/s`)} + 1, p = p_left + p_right`,
    substituted: `${floorOrCeil(a.ceil, `(${a.length} + ${l} + ${r} − ${kText})/${a.stride}`)} + 1 = ${out}${dropped}`,
  };
  const pad = l === r ? `2·${l}` : `${l} + ${r}`;
  const torch: Formula = {
    label: `${o} (PyTorch, p per side)`,
    general: `${o} = ${floorOrCeil(a.ceil, '(l + 2p − d(k−1) − 1)/s')} + 1`,
    substituted: `${floorOrCeil(a.ceil, `(${a.length} + ${pad} − ${a.dilation}·(${a.kernel}−1) − 1)/${a.stride}`)} + 1 = ${out}${dropped}`,
  };
  const result = [lecture, torch];
  if (spec.mode === 'same' && spec.rule === 'tensorflow') {
    result.push(
      { label: `${o} (TensorFlow same)`, general: `${o} = ⌈l/s⌉`, substituted: `⌈${a.length}/${a.stride}⌉ = ${out}` },
      {
        label: `p_${a.name} (TensorFlow same)`,
        general: 'p = max((o−1)s + d(k−1) + 1 − l, 0), left ⌊p/2⌋, the odd pixel right',
        substituted: `max((${out}−1)·${a.stride} + ${a.dilation}·(${a.kernel}−1) + 1 − ${a.length}, 0) = ${l + r} → ${l} left, ${r} right`,
      },
    );
  }
  return result;
}

const ceilOut = (a: AxisRequest, total: number): number =>
  Math.ceil((a.length + total - (a.dilation * (a.kernel - 1) + 1)) / a.stride) + 1;

function outputLength(a: AxisRequest, [l, r]: [number, number]): number {
  const eff = a.dilation * (a.kernel - 1) + 1;
  const padded = a.length + l + r;
  if (padded < eff) {
    throw new ExplainError(`the window (${eff}${a.dilation > 1 ? ` = d(k−1)+1 with d = ${a.dilation}` : ''}) is larger than the padded input (${a.length} + ${l + r} = ${padded}) along ${a.name}`);
  }
  if (!a.ceil) return Math.floor((padded - eff) / a.stride) + 1;
  // PyTorch's ceil_mode: one more window when it starts inside the input or the left padding.
  const o = ceilOut(a, l + r);
  return (o - 1) * a.stride >= a.length + l ? o - 1 : o;
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
  const kind: Kind = spec.mode === 'manual' ? readManual(a, split) : spec.mode;
  const out = outputLength(a, split);
  const padded = a.length + split[0] + split[1];
  return {
    name: a.name,
    length: a.length,
    kernel: a.kernel,
    stride: a.stride,
    dilation: a.dilation,
    effectiveKernel: a.dilation * (a.kernel - 1) + 1,
    padBefore: split[0],
    padAfter: split[1],
    paddedLength: padded,
    outputLength: out,
    paddingText: paddingText(a, spec, split, kind),
    formulas: formulas(a, split, spec, out),
    paddingKind: kind,
    tiling: tiling(a, split, padded, out),
  };
}
