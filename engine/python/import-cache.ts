// Import snapshots across analyses (the editor's worker keeps one cache): the state after a file's
// leading import statements, reused while those statements (text and place), the analysis settings
// and every file the imports read or looked for are unchanged.
import type { Stmt } from './ast';
import type { FileSource } from './imports';
import { adoptImports, resolver, type ImportSnapshot, type SnapshotWorld } from './import-snapshot';
import { FunctionSources, readSnapshot } from './snapshot-read';
import { serializeSnapshot, type SerialSnapshot, type SnapshotTable } from './snapshot-serial';
import { Interrupted } from './values';
import { NotCopyable } from './world-copy';

/** What an import snapshot depends on: the files its imports read or looked for, and the folders they asked about. */
export interface ImportReads {
  /** Text by path (undefined: no such file); empty for a snapshot read from disk. */
  texts: Map<string, string | undefined>;
  /** Stamp by path (`FileSource.stamp`), for the files the host could stamp. */
  stamps: Map<string, string>;
  dirs: Map<string, boolean>;
}

/** A snapshot as a store keeps it on disk, with the stamps and folders it depends on. */
export interface PersistedImports {
  stamps: Array<[string, string]>;
  dirs: Array<[string, boolean]>;
  snapshot: SerialSnapshot;
}

/**
 * Where snapshots outlive the process (the editor's global storage, the CLI's cache folder): the store
 * checks its own version, size and integrity; the cache checks the stamps.
 */
export interface SnapshotStore {
  /** What was saved under `key` (undefined: nothing, or something unreadable, which the store logs). */
  load(key: string): PersistedImports | undefined;
  save(key: string, imports: PersistedImports): void;
  /** A line for the log (a stale or unusable snapshot). */
  note(message: string): void;
}

/** A snapshot's table (taken in this process, or read from disk), the functions read for it, and what it depends on. */
interface Entry {
  table: SnapshotTable;
  functions: FunctionSources;
  reads: ImportReads;
}

/** Puts a snapshot into an analysis's fresh world (NotCopyable when it does not fit). */
export type Restore = (w: SnapshotWorld) => void;

/** How many files' snapshots are kept (each holds a copy of what its imports made: a few MB for timm). */
const KEPT = 4;

export class ImportCache {
  private readonly entries = new Map<string, Entry>();
  /** The host of the latest lookup: snapshots read from disk read their functions' files through it. */
  private host: FileSource = { readFile: () => undefined };
  /**
   * Analyses that started from a snapshot, snapshots taken, and why the last one could not be; snapshots
   * read from and written to the store (tests, benchmark).
   */
  readonly stats = { reused: 0, taken: 0, refused: '', loaded: 0, saved: 0 };

  /** The key of the snapshot the latest analysis started from. */
  private inUse: string | undefined;
  /** Keys whose snapshot on disk was found damaged while in use: written anew, never read again. */
  private readonly notFromDisk = new Set<string>();

  /** Snapshots taken but not yet turned into a table and saved (`deferred`). */
  private readonly pending: Array<() => void> = [];
  /** Imports to run again in full for a snapshot (`later`), by key: kept until one run ends uninterrupted. */
  private readonly fullImports = new Map<string, (stop?: () => boolean) => void>();

  /**
   * `deferred`: a snapshot taken is turned into its table and saved by `settle()`, which the editor's worker
   * calls after its reply (a first timm analysis: ~0.6 s of CPU the hints need not wait for), or else by the
   * next lookup. The snapshot is a copy: what the rest of the analysis does cannot reach it.
   */
  constructor(private readonly disk?: SnapshotStore, private readonly deferred = false) {}

