// The panel's settings as the training loop's options: one mapping for the worker's run and for the
// script that exports it, so the two cannot differ.
import type { TrainOptions } from '../engine/train/loop/train';
import type { TrainSettings } from '../webview/trainProtocol';

export type SettingsOptions = Pick<TrainOptions,
  'epochs' | 'batchSize' | 'seed' | 'valSplit' | 'tta' | 'optimizer' | 'init' | 'augment' | 'earlyStopping'>;

export function settingsOptions(o: TrainSettings): SettingsOptions {
  return {
    epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, valSplit: o.valSplit, tta: o.tta,
    optimizer: { name: o.optimizer, lr: o.lr, momentum: o.optimizer === 'sgd' ? o.momentum : undefined, weightDecay: o.weightDecay || undefined },
    init: o.init, augment: { crop: o.crop, flip: o.flip }, earlyStopping: o.patience > 0 ? o.patience : undefined,
  };
}

/** How many test images a panel run evaluates: enough for a steady accuracy, few enough to stay quick. */
export const testLimit = (limit: number): number => Math.max(500, Math.ceil(limit / 2));
