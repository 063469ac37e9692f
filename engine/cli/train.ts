// `convlens train FILE …`: analyses the file, builds the model it defines, trains it on the chosen
// data and reports. Progress goes to stderr; with --json stdout is one JSON object.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeDocument } from '../notebook/analyze-notebook';
import { placeText } from '../report/format';
import type { ModelReport } from '../report/types';
import type { DataSplits } from '../train/data/dataset';
import { take } from '../train/data/dataset';
import { fitSplits } from '../train/data/resize';
import { syntheticSplits, type SyntheticKind } from '../train/data/synthetic';
import { trainingNetworkFor } from '../train/graph/network-for';
import { paramCounts, trainingLine, type ParamCounts } from '../train/graph/trainable';
import { INIT_SCHEMES, type InitScheme } from '../train/init/init';
import { TrainError } from '../train/layers/layer';
import { setWorkerHost } from '../train/kernels/worker-host';
import { train, type TrainOptions, type TrainResult } from '../train/loop/train';
import type { OptimizerName } from '../train/optim/optimizer';
import type { ScheduleName } from '../train/optim/schedule';
import { trainWarnings } from '../train/loop/warnings';
import { writeSafetensors } from '../train/save/safetensors';
import { checkArgs, type OptionSpec } from './args';
import { checkWritableFile } from './atomic-file';
import { UsageError } from './io';
import { nodeHost } from './node-files';
import { nodeWorkerHost } from './node-host';
import { loadDataDir, loadMnistSubset } from './train-data';
import { exportTrainScript } from './train-export';
import { metricsPath, saveWeightsAndMetrics } from './train-save';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const TRAIN_USAGE = `usage: convlens train FILE [--entry EXPR] [--data DIR | --dataset mnist|synthetic|bars|shapes] [--limit N]
  [--epochs E] [--batch-size B] [--optimizer sgd|adam|adamw] [--lr X] [--momentum X] [--nesterov] [--weight-decay X]
  [--lr-schedule none|step|cosine] [--init ${INIT_SCHEMES.join('|')}] [--augment crop,flip] [--tta]
  [--early-stopping PATIENCE] [--val-split X] [--resize] [--seed S] [--threads N] [--save FILE] [--json]
  [--export-script train.py]  write a PyTorch script of this run (python train.py --device cuda, torchrun) instead of training`;

export interface TrainCliOptions {
  data?: string;
  dataset: 'mnist' | 'synthetic' | SyntheticKind;
  limit?: number;
  resize: boolean;
  save?: string;
  /** Write the run's PyTorch training script here instead of training. */
  exportScript?: string;
  json: boolean;
  train: Omit<TrainOptions, 'signal' | 'onBatch' | 'onEpoch'>;
}

const OPTIONS: OptionSpec = Object.fromEntries([
  ...['entry', 'data', 'dataset', 'limit', 'epochs', 'batch-size', 'optimizer', 'lr', 'momentum', 'weight-decay', 'lr-schedule', 'init',
    'augment', 'early-stopping', 'val-split', 'seed', 'threads', 'save', 'export-script'].map((k) => [k, { type: 'string' } as const]),
  ...['tta', 'json', 'nesterov', 'resize'].map((k) => [k, { type: 'boolean' } as const]),
]);