  /**
   * Runs `job` (imports run again in full, taking a snapshot for `key`) in `settle()` when deferred, else at once;
   * its `stop` says when to give it up (`Interrupted`): it is kept and runs again at the next `settle()`.
   */
  later(key: string, job: (stop?: () => boolean) => void): void {
    if (!this.deferred) return job();
    this.fullImports.delete(key);
    if (this.fullImports.size >= KEPT) this.fullImports.delete(this.fullImports.keys().next().value as string);
    this.fullImports.set(key, job);
  }

  /** Turns the snapshots taken since the last call into tables and saves them. */
  storeTaken(): void {
    for (const store of this.pending.splice(0)) store();
  }

  /** Whether snapshots taken wait to be stored (`storeTaken`). */
  get storesWaiting(): boolean {
    return this.pending.length > 0;
  }

  /** Whether imports wait to run again in full for a snapshot (`later`, run by `settle`). */
  get importsWaiting(): boolean {
    return this.fullImports.size > 0;
  }

  /**
   * Stores the snapshots taken, then runs the imports waiting to run again in full (`later`) and stores theirs.
   * `stop` (the worker: a request came, or it is to exit) interrupts those imports; they run again next time.
   */
  settle(stop?: () => boolean): void {
    this.storeTaken();
    for (const [key, job] of this.fullImports) {
      try {
        job(stop);
      } catch (e) {
        if (!(e instanceof Interrupted)) throw e;
        this.stats.refused = 'the imports run again in full gave way to a request';
        return;
      }
      this.fullImports.delete(key);
      this.storeTaken();
    }
  }

  /** How to restore the snapshot for `key`, when every file its imports read is still the same through `host`. */
  lookup(key: string, host: FileSource): Restore | undefined {
    // imports to run again in full wait for settle(): an analysis never waits seconds behind them
    this.storeTaken();
    this.host = host;
    this.inUse = undefined;
    const e = this.entries.get(key);
    if (!e) return this.load(key, host);
    this.entries.delete(key);
    if (!unchanged(e.reads, host)) return undefined;
    this.entries.set(key, e);
    return (w) => this.read(key, e, w);
  }

  /** Reads `e` into `w` (lazily: what the analysis reaches is made when it is reached). */
  private read(key: string, e: Entry, w: SnapshotWorld): void {
    this.inUse = key;
    adoptImports(readSnapshot(e.table, e.functions, { builtin: resolver(w), main: w.main, lazy: (m, site) => w.loader.loadsSubmodules(m, site) }), w);
  }

  /** Reads a function's file through the host of the latest lookup (a snapshot outlives the analysis that read it). */
  private readonly reader = (path: string): string | undefined => this.host.readFile(path);

  /** `shipped`: whether a file that was not read from the host ships with the engine (its functions can be read again). */
  store(key: string, snapshot: ImportSnapshot, reads: ImportReads, shipped: (path: string) => boolean = () => false): void {
    if (this.deferred) this.pending.push(() => this.storeNow(key, snapshot, reads, shipped));
    else this.storeNow(key, snapshot, reads, shipped);
  }

  private storeNow(key: string, snapshot: ImportSnapshot, reads: ImportReads, shipped: (path: string) => boolean): void {
    const files = new Set([...reads.texts].filter(([, text]) => text !== undefined).map(([path]) => path));
    const table = serializeSnapshot(snapshot, (path) => files.has(path) || shipped(path));
    if (typeof table === 'string') {
      this.stats.refused = table;
      return;
    }
    this.keep(key, { table, functions: new FunctionSources(this.reader), reads });
    this.stats.taken++;
    // on disk only when every file is known by its stamp: an open document's unsaved text is not
    if (!this.disk || [...reads.texts.keys()].some((path) => !reads.stamps.has(path))) return;
    if (table.unwritable) {
      this.disk.note(`import snapshot kept in memory only: ${table.unwritable}`);
      return;
    }
    this.disk.save(key, { stamps: [...reads.stamps], dirs: [...reads.dirs], snapshot: table.serial });
    this.notFromDisk.delete(key);
    this.stats.saved++;
  }

