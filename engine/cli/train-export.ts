// `convlens train FILE --export-script train.py`: writes the PyTorch training script of the run the
// other options describe, instead of training (engine/train/export/ makes it).
import { dirname, join, resolve } from 'node:path';
import type { ModelReport } from '../report/types';
import { trainingNetworkFor } from '../train/graph/network-for';
import { KERAS_NO_SCRIPT } from '../train/graph/trainable';
import { TrainError } from '../train/layers/layer';
import { exportConfig } from '../train/export/from-run';
import { trainingScript } from '../train/export/script';
import type { ExportData } from '../train/export/settings';
import { checkWritableFile, writeFileAtomic } from './atomic-file';
import { dataDirKind, loadMnistSubset } from './train-data';
import type { Io, TrainCliOptions } from './train';

/** The data `convlens train` would load, as the script loads it again. */
function exportData(o: TrainCliOptions, input: Array<number | null>): ExportData {
  const fit = o.resize && input.length === 3 ? 'resize' : 'none';
  if (o.data) {
    const dir = resolve(o.data), d = dataDirKind(dir);
    const source = d.kind === 'idx' ? { kind: 'idx' as const, files: d.files } : { kind: 'folder' as const, dir };
    return { source, trainLimit: o.limit, fit, label: `${d.kind === 'idx' ? 'IDX files' : 'images'} in ${o.data}` };
  }
  if (o.dataset === 'mnist') {
    const m = loadMnistSubset();
    return { source: { kind: 'mnist', train: m.train.n, test: m.test?.n ?? 0 }, trainLimit: o.limit, fit, label: m.name };
  }
  const n = o.limit ?? 2000, which = o.dataset === 'shapes' ? 'shapes' : 'bars';
  const shape: [number, number, number] = [input[0] ?? 1, input[1] ?? 28, input[2] ?? 28];
  return { source: { kind: 'synthetic', which, train: n, test: Math.max(100, Math.floor(n / 4)), shape }, fit, label: `synthetic ${which}` };
}

/** Writes the script; `file` is the model's file, `entry` what --entry gave. */
export function exportTrainScript(report: Pick<ModelReport, 'graph' | 'parameters' | 'name' | 'framework'> & Partial<Pick<ModelReport, 'graphOutput'>>, file: string, entry: string | undefined,
  o: TrainCliOptions, script: string, io: Io): void {
  const target = resolve(script);
  checkWritableFile(target, `--export-script ${script}`);
  if (report.framework === 'keras') throw new TrainError(KERAS_NO_SCRIPT);
  const net = trainingNetworkFor(report);
  const config = exportConfig({
    net, name: report.name, entry: entry ?? report.name, file: resolve(file),
    save: resolve(o.save ?? join(dirname(target), `${report.name}.safetensors`)),
    options: o.train, data: exportData(o, net.inputShape), madeBy: 'convlens train --export-script',
  });
  writeFileAtomic(target, trainingScript(config, dirname(target)));
  io.stderr.write(`wrote ${script}: python ${script} [--device cuda], or torchrun --nproc_per_node=N ${script}\n`);
}
