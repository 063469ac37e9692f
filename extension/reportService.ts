// Reports for open Python documents, computed off the typing path: a change schedules a debounced
// background analysis (diagnostics, CodeLens, status bar, summary); a provider that needs the
// report of the version on screen gets it at once (the same promise, so one analysis per version).
// A report is only ever handed out for the document version it was computed from, so nothing
// is drawn on lines that have moved since. A notebook cell's report is its cell's view of the
// report of the whole notebook (analysed once per version of all its cells).
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../engine/analyze';
import { cellView } from '../engine/notebook/cell-view';
import type { CellSource } from '../engine/notebook/ipynb';
import type { FileReport } from '../engine/report/types';
import { analysisRootIn } from './analysisRoot';
import { noteLatency } from './latency';
import { log } from './log';
import { codeCells, notebookCells, notebookOf, notebookVersion } from './notebookCells';
import { readSettings, type Settings } from './settings';
import { PythonInterpreter, uriPath } from './pythonInterpreter';
import type { AnalysisRequest, EarlyHints, PrefetchRequest, SnapshotPlace } from './analysisProtocol';
import { discoveryVariables, platformOf, type DiscoveryInput } from '../engine/python/env/types';
import { staleOrder, type OpenDocument } from './staleOrder';
import { WorkspaceSources } from './workspaceSources';
import type { Analyzer } from './analyzer';
import { createAnalyzer } from './createAnalyzer';

/**
 * Rounds of "analyse, load the imports it asked for, analyse again", one per level of imports: only
 * where the analysis cannot read files itself (VS Code for the Web, virtual workspaces); on the
 * desktop the worker reads them from the disk during the one analysis.
 */
const MAX_IMPORT_ROUNDS = 8;
/** Without a worker, an analysis after a change waits this long for more typing (it runs on the extension host). */
const DEBOUNCE_MS = 150;

interface Entry {
  version: string;
  generation: number;
  /** Undefined when a newer analysis of the document replaced this one before it started. */
  promise: Promise<FileReport | undefined>;
  /** The report's inlay hints, as soon as the worker sends them (before the rest of the report); else the report. */
  hints: Promise<EarlyHints | FileReport | undefined>;
  /** Those hints once they came (`hints` settled with them). */
  early?: EarlyHints;
  report?: FileReport;
  /** Notebooks: each cell's view of the report, made when first asked for. */
  views: Map<number, FileReport>;
}

/** What is analysed for a document: the document itself, or the notebook it is a cell of. */
interface Subject {
  key: string;
  version: string;
  uri: vscode.Uri;
  content(): string | CellSource[];
  /** The documents that show the report, with their cell number in a notebook. */
  documents(): Array<{ document: vscode.TextDocument; cell?: number }>;
  cell?: number;
  /** Notebooks: the first code cell, which also shows what belongs to no cell. */
  home?: number;
}

function subjectOf(document: vscode.TextDocument): Subject {
  const nb = notebookOf(document);
  if (nb) {
    const { notebook, cell } = nb;
    return {
      key: notebook.uri.toString(), version: notebookVersion(notebook), uri: notebook.uri, cell, home: codeCells(notebook)[0]?.cell,
      content: () => notebookCells(notebook), documents: () => codeCells(notebook),
    };
  }
  return { key: document.uri.toString(), version: String(document.version), uri: document.uri, content: () => document.getText(), documents: () => [{ document }] };
}

export interface ReportUpdate {
  document: vscode.TextDocument;
  report: FileReport;
}

