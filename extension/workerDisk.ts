// The disk as the analysis worker reads it, with VS Code's paths. File texts are cached by modification
// time, change time and size: an unchanged file costs one stat. The engine's import snapshots check every
// file the imports read on each analysis (~1,300 paths for timm, most of them misses), so re-reading
// them all (~4 MB) each time would cost more than the snapshot saves.
import * as fs from 'node:fs';
import { fileStamp, nodeHost } from '../engine/cli/node-files';
import type { Disk } from './analysisProtocol';

/** Files whose text is kept; past that the cache starts over (a workspace's files read by imports, in practice). */
const KEPT = 20_000;

/** A VS Code URI path as the file system names it (`/c:/x` is `c:/x` on Windows). */
export const fsPath = (path: string): string => (process.platform === 'win32' ? path.replace(/^\/([a-zA-Z]:)/, '$1') : path);

export function workerDisk(): Disk {
  const texts = new Map<string, { mtimeMs: number; ctimeMs: number; size: number; text: string }>();
  return {
    readFile(path) {
      const p = fsPath(path);
      const st = fs.statSync(p, { throwIfNoEntry: false });
      if (!st?.isFile()) return undefined;
      const hit = texts.get(p);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.ctimeMs === st.ctimeMs && hit.size === st.size) return hit.text;
      const text = nodeHost.readFile(p);
      if (text === undefined) return undefined;
      if (texts.size >= KEPT) texts.clear();
      texts.set(p, { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, size: st.size, text });
      return text;
    },
    stamp: (path) => fileStamp(fsPath(path)),
    isDirectory: (path) => nodeHost.isDirectory?.(fsPath(path)) ?? false,
    listDir: (path) => nodeHost.listDir(fsPath(path)),
  };
}
