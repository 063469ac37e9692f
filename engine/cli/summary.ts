// `convlens summary` and `convlens check`: the model report of a file, as a table, as JSON, or
// as diagnostics with an exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeDocument, emptyReason, isNotebookPath } from '../notebook/analyze-notebook';
import { formatDiagnostic, formatTable, placeText } from '../report/format';
import type { FileReport } from '../report/types';
import { parseShapeText } from '../input-shape';
import { checkArgs } from './args';
import { fileStamp, nodeHost } from './node-files';
import { DiskSnapshotStore, snapshotDir } from './snapshot-store';
import { DiskParseStore } from './parse-store-disk';
import { setParseStore } from '../python/parse-store';
import { ImportCache } from '../python/import-cache';
import { cliEnvironment } from './environment';
import { packageLines } from '../report/package-origin';
import { UsageError, type Io } from './io';
import { attachMemory, MEMORY_FLAGS, memoryArgs } from './memory-args';

const OPTIONS = {
  entry: { type: 'string' },
  input: { type: 'string', multiple: true },
  root: { type: 'string' },
  depth: { type: 'string' },
  json: { type: 'boolean' },
  'python-path': { type: 'string', multiple: true },
  'keras-naming': { type: 'string' },
  'no-snapshot-cache': { type: 'boolean' },
  'no-parse-cache': { type: 'boolean' },
  ...MEMORY_FLAGS,
} as const;

