// Messages between the extension host and the training worker (dist/train-worker.js). Both ends are
// ours and structured cloning carries typed arrays, so these are types only, not validated.
import type { GraphNode, ModelReport } from '../engine/report/types';
import type { Normalization } from '../engine/train/data/augment';
import type { ParamCounts } from '../engine/train/graph/trainable';
import type { EpochMetrics } from '../engine/train/loop/train';
import type { BatchPoint, DataInfo, FeatureLayer, FitInfo, LayerProblem, RunResult, TrainSettings } from '../webview/trainProtocol';

/** A PyTorch model when `framework` is absent. */
export type ModelSpec = Pick<ModelReport, 'name' | 'parameters'> & Partial<Pick<ModelReport, 'framework' | 'graphOutput' | 'outputShapes'>>
  & { graph: GraphNode[] };

/** The data to load; paths are the ones the user picked. */
export type DataSpec =
  | { kind: 'mnist' | 'bars' | 'shapes'; limit: number; seed: number }
  | { kind: 'folder'; path: string; limit: number; seed: number }
  | { kind: 'idx'; files: string[]; limit: number; seed: number };

/** Control flags in shared memory, so that pause/stop reach a worker busy in its training loop. */
export const CONTROL = { run: 0, pause: 1, stop: 2 } as const;

export type ToWorker =
  | { type: 'check'; model: ModelSpec; data: DataSpec }
  /** `resume`: the bytes of a run's resume checkpoint (engine/train/save/checkpoint.ts) to go on from. */
  | { type: 'train'; model: ModelSpec; data: DataSpec; settings: TrainSettings; control: SharedArrayBuffer; resume?: Uint8Array }
  | { type: 'features'; model: ModelSpec; weights: Uint8Array; normalization: Normalization; image: { shape: [number, number, number]; pixels: Uint8Array } }
  /**
   * The PyTorch training script of a run with these settings: `file` is the model's file, `entry` what
   * the run built (the report's name), `scriptDir` where the script goes, `save` the weights it writes.
   */
  | { type: 'export'; model: ModelSpec; data: DataSpec; settings: TrainSettings; file: string; entry: string; scriptDir: string; save: string; label: string };

export type FromWorker =
  /** `params`: what a run trains and keeps frozen, once the network is built. */
  | { type: 'checked'; problems: LayerProblem[]; blocker?: string; params?: ParamCounts; data?: DataInfo; fit?: FitInfo; dataError?: string }
  /** `resumedAt`: a resumed run goes on after this epoch. */
  | { type: 'loaded'; data: DataInfo; batches: number; warnings: string[]; resumedAt?: number }
  /**
   * An epoch end, for the host to save what a crash cannot take away: the state to resume from, and
   * the weights of `best.epoch` when this epoch is the best so far.
   */
  | { type: 'checkpoint'; epoch: number; resume: Uint8Array; best: { epoch: number; weights: Uint8Array } | null; normalization: Normalization }
  | { type: 'batch'; point: BatchPoint; batch: number; batches: number }
  | { type: 'epoch'; metrics: EpochMetrics; step: number }
  | { type: 'done'; cancelled: boolean; diverged: string | null; result: RunResult; epochs: EpochMetrics[]; normalization: Normalization; weights: Uint8Array; data: DataInfo }
  | { type: 'features'; layers: FeatureLayer[] }
  | { type: 'script'; text: string }
  | { type: 'error'; message: string; problems?: LayerProblem[] }
  /** A resume that could not start (the checkpoint unreadable, the model or data changed): nothing was trained. */
  | { type: 'refused'; message: string };
