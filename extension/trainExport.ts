// The worker's export job: the PyTorch training script of a panel run (the same data, limits, fit and
// options the worker would train with), made by engine/train/export/.
import { loadMnistSubset } from '../engine/cli/train-data';
import { exportConfig } from '../engine/train/export/from-run';
import { trainingScript } from '../engine/train/export/script';
import type { ExportData } from '../engine/train/export/settings';
import { trainingNetworkFor } from '../engine/train/graph/network-for';
import { KERAS_NO_SCRIPT } from '../engine/train/graph/trainable';
import { TrainError } from '../engine/train/layers/layer';
import { settingsOptions, testLimit } from './trainOptions';
import type { DataSpec, ToWorker } from './trainWorkerProtocol';

/** The data a panel run loads (trainWorker's loadSplits), as the script loads it again. */
export function panelExportData(spec: DataSpec, fit: ExportData['fit'], input: Array<number | null>, label: string): ExportData {
  const limits = { trainLimit: spec.limit, testLimit: testLimit(spec.limit), fit, label };
  switch (spec.kind) {
    case 'mnist': {
      const m = loadMnistSubset();
      return { source: { kind: 'mnist', train: m.train.n, test: m.test?.n ?? 0 }, ...limits };
    }
    case 'folder': return { source: { kind: 'folder', dir: spec.path }, ...limits };
    case 'idx': return { source: { kind: 'idx', files: spec.files }, ...limits };
    default: {
      const shape: [number, number, number] = [input[0] ?? 1, input[1] ?? 28, input[2] ?? 28];
      const test = Math.max(100, Math.floor(spec.limit / 4));
      return { source: { kind: 'synthetic', which: spec.kind, train: spec.limit, test, shape }, ...limits };
    }
  }
}

export function exportScript(msg: Extract<ToWorker, { type: 'export' }>): string {
  if (msg.model.framework === 'keras') throw new TrainError(KERAS_NO_SCRIPT);
  const net = trainingNetworkFor(msg.model);
  const config = exportConfig({
    net, name: msg.model.name, entry: msg.entry, file: msg.file, save: msg.save, options: settingsOptions(msg.settings),
    data: panelExportData(msg.data, msg.settings.fit, net.inputShape, msg.label), madeBy: 'the ConvLens training panel',
  });
  return trainingScript(config, msg.scriptDir);
}