export class ReportService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The documents (notebooks) that have had a report of some version since they were opened. */
  private readonly reported = new Set<string>();
  /** When the first analysis of each document still without a report started (`performance.now()`). */
  private readonly firstStarted = new Map<string, number>();
  private readonly firstStarting = new vscode.EventEmitter<string>();
  private readonly firstHints = new vscode.EventEmitter<vscode.TextDocument>();
  /**
   * Fires (with each document that shows it) when the inlay hints of a document's first report came, before the
   * rest of that report: the hints need not wait for it.
   */
  readonly onDidFirstHints = this.firstHints.event;
  /** Fires (with the report key) when the first analysis of a document starts: it may take long (a timm file's imports). */
  readonly onDidStartFirstAnalysis = this.firstStarting.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped when an imported file or a setting changes: every report is then stale. */
  private generation = 0;
  private readonly updated = new vscode.EventEmitter<ReportUpdate>();
  /** Fires when the report of a document's current version is ready. */
  readonly onDidUpdate = this.updated.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly sources = new Map<string, WorkspaceSources>();
  /** What the worker sends after a report (each model's memory at the defaults), by report. */
  private readonly figures = new WeakMap<FileReport, Promise<void>>();

  private readonly analyzer: Analyzer;
  /** The Python extension's selected interpreter; a change makes every report stale. */
  private readonly interpreter = new PythonInterpreter();
  /** Bumped with `generation`: the worker discovers the Python environment again (a setting, the interpreter, a refresh). */
  private pythonEpoch = 0;

  /** `snapshots`: where the desktop worker keeps what imports made across windows (`import-cache.ts`). */
  constructor(extensionUri: vscode.Uri, analyzer?: Analyzer, snapshots?: SnapshotPlace) {
    this.analyzer = analyzer ?? createAnalyzer(extensionUri, snapshots, this.prefetchRequest());
    this.subscriptions.push(
      this.analyzer,
      this.updated,
      this.firstStarting,
      this.firstHints,
      this.interpreter,
      this.interpreter.onDidChange(() => this.invalidateAll()),
      // in the background the analysis of a change starts at once, so that it is under way when VS Code asks for hints
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isPython(e.document) && e.contentChanges.length) this.schedule(e.document, this.delay());
      }),
      vscode.workspace.onDidOpenTextDocument((d) => { if (isPython(d)) this.schedule(d, this.delay()); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // cells added, removed or moved; edits inside a cell arrive as text document changes
      vscode.workspace.onDidChangeNotebookDocument((e) => this.scheduleNotebook(e.notebook)),
      vscode.workspace.onDidOpenNotebookDocument((n) => this.scheduleNotebook(n)),
      vscode.workspace.onDidCloseNotebookDocument((n) => this.forget(n.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('convlens') || e.affectsConfiguration('python.defaultInterpreterPath')) this.invalidateAll();
      }),
    );
  }

  /**
   * What a new analysis worker prefetches before a file is opened (workerPrefetch.ts): the installed packages the
   * workspace's Python files import, in the first folder's environment. Only `file:` folders (the worker reads them),
   * and not in an untrusted workspace (it would read files the user did not open).
   */
  private prefetchRequest(): PrefetchRequest['prefetch'] | undefined {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (!folders.length || !vscode.workspace.isTrusted) return undefined;
    const top = folders[0].uri;
    // discovery starts from a file's folder: one at the top of the workspace folder
    const python = this.pythonRequest(vscode.Uri.joinPath(top, '__init__.py'), readSettings(top), top.path);
    return { roots: folders.map((f) => f.uri.path), python };
  }

  /** The report for the document as it is now (undefined if it changes before the analysis ends). */
  async get(document: vscode.TextDocument): Promise<FileReport | undefined> {
    for (;;) {
      const subject = subjectOf(document);
      const entry = this.entry(subject);
      const report = await entry.promise;
      if (subjectOf(document).version !== subject.version) return undefined;
      if (report) return viewOf(entry, report, subject, subject.cell);
      // dropped for a newer analysis of this same version (a setting or an imported file changed): wait for that one
    }
  }

  /**
   * For the inlay hints: the report of the document as it is now with its hint items, as soon as the
   * worker has sent those (the report's heavy fields may not be there yet: read none of them), or the
   * whole report when there are no such items (a notebook cell's view, the web); undefined as `get`.
   */
  async hintsFor(document: vscode.TextDocument): Promise<EarlyHints | FileReport | undefined> {
    const subject = subjectOf(document);
    if (subject.cell !== undefined) return this.get(document);
    const early = await this.entry(subject).hints;
    if (subjectOf(document).version !== subject.version) return undefined;
    return early ?? this.get(document);
  }

  /**
   * Settles once the figures the worker sends after a report have come (the CodeLens's memory; without
   * them, or for a notebook cell's view, `memoryText.ts` computes them from the report).
   */
  async figuresOf(report: FileReport): Promise<void> {
    await this.figures.get(report);
  }

  /** The report of the current version if it is already computed; never starts an analysis. */
  peek(document: vscode.TextDocument): FileReport | undefined {
    const subject = subjectOf(document);
    const e = this.current(subject);
    return e?.report && viewOf(e, e.report, subject, subject.cell);
  }

  /** Whether some version of the document has had its report (false until its first analysis ends). */
  hasReported(document: vscode.TextDocument): boolean {
    return this.reported.has(subjectOf(document).key);
  }

  /** The inlay hints of the document's current version if they have come; never starts an analysis. */
  peekHints(document: vscode.TextDocument): EarlyHints | undefined {
    return this.current(subjectOf(document))?.early;
  }

  /** When the analysis under way for a document that has had no report yet started (undefined: none is). */
  firstAnalysisSince(document: vscode.TextDocument): number | undefined {
    return this.firstStarted.get(subjectOf(document).key);
  }

  /** For a notebook cell, the report of the whole notebook (all cells' diagnostics); never starts an analysis. */
  peekWhole(document: vscode.TextDocument): FileReport | undefined {
    return this.current(subjectOf(document))?.report;
  }

  private current(subject: Subject): Entry | undefined {
    const e = this.entries.get(subject.key);
    return e && e.version === subject.version && e.generation === this.generation ? e : undefined;
  }

  private delay(): number {
    return this.analyzer.inBackground ? 0 : DEBOUNCE_MS;
  }

  /** Analyses soon, in the background; the result is announced through onDidUpdate. */
  schedule(document: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    const key = subjectOf(document).key;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!document.isClosed) void this.get(document);
    }, delay));
  }

  /** A notebook is analysed through any of its code cells. */
  private scheduleNotebook(notebook: vscode.NotebookDocument): void {
    const first = codeCells(notebook)[0];
    if (first) this.schedule(first.document);
  }

  /** Analyses every open document again in a new analysis worker, as a new window would (the editor benchmark). */
  renewAnalyzer(): void {
    this.analyzer.renew?.();
    this.invalidateAll();
    // the new worker gets it as it starts (once the old one has exited), with the interpreter known by now
    const prefetch = this.prefetchRequest();
    if (prefetch) this.analyzer.prefetch?.(prefetch);
  }

  /** Every report is stale: the documents shown in a tab are analysed again (staleOrder.ts), the others when asked. */
  invalidateAll(): void {
    this.generation++;
    this.pythonEpoch++;
    const stale = vscode.workspace.textDocuments.filter((d) => isPython(d) && this.entries.has(subjectOf(d).key));
    const { analyse, forget } = staleOrder(openDocuments(stale));
    for (const d of forget) this.forget(d.uri);
    for (const d of analyse) this.schedule(d, 0);
  }

  /** The Python documents already open when the extension starts (in a tab or not): the visible ones first. */
  scheduleOpen(): void {
    const { analyse, forget } = staleOrder(openDocuments(vscode.workspace.textDocuments.filter(isPython)));
    for (const d of [...analyse, ...forget]) this.schedule(d, 0);
  }

  private entry(subject: Subject): Entry {
    const { key } = subject;
    const cached = this.current(subject);
    if (cached) return cached;
    let settle: (hints: EarlyHints | FileReport | undefined) => void = () => {};
    const entry: Entry = {
      version: subject.version, generation: this.generation, promise: Promise.resolve(null as never), views: new Map(),
      hints: new Promise((resolve) => { settle = resolve; }),
    };
    const early = (hints: EarlyHints | FileReport | undefined) => {
      settle(hints);
      if (!hints || !('hints' in hints) || entry.early) return;
      entry.early = hints;
      if (this.reported.has(key) || this.entries.get(key) !== entry) return;
      for (const { document } of subject.documents()) if (!document.isClosed && subjectOf(document).version === entry.version) this.firstHints.fire(document);
    };
    if (!this.reported.has(key) && !this.firstStarted.has(key)) {
      this.firstStarted.set(key, performance.now());
      this.firstStarting.fire(key);
    }
    entry.promise = this.analyse(subject, early).then((report) => {
      early(report);
      if (!report) return report;
      entry.report = report;
      this.reported.add(key);
      this.firstStarted.delete(key);
      if (this.entries.get(key) !== entry) return report;
      for (const { document, cell } of subject.documents()) {
        if (!document.isClosed && subjectOf(document).version === entry.version) this.updated.fire({ document, report: viewOf(entry, report, subject, cell) });
      }
      return report;
    });
    this.entries.set(key, entry);
    return entry;
  }

  /** `early`: takes the report's inlay hints if they come before the report. */
  private async analyse(subject: Subject, early: (hints: EarlyHints) => void): Promise<FileReport | undefined> {
    const content = subject.content();
    const file = subject.uri.path;
    const settings = readSettings(subject.uri);
    const folder = vscode.workspace.getWorkspaceFolder(subject.uri);
    // Imports resolve from the workspace folder (packages and relative imports work as in a project)
    // and, as for a script, from the file's own folder; the setting picks another root.
    const confined = folder && analysisRootIn(folder.uri.path, settings.analysisRoot);
    if (confined && confined.refused && !refusedRoots.has(confined.refused)) {
      refusedRoots.add(confined.refused);
      log().warn(`${confined.refused}: using the workspace folder`);
    }
    const root = confined ? confined.root : undefined;
    const sources = this.sourcesFor(subject.uri);
    const options: Omit<AnalyzeOptions, 'host'> = { root, defaultInputShape: settings.defaultInputShape, kerasNaming: settings.kerasNaming };
    const start = performance.now();
    try {
      for (let round = 0; ; round++) {
        const python = this.pythonRequest(subject.uri, settings, folder?.uri.path);
        const display = { hintParts: settings.hintParts, computeUnit: settings.computeUnit, batchDimension: settings.batchDimension };
        const hints = {
          display,
          early: (h: EarlyHints) => {
            noteLatency(subject.key, { hintsReady: performance.now() - start });
            early(h);
          },
        };
        const reply = await this.analyzer.analyse(file, content, options, sources.files(), subject.uri.scheme === 'file', python, hints, !isVisible(subject));
        if (!reply) return undefined;
        const { report, misses, read, timings } = reply;
        sources.noteAsked([...misses, ...read]);
        if (misses.length === 0 || round === MAX_IMPORT_ROUNDS) {
          noteLatency(subject.key, { ...timings, rounds: round + 1, analysis: performance.now() - start, startedAt: start });
          if (reply.figures) this.figures.set(report, reply.figures);
          return report;
        }
        await sources.load(misses);
      }
    } catch (e) {
      // The engine promises never to throw; if it does, say so where the user looks, once per version.
      const message = e instanceof Error ? e.message : String(e);
      log().error(`analysis of ${file} failed: ${e instanceof Error ? e.stack : message}`);
      return {
        file,
        models: [],
        diagnostics: [{ line: 1, severity: 'warning', code: 'internal-error', message: `ConvLens could not analyse this file (${message}). See the ConvLens output for details.` }],
      };
    }
  }

  /** What the worker needs to find the Python environment for this file (it discovers once per distinct request). */
  private pythonRequest(uri: vscode.Uri, settings: Settings, folder: string | undefined): NonNullable<AnalysisRequest['python']> {
    const fileDir = uri.path.slice(0, uri.path.lastIndexOf('/')) || '/';
    const base = folder ?? fileDir;
    const node = typeof process === 'object' && !!process.env;
    const selected = this.interpreter.current(uri);
    const { defaultInterpreterPath } = settings;
    const input: DiscoveryInput = {
      fileDir,
      ...(folder ? { workspaceRoot: folder } : {}),
      extraPaths: settings.pythonExtraPaths.map((p) => settingPath(p, base)),
      extraOrigin: 'setting',
      ...(selected ? { selected } : {}),
      ...(defaultInterpreterPath ? { defaultInterpreterPath } : {}),
      env: node ? discoveryVariables(process.env) : {},
      platform: platformOf(node ? process.platform : 'linux'),
      discovery: settings.pythonDiscovery,
    };
    return { input, epoch: this.pythonEpoch };
  }

  private sourcesFor(uri: vscode.Uri): WorkspaceSources {
    const key = `${uri.scheme}://${uri.authority}`;
    let s = this.sources.get(key);
    if (!s) {
      s = new WorkspaceSources(uri);
      s.onDidChange(() => this.invalidateAll());
      this.sources.set(key, s);
    }
    return s;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.entries.delete(key);
    this.reported.delete(key);
    this.firstStarted.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.sources.values()) s.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export const isPython = (d: vscode.TextDocument): boolean => d.languageId === 'python';

