// `convlens.analysisRoot` resolved inside its workspace folder. An absolute path or one that climbs
// out (`../..`) would let a workspace's settings make the analysis read Python files elsewhere on
// the disk, so it is refused (with the reason, for the log) and the workspace folder is used instead.

/** `folder` is a URI path (`/…`, forward slashes); `setting` the value as the user wrote it. */
export function analysisRootIn(folder: string, setting: string): { root: string; refused?: string } {
  const base = folder.replace(/\/+$/, '') || '/';
  if (/^([\\/]|[A-Za-z]:)/.test(setting) || setting.startsWith('~')) {
    return { root: base, refused: `convlens.analysisRoot "${setting}" is not a folder relative to the workspace folder` };
  }
  const parts: string[] = [];
  for (const p of setting.split(/[\\/]+/)) {
    if (p === '' || p === '.') continue;
    if (p !== '..') parts.push(p);
    else if (parts.pop() === undefined) return { root: base, refused: `convlens.analysisRoot "${setting}" leads out of the workspace folder` };
  }
  return { root: parts.length ? `${base === '/' ? '' : base}/${parts.join('/')}` : base };
}
