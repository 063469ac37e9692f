// V8's code cache of a script (the analysis worker's bundle: the engine, ~1.9 MB): a new window's worker
// evaluates the bundle from it instead of compiling it again, with the functions the last worker's first
// analysis compiled. One file per build (`name`: ConvLens's version and the bundle's stamp), written
// atomically, its bytes checked against the SHA-256 it starts with before V8 reads them (V8 itself checks
// only its version, its flags and the source's length). Node only.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomic } from '../engine/cli/atomic-file';

const HASH_BYTES = 32;
const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** A script compiled from the cache when there was a good one (`fromCache`); `save` writes the cache once if not. */
export interface CachedScript {
  script: Script;
  fromCache: boolean;
  /** Writes the script's code cache as it is now (what has been compiled by then), unless it came from one. */
  save(): void;
}

/** The cache's bytes when the file is whole (its hash matches), else undefined. */
export function readCodeCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HASH_BYTES) return undefined;
  const data = bytes.subarray(HASH_BYTES);
  return sha256(data).equals(bytes.subarray(0, HASH_BYTES)) ? data : undefined;
}

/**
 * Compiles `source` (named `filename` in stack traces) with the cache `<dir>/<name>.bin` when it is whole and V8
 * takes it. Without `dir`, no cache is read or written.
 */
export function compileCached(source: string, filename: string, dir: string | undefined, name: string): CachedScript {
  const file = dir && join(dir, `${name.replace(/[^\w.+-]/g, '_')}.bin`);
  const cachedData = file ? readCodeCache(file) : undefined;
  const script = new Script(source, { filename, cachedData });
  const fromCache = !!cachedData && !script.cachedDataRejected;
  let saved = fromCache;
  return {
    script,
    fromCache,
    save() {
      if (saved || !dir || !file) return;
      saved = true;
      const data = script.createCachedData();
      mkdirSync(dir, { recursive: true });
      // other builds' caches are never read again
      for (const old of readdirSync(dir)) if (old.endsWith('.bin') && join(dir, old) !== file) rmSync(join(dir, old), { force: true });
      writeFileAtomic(file, Buffer.concat([sha256(data), data]));
    },
  };
}
