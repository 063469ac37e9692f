// What a run trains: the parameters it may update and the frozen ones (requires_grad=False) it keeps,
// counted from the network once, so the CLI's line, its --json and the training panel say the same;
// and why a Keras model has no exported training script. Tiny on purpose: the extension host and the webview import it.
import type { Param } from '../layers/layer';
import { thousands } from '../../report/thousands';

/** The exported script is a PyTorch training loop that imports the model's file: a Keras model is not one. */
export const KERAS_NO_SCRIPT = 'the exported training script is a PyTorch training loop and imports a PyTorch model; '
  + 'this is a Keras model: train it in ConvLens, or with its own model.compile() and model.fit()';

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
  return c.frozen === 0 ? `training all ${thousands(c.trainable)} parameters`
    : `training ${thousands(c.trainable)} of ${thousands(c.trainable + c.frozen)} parameters (${thousands(c.frozen)} frozen)`;
}
