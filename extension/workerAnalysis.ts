// The analysis worker's side of a request, without the thread (so that it is unit-tested): the files
// the extension sent (open documents, with their unsaved edits) win, then the disk of a `file:`
// workspace is read on demand, so an analysis never stops to ask the extension for the files its
// imports name. Without a disk, a path it lacks is a miss: the extension loads it and asks again.
import { analyzeDocument } from '../engine/notebook/analyze-notebook';
import { hostOf, type AnalysisReply, type AnalysisRequest, type Disk } from './analysisProtocol';
import { zeroTimings } from './latency';

export class WorkerAnalysis {
  /** Text by path, as the extension sent it (null: the file does not exist). */
  private readonly files = new Map<string, string | null>();

  constructor(private readonly disk?: Disk) {}

  analyse(req: Omit<AnalysisRequest, 'id'>): AnalysisReply {
    for (const path of req.forget) this.files.delete(path);
    for (const [path, text] of req.updates) this.files.set(path, text);
    const misses = new Set<string>();
    const read = new Set<string>();
    const timings = zeroTimings();
    const start = performance.now();
    const host = hostOf(this.files, misses, req.disk ? this.disk : undefined, read);
    const report = analyzeDocument(req.file, req.content, { ...req.options, host, timings });
    return { report, misses: [...misses], read: [...read], timings: { ...timings, worker: performance.now() - start } };
  }
}
