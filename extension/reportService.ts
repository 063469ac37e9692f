// Reports for open Python documents, computed off the typing path: a change schedules a debounced
// background analysis (diagnostics, CodeLens, status bar, summary); a provider that needs the
// report of the version on screen gets it at once (the same promise, so one analysis per version).
// A report is only ever handed out for the document version it was computed from, so nothing
// is drawn on lines that have moved since.
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../engine/analyze';
import type { FileReport } from '../engine/report/types';
import { log } from './log';
import { readSettings } from './settings';
import { WorkspaceSources } from './workspaceSources';
import { createAnalyzer, type Analyzer } from './analyzer';

/** Rounds of "analyse, load the imports it asked for, analyse again"; one per level of imports. */
const MAX_IMPORT_ROUNDS = 8;
const DEBOUNCE_MS = 150;

interface Entry {
  version: number;
  generation: number;
  promise: Promise<FileReport>;
  report?: FileReport;
}

export interface ReportUpdate {
  document: vscode.TextDocument;
  report: FileReport;
}

export class ReportService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped when an imported file or a setting changes: every report is then stale. */
  private generation = 0;
  private readonly updated = new vscode.EventEmitter<ReportUpdate>();
  /** Fires when the report of a document's current version is ready. */
  readonly onDidUpdate = this.updated.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly sources = new Map<string, WorkspaceSources>();

  private readonly analyzer: Analyzer;

  constructor(extensionUri: vscode.Uri, analyzer?: Analyzer) {
    this.analyzer = analyzer ?? createAnalyzer(extensionUri);
    this.subscriptions.push(
      this.analyzer,
      this.updated,
      vscode.workspace.onDidChangeTextDocument((e) => { if (isPython(e.document) && e.contentChanges.length) this.schedule(e.document); }),
      vscode.workspace.onDidOpenTextDocument((d) => { if (isPython(d)) this.schedule(d); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('convlens')) this.invalidateAll(); }),
    );
  }

  /** The report for the document as it is now (undefined if it changes before the analysis ends). */
  async get(document: vscode.TextDocument): Promise<FileReport | undefined> {
    const version = document.version;
    const report = await this.entry(document).promise;
    return document.version === version ? report : undefined;
  }

  /** The report of the current version if it is already computed; never starts an analysis. */
  peek(document: vscode.TextDocument): FileReport | undefined {
    const e = this.entries.get(document.uri.toString());
    return e && e.version === document.version && e.generation === this.generation ? e.report : undefined;
  }

  /** Analyses soon, in the background; the result is announced through onDidUpdate. */
  schedule(document: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!document.isClosed) void this.get(document);
    }, delay));
  }

  invalidateAll(): void {
    this.generation++;
    for (const d of vscode.workspace.textDocuments) if (isPython(d) && this.entries.has(d.uri.toString())) this.schedule(d, 0);
  }

  private entry(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached;
    const entry: Entry = { version: document.version, generation: this.generation, promise: Promise.resolve(null as never) };
    entry.promise = this.analyse(document).then((report) => {
      entry.report = report;
      if (this.entries.get(key) === entry && document.version === entry.version) this.updated.fire({ document, report });
      return report;
    });
    this.entries.set(key, entry);
    return entry;
  }

  private async analyse(document: vscode.TextDocument): Promise<FileReport> {
    const text = document.getText();
    const file = document.uri.path;
    const settings = readSettings(document.uri);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    // Imports resolve from the workspace folder (packages and relative imports work as in a project)
    // and, as for a script, from the file's own folder; the setting picks another root.
    const root = folder ? (settings.analysisRoot ? joinPath(folder.uri.path, settings.analysisRoot) : folder.uri.path) : undefined;
    const sources = this.sourcesFor(document.uri);
    const options: Omit<AnalyzeOptions, 'host'> = { root, defaultInputShape: settings.defaultInputShape };
    try {
      for (let round = 0; ; round++) {
        const { report, misses } = await this.analyzer.analyse(file, text, options, sources.files());
        sources.noteAsked(misses);
        if (misses.length === 0 || round === MAX_IMPORT_ROUNDS) return report;
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

function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  return `${base.replace(/\/$/, '')}/${rel.replace(/^\.\//, '')}`.replace(/\/$/, '');
}