  drop(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Forgets the snapshot the latest analysis started from, after it found an entry it could not read
   * (made lazily, so found while the file ran): the caller analyses again, and the imports run and
   * write a new snapshot. False when no snapshot was in use.
   */
  discardInUse(why: string): boolean {
    const key = this.inUse;
    if (key === undefined) return false;
    this.inUse = undefined;
    this.entries.delete(key);
    this.notFromDisk.add(key);
    this.disk?.note(`import snapshot ignored: ${why}`);
    return true;
  }

  private keep(key: string, e: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= KEPT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, e);
  }

  /** The store's snapshot for `key`, when the files it depends on have the stamps they had. */
  private load(key: string, host: FileSource): Restore | undefined {
    if (this.notFromDisk.has(key)) return undefined;
    const saved = this.disk?.load(key);
    if (!saved) return undefined;
    const reads: ImportReads = { texts: new Map(), stamps: new Map(saved.stamps), dirs: new Map(saved.dirs) };
    if (!unchanged(reads, host)) {
      this.disk?.note('import snapshot on disk is stale (a file it read changed): the imports run again');
      return undefined;
    }
    const e: Entry = { table: { serial: saved.snapshot, live: [] }, functions: new FunctionSources(this.reader), reads };
    return (w) => {
      try {
        this.read(key, e, w);
      } catch (err) {
        if (err instanceof NotCopyable) this.disk?.note(`import snapshot on disk ignored: ${err.message}`);
        throw err;
      }
      this.keep(key, e);
      this.stats.loaded++;
    };
  }
}

/** Whether every file and folder `reads` depends on is as it was: the same stamp, or else the same text. */
function unchanged(reads: ImportReads, host: FileSource): boolean {
  let same = true;
  for (const [path, stamp] of reads.stamps) {
    if (host.stamp?.(path) === stamp) continue;
    if (!reads.texts.has(path) || host.readFile(path) !== reads.texts.get(path)) same = false;
  }
  for (const [path, text] of reads.texts) if (!reads.stamps.has(path) && host.readFile(path) !== text) same = false;
  for (const [path, isDir] of reads.dirs) if ((host.isDirectory?.(path) ?? false) !== isDir) same = false;
  return same;
}

/** How many statements open the file with imports only (a docstring may come first); 0 without an import. */
export function leadingImports(body: Stmt[]): number {
  let n = 0;
  while (n < body.length && (body[n].t === 'import' || body[n].t === 'from' || (n === 0 && isDocstring(body[n])))) n++;
  return body.slice(0, n).some((s) => s.t !== 'expr') ? n : 0;
}

const isDocstring = (s: Stmt): boolean => s.t === 'expr' && s.value.t === 'str';

/** What a snapshot of the leading imports depends on besides the files they read. */
export function importsKey(file: string, settings: unknown, source: string, prefix: Stmt[]): string {
  return JSON.stringify([file, settings, prefix.map((s) => [s.line, s.from, source.slice(s.from, s.to)])]);
}

/** A file reader that notes what is read while `recording` (the files a snapshot depends on). */
export class RecordingSource implements FileSource {
  reads: ImportReads = { texts: new Map(), stamps: new Map(), dirs: new Map() };
  recording = false;

  constructor(private readonly host: FileSource) {}

  readFile(path: string): string | undefined {
    // the stamp before the text: a file changed in between is stale at the next check, never wrongly fresh
    const stamp = this.recording ? this.host.stamp?.(path) : undefined;
    const text = this.host.readFile(path);
    if (this.recording) {
      this.reads.texts.set(path, text);
      if (stamp !== undefined) this.reads.stamps.set(path, stamp);
    }
    return text;
  }

  isDirectory(path: string): boolean {
    const is = this.host.isDirectory?.(path) ?? false;
    if (this.recording) this.reads.dirs.set(path, is);
    return is;
  }

  stamp(path: string): string | undefined {
    return this.host.stamp?.(path);
  }
}
