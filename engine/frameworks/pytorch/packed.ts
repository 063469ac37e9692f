// torch.nn.utils.rnn: PackedSequence and the functions that make and undo it. A packed batch keeps
// its padded layout (T, N, *) and, when the lengths are known values, their total (the rows of
// `.data`) and maximum (pad_packed_sequence's T); unknown lengths leave those sizes unknown.
import { arg } from '../../python/call-args';
import type { Interpreter } from '../../python/interpreter';
import { pyModule } from '../../python/stdlib';
import { isObj, isUnknown, native, tuple, unknown, type CallSite, type PyHostObject, type PyModule, type Value } from '../../python/values';
import type { Dim, Shape } from '../../shapes/dim';
import type { PackedInfo } from '../../shapes/layer-spec';
import { isTensor, type TensorObj } from './tensor';
import type { Tracer } from './trace';

export interface PackedObj extends PyHostObject {
  kind: 'PackedSequence';
  info: PackedInfo;
  data: TensorObj;
}

export const isPacked = (v: Value): v is PackedObj => isObj(v) && v.k === 'host' && v.kind === 'PackedSequence';

/** A PackedSequence whose `.data` is `data` ((Σ lengths, *) rows). */
export function makePacked(tracer: Tracer, info: PackedInfo, data: TensorObj, site: CallSite): PackedObj {
  const batch = info.padded ? info.padded[1] : null;
  const vector = (n: Dim) => tracer.fresh([n], site);
  const fields = (): Record<string, Value> => ({
    data, batch_sizes: vector(info.padded ? info.padded[0] : null), sorted_indices: vector(batch), unsorted_indices: vector(batch),
  });
  const p: PackedObj = {
    k: 'host', kind: 'PackedSequence', info, data,
    getattr: (name, at) => fields()[name] ?? unknown(`PackedSequence.${name} is not modelled`, at.line),
    iterate: () => Object.values(fields()),
    repr: () => 'PackedSequence',
  };
  return p;
}

/** The values of a lengths argument (a list of ints or a constant tensor), or null when unknown. */
function lengthValues(v: Value): number[] | null {
  if (isTensor(v)) return v.data ?? null;
  if (isObj(v) && (v.k === 'list' || v.k === 'tuple') && v.items.every((x) => typeof x === 'number')) return v.items as number[];
  return null;
}

export function rnnUtilsModule(interp: Interpreter, tracer: () => Tracer): PyModule {
  const pack = native('pack_padded_sequence', (a, k, site) => {
    const x = arg(a, k, 0, 'input');
    const batchFirst = arg(a, k, 2, 'batch_first', false) === true;
    if (!isTensor(x)) return isUnknown(x) ? x : unknown('pack_padded_sequence of a non-tensor', site.line);
    const lengths = lengthValues(arg(a, k, 1, 'lengths'));
    const shape = x.shape;
    if (shape && shape.length < 2) {
      return interp.raise('RuntimeError', `pack_padded_sequence needs a (T, N, *) or (N, T, *) input, got ${shape.length}-D`, site.line);
    }
    const padded: Shape | null = shape && (batchFirst ? [shape[1], shape[0], ...shape.slice(2)] : shape);
    const info: PackedInfo = {
      padded: padded && [lengths ? Math.max(...lengths) : null, ...padded.slice(1)],
      steps: lengths ? lengths.reduce((s, n) => s + n, 0) : null,
    };
    if (lengths && padded && typeof padded[1] === 'number' && lengths.length !== padded[1]) {
      return interp.raise('RuntimeError', `pack_padded_sequence: ${lengths.length} lengths for a batch of ${padded[1]}`, site.line);
    }
    const data = tracer().op('pack_padded_sequence', {}, [x], padded ? [info.steps, ...padded.slice(2)] : null, site);
    return makePacked(tracer(), info, data, site);
  });
  const pad = native('pad_packed_sequence', (a, k, site) => {
    const p = arg(a, k, 0, 'sequence');
    if (!isPacked(p)) return unknown('pad_packed_sequence of something that is not a known PackedSequence', site.line);
    const batchFirst = arg(a, k, 1, 'batch_first', false) === true;
    const total = arg(a, k, 3, 'total_length');
    const padded = p.info.padded;
    const t: Dim = typeof total === 'number' ? total : padded ? padded[0] : null;
    const features = p.data.shape ? p.data.shape.slice(1) : null;
    const n = padded ? padded[1] : null;
    const out: Shape | null = features && (batchFirst ? [n, t, ...features] : [t, n, ...features]);
    return tuple([tracer().op('pad_packed_sequence', {}, [p.data], out, site), tracer().fresh([n], site)]);
  });
  const padSequence = native('pad_sequence', (a, k, site) => {
    const seqs = arg(a, k, 0, 'sequences');
    const batchFirst = arg(a, k, 1, 'batch_first', false) === true;
    const items = isObj(seqs) && (seqs.k === 'list' || seqs.k === 'tuple') ? seqs.items : null;
    if (!items || !items.every(isTensor)) return unknown('pad_sequence of unknown sequences', site.line);
    const shapes = items.map((t) => t.shape);
    const first = shapes[0];
    if (!first || shapes.some((s) => !s || s.length !== first.length)) return tracer().op('pad_sequence', {}, items, null, site);
    const lens = shapes.map((s) => (s as Shape)[0]);
    const longest: Dim = lens.every((n) => typeof n === 'number') ? Math.max(...(lens as number[])) : null;
    const rest = first.slice(1);
    return tracer().op('pad_sequence', {}, items, batchFirst ? [items.length, longest, ...rest] : [longest, items.length, ...rest], site);
  });
  return pyModule('torch.nn.utils.rnn', {
    pack_padded_sequence: pack, pad_packed_sequence: pad, pad_sequence: padSequence,
    PackedSequence: native('PackedSequence', (_a, _k, site) => unknown('PackedSequence() built by hand is not modelled', site.line)),
  }, (name) => unknown(`torch.nn.utils.rnn.${name} is not modelled`));
}
