// The typed messages between the extension and the training webview, both ways, and their
// validators (built from the same checks as the summary's protocol). Paths never travel from the
// webview: it asks the extension to show a picker, and the extension keeps what the user chose.
import { arrayOf, bool, type Check, num, oneOf, shape, str, validate } from './protocol';

export type DatasetKind = 'mnist' | 'bars' | 'shapes' | 'folder' | 'idx';
export type OptimizerChoice = 'sgd' | 'adam' | 'adamw';
export type InitChoice = 'default' | 'xavier' | 'he';
export type FitChoice = 'resize' | 'pad';

/** Everything the form holds: the dataset and the hyper-parameters of one run. */
export interface TrainSettings {
  dataset: DatasetKind;
  /** Training images used (the first ones; synthetic sets are made this big). */
  limit: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerChoice;
  lr: number;
  momentum: number;
  weightDecay: number;
  init: InitChoice;
  crop: boolean;
  flip: boolean;
  tta: boolean;
  /** Early-stopping patience in epochs; 0 = off. */
  patience: number;
  valSplit: number;
  seed: number;
  fit: FitChoice;
}

export interface LayerProblem { type: string; line: number; path?: string; why: string }

export interface ModelInfo {
  name: string;
  /** A Keras model trains with Keras's conventions and has no PyTorch script or load code. */
  framework: 'pytorch' | 'keras';
  file: string;
  line: number;
  /** The model's input as printed, e.g. (N, 1, 28, 28). */
  input: string;
  params: number;
  /** What a run trains and keeps frozen (requires_grad=False), once the worker has built the network. */
  training?: { trainable: number; frozen: number };
  macs: number;
  /** Why the model cannot be trained, layer by layer; empty when it can. */
  problems: LayerProblem[];
  /** A reason not tied to a layer (no graph, unknown input shape, not an image model). */
  blocker?: string;
}

export interface DataInfo {
  label: string;
  shape: [number, number, number];
  classes: number;
  train: number;
  test: number;
  classNames?: string[];
}

export interface FitInfo { fits: boolean; differences: string[]; target: [number, number, number]; channelsOnly: boolean }

export type RunState = 'idle' | 'checking' | 'loading' | 'running' | 'paused' | 'stopping' | 'done' | 'stopped' | 'failed';

export interface BatchPoint { step: number; epoch: number; loss: number; accuracy: number }
export interface EpochPoint {
  epoch: number; step: number; trainLoss: number; trainAccuracy: number;
  valLoss: number | null; valAccuracy: number | null; seconds: number;
}

/** A picture set: `count` images of (channels, h, w) bytes, base64. */
export interface Pictures { count: number; channels: number; h: number; w: number; pixels: string }

export interface RunResult {
  testAccuracy: number | null;
  testAccuracyTTA: number | null;
  bestEpoch: number;
  stoppedEarly: boolean;
  classNames: string[];
  /** confusion[true][predicted]. */
  confusion: number[][];
  samples: Pictures & { labels: number[]; predicted: number[]; confidence: number[] };
  filters: (Pictures & { layer: string; line: number }) | null;
  imagesPerSecond: number;
}

export interface RunListItem {
  id: string;
  model: string;
  file: string;
  created: string;
  data: string;
  /** interrupted: the window closed or the host died during training; its last checkpoint was kept. */
  status: 'completed' | 'stopped' | 'failed' | 'interrupted';
  /** Epochs trained, of `plannedEpochs`. */
  epochs: number;
  plannedEpochs: number;
  testAccuracy: number | null;
}

export interface Curves { id: string; label: string; batches: BatchPoint[]; epochs: EpochPoint[]; bestEpoch: number | null }

export interface FeatureLayer { type: string; path?: string; line: number; shape: [number, number, number]; maps: Pictures }

export type TrainToWebview =
  | { type: 'model'; uri: string; model: ModelInfo; changed: boolean }
  | { type: 'settings'; settings: TrainSettings }
  | { type: 'data'; state: 'checking' | 'ready' | 'error'; label: string; info?: DataInfo; fit?: FitInfo; error?: string }
  | { type: 'status'; state: RunState; runId?: string; message?: string; epoch: number; epochs: number; batch: number; batches: number; seconds: number }
  | { type: 'progress'; reset: boolean; batches: BatchPoint[]; epochs: EpochPoint[]; bestEpoch: number | null }
  | { type: 'result'; runId: string; result: RunResult }
  | { type: 'features'; sample: number; layers: FeatureLayer[]; error?: string }
  | { type: 'runs'; runs: RunListItem[] }
  | { type: 'compare'; curves: Curves[] }
  /**
   * The opened run was interrupted after `epoch` of `epochs` epochs; its saved weights are those of
   * `weightsEpoch`. `resumable` is false with the reason in `why` (another model's run, no resume state).
   */
  | { type: 'interrupted'; runId: string; epoch: number; epochs: number; weightsEpoch: number | null; resumable: boolean; why?: string };

export type TrainFromWebview =
  | { type: 'ready' }
  | { type: 'setData'; dataset: DatasetKind; limit: number }
  | { type: 'pickData'; kind: 'folder' | 'idx' }
  | { type: 'start'; settings: TrainSettings }
  /** Write the PyTorch training script of a run with these settings (the extension asks where). */
  | { type: 'exportScript'; settings: TrainSettings }
  | { type: 'pause' } | { type: 'resume' } | { type: 'stop' } | { type: 'restart' }
  | { type: 'features'; sample: number }
  | { type: 'openRun'; id: string }
  | { type: 'compare'; ids: string[] }
  | { type: 'exportWeights'; id: string }
  | { type: 'copyCode'; id: string }
  /** Go on training an interrupted run from its last epoch end (not `resume`, which ends a pause). */
  | { type: 'resumeRun'; id: string }
  | { type: 'reveal'; line: number };

