// The analysis worker's entry (dist/analysis-worker-start.js): evaluates the engine's bundle
// (analysis-worker.js, beside it) from V8's code cache in the folder the extension names (codeCache.ts),
// so a new window's worker does not compile the bundle and its first analysis's functions again. When there
// was no cache (a new build) or V8 refused it, the cache is made once the worker's first analyses are done
// and it has been idle SAVE_IDLE_MS: it then holds what they compiled.
import { readFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { fileStamp } from '../engine/cli/node-files';
import type { SnapshotPlace } from './analysisProtocol';
import { compileCached } from './codeCache';

const SAVE_IDLE_MS = 2_000;

const bundle = join(__dirname, 'analysis-worker.js');
const place = (workerData as { snapshots?: SnapshotPlace } | null)?.snapshots;
const cached = compileCached(wrap(readFileSync(bundle, 'utf8')), bundle, place?.codeCache, `${place?.version}+${fileStamp(bundle)}`);
const loaded = { exports: {} };
(cached.script.runInThisContext() as (...args: unknown[]) => void)
  .call(loaded.exports, loaded.exports, createRequire(bundle), loaded, bundle, dirname(bundle));

if (!cached.fromCache && place?.codeCache) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onMessage = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      parentPort?.off('message', onMessage);
      try {
        cached.save();
      } catch {
        // a cache that cannot be written is only a slower start next time
      }
    }, SAVE_IDLE_MS);
    timer.unref?.();
  };
  // after the bundle's own listener: each request has been answered when this runs
  parentPort?.on('message', onMessage);
}
