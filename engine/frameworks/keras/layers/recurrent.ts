// SimpleRNN, LSTM and GRU (Keras 3): kernel (in, G·u), recurrent_kernel (u, G·u) and a bias of G·u
// (GRU with reset_after, Keras 3's default: (2, 3u)), G = 1, 4, 3 gates. The output is the last
// step (batch, u) or every step (batch, T, u); return_state adds the final states (h, and c for an
// LSTM) as a list. MACs per sample, as for PyTorch's recurrent layers: T × the elements of the
// kernel and the recurrent kernel (matrix products only); an unknown T leaves them unknown.
import { product, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { inputOfRank } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result } from '../../../shapes/layer-result';
import type { LayerResult, OutputTree } from '../../../shapes/layer-spec';
import { REQUIRED, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';

/** Keyword arguments every recurrent layer takes that change shapes (the rest change no count). */
export const RNN_OPTIONS: Array<[string, unknown]> = [
  ['dropout', 0], ['recurrent_dropout', 0], ['return_sequences', false], ['return_state', false],
  ['go_backwards', false], ['stateful', false], ['unroll', false],
];

export type Cell = 'SimpleRNN' | 'LSTM' | 'GRU';
export const GATES: Record<Cell, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
/** The states return_state adds: h, and c for an LSTM. */
export const STATES: Record<Cell, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };

const w = (name: string, shape: number[]): ParamEntry => ({ name, shape, trainable: true });

function signature(cell: Cell): Array<[string, unknown]> {
  const activations: Array<[string, unknown]> = cell === 'SimpleRNN' ? [['activation', 'tanh']] : [['activation', 'tanh'], ['recurrent_activation', 'sigmoid']];
  return [['units', REQUIRED], ...activations, ['use_bias', true], ...RNN_OPTIONS, ...(cell === 'GRU' ? [['reset_after', true] as [string, unknown]] : [])];
}

function rnnWeights(cell: Cell, cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const u = r.int('units', 1), bias = r.bool('use_bias');
  const x = inputs[0];
  const f = x?.[x.length - 1];
  const resetAfter = cell === 'GRU' ? r.bool('reset_after') : false;
  if (u === null || bias === null || resetAfter === null || typeof f !== 'number' || x?.length !== 3) return null;
  const g = GATES[cell] * u;
  const out = [w('kernel', [f, g]), w('recurrent_kernel', [u, g])];
  if (bias) out.push(w('bias', resetAfter ? [2, g] : [g]));
  return out;
}

/** The output tree of a recurrent layer: the sequence or last step, then the states when asked. */
export function rnnOutputs(r: ArgReader, batch: Dim, steps: Dim, units: Dim, states: number): { output: Shape | null; outputs?: OutputTree } {
  const seq = r.bool('return_sequences'), state = r.bool('return_state');
  if (seq === null || state === null) return { output: null };
  const output = seq ? [batch, steps, units] : [batch, units];
  if (!state) return { output };
  return { output, outputs: [{ shape: output }, ...Array.from({ length: states }, () => ({ shape: [batch, units] }))] };
}

function rnnSpec(cell: Cell): KerasLayerSpec {
  const gates = GATES[cell];
  return {
    signature: signature(cell),
    weights: (cfg, inputs) => rnnWeights(cell, cfg, inputs),
    apply(cfg, inputs): LayerResult {
      const r = new ArgReader(cfg, cell);
      const u = r.int('units', 1);
      const weights = rnnWeights(cell, cfg, inputs);
      const general = cell === 'GRU' && r.raw('reset_after') !== false ? '3u·(in + u) + 2·3u' : `${gates}u·(in + u) + ${gates}u`;
      const formulas = paramsFormula(general, weights);
      const x = inputOfRank(r, inputs, (k) => k === 3, 'a 3-D input (batch, timesteps, features)');
      if (!x || u === null) return result(r, null, null, formulas);
      const [batch, steps, f] = x;
      const { output, outputs } = rnnOutputs(r, batch, steps, u, STATES[cell]);
      // per step: the input and the recurrent matrix products of every gate
      const factors: Dim[] = [steps, gates * u, typeof f === 'number' ? f + u : null];
      const macs = product(factors);
      formulas.push(macsFormula('T·G·u·(in + u)', factors, macs));
      return result(r, output, output ? macs : null, formulas, outputs ? { outputs } : {});
    },
  };
}

export const RECURRENT_LAYERS: Record<string, KerasLayerSpec> = {
  SimpleRNN: rnnSpec('SimpleRNN'),
  LSTM: rnnSpec('LSTM'),
  GRU: rnnSpec('GRU'),
};
