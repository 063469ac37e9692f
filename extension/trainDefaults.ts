// What the training panel starts from for a model: the data that suits its input, and a data size
// that trains it in about half a minute on a laptop CPU; and the model as the panel describes it.
// Pure (no vscode import) so unit tests cover it.
import { ENGINE_MACS_PER_SECOND, TRAIN_PASSES } from '../engine/train/loop/estimate';
import { formatShape } from '../engine/shapes/dim';
import type { ModelReport } from '../engine/report/types';
import type { ModelInfo, TrainSettings } from '../webview/trainProtocol';

const BUDGET_SECONDS = 30;

export function defaultSettings(model: Pick<ModelReport, 'inputShape' | 'macs'> & Partial<Pick<ModelReport, 'framework'>>): TrainSettings {
  const s = model.inputShape;
  // Keras's input is channels-last: (N, H, W, C)
  const [c, h, w] = model.framework === 'keras' ? [s[3], s[1], s[2]] : [s[1], s[2], s[3]];
  const mnistLike = c === 1 && h === 28 && w === 28;
  // Images per epoch the budget affords; a big model gets two epochs of at least 100 images.
  const affordable = (epochs: number) => (BUDGET_SECONDS * ENGINE_MACS_PER_SECOND) / (TRAIN_PASSES * Math.max(model.macs, 1) * epochs);
  const epochs = affordable(3) >= 100 ? 3 : 2;
  const limit = Math.max(100, Math.min(mnistLike ? 6000 : 3000, Math.round(affordable(epochs) / 100) * 100));
  return {
    dataset: mnistLike ? 'mnist' : 'shapes', limit, epochs, batchSize: 32,
    optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0, init: 'default',
    // Flips would change the class of digits and bars: augmentation stays opt-in, and so does TTA,
    // which only replays the augmentations a run trained with.
    crop: false, flip: false, tta: false, patience: 2, valSplit: 0.1, seed: 0, fit: 'resize',
  };
}

/** The model as the panel shows it; `problems` and `blocker` are filled by the worker's check. */
export function modelInfo(model: ModelReport, file: string): ModelInfo {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  const symbolic = model.inputShape.slice(1).some((d) => typeof d !== 'number');
  let blocker: string | undefined;
  if (errors.length) blocker = `The model has errors to fix first: ${errors.map((d) => `line ${d.line}: ${d.message}`).join('; ')}`;
  else if (symbolic) blocker = `The input shape ${formatShape(model.inputShape)} is not known: add a comment such as # convlens: input=(1, 1, 28, 28) above the model (ConvLens: Set Input Shape).`;
  else if (!model.graph.length) blocker = 'ConvLens could not trace this model\'s forward pass, so it cannot build it for training.';
  return { name: model.name, framework: model.framework, file, line: model.line, input: formatShape(model.inputShape, 'N'), params: model.totalParams, macs: model.macs, problems: [], blocker };
}