/** Parses the arguments after `train` into the file, the entry and the options. */
export function parseTrainArgs(args: string[]): { file: string; entry?: string; options: TrainCliOptions } {
  const { values, positionals: files } = parseArgs({ args: checkArgs(args, OPTIONS), options: OPTIONS, allowPositionals: true, strict: true });
  const kv = new Map<string, string>(), flags = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string') kv.set(`--${k}`, v);
    else if (v === true) flags.add(`--${k}`);
  }
  if (files.length !== 1) throw new UsageError(files.length ? `one FILE expected, got ${files.join(' ')}` : 'FILE is missing');
  if (kv.has('--data') && kv.has('--dataset')) throw new UsageError('give --data DIR or --dataset, not both');
  const num = (k: string, d: number | undefined, check: (v: number) => boolean, what: string): number | undefined => {
    if (!kv.has(k)) return d;
    const v = Number(kv.get(k));
    if (!Number.isFinite(v) || !check(v)) throw new UsageError(`${k} ${kv.get(k)}: ${what}`);
    return v;
  };
  const oneOf = <T extends string>(k: string, d: T, allowed: readonly string[]): T => {
    const v = kv.get(k) ?? d;
    if (!allowed.includes(v)) throw new UsageError(`${k} ${v}: expected one of ${allowed.join(', ')}`);
    return v as T;
  };
  const int = (v: number) => Number.isInteger(v) && v >= 1, pos = (v: number) => v > 0;
  const optimizer = oneOf<OptimizerName>('--optimizer', 'sgd', ['sgd', 'adam', 'adamw']);
  const augment = (kv.get('--augment') ?? '').split(',').filter(Boolean);
  for (const a of augment) if (a !== 'crop' && a !== 'flip') throw new UsageError(`--augment ${a}: expected crop, flip or crop,flip`);
  const earlyStopping = num('--early-stopping', undefined, int, 'expected a positive integer');
  return {
    file: files[0],
    entry: kv.get('--entry'),
    options: {
      data: kv.get('--data'),
      dataset: oneOf('--dataset', 'mnist', ['mnist', 'synthetic', 'bars', 'shapes']),
      limit: num('--limit', undefined, int, 'expected a positive integer'),
      resize: flags.has('--resize'),
      save: kv.get('--save'),
      exportScript: kv.get('--export-script'),
      json: flags.has('--json'),
      train: {
        epochs: num('--epochs', 1, int, 'expected a positive integer')!,
        batchSize: num('--batch-size', 32, int, 'expected a positive integer')!,
        optimizer: {
          name: optimizer,
          lr: num('--lr', optimizer === 'sgd' ? 0.01 : 0.001, pos, 'expected a positive number')!,
          momentum: num('--momentum', optimizer === 'sgd' ? 0.9 : 0, (v) => v >= 0 && v < 1, 'expected a number in [0, 1)'),
          nesterov: flags.has('--nesterov'),
          weightDecay: num('--weight-decay', undefined, (v) => v >= 0, 'expected a number ≥ 0'),
        },
        schedule: { name: oneOf<ScheduleName>('--lr-schedule', 'none', ['none', 'step', 'cosine']) },
        init: oneOf<InitScheme>('--init', 'default', INIT_SCHEMES),
        seed: num('--seed', 0, Number.isInteger, 'expected an integer')!,
        augment: { crop: augment.includes('crop'), flip: augment.includes('flip') },
        tta: flags.has('--tta'),
        earlyStopping,
        valSplit: num('--val-split', earlyStopping !== undefined ? 0.1 : 0, (v) => v >= 0 && v < 1, 'expected a number in [0, 1)')!,
        ...(kv.has('--threads') ? { threads: num('--threads', undefined, int, 'expected a positive integer') } : {}),
      },
    },
  };
}

/** Loads the data the options name, at the model's input size for synthetic data. */
function loadData(o: TrainCliOptions, inputShape: Array<number | null>): DataSplits {
  if (o.data) return loadDataDir(o.data, o.train.seed);
  if (o.dataset === 'mnist') return loadMnistSubset();
  const shape: [number, number, number] = [inputShape[0] ?? 1, inputShape[1] ?? 28, inputShape[2] ?? 28];
  const n = o.limit ?? 2000;
  return syntheticSplits(o.dataset === 'shapes' ? 'shapes' : 'bars', n, Math.max(100, Math.floor(n / 4)), shape, o.train.seed);
}

/** The stdout object of --json (the contract of `convlens train --json`). */
export function jsonSummary(r: TrainResult, warnings: string[], params: ParamCounts): object {
  return {
    trainImagesPerSecond: Math.round(r.trainImagesPerSecond),
    epochs: r.epochs.map((e) => ({ trainLoss: e.trainLoss, trainAccuracy: e.trainAccuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy, seconds: e.seconds })),
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    testAccuracy: r.testAccuracy,
    testAccuracyTTA: r.testAccuracyTTA,
    trainableParams: params.trainable,
    frozenParams: params.frozen,
    warnings,
  };
}

function progressBar(io: Io, batchSize: number): TrainOptions['onBatch'] {
  let last = 0, images = 0, t0 = performance.now();
  return (p) => {
    images += 1;
    const t = performance.now();
    if (t - last < 100 && p.batch !== p.batches) return;
    last = t;
    const width = 24, done = Math.round((width * p.batch) / p.batches);
    const rate = ((images * batchSize) / Math.max(t - t0, 1)) * 1000;
    io.stderr.write(`\repoch ${p.epoch} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}% ${rate.toFixed(0)} images/s `);
    if (p.batch === p.batches) { io.stderr.write('\n'); images = 0; t0 = performance.now(); }
  };
}