/** Whether a document of `subject` is in a visible editor (a notebook: in a visible notebook editor). */
function isVisible(subject: Subject): boolean {
  return vscode.window.visibleNotebookEditors.some((e) => e.notebook.uri.toString() === subject.key)
    || vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === subject.key);
}

/** Whether each document is in a visible editor and in a tab (a notebook's cell: its notebook). */
function openDocuments(docs: vscode.TextDocument[]): Array<OpenDocument<vscode.TextDocument>> {
  const tabs = new Set<string>();
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    const input = tab.input;
    if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook) tabs.add(input.uri.toString());
    else if (input instanceof vscode.TabInputTextDiff) tabs.add(input.modified.toString());
  }
  return docs.map((doc) => {
    const subject = subjectOf(doc);
    return { doc, visible: isVisible(subject), tabbed: tabs.has(subject.key) };
  });
}

/** What a document's report is kept under: its notebook's URI for a cell, else its own. */
export const reportKey = (document: vscode.TextDocument): string => subjectOf(document).key;

/** The refused analysisRoot settings already logged (once each, not at every edit). */
const refusedRoots = new Set<string>();

function viewOf(entry: Entry, report: FileReport, subject: Subject, cell: number | undefined): FileReport {
  if (cell === undefined) return report;
  let view = entry.views.get(cell);
  if (!view) entry.views.set(cell, (view = cellView(report, cell, cell === subject.home)));
  return view;
}

/** A folder of `convlens.python.extraPaths` as a URI path: `${workspaceFolder}`, absolute (`C:\x` too) or relative to the folder. */
function settingPath(value: string, base: string): string {
  const v = value.trim().replace(/\$\{workspaceFolder\}/g, base);
  return /^[a-zA-Z]:[\\/]/.test(v) ? uriPath(v) : joinPath(base, v);
}

function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  return `${base.replace(/\/$/, '')}/${rel.replace(/^\.\//, '')}`.replace(/\/$/, '');
}
