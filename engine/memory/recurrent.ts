// What autograd keeps for nn.RNN / nn.LSTM / nn.GRU on the CPU (PyTorch 1.13 runs them as ATen ops, step
// by step; measured with saved_tensors_hooks over layers, directions, batch_first, dropout and sizes):
// - each layer's input, for its input-to-hidden linear: the first layer's is the module's input, a deeper
//   layer's is the previous layer's output, T·B·D·H (with dropout between layers, also its mask of that size);
//   at a batch above 1 the CPU kernel also copies a batch_first or permuted input once per direction (it
//   cannot view it as (T·B, I)), which the meta device the reference measures batch 32 on does not: left out;
// - per step and direction: LSTM and GRU keep 7·B·H (LSTM: the 4H gates, the previous h and c, tanh(c);
//   GRU: its 3H input and 3H hidden gates and the previous h); RNN keeps its output, whose previous one is
//   the next step's input, and the initial state: (T + 1)·B·H.
import type { Shape } from '../report/types';

export interface RecurrentKeeps {
  /** Elements of the tensors the module makes and keeps that grow with its input (at the traced sizes). */
  made: number;
  /** RNN: the initial state's elements (B·H per layer and direction), which grow with the batch only when the
   * batch is not the sequence dimension. */
  initial: number;
}

/**
 * Besides its input's storage, from the layer's config and its input's shape at the traced sizes (`elements`
 * of it). Undefined when a size is not known or the layer has what the measurement did not cover (proj_size).
 */
export function recurrentKeeps(type: string, config: Record<string, unknown>, input: Shape | null, elements: number | null): RecurrentKeeps | undefined {
  const { hidden_size: h, num_layers: layers, dropout, proj_size: proj } = config;
  const bf = config.batch_first === true, d = config.bidirectional === true ? 2 : 1;
  if (!input || elements === null || typeof h !== 'number' || typeof layers !== 'number' || typeof dropout !== 'number') return undefined;
  if (proj !== 0 && proj !== undefined) return undefined;
  const steps = bf && input.length === 3 ? input[1] : input[0];
  const features = input[input.length - 1];
  if (typeof steps !== 'number' || typeof features !== 'number' || features === 0 || steps === 0) return undefined;
  const rows = elements / features; // T·B
  const between = (layers - 1) * rows * d * h * (dropout > 0 ? 2 : 1);
  if (type !== 'RNN') return { made: layers * d * 7 * rows * h + between, initial: 0 };
  return { made: layers * d * rows * h + between, initial: layers * d * (rows / steps) * h };
}
