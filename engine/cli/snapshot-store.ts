// Import snapshots on disk (`SnapshotStore`): a new editor window or CLI run starts from what an earlier
// process's imports made (timm's ~280 modules: ~6 s of CPU to run, well under 1 s to read back). One
// file per snapshot, named by a hash of ConvLens's version and the snapshot's key, written to a temporary
// file and renamed into place: a line of JSON with the version, the key and the snapshot without its
// entries, then one line per entry of its table, parsed only when the analysis first reaches it (an
// analysis of a timm file reaches a small part of its ~40,000 entries). A file of another version or
// key, or one whose head does not parse or whose lines are not all there, is ignored with a log line and
// removed; an entry that does not parse when reached stops that use of the snapshot (`NotCopyable`), and
// the imports run again. The folder is kept under a size bound, oldest used first out.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedImports, SnapshotStore } from '../python/import-cache';
import type { Entries, Entry, SerialSnapshot } from '../python/snapshot-serial';
import { NotCopyable } from '../python/world-copy';
import { stageFile } from './atomic-file';
import { removeQuietly, trimFolder } from './cache-folder';

/** What the folder may hold in all (timm's snapshot is ~6 MB). */
const MAX_BYTES = 128 * 1024 * 1024;
const SUFFIX = '.snapshot';
/** What earlier versions wrote (one JSON file each): never read, trimmed with the rest. */
const OLD_SUFFIX = '.snapshot.json';

/** The file's first line: the snapshot without its entries, and how many lines of entries follow. */
interface Head {
  version: string;
  key: string;
  imports: Omit<PersistedImports, 'snapshot'> & { snapshot: Omit<SerialSnapshot, 'entries'> & { count: number } };
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
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined;
    }
    try {
      const end = bytes.indexOf(10);
      const head = JSON.parse(bytes.toString('utf8', 0, end < 0 ? bytes.length : end)) as Head;
      if (head?.version !== this.version || head.key !== key || typeof head.imports !== 'object' || head.imports === null) {
        throw new Error('it was written by another version or for another file');
      }
      const { snapshot, ...rest } = head.imports;
      const { count, ...serial } = snapshot;
      const entries = lazyEntries(bytes, end + 1, count);
      const now = new Date();
      utimesSync(file, now, now);
      return { ...rest, snapshot: { ...serial, entries } };
    } catch (e) {
      this.log(`import snapshot ${file} ignored and removed: ${e instanceof Error ? e.message : String(e)}`);
      removeQuietly(file);
      return undefined;
    }
  }

  save(key: string, imports: PersistedImports): void {
    const file = this.fileOf(key);
    try {
      mkdirSync(this.dir, { recursive: true });
      const { snapshot: { entries, ...serial }, ...rest } = imports;
      const lines = [JSON.stringify({ version: this.version, key, imports: { ...rest, snapshot: { ...serial, count: entries.length } } } satisfies Head)];
      for (let i = 0; i < entries.length; i++) lines.push(JSON.stringify(entries.at(i)));
      const text = lines.join('\n');
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
    trimFolder(this.dir, (f) => f.endsWith(SUFFIX) || f.endsWith(OLD_SUFFIX), this.maxBytes, keep);
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

/**
 * The `count` entries, one JSON line each from `start` on in `bytes`, parsed when first asked for (and
 * kept: every analysis that reads the snapshot shares them). Throws when the lines are not all there.
 */
function lazyEntries(bytes: Buffer, start: number, count: number): Entries {
  const starts = new Array<number>(count + 1);
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at <= 0 || at > bytes.length) throw new Error(`it ends before entry ${i} of ${count}`);
    starts[i] = at;
    at = bytes.indexOf(10, at) + 1 || bytes.length + 1;
  }
  if (at !== bytes.length + 1) throw new Error(`it holds more than its ${count} entries`);
  starts[count] = at;
  const parsed = new Array<Entry | undefined>(count);
  return {
    length: count,
    at(i: number): Entry | undefined {
      if (!(i >= 0 && i < count)) return undefined;
      let e = parsed[i];
      if (e === undefined) {
        try {
          e = JSON.parse(bytes.toString('utf8', starts[i], starts[i + 1] - 1)) as Entry;
        } catch {
          throw new NotCopyable(`the snapshot on disk is damaged: entry ${i} does not parse`);
        }
        parsed[i] = e;
      }
      return e;
    },
  };
}
