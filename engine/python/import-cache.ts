// Import snapshots across analyses (the editor's worker keeps one cache): the state after a file's
// leading import statements, reused while those statements (text and place), the analysis settings
// and every file the imports read or looked for are unchanged.
import type { Stmt } from './ast';
import type { FileSource } from './imports';
import type { ImportSnapshot } from './import-snapshot';

interface Entry {
  snapshot: ImportSnapshot;
  /** What the imports read: text by path (undefined: no such file), and the folders they asked about. */
  reads: Map<string, string | undefined>;
  dirs: Map<string, boolean>;
}

/** How many files' snapshots are kept (each holds a copy of what its imports made: a few MB for timm). */
const KEPT = 4;

export class ImportCache {
  private readonly entries = new Map<string, Entry>();
  /** Analyses that started from a snapshot, snapshots taken, and why the last one could not be (tests, benchmark). */
  readonly stats = { reused: 0, taken: 0, refused: '' };

  /** The snapshot for `key` when every file its imports read is still the same through `host`. */
  lookup(key: string, host: FileSource): ImportSnapshot | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    let fresh = true;
    for (const [path, text] of e.reads) if (host.readFile(path) !== text) fresh = false;
    for (const [path, isDir] of e.dirs) if ((host.isDirectory?.(path) ?? false) !== isDir) fresh = false;
    this.entries.delete(key);
    if (!fresh) return undefined;
    this.entries.set(key, e);
    return e.snapshot;
  }

  store(key: string, snapshot: ImportSnapshot, reads: Map<string, string | undefined>, dirs: Map<string, boolean>): void {
    this.entries.delete(key);
    if (this.entries.size >= KEPT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { snapshot, reads, dirs });
    this.stats.taken++;
  }

  drop(key: string): void {
    this.entries.delete(key);
  }
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
  reads = new Map<string, string | undefined>();
  dirs = new Map<string, boolean>();
  recording = false;

  constructor(private readonly host: FileSource) {}

  readFile(path: string): string | undefined {
    const text = this.host.readFile(path);
    if (this.recording) this.reads.set(path, text);
    return text;
  }

  isDirectory(path: string): boolean {
    const is = this.host.isDirectory?.(path) ?? false;
    if (this.recording) this.dirs.set(path, is);
    return is;
  }
}
