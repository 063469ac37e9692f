// One model's training session: its data choice and settings, the check of data against model,
// the run in a worker thread (start, pause, resume, stop), the curves so far, the saved runs. It
// outlives its panel: a view that (re)attaches is sent everything it needs to catch up.
import * as vscode from 'vscode';
import type { ModelReport } from '../engine/report/types';
import type { Normalization } from '../engine/train/data/augment';
import { KERAS_NO_SCRIPT } from '../engine/train/graph/trainable';
import { kerasLoadCode, pytorchLoadCode } from '../engine/train/save/load-code';
import type {
  BatchPoint, DataInfo, EpochPoint, FitInfo, ModelInfo, RunResult, RunState, TrainFromWebview, TrainSettings, TrainToWebview,
} from '../webview/trainProtocol';
import { defaultSettings, modelInfo } from './trainDefaults';
import { writeFileAtomic } from './atomicWrite';
import { interruptedNote, modelChanged, resumeBlocker } from './trainResume';
import {
  dropResume, listRuns, newRunId, readResume, readRun, readWeights, runsRoot, saveRun, weightsUri, type RunConfig, type RunMetrics,
} from './trainRuns';
import { showTrainProgress } from './trainStatusItem';
import { runJob, startJob, type Job } from './trainWorkerClient';
import { freeMemory } from './freeMemory';
import { batchFitWarning } from './memoryText';
import { CONTROL, type DataSpec, type FromWorker, type ModelSpec } from './trainWorkerProtocol';

export interface TrainView {
  post(m: TrainToWebview): void;
  readonly visible: boolean;
}

export interface SessionEnv {
  extensionPath: string;
  /** Where to export weights (the save dialog; the integration tests answer it themselves). */
  saveTarget(o: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
}

/** The runs training in this extension host (their folders hold checkpoints, not finished runs). */
const training = new Set<string>();

/**
 * How often the panel gets the new points of a running session (2 updates a second at most): every
 * update redraws the charts and repaints the workbench, CPU the training on the same cores loses.
 */
export const FLUSH_MS = 500;

const DATA_LABELS: Record<string, string> = {
  mnist: 'MNIST subset (bundled)', bars: 'Synthetic bars (8 orientations)', shapes: 'Synthetic shapes (5 classes)',
};

/** What the panel shows: the run in progress, or the finished run last run or opened. */
interface Shown {
  runId?: string;
  state: RunState;
  message?: string;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  bestEpoch: number | null;
  result?: RunResult;
  model?: ModelSpec;
  normalization?: Normalization | null;
  weights?: Uint8Array;
  epoch: number;
  totalEpochs: number;
  batch: number;
  batchesPerEpoch: number;
  started: number;
  seconds: number;
  warnings: string[];
  /** An opened interrupted run: what the panel offers for it. */
  interrupted?: Extract<TrainToWebview, { type: 'interrupted' }>;
}

interface Active {
  id: string;
  job: Job;
  control: Int32Array;
  config: RunConfig;
  pendingBatches: BatchPoint[];
  pendingEpochs: EpochPoint[];
  timer: ReturnType<typeof setInterval>;
  finished: Promise<void>;
  finish(): void;
  /** The checkpoint saves and the final save, one after the other. */
  saving: Promise<unknown>;
  /** The checkpoint waiting for the save before it: a newer one replaces it (keeping best weights it carried). */
  queued?: { metrics: RunMetrics; weights: Uint8Array | null; resume: Uint8Array };
  /** The epoch whose weights the run's weights.safetensors holds (null before the first checkpoint). */
  weightsEpoch: number | null;
  /** Going on from an interrupted run: a refusal leaves its files as they were. */
  resumed: boolean;
  /** A batch or a checkpoint came: the worker is past the checks of a resume. */
  trained: boolean;
}

const emptyShown = (): Shown => ({ state: 'idle', batches: [], epochs: [], bestEpoch: null, epoch: 0, totalEpochs: 0, batch: 0, batchesPerEpoch: 0, started: 0, seconds: 0, warnings: [] });

export class TrainSession implements vscode.Disposable {
  readonly views = new Set<TrainView>();
  private report: ModelReport;
  private info: ModelInfo;
  settings: TrainSettings;
  private data: { state: 'checking' | 'ready' | 'error'; label: string; info?: DataInfo; fit?: FitInfo; error?: string };
  private picked: { folder?: string; idx?: string[] } = {};
  private shown: Shown = emptyShown();
  private active: Active | undefined;
  private changed = false;
  private checkSeq = 0;
  private disposed = false;
  private starting = false;

