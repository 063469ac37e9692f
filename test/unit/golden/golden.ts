// Golden fixtures made by real PyTorch (test/fixtures/make_goldens.sh): their format, how to read
// them, and how to run the engine on one entry of them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { analyzeDocument } from '../../../engine/notebook/analyze-notebook';
import { nodeHost } from '../../../engine/cli/node-files';
import type { FileReport, InputShapeSource, ModelReport } from '../../../engine/report/types';

export const FIXTURES = resolve(__dirname, '../../fixtures');

/** One layer row as torch_reference.py prints it (a forward hook on a leaf module). */
export interface TorchRow {
  path: string;
  type: string;
  outputShape: number[];
  params: number;
  /** null only if the hook never saw an input tensor; the script's total counts it as 0. */
  macs: number | null;
}

/** What torch_reference.py prints. */
export interface TorchReport {
  inputShape: number[];
  outputShape: number[];
  totalParams: number;
  trainableParams: number;
  macs: number;
  layers: TorchRow[];
}

export interface GoldenEntry {
  entry: string;
  input: number[];
  /** Where the engine finds the input shape without `--input`: in-file comment, in-file call, or nowhere ("argument"). */
  inputShapeSource: Extract<InputShapeSource, 'argument' | 'comment' | 'call'>;
  torch: TorchReport;
}

export interface GoldenFile {
  /** Zoo goldens only: the model file, relative to the zoo root. */
  file?: string;
  entries: GoldenEntry[];
}

/** A fixture model file and its golden. */
export interface Fixture<G = GoldenFile> {
  name: string;
  source: string;
  golden: G;
}

export function readGolden<G = GoldenFile>(path: string): G {
  return JSON.parse(readFileSync(path, 'utf8')) as G;
}

/** Every `NN_name.py` (or notebook `NN_name.ipynb`) of a folder that has a `NN_name.golden.json` next to it. */
export function fixturesIn<G = GoldenFile>(dir: string): Array<Fixture<G>> {
  return readdirSync(dir)
    .filter((f) => /^\d+_\w+\.golden\.json$/.test(f))
    .sort()
    .map((f) => {
      const py = f.replace(/\.golden\.json$/, '.py');
      const name = existsSync(join(dir, py)) ? py : f.replace(/\.golden\.json$/, '.ipynb');
      return { name, source: readFileSync(join(dir, name), 'utf8'), golden: readGolden<G>(join(dir, f)) };
    });
}

export type EngineResult = { ok: true; model: ModelReport; report: FileReport } | { ok: false; message: string };

/**
 * Runs the engine on one entry and picks its model. A throw, or a report without the model, becomes a
 * message, so one broken entry fails its own test with a reason instead of ending the run.
 */
export function analyzeEntry(file: string, source: string, entry: string, input: number[] | undefined, root: string): EngineResult {
  let report: FileReport;
  try {
    report = analyzeDocument(file, source, { entry, input, root, host: nodeHost });
  } catch (err) {
    const text = err instanceof Error ? err.stack ?? err.message : String(err);
    return { ok: false, message: `the engine threw: ${text.split('\n').slice(0, 8).join('\n')}` };
  }
  const models = report.models.length === 1 ? report.models : report.models.filter((m) => m.name === entry);
  if (models.length !== 1) {
    const found = report.models.map((m) => m.name).join(', ') || 'none';
    const diags = report.diagnostics.map((d) => `  line ${d.line} ${d.severity} ${d.code}: ${d.message}`).join('\n');
    return { ok: false, message: `expected one model for ${entry}, found: ${found}\n${diags}` };
  }
  return { ok: true, model: models[0], report };
}
