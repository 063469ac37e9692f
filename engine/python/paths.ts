// POSIX path helpers for module resolution: the engine cannot use Node's `path` (it runs in browsers).

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function join(...parts: string[]): string {
  return normalize(parts.filter(Boolean).join('/'));
}

export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

/** `root`-relative path of `file`, or undefined when the file is not under root. */
export function relativeTo(root: string, file: string): string | undefined {
  const r = normalize(root), f = normalize(file);
  if (r === '.' && !f.startsWith('/')) return f;
  return f.startsWith(`${r}/`) ? f.slice(r.length + 1) : undefined;
}