  constructor(private readonly env: SessionEnv, readonly uri: vscode.Uri, report: ModelReport) {
    this.report = report;
    this.info = modelInfo(report, this.file);
    this.settings = defaultSettings(report);
    this.data = { state: 'checking', label: this.dataLabel() };
  }

  get modelName(): string { return this.report.name; }
  get file(): string { return vscode.workspace.asRelativePath(this.uri, false); }
  get state(): RunState { return this.shown.state; }
  get running(): boolean { return this.active !== undefined; }
  get runId(): string | undefined { return this.shown.runId; }
  get message(): string | undefined { return this.shown.message; }
  private get root(): vscode.Uri { return runsRoot(this.uri); }

  /** A view (re)attached: send it everything. */
  attach(view: TrainView): void {
    this.views.add(view);
  }

  detach(view: TrainView): void {
    this.views.delete(view);
  }

  async catchUp(view: TrainView): Promise<void> {
    view.post({ type: 'model', uri: this.uri.toString(), model: this.info, changed: this.changed });
    view.post({ type: 'settings', settings: this.settings });
    view.post({ type: 'data', ...this.data });
    view.post(this.status());
    view.post({ type: 'progress', reset: true, batches: this.shown.batches, epochs: this.shown.epochs, bestEpoch: this.shown.bestEpoch });
    if (this.shown.result && this.shown.runId) view.post({ type: 'result', runId: this.shown.runId, result: this.shown.result });
    if (this.shown.interrupted) view.post(this.shown.interrupted);
    view.post({ type: 'runs', runs: await listRuns(this.root, training) });
  }

  private broadcast(m: TrainToWebview): void {
    for (const v of this.views) if (v.visible) v.post(m);
  }

  private status(): TrainToWebview {
    const s = this.shown;
    const seconds = this.active ? (Date.now() - s.started) / 1000 : s.seconds;
    return { type: 'status', state: s.state, runId: s.runId, message: s.message, epoch: s.epoch, epochs: s.totalEpochs, batch: s.batch, batches: s.batchesPerEpoch, seconds };
  }

  private setState(state: RunState, message?: string): void {
    this.shown.state = state;
    this.shown.message = message;
    this.broadcast(this.status());
  }

  // ---- the model and the data

  private spec(report: ModelReport = this.report): ModelSpec {
    const { name, framework, graph, parameters, graphOutput, outputShapes } = report;
    return { name, framework, graph, parameters, graphOutput, outputShapes };
  }

  private dataLabel(): string {
    const s = this.settings;
    if (s.dataset === 'folder') return this.picked.folder ? `Images in ${vscode.workspace.asRelativePath(this.picked.folder, false)}` : 'Image folder (choose one)';
    if (s.dataset === 'idx') return this.picked.idx ? `IDX files: ${this.picked.idx.map((f) => f.split(/[\\/]/).pop()).join(', ')}` : 'IDX files (choose them)';
    return DATA_LABELS[s.dataset];
  }

  private dataSpec(): DataSpec | string {
    const { dataset, limit, seed } = this.settings;
    if (dataset === 'folder') return this.picked.folder ? { kind: 'folder', path: this.picked.folder, limit, seed } : 'Choose a folder of images in class sub-folders.';
    if (dataset === 'idx') return this.picked.idx ? { kind: 'idx', files: this.picked.idx, limit, seed } : 'Choose the IDX files (train-images, train-labels, and optionally the test pair).';
    return { kind: dataset, limit, seed };
  }

