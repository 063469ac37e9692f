// Import snapshots on disk (`SnapshotStore`): a new editor window or CLI run starts from what an earlier
// process's imports made (timm's ~280 modules: ~6 s of CPU to run, well under 1 s to read back). One
// JSON file per snapshot, named by a hash of ConvLens's version and the snapshot's key, written to a
// temporary file and renamed into place; a file of another version or key, or one that does not parse,
// is ignored with a log line and removed. The folder is kept under a size bound, oldest used first out.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedImports, SnapshotStore } from '../python/import-cache';
import { stageFile } from './atomic-file';

/** What the folder may hold in all (timm's snapshot is ~6 MB). */
const MAX_BYTES = 128 * 1024 * 1024;
const SUFFIX = '.snapshot.json';

interface Saved {
  version: string;
  key: string;
  imports: PersistedImports;
}

export class DiskSnapshotStore implements SnapshotStore {
  /**
   * `version` names the code that wrote a snapshot (ConvLens's version and its build): a snapshot of
   * another is never read. `log` takes one line per snapshot ignored, written or refused.
   */
  constructor(private readonly dir: string, private readonly version: string, private readonly log: (line: string) => void, private readonly maxBytes = MAX_BYTES) {}

  private fileOf(key: string): string {
    return join(this.dir, createHash('sha256').update(`${this.version}\0${key}`).digest('hex').slice(0, 32) + SUFFIX);
  }

  load(key: string): PersistedImports | undefined {
    const file = this.fileOf(key);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const saved = JSON.parse(text) as Saved;
      if (saved?.version !== this.version || saved.key !== key || typeof saved.imports !== 'object' || saved.imports === null) {
        throw new Error('it was written by another version or for another file');
      }
      const now = new Date();
      utimesSync(file, now, now);
      return saved.imports;
    } catch (e) {
      this.log(`import snapshot ${file} ignored and removed: ${e instanceof Error ? e.message : String(e)}`);
      remove(file);
      return undefined;
    }
  }

  save(key: string, imports: PersistedImports): void {
    const file = this.fileOf(key);
    try {
      mkdirSync(this.dir, { recursive: true });
      const text = JSON.stringify({ version: this.version, key, imports } satisfies Saved);
      const staged = stageFile(file, text);
      try {
        staged.commit();
      } catch (e) {
        staged.discard();
        throw e;
      }
      this.log(`import snapshot written: ${file} (${(text.length / 1e6).toFixed(1)} MB)`);
      this.trim(file);
    } catch (e) {
      this.log(`import snapshot not written to ${this.dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  note(message: string): void {
    this.log(message);
  }

  /** Removes the least recently used snapshots (never `keep`) until the folder is within its bound. */
  private trim(keep: string): void {
    const files = readdirSync(this.dir).filter((f) => f.endsWith(SUFFIX)).map((f) => join(this.dir, f)).flatMap((path) => {
      const st = statSync(path, { throwIfNoEntry: false });
      return st ? [{ path, size: st.size, used: st.mtimeMs }] : [];
    }).sort((a, b) => a.used - b.used);
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (total <= this.maxBytes) break;
      if (f.path === keep) continue;
      remove(f.path);
      total -= f.size;
    }
  }
}

/** The CLI's folder: the user's cache folder (XDG_CACHE_HOME, ~/.cache, %LOCALAPPDATA%), else the temporary one. */
export function snapshotDir(env: Record<string, string | undefined>, platform: string): string {
  const home = (() => {
    try {
      return homedir();
    } catch {
      return '';
    }
  })();
  const cache = env.XDG_CACHE_HOME || (platform === 'win32' ? env.LOCALAPPDATA : home && join(home, platform === 'darwin' ? 'Library/Caches' : '.cache'));
  return join(cache || tmpdir(), 'convlens', 'import-snapshots');
}

function remove(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone (another window removed it)
  }
}
