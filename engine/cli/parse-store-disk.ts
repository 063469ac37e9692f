// Imported modules' parses on disk (`ParseStore` of `python/parse-store.ts`), one file per module, named by a
// hash of the writer's version and the module's path, written to a temporary file and renamed into place: a line
// of JSON (version, path, the text's length and hash, the body's hash), then the parse as JSON. A file is used
// only when all of that matches the text read now; otherwise (another version, a changed or damaged file) it is
// ignored, removed and the module parsed again. Writes wait for `flush()` (after the reply), so the first
// analysis never waits for them. The folder is kept under a size bound, oldest written first out.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../python/ast';
import { decodeModule, encodeModule, textHash, type ParseStore } from '../python/parse-store';
import { stageFile } from './atomic-file';
import { removeQuietly, trimFolder } from './cache-folder';

/** What the folder may hold in all (timm's and torchvision's modules: ~10 MB). */
const MAX_BYTES = 64 * 1024 * 1024;
const SUFFIX = '.parse';
/** Bumped when what is written changes shape (the version names the code that wrote it as well). */
const FORMAT = 1;

interface Head {
  format: number;
  version: string;
  path: string;
  length: number;
  hash: string;
  body: string;
}

export class DiskParseStore implements ParseStore {
  private readonly queued = new Map<string, { text: string; module: Module }>();

  /** `version` names the code that wrote a parse (ConvLens's version and build): another's is never read. */
  constructor(private readonly dir: string, private readonly version: string, private readonly log: (line: string) => void, private readonly maxBytes = MAX_BYTES) {}

  private fileOf(path: string): string {
    return join(this.dir, createHash('sha256').update(`${this.version}\0${path}`).digest('hex').slice(0, 32) + SUFFIX);
  }

  load(path: string, text: string): Module | undefined {
    const file = this.fileOf(path);
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
      if (head?.format !== FORMAT || head.version !== this.version || head.path !== path) throw new Error('it was written by another version or for another file');
      if (head.length !== text.length || head.hash !== textHash(text)) throw new Error('the module changed since');
      if (head.body !== textHash(body)) throw new Error('it is damaged');
      return decodeModule(body, text);
    } catch (e) {
      this.log(`stored parse ${file} of ${path} ignored and removed: ${e instanceof Error ? e.message : String(e)}`);
      removeQuietly(file);
      return undefined;
    }
  }

  save(path: string, text: string, module: Module): void {
    this.queued.set(path, { text, module });
  }

  /** Writes the parses saved since the last flush. */
  flush(): void {
    if (!this.queued.size) return;
    const queued = [...this.queued];
    this.queued.clear();
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const [path, { text, module }] of queued) {
        const body = encodeModule(module);
        if (body === undefined) continue;
        const head: Head = { format: FORMAT, version: this.version, path, length: text.length, hash: textHash(text), body: textHash(body) };
        const staged = stageFile(this.fileOf(path), `${JSON.stringify(head)}\n${body}`);
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
