// What an exported training script is made from, and what becomes of every setting of a run: each
// key of TrainOptions (and of the option objects inside it) is listed here as written into the
// script, as a hook of the process that hosts the loop (no setting of the run), or as refused with a
// message naming it. The tables are typed by the option types' keys, so a new option does not compile
// until it is listed; test/unit/train/export-settings.test.ts walks the types themselves.
import type { InitRule } from '../init/init';
import type { TrainOptions } from '../loop/train';
import type { OptimizerOptions } from '../optim/optimizer';
import type { Schedule } from '../optim/schedule';
import type { FitMode } from '../data/resize';
import { TrainError } from '../layers/layer';

/** How a setting reaches the script. */
export type Carried =
  | { how: 'script'; as: string }
  | { how: 'host'; why: string }
  | { how: 'refused'; why: string };

/** The settings a script can be made from: TrainOptions without what only a running process has. */
export type ExportOptions = Omit<TrainOptions, 'signal' | 'onBatch' | 'onEpoch' | 'onCheckpoint' | 'onEpochEnd' | 'now'>;

export const TRAIN_OPTIONS: Record<keyof TrainOptions, Carried> = {
  epochs: { how: 'script', as: 'EPOCHS' },
  batchSize: { how: 'script', as: 'BATCH_SIZE' },
  optimizer: { how: 'script', as: 'OPTIMIZER' },
  schedule: { how: 'script', as: 'LR_SCHEDULE' },
  init: { how: 'script', as: 'INIT (one rule per parameter)' },
  seed: { how: 'script', as: 'SEED, and VAL_SPLIT_STATE for the same validation split' },
  augment: { how: 'script', as: 'AUGMENT' },
  cropPadding: { how: 'script', as: 'CROP_PADDING' },
  tta: { how: 'script', as: 'TTA' },
  earlyStopping: { how: 'script', as: 'EARLY_STOPPING' },
  valSplit: { how: 'script', as: 'VAL_SPLIT' },
  kernels: { how: 'host', why: 'which kernels ConvLens computes with (PyTorch uses its own); the results are the same' },
  threads: {
    how: 'host',
    why: 'how many threads ConvLens splits its kernels across (PyTorch picks its own); the results are the same',
  },
  signal: { how: 'host', why: 'how the host stops a run (the script stops on Ctrl+C)' },
  onBatch: { how: 'host', why: 'the host\'s progress display (the script prints its own)' },
  onEpoch: { how: 'host', why: 'the host\'s progress display (the script prints its own)' },
  onCheckpoint: { how: 'host', why: 'the host saves the best weights (the script saves them at the same epochs)' },
  onEpochEnd: { how: 'host', why: 'the host saves the state to resume from' },
  now: { how: 'host', why: 'the host\'s clock' },
  resume: {
    how: 'refused',
    why: 'a resumed run goes on from ConvLens\'s checkpoint, which a PyTorch script cannot load: '
      + 'export the run\'s settings, and the script trains from the first epoch',
  },
};

export const OPTIMIZER_OPTIONS: Record<keyof OptimizerOptions, Carried> = {
  name: { how: 'script', as: 'OPTIMIZER' },
  lr: { how: 'script', as: 'LR' },
  momentum: { how: 'script', as: 'MOMENTUM' },
  dampening: { how: 'script', as: 'DAMPENING' },
  nesterov: { how: 'script', as: 'NESTEROV' },
  weightDecay: { how: 'script', as: 'WEIGHT_DECAY' },
  betas: { how: 'script', as: 'BETAS' },
  eps: { how: 'script', as: 'EPS' },
};

export const SCHEDULE_OPTIONS: Record<keyof Schedule, Carried> = {
  name: { how: 'script', as: 'LR_SCHEDULE' },
  stepSize: { how: 'script', as: 'STEP_SIZE' },
  gamma: { how: 'script', as: 'GAMMA' },
};

export const AUGMENT_OPTIONS: Record<keyof NonNullable<TrainOptions['augment']>, Carried> = {
  crop: { how: 'script', as: 'AUGMENT' },
  flip: { how: 'script', as: 'AUGMENT' },
};

/** The option tables by the path of the object they describe in TrainOptions ('' = TrainOptions itself). */
export const OPTION_TABLES: Record<string, Record<string, Carried>> = {
  '': TRAIN_OPTIONS, optimizer: OPTIMIZER_OPTIONS, schedule: SCHEDULE_OPTIONS, augment: AUGMENT_OPTIONS,
};

/** Where the images come from, as the run loaded them. Paths are relative to the script's folder or absolute. */
export type ExportDataSource =
  /** The MNIST subset ConvLens ships: the first `train` and `test` images of MNIST's IDX files. */
  | { kind: 'mnist'; train: number; test: number }
  /** MNIST-format IDX files (optionally gzipped), told apart by their names. */
  | { kind: 'idx'; files: string[] }
  /** Images in class sub-folders (or train/ and test/ folders of them). */
  | { kind: 'folder'; dir: string }
  /** ConvLens's synthetic images, made again by the same generator. */
  | { kind: 'synthetic'; which: 'bars' | 'shapes'; train: number; test: number; shape: [number, number, number] };

export interface ExportData {
  source: ExportDataSource;
  /** The first images kept of each split (after the image folder's own split), undefined = all. */
  trainLimit?: number;
  testLimit?: number;
  /** How images that do not fit the model's input are brought to it; 'none' refuses them. */
  fit: FitMode | 'none';
  /** A label for messages: `MNIST subset`, `images in data/`. */
  label: string;
}

/** One parameter of the model as the run had it: its state_dict name, shape, first values' rule and whether it trains. */
export interface ExportParam {
  name: string;
  shape: number[];
  init: InitRule;
  trainable: boolean;
}

export interface ExportModel {
  /** The model's file, relative to the script's folder ('/'-separated) or absolute. */
  file: string;
  /** What the run trained: a class (instantiated with no arguments), a variable, or the --entry expression. */
  entry: string;
  name: string;
  /** (C, H, W) or what the report knows of it (null = any). */
  inputShape: Array<number | null>;
  params: ExportParam[];
  /** Trainable parameters no layer reads (DistributedDataParallel has to be told). */
  unusedTrainable: boolean;
}

export interface ExportConfig {
  model: ExportModel;
  data: ExportData;
  options: ExportOptions;
  /** The generator's state after the run's initialisation, where the run draws its validation split. */
  splitState: [number, number, number, number];
  /** The weights file the script writes, absolute or relative to the script's folder. */
  save: string;
  /** Who made the script, for its header: `convlens train --export-script`, `the ConvLens training panel`. */
  madeBy: string;
}

/** A refused setting or model: the message names it. */
export class ExportError extends TrainError {}

/** Refuses what a script cannot carry, naming the setting. */
export function checkExportable(o: ExportOptions): void {
  for (const [key, c] of Object.entries(TRAIN_OPTIONS)) {
    if (c.how === 'refused' && (o as Record<string, unknown>)[key] !== undefined) throw new ExportError(`cannot export ${key}: ${c.why}`);
  }
}
