// The folders of files kept across runs (import snapshots, parses): what is over their bound goes, oldest
// first, and a file is removed without complaint when another window removed it first.
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

export function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone (another window removed it)
  }
}

/** Removes the files `mine` names, oldest modified first (never `keep`), until they hold at most `maxBytes`. */
export function trimFolder(dir: string, mine: (name: string) => boolean, maxBytes: number, keep?: string): void {
  const files = readdirSync(dir).filter(mine).map((f) => join(dir, f)).flatMap((path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? [{ path, size: st.size, used: st.mtimeMs }] : [];
  }).sort((a, b) => a.used - b.used);
  let total = files.reduce((n, f) => n + f.size, 0);
  for (const f of files) {
    if (total <= maxBytes) break;
    if (f.path === keep) continue;
    removeQuietly(f.path);
    total -= f.size;
  }
}
