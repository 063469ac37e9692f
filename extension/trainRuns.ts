// Saved runs: `.convlens/runs/<id>/` in the workspace folder of the model's file, holding
// config.json (model graph, data, settings), metrics.json (curves and results) and
// weights.safetensors (PyTorch state_dict names). Written through vscode.workspace.fs.
import * as vscode from 'vscode';
import type { Normalization } from '../engine/train/data/augment';
import type { BatchPoint, DataInfo, EpochPoint, RunListItem, RunResult, TrainSettings } from '../webview/trainProtocol';
import type { ModelSpec } from './trainWorkerProtocol';

export interface RunConfig {
  id: string;
  created: string;
  model: ModelSpec & { file: string; line: number };
  data: { kind: TrainSettings['dataset']; label: string; limit: number; source?: string };
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
}

export interface SavedRun { config: RunConfig; metrics: RunMetrics }

const encoder = new TextEncoder(), decoder = new TextDecoder();

/** The runs folder for a document: in its workspace folder, else beside the file. */
export function runsRoot(document: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(document);
  return vscode.Uri.joinPath(folder ? folder.uri : vscode.Uri.joinPath(document, '..'), '.convlens', 'runs');
}

/** A sortable, readable id: 2025-01-31T12-00-00-LeNet. */
export function newRunId(model: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${stamp}-${model.replace(/[^\w.-]+/g, '_').slice(0, 40)}`;
}

export async function saveRun(root: vscode.Uri, run: SavedRun, weights: Uint8Array | null): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(root, run.config.id);
  await vscode.workspace.fs.createDirectory(dir);
  // Weights first and metrics last: a folder with metrics.json is a finished run.
  if (weights) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'weights.safetensors'), weights);
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'config.json'), encoder.encode(JSON.stringify(run.config, null, 1)));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'metrics.json'), encoder.encode(JSON.stringify(run.metrics)));
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
  const dir = vscode.Uri.joinPath(root, id);
  const [config, metrics] = await Promise.all([readJson<RunConfig>(vscode.Uri.joinPath(dir, 'config.json')), readJson<RunMetrics>(vscode.Uri.joinPath(dir, 'metrics.json'))]);
  return config && metrics && config.id === id ? { config, metrics } : undefined;
}

export const weightsUri = (root: vscode.Uri, id: string): vscode.Uri => vscode.Uri.joinPath(root, id, 'weights.safetensors');

export async function readWeights(root: vscode.Uri, id: string): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(weightsUri(root, id));
  } catch {
    return undefined;
  }
}

/** Every finished run under the root, newest first. */
export async function listRuns(root: vscode.Uri): Promise<RunListItem[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(root);
  } catch {
    return [];
  }
  const runs = await Promise.all(entries.filter(([, t]) => t === vscode.FileType.Directory).map(([id]) => readRun(root, id)));
  return runs.filter((r): r is SavedRun => r !== undefined).map(({ config, metrics }) => ({
    id: config.id, model: config.model.name, file: config.model.file, created: config.created, data: config.data.label,
    status: metrics.status, epochs: metrics.epochs.length, testAccuracy: metrics.result?.testAccuracy ?? null,
  })).sort((a, b) => b.created.localeCompare(a.created));
}