/** Trains the model of a report; the CLI and tests (with hand-built graphs) share it. Returns the exit code. */
export async function trainFromReport(report: Pick<ModelReport, 'graph' | 'parameters' | 'name'> & Partial<Pick<ModelReport, 'framework' | 'graphOutput' | 'outputShapes'>>, o: TrainCliOptions, io: Io,
  signal?: { readonly aborted: boolean }): Promise<number> {
  try {
    // Before any work: a bad --save path must not cost a training run.
    if (o.save) for (const f of [o.save, metricsPath(o.save)]) checkWritableFile(f, `--save ${f}`);
    const net = trainingNetworkFor(report);
    setWorkerHost(nodeWorkerHost);
    let data = loadData(o, net.inputShape);
    if (o.limit !== undefined && (o.data || o.dataset === 'mnist')) data = { ...data, train: take(data.train, o.limit) };
    if (o.resize && net.inputShape.length === 3) {
      const s = net.inputShape, d = data.train.shape;
      data = fitSplits(data, [s[0] ?? d[0], s[1] ?? d[1], s[2] ?? d[2]]);
    }
    const params = paramCounts(net.params);
    io.stderr.write(`training ${report.name} on ${data.name}: ${data.train.n} images of (${data.train.shape.join(', ')})\n${trainingLine(params)}\n`);
    const valN = Math.floor(data.train.n * o.train.valSplit);
    const warnings = trainWarnings(net, data, o.train.epochs * Math.ceil((data.train.n - valN) / o.train.batchSize), report);
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
    const about = {
      model: report.name, data: data.name, classNames: data.train.classNames, options: o.train,
      trainableParams: params.trainable, frozenParams: params.frozen,
    };
    const save = o.save;
    const r = await train(net, data, {
      ...o.train, signal, onBatch: progressBar(io, o.train.batchSize),
      // A killed run keeps its best epoch so far, marked as interrupted.
      onCheckpoint: save ? ((c) => saveWeightsAndMetrics(save, writeSafetensors(net.state, { format: net.weightsFormat(), model: report.name }),
        { ...about, status: 'interrupted', epochs: c.epochs, bestEpoch: c.epoch, normalization: c.normalization, warnings })) : undefined,
    });
    if (r.diverged) {
      warnings.push(r.diverged);
      io.stderr.write(`\nconvlens train: ${r.diverged}\n`);
    }
    if (r.cancelled) io.stderr.write(`cancelled after ${r.steps} steps\n`);
    if (r.stoppedEarly) io.stderr.write(`stopped early; restored the weights of epoch ${r.bestEpoch}\n`);
    if (save) {
      const { predictions: _perImage, ...summary } = r;
      const status = r.cancelled || r.diverged ? 'stopped' : 'completed';
      saveWeightsAndMetrics(save, writeSafetensors(net.state, { format: net.weightsFormat(), model: report.name }), { ...about, status, ...summary, warnings });
      io.stderr.write(`saved ${save} and ${metricsPath(save)}\n`);
    }
    if (o.json) io.stdout.write(JSON.stringify(jsonSummary(r, warnings, params)) + '\n');
    else {
      const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)} %`);
      io.stdout.write(`${r.trainImagesPerSecond.toFixed(0)} images/s (training steps only); test accuracy ${pct(r.testAccuracy)}${o.train.tta ? (r.testAccuracyTTA === null ? ', TTA not run (it replays --augment, and none was given)' : `, with TTA ${pct(r.testAccuracyTTA)}`) : ''}; best epoch ${r.bestEpoch}\n`);
    }
    return r.cancelled ? 130 : r.diverged ? 1 : 0;
  } catch (e) {
    if (e instanceof TrainError) { io.stderr.write(`\nconvlens train: ${e.message}\n`); return 1; }
    if (e instanceof UsageError) { io.stderr.write(`convlens train: ${e.message}\n`); return 2; }
    throw e;
  }
}

export async function runTrain(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(`${TRAIN_USAGE}\n`); return 0; }
  let parsed: ReturnType<typeof parseTrainArgs>;
  try {
    parsed = parseTrainArgs(args);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`convlens train: ${e.message}\n${TRAIN_USAGE}\n`); return 2; }
    throw e;
  }
  let source: string;
  try {
    source = readFileSync(parsed.file, 'utf8');
  } catch {
    io.stderr.write(`convlens train: cannot read ${parsed.file}\n`);
    return 2;
  }
  const report = analyzeDocument(parsed.file, source, { entry: parsed.entry, host: nodeHost });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (report.models.length === 0) {
    io.stderr.write(`convlens train: no model found in ${parsed.file}${errors.length ? `: ${errors.map((d) => `${placeText(d)}: ${d.message}`).join('; ')}` : ''}\n`);
    return 1;
  }
  if (report.models.length > 1 && !parsed.entry) {
    io.stderr.write(`convlens train: ${parsed.file} defines ${report.models.map((m) => m.name).join(', ')}; choose one with --entry (e.g. --entry "${report.models[0].name}()")\n`);
    return 2;
  }
  const model = report.models[0];
  const modelErrors = model.diagnostics.filter((d) => d.severity === 'error');
  if (modelErrors.length) {
    io.stderr.write(`convlens train: ${model.name} has errors:\n${modelErrors.map((d) => `  ${placeText(d)}: ${d.message}`).join('\n')}\n`);
    return 1;
  }
  const script = parsed.options.exportScript;
  if (script) {
    try {
      exportTrainScript(model, parsed.file, parsed.entry, parsed.options, script, io);
      return 0;
    } catch (e) {
      if (e instanceof TrainError) { io.stderr.write(`convlens train: ${e.message}\n`); return 1; }
      if (e instanceof UsageError) { io.stderr.write(`convlens train: ${e.message}\n`); return 2; }
      throw e;
    }
  }
  const controller = { aborted: false };
  const onInterrupt = () => { controller.aborted = true; };
  process.once('SIGINT', onInterrupt);
  try {
    return await trainFromReport(model, parsed.options, io, controller);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
