// An in-memory file system for engine tests: files by path, folders implied by them (or listed),
// with a log of every call so that tests can bound how much a walk reads.
import type { EnvHost } from '../../../engine/python/env/types';

export interface FakeFs extends Required<EnvHost> {
  calls: string[];
}

export function fakeFs(files: Record<string, string>, folders: string[] = []): FakeFs {
  const dirs = new Set<string>();
  for (const p of [...Object.keys(files).map((f) => f.slice(0, f.lastIndexOf('/'))), ...folders]) {
    for (let d = p; d && !dirs.has(d); d = d.slice(0, Math.max(d.lastIndexOf('/'), 0))) dirs.add(d);
  }
  const calls: string[] = [];
  return {
    calls,
    readFile: (p) => { calls.push(`read ${p}`); return files[p]; },
    isDirectory: (p) => { calls.push(`stat ${p}`); return dirs.has(p); },
    listDir: (p) => {
      calls.push(`list ${p}`);
      if (!dirs.has(p)) return undefined;
      const names = new Set<string>();
      for (const q of [...dirs, ...Object.keys(files)]) if (q.startsWith(`${p}/`)) names.add(q.slice(p.length + 1).split('/')[0]);
      return [...names];
    },
  };
}
