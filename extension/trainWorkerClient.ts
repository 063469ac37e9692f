// Starts jobs on the training worker (dist/train-worker.js), one thread per job, and keeps count of
// the threads alive until their 'exit' event: the integration tests and deactivate rely on it.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './trainWorkerProtocol';

const live = new Set<Worker>();
const FINAL = new Set<FromWorker['type']>(['checked', 'done', 'features', 'script', 'error', 'refused']);

export interface Job {
  /** Resolves when the thread has exited. */
  readonly exited: Promise<void>;
  terminate(): Promise<void>;
}

/** Runs one job; `onMessage` sees every message, the last one final (done, checked, features, error or refused). */
export function startJob(extensionPath: string, msg: ToWorker, onMessage: (m: FromWorker) => void): Job {
  const worker = new Worker(path.join(extensionPath, 'dist', 'train-worker.js'));
  live.add(worker);
  let finished = false;
  const finish = (m: FromWorker): void => {
    if (finished) return;
    if (FINAL.has(m.type)) finished = true;
    onMessage(m);
    if (finished) void worker.terminate();
  };
  worker.on('message', finish);
  worker.on('error', (e) => finish({ type: 'error', message: `the training worker failed: ${e.message}` }));
  const exited = new Promise<void>((resolve) => worker.once('exit', (code) => {
    live.delete(worker);
    finish({ type: 'error', message: `the training worker stopped (exit code ${code})` });
    resolve();
  }));
  worker.postMessage(msg);
  return { exited, terminate: async () => { await worker.terminate(); await exited; } };
}

/** A job's final message. */
export function runJob(extensionPath: string, msg: ToWorker): Promise<FromWorker> {
  return new Promise((resolve) => startJob(extensionPath, msg, (m) => { if (FINAL.has(m.type)) resolve(m); }));
}

export const liveWorkers = (): number => live.size;

/** Ends every worker thread (deactivate). */
export async function terminateAll(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
}
