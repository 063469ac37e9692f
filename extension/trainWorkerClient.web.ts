// VS Code for the Web has no worker threads in its extension host: training says so instead of
// failing later (the browser build resolves ./trainWorkerClient to this file).
import type { FromWorker, ToWorker } from './trainWorkerProtocol';
import type { Job } from './trainWorkerClient';

const WHY = 'Training runs in a worker thread of the desktop extension host; VS Code for the Web cannot train. Open the folder in VS Code desktop.';

export function startJob(_extensionPath: string, _msg: ToWorker, onMessage: (m: FromWorker) => void): Job {
  queueMicrotask(() => onMessage({ type: 'error', message: WHY }));
  return { exited: Promise.resolve(), terminate: async () => undefined };
}

export async function runJob(_extensionPath: string, _msg: ToWorker): Promise<FromWorker> {
  return { type: 'error', message: WHY };
}

export const liveWorkers = (): number => 0;
export async function terminateAll(): Promise<void> {}
