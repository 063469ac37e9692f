// Saved runs: `.convlens/runs/<id>/` in the workspace folder of the model's file, holding
// config.json (model graph, data, settings), metrics.json (curves and results),
// weights.safetensors (the best weights, PyTorch state_dict names) and resume.safetensors (the state
// to resume from, engine/train/save/checkpoint.ts). Written through vscode.workspace.fs, each file
// atomically; a running run saves a checkpoint at every epoch end (the best weights when the epoch is
// the best so far), its metrics marked `interrupted` until the run ends, so a closed window or a
// crashed host still leaves what was trained, and the run can go on from there.
import * as vscode from 'vscode';
import type { Normalization } from '../engine/train/data/augment';
import { isRunId, type BatchPoint, type DataInfo, type EpochPoint, type RunListItem, type RunResult, type TrainSettings } from '../webview/trainProtocol';
import { writeFileAtomic } from './atomicWrite';
import type { DataSpec, ModelSpec } from './trainWorkerProtocol';

export interface RunConfig {
  id: string;
  created: string;
  model: ModelSpec & { file: string; line: number };
  /** `spec`: what the worker loads, so that a resumed run reads the same data (absent in runs before resuming existed). */
  data: { kind: TrainSettings['dataset']; label: string; limit: number; source?: string; spec?: DataSpec };
  settings: TrainSettings;
}

export interface RunMetrics {
  status: RunListItem['status'];
  seconds: number;
  data: DataInfo | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  bestEpoch: number | null;
  normalization: Normalization | null;
  result: RunResult | null;
  error?: string;
  /** What the run did that the user should know (see engine/train/loop/warnings.ts). */
  warnings?: string[];
}

export interface SavedRun { config: RunConfig; metrics: RunMetrics }

const encoder = new TextEncoder(), decoder = new TextDecoder();

/** The runs folder for a document: in its workspace folder, else beside the file. */
export function runsRoot(document: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(document);
  return vscode.Uri.joinPath(folder ? folder.uri : vscode.Uri.joinPath(document, '..'), '.convlens', 'runs');
}

/** The folder of a run; an id that is not a plain folder name (`..`, a path) is refused, whatever sent it. */
export function runDir(root: vscode.Uri, id: string): vscode.Uri {
  if (!isRunId(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
  return vscode.Uri.joinPath(root, id);
}

const exists = (uri: vscode.Uri): Thenable<boolean> => vscode.workspace.fs.stat(uri).then(() => true, () => false);

/**
 * A sortable, readable id, unique by construction: 2025-01-31T12-00-00-LeNet-3f9a1c, the time, the
 * model and a random suffix, checked against the folders already there.
 */
export async function newRunId(root: vscode.Uri, model: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const name = model.replace(/[^\w-]+/g, '_').slice(0, 40);
  for (;;) {
    const suffix = Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, '0')).join('');
    const id = `${stamp}-${name}-${suffix}`;
    if (!(await exists(vscode.Uri.joinPath(root, id)))) return id;
  }
}

const RESUME = 'resume.safetensors';

export async function saveRun(root: vscode.Uri, run: SavedRun, weights: Uint8Array | null, resume?: Uint8Array): Promise<vscode.Uri> {
  const dir = runDir(root, run.config.id);
  await vscode.workspace.fs.createDirectory(dir);
  // Weights first and metrics after them: a folder with metrics.json is a run (finished, or interrupted).
  // The resume state comes last, so it is never ahead of the metrics: after a kill in between, a resume
  // goes on from the epoch before and trains the next one again, the same way (the curves are cut to it).
  if (weights) await writeFileAtomic(vscode.Uri.joinPath(dir, 'weights.safetensors'), weights);
  await writeFileAtomic(vscode.Uri.joinPath(dir, 'config.json'), encoder.encode(JSON.stringify(run.config, null, 1)));
  await writeFileAtomic(vscode.Uri.joinPath(dir, 'metrics.json'), encoder.encode(JSON.stringify(run.metrics)));
  if (resume) await writeFileAtomic(vscode.Uri.joinPath(dir, RESUME), resume);
  return dir;
}

async function readJson<T>(uri: vscode.Uri): Promise<T | undefined> {
  try {
    return JSON.parse(decoder.decode(await vscode.workspace.fs.readFile(uri))) as T;
  } catch {
    return undefined;
  }
}

export async function readRun(root: vscode.Uri, id: string): Promise<SavedRun | undefined> {
  if (!isRunId(id)) return undefined;
  const dir = runDir(root, id);
  const [config, metrics] = await Promise.all([readJson<RunConfig>(vscode.Uri.joinPath(dir, 'config.json')), readJson<RunMetrics>(vscode.Uri.joinPath(dir, 'metrics.json'))]);
  return config && metrics && config.id === id ? { config, metrics } : undefined;
}

export const weightsUri = (root: vscode.Uri, id: string): vscode.Uri => vscode.Uri.joinPath(runDir(root, id), 'weights.safetensors');

export async function readWeights(root: vscode.Uri, id: string): Promise<Uint8Array | undefined> {
  if (!isRunId(id)) return undefined;
  try {
    return await vscode.workspace.fs.readFile(weightsUri(root, id));
  } catch {
    return undefined;
  }
}

/** The state a run can be resumed from, if it has one. */
export async function readResume(root: vscode.Uri, id: string): Promise<Uint8Array | undefined> {
  if (!isRunId(id)) return undefined;
  try {
    return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(runDir(root, id), RESUME));
  } catch {
    return undefined;
  }
}

/** A run that ended (completed, stopped, failed) is not resumed: its resume state (two to three times its weights) goes. */
export async function dropResume(root: vscode.Uri, id: string): Promise<void> {
  await vscode.workspace.fs.delete(vscode.Uri.joinPath(runDir(root, id), RESUME)).then(undefined, () => undefined);
}

/** Every run under the root (finished or interrupted), newest first. */
export async function listRuns(root: vscode.Uri, training: ReadonlySet<string> = new Set()): Promise<RunListItem[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(root);
  } catch {
    return [];
  }
  // A run still training has checkpoint metrics marked interrupted: it is not listed until it ends.
  const runs = await Promise.all(entries.filter(([id, t]) => t === vscode.FileType.Directory && !training.has(id)).map(([id]) => readRun(root, id)));
  return runs.filter((r): r is SavedRun => r !== undefined).map(({ config, metrics }) => ({
    id: config.id, model: config.model.name, file: config.model.file, created: config.created, data: config.data.label,
    status: metrics.status, epochs: metrics.epochs.length, plannedEpochs: config.settings.epochs, testAccuracy: metrics.result?.testAccuracy ?? null,
  })).sort((a, b) => b.created.localeCompare(a.created));
}
