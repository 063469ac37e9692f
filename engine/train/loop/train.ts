// The training loop: shuffled mini-batches with on-the-fly augmentation, a validation split, early
// stopping on validation loss that restores the best weights, evaluation with and without test-time
// augmentation, a learning-rate schedule, progress callbacks and cancellation between batches.
import { channelStats, writeView, type Normalization } from '../data/augment';
import { imageSize, subset, type DataSplits, type Dataset } from '../data/dataset';
import { dataFingerprint } from '../data/fingerprint';
import type { Network } from '../graph/network';
import { initParams, type InitScheme } from '../init/init';
import { selectKernels, type KernelChoice, type KernelName } from '../kernels/select';
import { workerHost } from '../kernels/worker-host';
import { TrainError } from '../layers/layer';
import { CrossEntropy } from '../loss/cross-entropy';
import { makeOptimizer, type OptimizerOptions } from '../optim/optimizer';
import { lrAt, type Schedule } from '../optim/schedule';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/tensor';
import { evaluate, type EvalResult } from './evaluate';
import { applyResume, type ResumeState } from './resume';
import { ttaViewCount } from './tta';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerOptions;
  schedule?: Schedule;
  init: InitScheme;
  seed: number;
  augment?: { crop?: boolean; flip?: boolean };
  /** Zero padding for random crops and test-time crops (default: an eighth of the image, at least 1). */
  cropPadding?: number;
  /** Test-time augmentation: only with the augmentations the run trained with, and only when it trained with some. */
  tta?: boolean;
  /** Stop after this many epochs without a lower validation loss, and restore the best weights. */
  earlyStopping?: number;
  /** Fraction of the training images held out for validation. */
  valSplit: number;
  /** Set `aborted` to stop between two batches. */
  signal?: { readonly aborted: boolean };
  /** Called after every batch; a returned promise is awaited (a host can pause there). */
  onBatch?(p: BatchProgress): void | Promise<void>;
  onEpoch?(m: EpochMetrics): void | Promise<void>;
  /**
   * Called at an epoch end when the network holds the best weights so far (the lowest validation loss,
   * or the latest epoch without validation): the moment to save a checkpoint a crash cannot take away.
   */
  onCheckpoint?(c: Checkpoint): void | Promise<void>;
  /** Called at every epoch end with what a run needs to go on from there (`resume`). */
  onEpochEnd?(s: ResumeState): void | Promise<void>;
  /** Goes on from a state `onEpochEnd` gave (the same data and options): the same run, epoch by epoch. */
  resume?: ResumeState;
  /** Milliseconds clock (performance.now by default). */
  now?(): number;
  /** WebAssembly SIMD or TypeScript kernels ('auto': WebAssembly when the runtime has it). */
  kernels?: KernelChoice;
  /**
   * Threads the WebAssembly kernels split convolutions across (default: one per core when the host
   * gives workers, see kernels/worker-host.ts; else 1). The results do not depend on it.
   */
  threads?: number;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  step: number;
  loss: number;
  accuracy: number;
  lr: number;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
  lr: number;
}

export interface Checkpoint {
  /** The epoch (1-based) whose weights the network holds. */
  epoch: number;
  epochs: EpochMetrics[];
  normalization: Normalization;
}

export interface TrainResult {
  /**
   * Training images per second of the steps alone (batch assembly, forward, backward, update), summed
   * batch by batch: without loading, progress callbacks, validation and testing. The CLI and the panel
   * both report this one, so their figures compare.
   */
  trainImagesPerSecond: number;
  epochs: EpochMetrics[];
  /** 1-based epoch whose weights the network holds at the end. */
  bestEpoch: number;
  stoppedEarly: boolean;
  cancelled: boolean;
  testAccuracy: number | null;
  testAccuracyTTA: number | null;
  testLoss: number | null;
  confusion: number[][] | null;
  /** The test images' predictions without test-time augmentation. */
  predictions: Pick<EvalResult, 'predicted' | 'confidence'> | null;
  normalization: Normalization;
  steps: number;
  /** The kernels that ran. */
  kernels: KernelName;
  /** Why the run stopped when the loss diverged (the network then holds the last good epoch's weights), else null. */
  diverged: string | null;
}

/**
 * A loss this far above chance level (ln K nats) is a diverged run even when it is finite: Adam
 * bounds its steps by the learning rate, so at a huge rate the weights grow without ever overflowing.
 */
const divergedLoss = (classes: number): number => 1000 * Math.log(Math.max(classes, 2));

