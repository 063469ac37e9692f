// The training worker (dist/train-worker.js): one job per thread — check a model against a
// dataset, train it, or compute the feature maps of one image — then the host ends the thread.
// Pause and stop arrive through shared memory, so they act between two batches even though the
// training loop never returns to the event loop.
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { nodeWorkerHost } from '../engine/cli/node-host';
import { loadDataDir, loadIdxFiles, loadMnistSubset } from '../engine/cli/train-data';
import { imageSize, take, type DataSplits } from '../engine/train/data/dataset';
import { fitReport } from '../engine/train/data/fit';
import { fitSplits } from '../engine/train/data/resize';
import { syntheticSplits } from '../engine/train/data/synthetic';
import { UnsupportedModel, outputNode } from '../engine/train/graph/build';
import { networkFor, trainingNetworkFor } from '../engine/train/graph/network-for';
import type { Network } from '../engine/train/graph/network';
import { paramCounts, type ParamCounts } from '../engine/train/graph/trainable';
import { firstLayerFilters } from '../engine/train/inspect/filters';
import { setWorkerHost } from '../engine/train/kernels/worker-host';
import { featureMaps } from '../engine/train/inspect/maps';
import { imagesToBytes } from '../engine/train/inspect/pixels';
import { sampleOrder } from '../engine/train/inspect/samples';
import { TrainError } from '../engine/train/layers/layer';
import { ResumeError, type ResumeState } from '../engine/train/loop/resume';
import { train } from '../engine/train/loop/train';
import { trainWarnings } from '../engine/train/loop/warnings';
import { decodeCheckpoint, encodeCheckpoint } from '../engine/train/save/checkpoint';
import { loadState, readSafetensors, writeSafetensors } from '../engine/train/save/safetensors';
import type { DataInfo, RunResult } from '../webview/trainProtocol';
import { exportScript } from './trainExport';
import { settingsOptions, testLimit } from './trainOptions';
import { CONTROL, type DataSpec, type FromWorker, type ModelSpec, type ToWorker } from './trainWorkerProtocol';

