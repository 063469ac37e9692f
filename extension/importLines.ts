// The top-level packages a Python file's import statements name, read by a line scan (no parse): what a new
// analysis worker prefetches before the user opens a file (workerPrefetch.ts). A line scan misses imports split
// over lines by a backslash or built by a string; it is only a guess at what will be imported, never a result.

import { parseIpynb } from '../engine/notebook/ipynb';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `import a.b as c, d` and `from a.b import x`: the first names (`a`, `d`); relative imports (`from .x`) name none. */
export function importedPackages(text: string): string[] {
  const found = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    for (const statement of line.replace(/#.*/, '').split(';')) {
      const s = statement.trim();
      const from = /^from\s+(\S+)\s+import\b/.exec(s);
      if (from) {
        const top = from[1].split('.')[0];
        if (NAME.test(top)) found.add(top);
        continue;
      }
      const imp = /^import\s+(.+)$/.exec(s);
      if (!imp) continue;
      for (const part of imp[1].split(',')) {
        const top = part.trim().split(/\s+/)[0].split('.')[0];
        if (NAME.test(top)) found.add(top);
      }
    }
  }
  return [...found];
}

/** A notebook's code cells, one after the other (nothing when it is not a notebook's JSON: parseIpynb's problems). */
export function notebookCode(json: string): string {
  return parseIpynb(json).cells.filter((c) => c.kind === 'code').map((c) => c.source).join('\n');
}
