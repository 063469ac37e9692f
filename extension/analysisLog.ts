// Each analysis, written to the ConvLens output channel: the file, how long it took, its models with
// their totals, and its errors and warnings. The channel's log level (Output view, "Set Log Level")
// chooses how much shows: errors, warnings, one info line per analysis, every diagnostic at debug.
import type { AnalyzeOptions } from '../engine/analyze';
import { thousands } from '../engine/report/thousands';
import type { Diagnostic, FileReport } from '../engine/report/types';
import type { CellSource } from '../engine/notebook/ipynb';
import type { AnalysisReply, AnalysisRequest } from './analysisProtocol';
import type { Analyzer, HintRequest } from './analyzer';

/** The part of a LogOutputChannel this needs (a test passes a recorder). */
export interface LogSink {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** `net.py: 2 models in 84 ms — Net 61.7K params 416K MACs (1, 1, 28, 28); … · 1 error, 2 warnings`. */
export function analysisLine(report: FileReport, ms: number): string {
  const models = report.models.map((m) => {
    const exact = m.complete ? '' : ' (lower bounds)';
    return `${m.name} ${thousands(m.totalParams)} params, ${thousands(m.macs)} MACs${exact}`;
  });
  const all = allDiagnostics(report);
  const count = (sev: Diagnostic['severity'], word: string) => {
    const n = all.filter((d) => d.severity === sev).length;
    return n ? [`${n} ${word}${n > 1 ? 's' : ''}`] : [];
  };
  const problems = [...count('error', 'error'), ...count('warning', 'warning')];
  const what = models.length ? `${models.length} model${models.length > 1 ? 's' : ''}: ${models.join('; ')}` : 'no model';
  return `${report.file}: analysed in ${Math.round(ms)} ms, ${what}${problems.length ? ` · ${problems.join(', ')}` : ''}`;
}

const allDiagnostics = (report: FileReport): Diagnostic[] => [...report.diagnostics, ...report.models.flatMap((m) => m.diagnostics)];

/** An analyzer that logs every analysis it runs. */
export class LoggedAnalyzer implements Analyzer {
  constructor(private readonly inner: Analyzer, private readonly sink: () => LogSink) {}

  get inBackground(): boolean {
    return this.inner.inBackground;
  }

  renew(): void {
    this.inner.renew?.();
  }

  get prefetch(): Analyzer['prefetch'] {
    return this.inner.prefetch && ((p) => this.inner.prefetch?.(p));
  }

  async analyse(file: string, text: string | CellSource[], options: Omit<AnalyzeOptions, 'host'>, files: Map<string, string | null>, disk?: boolean, python?: AnalysisRequest['python'], hints?: HintRequest, background?: boolean): Promise<AnalysisReply | undefined> {
    const start = Date.now();
    const reply = await this.inner.analyse(file, text, options, files, disk, python, hints, background);
    const sink = this.sink();
    if (!reply) {
      sink.debug(`${file}: a newer version came first, so this one was not analysed`);
      return reply;
    }
    if (reply.misses.length) {
      sink.debug(`${file}: reading ${reply.misses.length} imported file(s), then analysing again`);
      return reply;
    }
    for (const line of reply.log ?? []) sink.info(line);
    sink.info(analysisLine(reply.report, Date.now() - start));
    for (const d of allDiagnostics(reply.report)) {
      const text = `${file}:${d.line} ${d.code}: ${d.message}`;
      if (d.severity === 'error') sink.error(text);
      else if (d.severity === 'warning') sink.warn(text);
      else sink.debug(text);
    }
    return reply;
  }

  dispose(): void {
    this.inner.dispose();
  }
}