// Convolutions split across the cores on worker threads started from this one.
setWorkerHost(nodeWorkerHost);
const port = parentPort;
if (!port) throw new Error('train-worker.js runs as a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);
const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

const SAMPLES = 32;

function imageInput(net: Network): [number | null, number | null, number | null] {
  const s = net.inputShape;
  if (s.length !== 3) {
    throw new TrainError(`the training panel trains image models, whose input is (N, C, H, W); this model's input has ${s.length + 1} dimensions`);
  }
  return [s[0], s[1], s[2]];
}

function loadSplits(spec: DataSpec, model: [number | null, number | null, number | null]): DataSplits {
  let s: DataSplits;
  switch (spec.kind) {
    case 'mnist': s = loadMnistSubset(); break;
    case 'folder': s = loadDataDir(spec.path, spec.seed); break;
    case 'idx': s = loadIdxFiles(spec.files, dirname(spec.files[0] ?? '.')); break;
    default: s = syntheticSplits(spec.kind, spec.limit, Math.max(100, Math.floor(spec.limit / 4)), [model[0] ?? 1, model[1] ?? 28, model[2] ?? 28], spec.seed);
  }
  return { ...s, train: take(s.train, spec.limit), test: s.test && take(s.test, testLimit(spec.limit)) };
}

function dataInfo(s: DataSplits, label: string): DataInfo {
  return { label, shape: s.train.shape, classes: Math.max(s.train.classes, s.test?.classes ?? 0), train: s.train.n, test: s.test?.n ?? 0, classNames: s.train.classNames };
}

/** The classes the model can tell apart (its output's last size), when the report knows it. */
function outputClasses(model: ModelSpec): number | null {
  const out = outputNode(model.graph, model.graphOutput);
  const k = out?.outputShape?.[out.outputShape.length - 1];
  return typeof k === 'number' ? k : null;
}

function check(model: ModelSpec, spec: DataSpec): void {
  let input: [number | null, number | null, number | null], params: ParamCounts;
  try {
    const net = trainingNetworkFor(model);
    params = paramCounts(net.params);
    input = imageInput(net);
  } catch (e) {
    if (e instanceof UnsupportedModel) return post({ type: 'checked', problems: e.problems });
    if (e instanceof TrainError) return post({ type: 'checked', problems: [], blocker: e.message });
    throw e;
  }
  try {
    const s = loadSplits(spec, input);
    const data = dataInfo(s, s.name), k = outputClasses(model);
    const dataError = k !== null && data.classes > k
      ? `the data has ${data.classes} classes but the model's output has ${k} values: choose other data or change the last layer`
      : undefined;
    post({ type: 'checked', problems: [], params, data, fit: fitReport(input, s.train.shape), dataError });
  } catch (e) {
    if (!(e instanceof TrainError)) throw e;
    post({ type: 'checked', problems: [], params, dataError: e.message });
  }
}

/** Until the first batch of a resumed run, any failure refuses the resume: nothing was trained, nothing is saved. */
async function runTraining(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  let started = false;
  try {
    await trainRun(msg, () => { started = true; });
  } catch (e) {
    if (!(e instanceof ResumeError || (msg.resume && !started && e instanceof TrainError))) throw e;
    post({ type: 'refused', message: e.message });
  }
}

async function trainRun(msg: Extract<ToWorker, { type: 'train' }>, onStart: () => void): Promise<void> {
  const { model, data: spec, settings: o } = msg;
  const ctrl = new Int32Array(msg.control);
  const net = trainingNetworkFor(model);
  const input = imageInput(net);
  const resume: ResumeState | undefined = msg.resume && decodeCheckpoint(msg.resume, net);
  let data = loadSplits(spec, input);
  const fit = fitReport(input, data.train.shape);
  if (!fit.fits) data = fitSplits(data, fit.target, o.fit);
  const info = dataInfo(data, data.name);
  const valN = Math.floor(data.train.n * o.valSplit);
  const batches = Math.ceil((data.train.n - valN) / o.batchSize);
  post({ type: 'loaded', data: info, batches, warnings: trainWarnings(net, data, batches * o.epochs, model), resumedAt: resume?.epoch });
  let step = resume?.step ?? 0, best: { epoch: number; weights: Uint8Array } | null = null;
  const r = await train(net, data, {
    ...settingsOptions(o),
    signal: { get aborted() { return Atomics.load(ctrl, 0) === CONTROL.stop; } },
    resume,
    onBatch: (p) => {
      onStart();
      step = p.step;
      post({ type: 'batch', point: { step: p.step, epoch: p.epoch, loss: p.loss, accuracy: p.accuracy }, batch: p.batch, batches: p.batches });
      // Paused: this thread sleeps until the host changes the flag (resume or stop).
      while (Atomics.load(ctrl, 0) === CONTROL.pause) Atomics.wait(ctrl, 0, CONTROL.pause, 1000);
    },
    onEpoch: (m) => post({ type: 'epoch', metrics: m, step }),
    onCheckpoint: (c) => { best = { epoch: c.epoch, weights: writeSafetensors(net.state, { format: net.weightsFormat(), model: model.name }) }; },
    onEpochEnd: (state) => {
      onStart();
      post({ type: 'checkpoint', epoch: state.epoch, resume: encodeCheckpoint(net, state), best, normalization: state.normalization });
      best = null;
    },
  });
  const test = data.test;
  const classNames = data.train.classNames ?? Array.from({ length: info.classes }, (_, i) => String(i));
  const order = test && r.predictions ? sampleOrder(test.y, r.predictions.predicted, r.predictions.confidence, SAMPLES) : [];
  const sz = test ? imageSize(test) : 0, [C, H, W] = data.train.shape;
  const sampleBytes = new Uint8Array(order.length * sz);
  order.forEach((i, k) => sampleBytes.set(imagesToBytes(test!.x, i * sz, sz), k * sz));
  const filters = firstLayerFilters(net);
  const result: RunResult = {
    testAccuracy: r.testAccuracy, testAccuracyTTA: r.testAccuracyTTA, bestEpoch: r.bestEpoch, stoppedEarly: r.stoppedEarly,
    classNames, confusion: r.confusion ?? [], imagesPerSecond: r.trainImagesPerSecond,
    samples: {
      count: order.length, channels: C, h: H, w: W, pixels: base64(sampleBytes),
      labels: order.map((i) => test!.y[i]), predicted: order.map((i) => r.predictions!.predicted[i]), confidence: order.map((i) => r.predictions!.confidence[i]),
    },
    filters: filters && { count: filters.count, channels: filters.channels, h: filters.kh, w: filters.kw, pixels: base64(filters.pixels), layer: filters.path, line: filters.line },
  };
  const weights = writeSafetensors(net.state, { format: net.weightsFormat(), model: model.name });
  post({ type: 'done', cancelled: r.cancelled, diverged: r.diverged, result, epochs: r.epochs, normalization: r.normalization, weights, data: info });
}

function features(msg: Extract<ToWorker, { type: 'features' }>): void {
  const net = networkFor(msg.model);
  loadState(net.state, readSafetensors(msg.weights));
  const image = Float32Array.from(msg.image.pixels, (v) => v / 255);
  const layers = featureMaps(net, image, msg.image.shape, msg.normalization).map((m) => ({
    type: m.type, path: m.path, line: m.line, shape: m.shape,
    maps: { count: m.shown, channels: 1, h: m.shape[1], w: m.shape[2], pixels: base64(m.pixels) },
  }));
  post({ type: 'features', layers });
}

port.once('message', (msg: ToWorker) => {
  const job = async (): Promise<void> => {
    if (msg.type === 'check') return check(msg.model, msg.data);
    if (msg.type === 'train') return runTraining(msg);
    if (msg.type === 'export') return post({ type: 'script', text: exportScript(msg) });
    return features(msg);
  };
  job().catch((e: unknown) => {
    const problems = e instanceof UnsupportedModel ? e.problems : undefined;
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), problems });
  });
});