/** Checks that the data fits the model's input; the message names the dimension and suggests resizing. */
export function checkInputFits(net: Network, shape: [number, number, number]): void {
  const want = net.inputShape;
  if (want.length !== 3) return;
  const names = ['channels', 'height', 'width'];
  for (let i = 0; i < 3; i++) {
    if (want[i] !== null && want[i] !== shape[i]) {
      throw new TrainError(`the model's input is (N, ${want.map((d) => d ?? '?').join(', ')}) but the images are (${shape.join(', ')}): `
        + `the ${names[i]} differ (${want[i]} vs ${shape[i]}); resize the data to ${want.map((d, j) => d ?? shape[j]).join('×')} (--resize) or change the model's input`);
    }
  }
}

export async function train(net: Network, data: DataSplits, o: TrainOptions): Promise<TrainResult> {
  if (!(o.epochs >= 1) || !Number.isInteger(o.epochs)) throw new TrainError(`epochs has to be a positive integer, got ${o.epochs}`);
  if (!(o.batchSize >= 1) || !Number.isInteger(o.batchSize)) throw new TrainError(`batch size has to be a positive integer, got ${o.batchSize}`);
  if (!(o.valSplit >= 0 && o.valSplit < 1)) throw new TrainError(`the validation split has to be in [0, 1), got ${o.valSplit}`);
  if (o.earlyStopping !== undefined && o.valSplit === 0) throw new TrainError('early stopping watches the validation loss: give a validation split (--val-split)');
  if (data.train.n === 0) throw new TrainError(`${data.name}: the training data holds no images`);
  checkInputFits(net, data.train.shape);
  const now = o.now ?? (() => performance.now());
  const kernels = await selectKernels(o.kernels ?? 'auto', o.threads ?? workerHost()?.cores ?? 1);
  net.placeParams();
  const rng = new Rng(o.seed);
  initParams(net.params, o.init, rng);

  // Validation split: a seeded shuffle, the last fraction held out.
  const order = rng.shuffle(Int32Array.from({ length: data.train.n }, (_, i) => i));
  const nVal = Math.floor(data.train.n * o.valSplit);
  const trainSet: Dataset = nVal ? subset(data.train, order.subarray(0, data.train.n - nVal)) : data.train;
  const valSet: Dataset | null = nVal ? subset(data.train, order.subarray(data.train.n - nVal)) : null;
  if (trainSet.n === 0) throw new TrainError('no training images left after the validation split');
  const norm = channelStats(trainSet.x, trainSet.n, trainSet.shape);
  const classes = Math.max(data.train.classes, data.test?.classes ?? 0);
  const pad = o.cropPadding ?? Math.max(1, Math.round(trainSet.shape[1] / 8));

  const opt = makeOptimizer(net.trained, o.optimizer, net.conventions.keras);
  const fingerprint = o.resume || o.onEpochEnd ? dataFingerprint(data) : '';
  const options = { seed: o.seed, batchSize: o.batchSize, valSplit: o.valSplit };
  const ce = new CrossEntropy(net.lossClip()), ctx = { training: true, rng };
  const sz = imageSize(trainSet), B = o.batchSize;
  const batches = Math.ceil(trainSet.n / B);
  const full = tensor([B, ...trainSet.shape]);
  const tail = trainSet.n % B ? tensor([trainSet.n % B, ...trainSet.shape]) : null;
  const idx = Int32Array.from({ length: trainSet.n }, (_, i) => i), labels = new Int32Array(B);
  const epochs: EpochMetrics[] = [];
  let best = { loss: Infinity, epoch: 0, snap: null as Float32Array[] | null };
  let step = 0, trainMs = 0, trainImages = 0, stoppedEarly = false, cancelled = false;
  let lastGood: { epoch: number; snap: Float32Array[] } | null = null, diverged: string | null = null, bestVal = Infinity;
  const lossLimit = divergedLoss(classes);
  const r0 = o.resume;
  if (r0) {
    applyResume(r0, { net, opt, optimizer: o.optimizer.name, rng, order: idx, data: fingerprint, options });
    epochs.push(...r0.epochs);
    ({ step, trainMs, trainImages, stoppedEarly } = r0);
    if (r0.best) best = { loss: r0.best.loss, epoch: r0.best.epoch, snap: r0.best.weights.map((w) => Float32Array.from(w)) };
    bestVal = r0.bestVal ?? Infinity;
    lastGood = { epoch: r0.epoch, snap: net.snapshot() };
  }

  for (let epoch = r0?.epoch ?? 0; epoch < o.epochs && !cancelled && !diverged && !stoppedEarly; epoch++) {
    const t0 = now();
    opt.lr = lrAt(o.schedule ?? { name: 'none' }, o.optimizer.lr, epoch, o.epochs);
    rng.shuffle(idx);
    let lossSum = 0, correct = 0, seen = 0;
    for (let b = 0; b < batches; b++) {
      if (o.signal?.aborted) { cancelled = true; break; }
      const tb = now();
      const start = b * B, n = Math.min(B, trainSet.n - start), x = n === B ? full : tail!;
      for (let i = 0; i < n; i++) {
        const view = {
          oy: o.augment?.crop ? rng.int(2 * pad + 1) : pad,
          ox: o.augment?.crop ? rng.int(2 * pad + 1) : pad,
          flip: o.augment?.flip ? rng.uniform() < 0.5 : false,
        };
        writeView(trainSet.x, idx[start + i] * sz, trainSet.shape, pad, view, norm, x.data, i * sz);
      }
      for (let i = 0; i < n; i++) labels[i] = trainSet.y[idx[start + i]];
      net.zeroGrad();
      const r = ce.compute(net.forward(x, ctx), labels);
      step++;
      if (!Number.isFinite(r.loss) || r.loss > lossLimit) {
        const what = Number.isNaN(r.loss) ? 'NaN' : Number.isFinite(r.loss) ? `${r.loss.toPrecision(3)} (diverged)` : 'infinite';
        const why = `the loss became ${what} at step ${step} (epoch ${epoch + 1}, batch ${b + 1}): lower the learning rate (now ${opt.lr}) or check the data`;
        if (!lastGood) throw new TrainError(why);
        diverged = `${why}; training stopped and kept the weights of epoch ${lastGood.epoch}`;
        break;
      }
      net.backward(r.grad);
      opt.step();
      trainMs += now() - tb; trainImages += n;
      lossSum += r.loss * n; correct += r.correct; seen += n;
      await o.onBatch?.({ epoch: epoch + 1, batch: b + 1, batches, step, loss: r.loss, accuracy: r.correct / n, lr: opt.lr });
    }
    if (seen === 0 || diverged) break;
    const val = valSet ? evaluate(net, valSet, norm, { classes, pad }) : null;
    const m: EpochMetrics = {
      epoch: epoch + 1, trainLoss: lossSum / seen, trainAccuracy: correct / seen,
      valLoss: val?.loss ?? null, valAccuracy: val?.accuracy ?? null, seconds: (now() - t0) / 1000, lr: opt.lr,
    };
    epochs.push(m);
    lastGood = { epoch: epoch + 1, snap: net.snapshot() };
    await o.onEpoch?.(m);
    if (!val || val.loss < bestVal) {
      bestVal = val?.loss ?? Infinity;
      await o.onCheckpoint?.({ epoch: epoch + 1, epochs: [...epochs], normalization: norm });
    }
    if (o.earlyStopping !== undefined && val) {
      if (val.loss < best.loss) best = { loss: val.loss, epoch: epoch + 1, snap: net.snapshot() };
      else if (epoch + 1 - best.epoch >= o.earlyStopping) stoppedEarly = true;
    }
    await o.onEpochEnd?.({
      epoch: epoch + 1, step, stoppedEarly, epochs: [...epochs], rng: rng.state, order: Int32Array.from(idx), weights: net.snapshot(),
      optimizer: { name: o.optimizer.name, ...opt.exportState() },
      best: best.snap && { loss: best.loss, epoch: best.epoch, weights: best.snap.map((w) => Float32Array.from(w)) },
      bestVal: Number.isFinite(bestVal) ? bestVal : null, trainMs, trainImages, options, data: fingerprint, normalization: norm,
    });
  }
  let bestEpoch = epochs.length;
  if (best.snap) { net.restore(best.snap); bestEpoch = best.epoch; } else if (diverged && lastGood) net.restore(lastGood.snap);

  const test = data.test && data.test.n > 0 ? evaluate(net, data.test, norm, { classes, pad }) : null;
  const trained = { crop: !!o.augment?.crop, flip: !!o.augment?.flip };
  const testTTA = data.test && data.test.n > 0 && ttaViewCount(!!o.tta, trained) > 0 ? evaluate(net, data.test, norm, { classes, pad, tta: trained }) : null;
  return {
    trainImagesPerSecond: trainMs > 0 ? (trainImages * 1000) / trainMs : 0,
    epochs, bestEpoch, stoppedEarly, cancelled,
    testAccuracy: test?.accuracy ?? null, testAccuracyTTA: testTTA?.accuracy ?? null, testLoss: test?.loss ?? null,
    confusion: test?.confusion ?? null, predictions: test && { predicted: test.predicted, confidence: test.confidence },
    normalization: norm, steps: step, kernels, diverged,
  };
}
