// Optimiser state as each framework allocates it, per trainable parameter (measured: PyTorch 1.13's
// `optimizer.state` after one step; Keras 3.15's `optimizer.variables` after `build`).
import type { Framework } from '../report/types';

export const OPTIMIZERS = ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const isOptimizer = (s: string): s is OptimizerName => (OPTIMIZERS as readonly string[]).includes(s);

export interface OptimizerState {
  /** Tensors the size of each trainable parameter, in the parameters' dtype. */
  slots: number;
  /** Bytes per trainable parameter tensor (PyTorch Adam's float32 `step`). */
  bytesPerTensor: number;
  /** Bytes per optimiser (Keras's int32 `iteration` and float32 `learning_rate`). */
  bytesPerOptimizer: number;
  /** The state's names, for the README and hovers. */
  names: string;
}

const SLOTS: Record<OptimizerName, { slots: number; torch: string; keras: string }> = {
  'sgd': { slots: 0, torch: 'nothing', keras: 'nothing' },
  'sgd-momentum': { slots: 1, torch: 'momentum_buffer', keras: 'momentum' },
  'adam': { slots: 2, torch: 'exp_avg, exp_avg_sq', keras: 'momentum, velocity' },
  'adamw': { slots: 2, torch: 'exp_avg, exp_avg_sq', keras: 'momentum, velocity' },
  'rmsprop': { slots: 1, torch: 'square_avg', keras: 'velocity' },
};

export function optimizerState(name: OptimizerName, framework: Framework): OptimizerState {
  const s = SLOTS[name];
  if (framework === 'keras') return { slots: s.slots, bytesPerTensor: 0, bytesPerOptimizer: 8, names: `${s.keras}; iteration (int32), learning_rate (float32)` };
  // PyTorch 1.13 keeps Adam's and AdamW's step as a float32 scalar tensor per parameter; RMSprop's is a Python int
  const adam = name === 'adam' || name === 'adamw';
  return { slots: s.slots, bytesPerTensor: adam ? 4 : 0, bytesPerOptimizer: 0, names: adam ? `${s.torch}, step (float32 scalar)` : s.torch };
}