  /** Checks the model and the chosen data in a worker; the panel shows what it found. */
  async check(): Promise<void> {
    const seq = ++this.checkSeq;
    this.info = modelInfo(this.report, this.file);
    const spec = this.dataSpec();
    this.data = { state: 'checking', label: this.dataLabel() };
    this.broadcast({ type: 'model', uri: this.uri.toString(), model: this.info, changed: this.changed });
    if (this.info.blocker) return void this.broadcast({ type: 'data', ...(this.data = { state: 'error', label: this.data.label, error: 'the model cannot be trained yet' }) });
    if (typeof spec === 'string') return void this.broadcast({ type: 'data', ...(this.data = { state: 'error', label: this.data.label, error: spec }) });
    this.broadcast({ type: 'data', ...this.data });
    const r = await runJob(this.env.extensionPath, { type: 'check', model: this.spec(), data: spec });
    if (seq !== this.checkSeq || this.disposed) return;
    if (r.type === 'checked') {
      this.info = { ...this.info, problems: r.problems, blocker: this.info.blocker ?? r.blocker, training: r.params };
      this.data = r.data && !r.dataError
        ? { state: 'ready', label: this.data.label, info: r.data, fit: r.fit }
        : { state: 'error', label: this.data.label, info: r.data, error: r.dataError ?? (r.problems.length || r.blocker ? 'the model cannot be trained' : 'the data could not be read') };
    } else {
      this.data = { state: 'error', label: this.data.label, error: r.type === 'error' ? r.message : 'unexpected answer from the worker' };
    }
    this.broadcast({ type: 'model', uri: this.uri.toString(), model: this.info, changed: this.changed });
    this.broadcast({ type: 'data', ...this.data });
  }

  /** A new report of the file: while a run trains, only say that the model changed. */
  modelUpdated(report: ModelReport): void {
    const before = JSON.stringify(this.spec());
    this.report = report;
    const now = JSON.stringify(this.spec());
    if (!this.active) {
      if (now !== before) void this.check();
      return;
    }
    const { name, graph, parameters } = this.active.config.model;
    const changed = now !== JSON.stringify({ name, graph, parameters });
    if (changed === this.changed) return;
    this.changed = changed;
    this.broadcast({ type: 'model', uri: this.uri.toString(), model: { ...modelInfo(report, this.file), problems: this.info.problems }, changed });
  }

  // ---- messages from a view

