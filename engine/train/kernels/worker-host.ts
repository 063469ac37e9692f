// What the engine asks of its host to run kernels on several cores. The engine never creates a
// thread itself (it also runs in browsers, and engine/ imports no Node API): a host that can start
// workers registers itself here (the CLI and the extension's training worker give worker_threads);
// without one, or without SharedArrayBuffer, training runs on one thread.

/** A started worker: it runs `source` and receives messages (structured clones, shared memory shared). */
export interface HostWorker {
  postMessage(message: unknown): void;
  terminate(): void;
}

export interface WorkerHost {
  /** Cores available to this process (training uses one thread per core by default). */
  readonly cores: number;
  /**
   * Starts a worker running `source`, a self-contained script written for a browser-style worker:
   * it sets `self.onmessage` and reads `event.data`. The worker must not keep the host alive.
   */
  start(source: string): HostWorker;
}

let host: WorkerHost | null = null;

export function setWorkerHost(h: WorkerHost | null): void {
  host = h;
}

export const workerHost = (): WorkerHost | null => host;