function analyzeArgs(args: string[]): { report: FileReport; depth: number; json: boolean; memoryAsked: boolean } {
  const { values, positionals } = parseArgs({ args: checkArgs(args, OPTIONS), options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
  const file = path.resolve(positionals[0]);
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  // `--input` once per input of forward(), in order
  const [input, ...extraInputs] = (values.input ?? []).map((text) => {
    const shape = parseShapeText(text.replace(/[()[\]]/g, ''));
    if (!shape || shape.length < 2) throw new UsageError(`--input must be a shape with its batch, like 1,3,224,224 (got ${text})`);
    return shape;
  });
  const depth = values.depth === undefined ? 3 : Number(values.depth);
  if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth must be a whole number (got ${values.depth})`);
  const root = values.root === undefined ? undefined : path.resolve(values.root);
  const python = cliEnvironment(file, values['python-path'] ?? []);
  const memory = memoryArgs(values);
  const naming = values['keras-naming'];
  if (naming !== undefined && naming !== 'keras3' && naming !== 'tf2') throw new UsageError(`--keras-naming must be keras3 or tf2 (got ${naming})`);
  // what the imports made is kept on disk for the next run (a timm file's imports: seconds); the report is the same
  const importCache = values['no-snapshot-cache'] ? undefined : new ImportCache(cliSnapshots());
  // so are the imported modules' parses (a run whose snapshot does not fit still parses none of them again)
  const parses = values['no-parse-cache'] ? undefined : cliParses();
  setParseStore(parses);
  const analysed = analyzeDocument(file, source, { entry: values.entry, input, extraInputs, root, host: nodeHost, python, kerasNaming: naming, importCache, fullImports: process.env.CONVLENS_FULL_IMPORTS === '1' });
  parses?.flush();
  const report = { ...analysed, models: analysed.models.map((m) => attachMemory(m, memory)) };
  return { report, depth, json: !!values.json, memoryAsked: memory.asked };
}

/** The CLI's import snapshots, under this script's stamp (a rebuilt CLI never reads another build's); no log. */
function cliSnapshots(): DiskSnapshotStore {
  return new DiskSnapshotStore(snapshotDir(process.env, process.platform), `cli+${fileStamp(process.argv[1] ?? '')}`, () => {});
}

/** The CLI's parses of imported modules, beside its snapshots, under this script's stamp; no log. */
function cliParses(): DiskParseStore {
  return new DiskParseStore(path.join(path.dirname(snapshotDir(process.env, process.platform)), 'parses'), `cli+${fileStamp(process.argv[1] ?? '')}`, () => {});
}

/** `line`, and in a notebook first `cell` (1-based among all cells), `line` being within that cell. */
const place = (x: { line: number; cell?: number }) => (x.cell === undefined ? { line: x.line } : { cell: x.cell, line: x.line });

/** The JSON contract of `convlens summary --json` (issue 2); keep its fields stable. */
export function toJson(report: FileReport): object {
  // an error raised in an imported file sits at the user's line; `related` says where it was raised
  const diag = (d: FileReport['diagnostics'][number]) => ({
    ...place(d), severity: d.severity, code: d.code, message: d.message,
    ...(d.related?.length ? { related: d.related.map((r) => ({ file: r.file, line: r.line, label: r.label })) } : {}),
  });
  return {
    file: report.file,
    models: report.models.map((m) => ({
      name: m.name,
      ...(m.summaryName ? { summaryName: m.summaryName } : {}),
      framework: m.framework,
      ...place(m),
      inputShape: m.inputShape,
      ...(m.inputShapes ? { inputShapes: m.inputShapes } : {}),
      inputShapeSource: m.inputShapeSource,
      outputShape: m.outputShape,
      ...(m.outputShapes ? { outputShapes: m.outputShapes } : {}),
      totalParams: m.totalParams,
      trainableParams: m.trainableParams,
      nonTrainableParams: m.nonTrainableParams,
      macs: m.macs,
      flops: m.flops,
      complete: m.complete,
      paramsComplete: m.paramsComplete,
      macsComplete: m.macsComplete,
      unmodelled: m.unmodelled.map((u) => ({ name: u.name, path: u.path, ...place(u), reason: u.reason, missing: u.missing })),
      ...(m.memory ? { memory: m.memory } : {}),
      layers: m.layers.map((l) => ({
        path: l.path, type: l.type, ...place(l), outputShape: l.outputShape,
        ...(l.outputShapes ? { outputShapes: l.outputShapes } : {}), ...(l.inputs ? { inputs: l.inputs } : {}),
        params: l.params, trainableParams: l.trainableParams, paramsKnown: l.paramsKnown, macs: l.macs, macsKnown: l.macsKnown,
        ...(l.savedBytes === undefined ? {} : { savedBytes: l.savedBytes }),
      })),
      diagnostics: m.diagnostics.map(diag),
    })),
    diagnostics: report.diagnostics.map(diag),
    packages: report.packages ?? [],
    environment: report.environment ?? null,
  };
}

export function runSummary(args: string[], io: Io): number {
  const { report, depth, json, memoryAsked } = analyzeArgs(args);
  if (json) {
    io.out(JSON.stringify(toJson(report)));
    return 0;
  }
  const name = path.relative(process.cwd(), report.file) || report.file;
  for (const d of report.diagnostics) io.err(formatDiagnostic(name, d));
  if (!report.models.length) {
    io.out(`${name}: ${isNotebookPath(report.file) ? emptyReason(report) : 'no model found'}. Name one with --entry, e.g. --entry "Net()".`);
  }
  for (const m of report.models) {
    io.out(`${m.name} (${m.framework}, ${placeText(m)})`);
    io.out(formatTable(memoryAsked ? m : { ...m, memory: undefined }, depth));
    for (const d of m.diagnostics) io.out(formatDiagnostic(name, d));
    io.out('');
  }
  const imports = packageLines(report.packages);
  if (imports.length) io.out(['imports:', ...imports.map((l) => `  ${l}`)].join('\n'));
  return 0;
}

export function runCheck(args: string[], io: Io): number {
  const { report, json } = analyzeArgs(args);
  const name = path.relative(process.cwd(), report.file) || report.file;
  const all = [...report.diagnostics, ...report.models.flatMap((m) => m.diagnostics)];
  if (json) io.out(JSON.stringify({ file: report.file, diagnostics: all }));
  else {
    for (const d of all) io.out(formatDiagnostic(name, d));
    const errors = all.filter((d) => d.severity === 'error').length;
    io.out(`${report.models.length} model(s), ${errors} error(s), ${all.length - errors} warning(s)/note(s)`);
  }
  return all.some((d) => d.severity === 'error') ? 1 : 0;
}
