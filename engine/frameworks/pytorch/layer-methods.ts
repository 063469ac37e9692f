// The methods of PyTorch's layers that real code calls besides forward() and that change no shape:
// re-initialising weights, resetting running statistics, cuDNN's weight layout for RNNs, and a norm
// layer's input check (which raises as PyTorch does: custom BatchNorm forwards call it first).
import type { Interpreter } from '../../python/interpreter';
import type { CallSite, Value } from '../../python/values';
import { isTensor } from './tensor';

type Method = (a: Value[], site: CallSite) => Value;

const WITH_PARAMETERS = /^(Lazy)?(Conv|ConvTranspose)[123]d$|^(Lazy)?Linear$|^Bilinear$|BatchNorm|InstanceNorm|^LayerNorm$|^GroupNorm$|^Embedding(Bag)?$|^(RNN|LSTM|GRU)(Cell)?$|^PReLU$/;

/** Ranks a norm layer accepts: BatchNorm1d 2-D or 3-D, BatchNorm2d 4-D; InstanceNorm2d 3-D (unbatched) or 4-D. */
function normRanks(type: string): number[] | null {
  const m = /^(?:Lazy)?(Batch|Instance)Norm([123])d$/.exec(type);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === 'Batch') return n === 1 ? [2, 3] : [n + 2];
  return [n + 1, n + 2];
}

export function layerMethods(interp: Interpreter, type: string): Record<string, Method> {
  const none: Method = () => null;
  const methods: Record<string, Method> = {};
  if (WITH_PARAMETERS.test(type)) methods.reset_parameters = none;
  if (/BatchNorm|InstanceNorm/.test(type)) methods.reset_running_stats = none;
  if (/^(RNN|LSTM|GRU)$/.test(type)) methods.flatten_parameters = none;
  const ranks = normRanks(type);
  if (ranks) {
    // made before it is assigned: see eslint.config.mjs, pretenured closures
    const checkInputDim: Method = (a, site) => {
      const x = a[0] ?? null;
      const rank = isTensor(x) && x.shape ? x.shape.length : null;
      if (rank !== null && !ranks.includes(rank)) {
        interp.raise('ValueError', `expected ${ranks.map((r) => `${r}D`).join(' or ')} input (got ${rank}D input)`, site.line);
      }
      return null;
    };
    methods._check_input_dim = checkInputDim;
  }
  return methods;
}