const int = (lo: number, hi: number): Check => (v) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
const real = (lo: number, hi: number): Check => (v) => num(v) && (v as number) >= lo && (v as number) <= hi;
const orNull = (c: Check): Check => (v) => v === null || c(v);
const optional = (c: Check): Check => (v) => v === undefined || c(v);
/** A run id is a folder name under .convlens/runs: never `.`, `..` or hidden, never a path. */
export const isRunId = (v: unknown): v is string => typeof v === 'string' && /^[\w-][\w.-]{0,79}$/.test(v) && !v.includes('..');
const runId: Check = isRunId;
const dims3: Check = (v) => Array.isArray(v) && v.length === 3 && v.every((d) => Number.isInteger(d) && d > 0);

const DATASETS = ['mnist', 'bars', 'shapes', 'folder', 'idx'];
const settings = shape({
  dataset: oneOf(...DATASETS), limit: int(1, 1_000_000), epochs: int(1, 1000), batchSize: int(1, 4096),
  optimizer: oneOf('sgd', 'adam', 'adamw'), lr: (v) => num(v) && (v as number) > 0 && (v as number) <= 10,
  momentum: real(0, 0.999), weightDecay: real(0, 1), init: oneOf('default', 'xavier', 'he'),
  crop: bool, flip: bool, tta: bool, patience: int(0, 1000), valSplit: real(0, 0.9), seed: int(0, 2 ** 31 - 1),
  fit: oneOf('resize', 'pad'),
});
const problem = shape({ type: str, line: num, path: optional(str), why: str });
const pictures = shape({ count: int(0, 1e6), channels: int(1, 3), h: int(0, 1e5), w: int(0, 1e5), pixels: str });
const batchPoint = shape({ step: num, epoch: num, loss: num, accuracy: num });
const epochPoint = shape({ epoch: num, step: num, trainLoss: num, trainAccuracy: num, valLoss: orNull(num), valAccuracy: orNull(num), seconds: num });
const numbers = arrayOf(num);

const toWebview: Record<TrainToWebview['type'], Check> = {
  model: shape({
    uri: str,
    model: shape({
      name: str, file: str, line: num, input: str, params: num, macs: num, problems: arrayOf(problem), blocker: optional(str),
      training: optional(shape({ trainable: num, frozen: num })),
    }),
    changed: bool,
  }),
  settings: shape({ settings }),
  data: shape({
    state: oneOf('checking', 'ready', 'error'), label: str, error: optional(str),
    info: optional(shape({ label: str, shape: dims3, classes: num, train: num, test: num, classNames: optional(arrayOf(str)) })),
    fit: optional(shape({ fits: bool, differences: arrayOf(str), target: dims3, channelsOnly: bool })),
  }),
  status: shape({
    state: oneOf('idle', 'checking', 'loading', 'running', 'paused', 'stopping', 'done', 'stopped', 'failed'),
    runId: optional(runId), message: optional(str), epoch: num, epochs: num, batch: num, batches: num, seconds: num,
  }),
  progress: shape({ reset: bool, batches: arrayOf(batchPoint), epochs: arrayOf(epochPoint), bestEpoch: orNull(num) }),
  result: shape({
    runId,
    result: shape({
      testAccuracy: orNull(num), testAccuracyTTA: orNull(num), bestEpoch: num, stoppedEarly: bool, classNames: arrayOf(str),
      confusion: arrayOf(numbers), imagesPerSecond: num,
      samples: (v) => pictures(v) && shape({ labels: numbers, predicted: numbers, confidence: numbers })(v),
      filters: orNull((v) => pictures(v) && shape({ layer: str, line: num })(v)),
    }),
  }),
  features: shape({ sample: num, error: optional(str), layers: arrayOf(shape({ type: str, path: optional(str), line: num, shape: dims3, maps: pictures })) }),
  runs: shape({ runs: arrayOf(shape({ id: runId, model: str, file: str, created: str, data: str, status: oneOf('completed', 'stopped', 'failed', 'interrupted'), epochs: num, plannedEpochs: num, testAccuracy: orNull(num) })) }),
  compare: shape({ curves: arrayOf(shape({ id: runId, label: str, batches: arrayOf(batchPoint), epochs: arrayOf(epochPoint), bestEpoch: orNull(num) })) }),
  interrupted: shape({ runId, epoch: num, epochs: num, weightsEpoch: orNull(num), resumable: bool, why: optional(str) }),
};

const none: Check = () => true;
const fromWebview: Record<TrainFromWebview['type'], Check> = {
  ready: none, pause: none, resume: none, stop: none, restart: none,
  setData: shape({ dataset: oneOf(...DATASETS), limit: int(1, 1_000_000) }),
  pickData: shape({ kind: oneOf('folder', 'idx') }),
  start: shape({ settings }),
  exportScript: shape({ settings }),
  features: shape({ sample: int(0, 1e6) }),
  openRun: shape({ id: runId }),
  compare: shape({ ids: (v) => Array.isArray(v) && v.length >= 1 && v.length <= 4 && v.every(runId) }),
  exportWeights: shape({ id: runId }),
  copyCode: shape({ id: runId }),
  resumeRun: shape({ id: runId }),
  reveal: shape({ line: int(1, 1e7) }),
};

/** The message if it is a well-formed message to the training webview, else undefined. */
export const parseTrainToWebview = (v: unknown): TrainToWebview | undefined => validate<TrainToWebview>(toWebview, v);
/** The message if it is a well-formed message from the training webview, else undefined. */
export const parseTrainFromWebview = (v: unknown): TrainFromWebview | undefined => validate<TrainFromWebview>(fromWebview, v);
