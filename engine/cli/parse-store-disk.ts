// Imported modules' parses and scans on disk (`ParseStore` of `python/parse-store.ts`), one file per module and
// kind, named by a hash of the writer's version, the kind and the module's path, written to a temporary file and
// renamed into place: a line of JSON (version, kind, path, the text's length and hash, the body's hash), then the
// parse or scan as JSON. A file is used
// only when all of that matches the text read now; otherwise (another version, a changed or damaged file) it is
// ignored, removed and the module parsed again. Writes wait for `flush()` (after the reply), so the first
// analysis never waits for them. The folder is kept under a size bound, oldest written first out.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textHash, type ParseStore, type StoredKind } from '../python/parse-store';
import { stageFile } from './atomic-file';
import { removeQuietly, trimFolder } from './cache-folder';

/** What the folder may hold in all (timm's and torchvision's modules: ~10 MB). */
const MAX_BYTES = 64 * 1024 * 1024;
const SUFFIX = '.parse';
/** Bumped when what is written changes shape (the version names the code that wrote it as well). */
const FORMAT = 3; // 3: parameters keep their annotations (Param.annotation)

interface Head {
  format: number;
  version: string;
  kind: StoredKind;
  path: string;
  length: number;
  hash: string;
  body: string;
}

export class DiskParseStore implements ParseStore {
  private readonly queued = new Map<string, { kind: StoredKind; path: string; text: string; encode: () => string | undefined }>();

  /** `version` names the code that wrote a parse (ConvLens's version and build): another's is never read. */
  constructor(private readonly dir: string, private readonly version: string, private readonly log: (line: string) => void, private readonly maxBytes = MAX_BYTES) {}

  private fileOf(kind: StoredKind, path: string): string {
    return join(this.dir, createHash('sha256').update(`${this.version}\0${kind}\0${path}`).digest('hex').slice(0, 32) + SUFFIX);
  }

  load<T>(kind: StoredKind, path: string, text: string, decode: (json: string) => T): T | undefined {
    const file = this.fileOf(kind, path);
    let data: string;
    try {
      data = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const end = data.indexOf('\n');
      if (end < 0) throw new Error('it has no head line');
      const head = JSON.parse(data.slice(0, end)) as Head;
      const body = data.slice(end + 1);
      if (head?.format !== FORMAT || head.version !== this.version || head.kind !== kind || head.path !== path) {
        throw new Error('it was written by another version or for another file');
      }
      if (head.length !== text.length || head.hash !== textHash(text)) throw new Error('the module changed since');
      if (head.body !== textHash(body)) throw new Error('it is damaged');
      return decode(body);
    } catch (e) {
      this.log(`stored ${kind} ${file} of ${path} ignored and removed: ${e instanceof Error ? e.message : String(e)}`);
      removeQuietly(file);
      return undefined;
    }
  }

  save(kind: StoredKind, path: string, text: string, encode: () => string | undefined): void {
    this.queued.set(`${kind}\0${path}`, { kind, path, text, encode });
  }

  /** Writes what was saved since the last flush; `giveWay` true (a request came): the rest waits for the next. */
  flush(giveWay?: () => boolean): void {
    if (!this.queued.size) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const [key, { kind, path, text, encode }] of this.queued) {
        if (giveWay?.()) return;
        this.queued.delete(key);
        const body = encode();
        if (body === undefined) continue;
        const head: Head = { format: FORMAT, version: this.version, kind, path, length: text.length, hash: textHash(text), body: textHash(body) };
        const staged = stageFile(this.fileOf(kind, path), `${JSON.stringify(head)}\n${body}`, false);
        try {
          staged.commit();
        } catch (e) {
          staged.discard();
          throw e;
        }
      }
      trimFolder(this.dir, (f) => f.endsWith(SUFFIX), this.maxBytes);
    } catch (e) {
      this.log(`parses not written to ${this.dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
