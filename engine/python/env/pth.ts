// `.pth` files in a site-packages folder, read as CPython's site.py reads them but never executed:
// each line is a folder to add (relative to the site-packages); blank lines and `#` comments are
// skipped, and so are `import` lines (site.py would run them). Editable installs that use an import
// hook instead of a path line are therefore not followed.
import { join, normalize } from '../paths';
import { slashes } from './layout';
import type { EnvHost } from './types';

/** Bounds, so that a crowded or crafted site-packages cannot slow the first analysis. */
const MAX_PTH_FILES = 64;
const MAX_LINES = 256;

const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[a-zA-Z]:\//.test(p);

/** The folders the .pth files of `site` add, in site.py's order (file names sorted), existing folders only. */
export function pthFolders(host: EnvHost, site: string): string[] {
  const names = (host.listDir?.(site) ?? []).filter((n) => n.endsWith('.pth')).sort().slice(0, MAX_PTH_FILES);
  const out: string[] = [];
  for (const name of names) {
    const text = host.readFile(join(site, name));
    if (text === undefined) continue;
    for (const raw of text.split(/\r?\n/).slice(0, MAX_LINES)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || /^import[ \t]/.test(line)) continue;
      const p = slashes(line);
      const folder = isAbsolute(p) ? normalize(p) : join(site, p);
      if (!out.includes(folder) && (host.isDirectory?.(folder) ?? false)) out.push(folder);
    }
  }
  return out;
}
