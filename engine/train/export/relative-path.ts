// A file's path as a script in another folder reaches it: relative ('/'-separated, which Python's
// pathlib reads on every system) when both lie on the same root, else absolute. Pure string work:
// the engine runs without Node's path module.

const parts = (p: string): { root: string; names: string[] } => {
  const s = p.replace(/\\/g, '/');
  const root = /^[A-Za-z]:\//.exec(s)?.[0].toLowerCase() ?? (s.startsWith('/') ? '/' : '');
  const names: string[] = [];
  for (const n of s.slice(root.length).split('/')) {
    if (n === '' || n === '.') continue;
    if (n === '..' && names.length && names[names.length - 1] !== '..') names.pop();
    else names.push(n);
  }
  return { root, names };
};

/** `file` as seen from folder `dir`; both absolute (or both relative to the same folder). */
export function relativePath(dir: string, file: string): string {
  const d = parts(dir), f = parts(file);
  if (d.root !== f.root) return file.replace(/\\/g, '/');
  let i = 0;
  while (i < d.names.length && i < f.names.length && d.names[i] === f.names[i]) i++;
  const up = d.names.slice(i).map(() => '..');
  return [...up, ...f.names.slice(i)].join('/') || '.';
}
