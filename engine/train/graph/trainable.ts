// What a run trains: the parameters it may update and the frozen ones (requires_grad=False) it keeps,
// counted from the network once, so the CLI's line, its --json and the training panel say the same;
// and why a Keras model trains nothing. Tiny on purpose: the extension host and the webview import it.
import type { Param } from '../layers/layer';

/** Keras's layers, its trainable=False and BatchNormalization's inference mode are not what this engine builds. */
export const KERAS_NOT_TRAINED = 'ConvLens trains PyTorch models only: its training engine builds PyTorch layers, '
  + 'so a Keras model (and its trainable=False) is analysed but not trained';

export interface ParamCounts {
  /** Elements of the trainable parameters (PyTorch's `sum(p.numel() for p in … if p.requires_grad)`). */
  trainable: number;
  /** Elements of the frozen parameters: initialised and saved, never updated. */
  frozen: number;
}

export function paramCounts(params: readonly Param[]): ParamCounts {
  const c: ParamCounts = { trainable: 0, frozen: 0 };
  for (const p of params) c[p.trainable ? 'trainable' : 'frozen'] += p.value.length;
  return c;
}

/** `training 5,130 of 11,181,642 parameters (11,176,512 frozen)`, or `training all 62,006 parameters`. */
export function trainingLine(c: ParamCounts): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  return c.frozen === 0 ? `training all ${n(c.trainable)} parameters`
    : `training ${n(c.trainable)} of ${n(c.trainable + c.frozen)} parameters (${n(c.frozen)} frozen)`;
}