  async receive(view: TrainView, msg: TrainFromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready': return this.catchUp(view);
      case 'setData':
        this.settings = { ...this.settings, dataset: msg.dataset, limit: msg.limit };
        return this.check();
      case 'pickData': return this.pick(msg.kind);
      case 'start':
        this.settings = msg.settings;
        return this.start();
      case 'exportScript':
        this.settings = msg.settings;
        return this.exportScript();
      case 'pause': return this.pause();
      case 'resume': return this.resume();
      case 'stop': return this.stop();
      case 'restart': return this.restart();
      case 'features': return this.features(view, msg.sample);
      case 'openRun': return this.openRun(msg.id);
      case 'compare': return this.compare(view, msg.ids);
      case 'exportWeights': return this.exportWeights(msg.id);
      case 'copyCode': return this.copyCode(msg.id);
      case 'resumeRun': return this.resumeRun(msg.id);
      case 'reveal': {
        const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One });
        const pos = new vscode.Position(Math.min(msg.line - 1, editor.document.lineCount - 1), 0);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    }
  }

  private async pick(kind: 'folder' | 'idx'): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(this.uri)?.uri;
    const chosen = await vscode.window.showOpenDialog(kind === 'folder'
      ? { canSelectFolders: true, canSelectFiles: false, defaultUri: folder, openLabel: 'Train on this folder', title: 'A folder of images in class sub-folders (or with train/ and test/)' }
      : { canSelectFiles: true, canSelectMany: true, defaultUri: folder, openLabel: 'Use these IDX files', title: 'IDX files: train-images, train-labels (and the test pair)', filters: { 'IDX files': ['idx1-ubyte', 'idx3-ubyte', 'gz', 'ubyte', 'idx'], 'All files': ['*'] } });
    if (!chosen?.length) return;
    if (kind === 'folder') this.picked.folder = chosen[0].fsPath;
    else this.picked.idx = chosen.map((u) => u.fsPath);
    this.settings = { ...this.settings, dataset: kind };
    this.broadcast({ type: 'settings', settings: this.settings });
    await this.check();
  }

  // ---- the run

  async start(): Promise<void> {
    if (this.active || this.starting) return;
    const spec = this.dataSpec();
    if (this.info.blocker || this.info.problems.length || typeof spec === 'string') {
      return this.setState('failed', typeof spec === 'string' ? spec : 'This model cannot be trained: see above.');
    }
    const free = freeMemory();
    const tooBig = free === undefined ? undefined : batchFitWarning(this.report, this.settings, free);
    if (tooBig && await vscode.window.showWarningMessage(`ConvLens: ${tooBig}`, { modal: true }, 'Start anyway') !== 'Start anyway') return;
    if (this.active || this.starting) return;
    const model = this.spec();
    this.starting = true;
    let id: string;
    try {
      id = await newRunId(this.root, model.name);
    } finally {
      this.starting = false;
    }
    if (this.active || this.disposed) return;
    const config: RunConfig = {
      id, created: new Date().toISOString(), model: { ...model, file: this.file, line: this.report.line },
      data: { kind: this.settings.dataset, label: this.dataLabel(), limit: this.settings.limit, source: spec.kind === 'folder' ? spec.path : spec.kind === 'idx' ? spec.files.join(', ') : undefined, spec },
      settings: this.settings,
    };
    this.launch(config, spec, { ...emptyShown(), runId: id, state: 'loading', model, totalEpochs: this.settings.epochs, started: Date.now() });
  }

  /**
   * Goes on training an interrupted run from its last epoch end, in its own folder, with its own
   * settings and data, on the model in the file; the worker refuses when the checkpoint does not fit.
   */
  private async resumeRun(id: string): Promise<void> {
    if (this.active || this.starting) return void vscode.window.showInformationMessage('ConvLens: a run is training; resume the interrupted one when it ends.');
    const run = await readRun(this.root, id);
    const bytes = run && (await readResume(this.root, id));
    const why = !run ? `run ${id} could not be read` : this.info.blocker || this.info.problems.length ? 'this model cannot be trained: see above'
      : resumeBlocker(run, { model: this.report.name, file: this.file }, bytes !== undefined);
    if (why || !run || !bytes || !run.config.data.spec || this.active || this.disposed) {
      return this.setState('failed', `Cannot resume: ${why ?? 'a run started meanwhile'}. The run's files are unchanged.`);
    }
    const model = this.spec(), m = run.metrics;
    const warnings = [...(m.warnings ?? [])];
    if (modelChanged(run.config.model, model)) {
      warnings.push(`${this.file} changed since this run started (its parameters still fit): the epochs after ${m.epochs.at(-1)?.epoch ?? 0} train the new version`);
    }
    this.settings = run.config.settings;
    this.broadcast({ type: 'settings', settings: this.settings });
    this.launch({ ...run.config, model: { ...model, file: this.file, line: this.report.line } }, run.config.data.spec, {
      ...emptyShown(), runId: id, state: 'loading', model, totalEpochs: this.settings.epochs, warnings,
      batches: m.batches, epochs: m.epochs, bestEpoch: bestEpoch(m.epochs), normalization: m.normalization,
      started: Date.now() - m.seconds * 1000, epoch: m.epochs.at(-1)?.epoch ?? 0,
    }, { bytes, weightsEpoch: m.bestEpoch });
  }

  /** Starts the worker on a run, new or resumed. */
  private launch(config: RunConfig, spec: DataSpec, shown: Shown, resume?: { bytes: Uint8Array; weightsEpoch: number | null }): void {
    const id = config.id, model = this.spec();
    this.changed = false;
    this.shown = shown;
    this.broadcast({ type: 'model', uri: this.uri.toString(), model: this.info, changed: false });
    this.broadcast({ type: 'progress', reset: true, batches: shown.batches, epochs: shown.epochs, bestEpoch: shown.bestEpoch });
    this.broadcast(this.status());

    const control = new Int32Array(new SharedArrayBuffer(4));
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const active: Active = {
      id, control, config, pendingBatches: [], pendingEpochs: [], finished, finish, saving: Promise.resolve(),
      weightsEpoch: resume?.weightsEpoch ?? null, resumed: resume !== undefined, trained: false,
      timer: setInterval(() => this.flush(), FLUSH_MS),
      job: startJob(this.env.extensionPath, {
        type: 'train', model, data: spec, settings: this.settings, control: control.buffer as SharedArrayBuffer, resume: resume?.bytes,
      }, (m) => void this.fromWorker(active, m)),
    };
    this.active = active;
    training.add(id);
    void this.broadcastRuns();
    // in the status bar, not a notification: a notification sits over the panel's curves (Stop is in the panel)
    showTrainProgress(model.name, { uri: this.uri.toString(), modelLine: this.report.line }, () => this.shown, finished);
  }

  private async broadcastRuns(): Promise<void> {
    this.broadcast({ type: 'runs', runs: await listRuns(this.root, training) });
  }

  private flush(): void {
    const a = this.active;
    if (!a || (!a.pendingBatches.length && !a.pendingEpochs.length)) return;
    this.broadcast({ type: 'progress', reset: false, batches: a.pendingBatches, epochs: a.pendingEpochs, bestEpoch: this.shown.bestEpoch });
    this.broadcast(this.status());
    a.pendingBatches = [];
    a.pendingEpochs = [];
  }

  private async fromWorker(a: Active, m: FromWorker): Promise<void> {
    if (this.active !== a) return;
    const s = this.shown;
    switch (m.type) {
      case 'loaded':
        s.batchesPerEpoch = m.batches;
        s.epoch = (m.resumedAt ?? 0) + 1;
        s.warnings = [...s.warnings, ...m.warnings.filter((w) => !s.warnings.includes(w))];
        if (m.resumedAt !== undefined) {
          // the curves go on from the checkpoint's epoch end (the metrics saved with it could be a step ahead)
          const at = m.resumedAt;
          s.batches = s.batches.filter((b) => b.epoch <= at);
          s.epochs = s.epochs.filter((e) => e.epoch <= at);
          s.bestEpoch = bestEpoch(s.epochs);
          this.broadcast({ type: 'progress', reset: true, batches: s.batches, epochs: s.epochs, bestEpoch: s.bestEpoch });
        }
        return this.setState('running', withWarnings(`${m.data.label}: ${m.data.train} training images of (${m.data.shape.join(', ')})`, s.warnings));
      case 'checkpoint': {
        // saved as an interrupted run until the run ends: a reload or a crash keeps these weights and
        // the state to resume from; the metrics are copied now, as they stand at this epoch end
        s.normalization = m.normalization;
        a.trained = true;
        if (m.best) a.weightsEpoch = m.best.epoch;
        const waiting = a.queued !== undefined;
        a.queued = { metrics: this.metrics('interrupted', null, a.weightsEpoch), weights: m.best?.weights ?? a.queued?.weights ?? null, resume: m.resume };
        if (!waiting) {
          a.saving = a.saving.then(() => {
            const q = a.queued!;
            a.queued = undefined;
            return saveRun(this.root, { config: a.config, metrics: q.metrics }, q.weights, q.resume);
          }).catch(() => undefined);
        }
        return;
      }
      case 'refused':
        return this.refused(a, m.message);
      case 'batch':
        a.trained = true;
        s.batches.push(m.point);
        a.pendingBatches.push(m.point);
        s.epoch = m.point.epoch;
        s.batch = m.batch;
        s.batchesPerEpoch = m.batches;
        return;
      case 'epoch': {
        const e: EpochPoint = { ...m.metrics, step: m.step };
        s.epochs.push(e);
        a.pendingEpochs.push(e);
        s.bestEpoch = bestEpoch(s.epochs);
        return;
      }
      case 'done':
      case 'error':
        // a resume that failed before it trained changed nothing: its files stay as they were
        if (m.type === 'error' && a.resumed && !a.trained) return this.refused(a, m.message);
        return this.finishRun(a, m);
    }
  }

  private async finishRun(a: Active, m: Extract<FromWorker, { type: 'done' | 'error' }>): Promise<void> {
    clearInterval(a.timer);
    this.flush();
    const s = this.shown;
    s.seconds = (Date.now() - s.started) / 1000;
    const status = m.type === 'error' ? 'failed' : m.cancelled || m.diverged ? 'stopped' : 'completed';
    if (m.type === 'done' && m.diverged) s.warnings = [...s.warnings, m.diverged];
    if (m.type === 'done') {
      s.result = m.result;
      s.bestEpoch = m.result.bestEpoch || null;
      s.normalization = m.normalization;
      s.weights = m.weights;
    }
    try {
      await a.saving;
      // a failed run keeps the weights of its last checkpoint, if it saved one
      const best = m.type === 'done' ? s.bestEpoch : a.weightsEpoch;
      await saveRun(this.root, { config: a.config, metrics: { ...this.metrics(status, m.type === 'done' ? m.data : null, best), error: m.type === 'error' ? m.message : undefined } }, m.type === 'done' ? m.weights : null);
      // only an interrupted run resumes: an ended one drops its resume state
      await dropResume(this.root, a.id);
    } catch (e) {
      void vscode.window.showWarningMessage(`ConvLens could not save the run in ${this.root.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.active = undefined;
    training.delete(a.id);
    a.finish();
    // the list first: a view that sees the run end already lists it
    await this.broadcastRuns();
    if (m.type === 'error' && m.problems) this.info = { ...this.info, problems: m.problems };
    const message = m.type === 'error' ? m.message : m.diverged ? `Stopped: ${m.diverged}.`
      : status === 'stopped' ? `Stopped after ${s.epochs.length} epoch(s); the results are for the weights at that point.` : undefined;
    this.setState(status === 'completed' ? 'done' : status, withWarnings(message, s.warnings.filter((w) => m.type !== 'done' || w !== m.diverged)));
    if (m.type === 'done' && s.runId) this.broadcast({ type: 'result', runId: s.runId, result: m.result });
  }

  private metrics(status: RunMetrics['status'], data: RunMetrics['data'], bestEpoch: number | null): RunMetrics {
    const s = this.shown;
    return {
      status, seconds: (Date.now() - s.started) / 1000, data, batches: [...s.batches], epochs: [...s.epochs], bestEpoch,
      normalization: s.normalization ?? null, result: s.result ?? null, warnings: s.warnings,
    };
  }

  /** The worker refused to resume: nothing was trained or saved, and the run is listed again as it was. */
  private async refused(a: Active, message: string): Promise<void> {
    clearInterval(a.timer);
    this.active = undefined;
    training.delete(a.id);
    a.finish();
    await this.broadcastRuns();
    this.setState('failed', `Cannot resume run ${a.id}: ${message}. The run's files are unchanged: export its weights, or train anew.`);
  }

  pause(): void {
    if (!this.active || this.shown.state !== 'running') return;
    Atomics.store(this.active.control, 0, CONTROL.pause);
    this.setState('paused');
  }

  resume(): void {
    if (!this.active || this.shown.state !== 'paused') return;
    Atomics.store(this.active.control, 0, CONTROL.run);
    Atomics.notify(this.active.control, 0);
    this.setState('running');
  }

  /** Stops between two batches; the worker still evaluates and the run is saved as stopped. */
  async stop(): Promise<void> {
    const a = this.active;
    if (!a) return;
    Atomics.store(a.control, 0, CONTROL.stop);
    Atomics.notify(a.control, 0);
    this.setState('stopping');
    await a.finished;
  }

  private async restart(): Promise<void> {
    await this.stop();
    await this.check();
    await this.start();
  }

  // ---- finished runs

  private async features(view: TrainView, sample: number): Promise<void> {
    const s = this.shown, r = s.result;
    if (!r || !s.model || !s.normalization || sample >= r.samples.count) return;
    const weights = s.weights ?? (s.runId ? await readWeights(this.root, s.runId) : undefined);
    if (!weights) return view.post({ type: 'features', sample, layers: [], error: 'this run has no saved weights' });
    const sz = r.samples.channels * r.samples.h * r.samples.w;
    const pixels = Uint8Array.from(atob(r.samples.pixels), (c) => c.charCodeAt(0)).subarray(sample * sz, (sample + 1) * sz);
    const m = await runJob(this.env.extensionPath, {
      type: 'features', model: s.model, weights, normalization: s.normalization,
      image: { shape: [r.samples.channels, r.samples.h, r.samples.w], pixels },
    });
    if (m.type === 'features') view.post({ type: 'features', sample, layers: m.layers });
    else view.post({ type: 'features', sample, layers: [], error: m.type === 'error' ? m.message : 'no feature maps' });
  }

  private async openRun(id: string): Promise<void> {
    if (this.active) return void vscode.window.showInformationMessage('ConvLens: a run is training; open saved runs when it ends (or compare them now).');
    const run = await readRun(this.root, id);
    if (!run) return void vscode.window.showWarningMessage(`ConvLens: run ${id} could not be read.`);
    const m = run.metrics, last = m.epochs[m.epochs.length - 1];
    const saved = m.status === 'interrupted' ? interruptedNote(run) : `Saved run from ${new Date(run.config.created).toLocaleString()} on ${run.config.data.label}`;
    const why = m.status === 'interrupted'
      ? resumeBlocker(run, { model: this.report.name, file: this.file }, (await readResume(this.root, id)) !== undefined) : undefined;
    this.shown = {
      ...emptyShown(), runId: id, state: m.status === 'completed' ? 'done' : m.status === 'interrupted' ? 'stopped' : m.status,
      message: withWarnings(m.error ?? saved, m.warnings ?? []), warnings: m.warnings ?? [],
      batches: m.batches, epochs: m.epochs, bestEpoch: m.bestEpoch, result: m.result ?? undefined, model: run.config.model,
      normalization: m.normalization, epoch: last?.epoch ?? 0, totalEpochs: run.config.settings.epochs, seconds: m.seconds,
      interrupted: m.status === 'interrupted' ? {
        type: 'interrupted', runId: id, epoch: last?.epoch ?? 0, epochs: run.config.settings.epochs, weightsEpoch: m.bestEpoch, resumable: why === undefined, why,
      } : undefined,
    };
    this.broadcast({ type: 'progress', reset: true, batches: m.batches, epochs: m.epochs, bestEpoch: m.bestEpoch });
    this.broadcast(this.status());
    if (m.result) this.broadcast({ type: 'result', runId: id, result: m.result });
    if (this.shown.interrupted) this.broadcast(this.shown.interrupted);
  }

  private async compare(view: TrainView, ids: string[]): Promise<void> {
    const runs = await Promise.all(ids.map((id) => readRun(this.root, id)));
    view.post({
      type: 'compare',
      curves: runs.filter((r) => r !== undefined).map((r) => ({
        id: r.config.id, label: `${r.config.model.name} · ${r.config.data.label} · ${r.config.settings.optimizer} lr ${r.config.settings.lr}`,
        batches: r.metrics.batches, epochs: r.metrics.epochs, bestEpoch: r.metrics.bestEpoch,
      })),
    });
  }

  private async exportWeights(id: string): Promise<void> {
    const weights = await readWeights(this.root, id);
    if (!weights) return void vscode.window.showWarningMessage(`ConvLens: run ${id} has no weights.`);
    const run = await readRun(this.root, id);
    const target = await this.env.saveTarget({
      defaultUri: vscode.Uri.joinPath(vscode.workspace.getWorkspaceFolder(this.uri)?.uri ?? this.root, `${run?.config.model.name ?? 'model'}.safetensors`),
      filters: { safetensors: ['safetensors'] }, saveLabel: 'Export weights',
    });
    if (!target) return;
    await writeFileAtomic(target, weights);
    void vscode.window.setStatusBarMessage(`$(check) ConvLens: weights exported to ${vscode.workspace.asRelativePath(target, false)}`, 4000);
  }

  /** The PyTorch training script of a run with the form's settings, written where the user chooses. */
  private async exportScript(): Promise<void> {
    if (this.report.framework === 'keras') return void vscode.window.showWarningMessage(`ConvLens: no training script for ${this.report.name}: ${KERAS_NO_SCRIPT}.`);
    const spec = this.dataSpec();
    if (this.info.blocker || this.info.problems.length || typeof spec === 'string') {
      return void vscode.window.showWarningMessage(`ConvLens: ${typeof spec === 'string' ? spec : 'this model cannot be trained, so it has no training script.'}`);
    }
    const folder = vscode.workspace.getWorkspaceFolder(this.uri)?.uri ?? vscode.Uri.joinPath(this.uri, '..');
    const target = await this.env.saveTarget({
      defaultUri: vscode.Uri.joinPath(folder, `train_${this.report.name.replace(/\W+/g, '_')}.py`),
      filters: { Python: ['py'] }, saveLabel: 'Export training script',
    });
    if (!target) return;
    const scriptDir = vscode.Uri.joinPath(target, '..').fsPath;
    const m = await runJob(this.env.extensionPath, {
      type: 'export', model: this.spec(), data: spec, settings: this.settings, file: this.uri.fsPath, entry: this.report.name,
      scriptDir, save: vscode.Uri.joinPath(target, '..', `${this.report.name.replace(/\W+/g, '_')}.safetensors`).fsPath, label: this.dataLabel(),
    });
    if (m.type !== 'script') return void vscode.window.showErrorMessage(`ConvLens could not export the training script: ${m.type === 'error' ? m.message : 'no script'}`);
    await writeFileAtomic(target, new TextEncoder().encode(m.text));
    const name = vscode.workspace.asRelativePath(target, false);
    void vscode.window.setStatusBarMessage(`$(check) ConvLens: training script written to ${name}`, 6000);
  }

  private async copyCode(id: string): Promise<void> {
    const run = await readRun(this.root, id);
    if (!run) return;
    const code = (this.report.framework === 'keras' ? kerasLoadCode : pytorchLoadCode)({
      model: run.config.model.name, file: run.config.model.file, normalization: run.metrics.normalization,
      weights: vscode.workspace.asRelativePath(weightsUri(this.root, id), false),
    });
    await vscode.env.clipboard.writeText(code);
    void vscode.window.setStatusBarMessage(`$(check) ConvLens: ${this.report.framework === 'keras' ? 'Keras' : 'PyTorch'} code to load the weights copied`, 4000);
  }

  dispose(): void {
    this.disposed = true;
    const a = this.active;
    if (!a) return;
    clearInterval(a.timer);
    Atomics.store(a.control, 0, CONTROL.stop);
    Atomics.notify(a.control, 0);
    void a.job.terminate();
    this.active = undefined;
    training.delete(a.id);
    a.finish();
  }
}

/** A status message followed by the run's warnings. */
function withWarnings(message: string | undefined, warnings: string[]): string | undefined {
  return warnings.length ? [message, ...warnings.map((w) => `Warning: ${w}.`)].filter(Boolean).join(' ') : message;
}

/** The epoch whose validation loss is lowest (what early stopping restores), or null without validation. */
function bestEpoch(epochs: EpochPoint[]): number | null {
  let best: EpochPoint | null = null;
  for (const e of epochs) if (e.valLoss !== null && (!best || e.valLoss < best.valLoss!)) best = e;
  return best?.epoch ?? null;
}
