// An environment's folder layout, read without running Python: pyvenv.cfg (`home`, `version`,
// `include-system-site-packages`), conda-meta, and where site-packages lives on POSIX
// (`lib/pythonX.Y/site-packages`) and on Windows (`Lib/site-packages`).
import { basename, dirname, join } from '../paths';
import type { EnvHost, EnvironmentKind } from './types';

export interface Layout {
  kind: EnvironmentKind;
  version?: string;
  /** The environment's own site-packages folders. */
  sites: string[];
  /** The base interpreter's site-packages (include-system-site-packages = true). */
  systemSites: string[];
  problems: string[];
}

/** Backslashes become slashes: Windows paths are compared and joined as the engine's POSIX paths. */
export const slashes = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '') || '/';

const exists = (host: EnvHost, p: string): boolean => host.isDirectory?.(p) ?? false;

/** `key = value` lines of pyvenv.cfg; a line without `=` is skipped (CPython's site.py does the same). */
export function parsePyvenvCfg(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

/** `3.11` from `3.11.4`, `3.11.4.final.0`, `python3.11`, `python-3.11.4-h1234.json`; undefined otherwise. */
export function minorVersion(text: string | undefined): string | undefined {
  const m = text?.match(/(?<![\d.])3\.(\d{1,2})(?!\d)/);
  return m ? `3.${m[1]}` : undefined;
}

/** `lib/python3.X` folders of a prefix: the version given, else every one the listing shows. */
function libFolders(host: EnvHost, prefix: string, version: string | undefined): string[] {
  if (version) return [join(prefix, 'lib', `python${version}`)];
  const names = host.listDir?.(join(prefix, 'lib')) ?? [];
  return names.filter((n) => /^python3\.\d+t?$/.test(n)).sort(byVersion).map((n) => join(prefix, 'lib', n));
}

/** Newest first: python3.12 before python3.9. */
const byVersion = (a: string, b: string): number => Number(b.match(/\.(\d+)/)?.[1]) - Number(a.match(/\.(\d+)/)?.[1]);

/** The site-packages folders of a prefix (a venv, a conda environment, a system Python) that exist. */
export function sitesOf(host: EnvHost, prefix: string, version: string | undefined, system = false): string[] {
  const candidates = [join(prefix, 'Lib', 'site-packages')];
  for (const lib of libFolders(host, prefix, version)) {
    candidates.push(join(lib, 'site-packages'));
    // Debian and Ubuntu: the system's packages are in dist-packages
    if (system) candidates.push(join(lib, 'dist-packages'), join(prefix, 'local', 'lib', basename(lib), 'dist-packages'));
  }
  if (system) candidates.push(join(prefix, 'lib', 'python3', 'dist-packages'));
  return candidates.filter((c, i) => candidates.indexOf(c) === i && exists(host, c));
}

/** The prefix of the interpreter in `home` (pyvenv.cfg): `/usr` for `/usr/bin`, the folder itself on Windows. */
export const prefixOfHome = (home: string): string => (/^(bin|Scripts)$/.test(basename(home)) ? dirname(home) : home);

function condaVersion(host: EnvHost, root: string): string | undefined {
  const meta = host.listDir?.(join(root, 'conda-meta')) ?? [];
  return minorVersion(meta.find((n) => /^python-3\.\d+/.test(n)));
}

/** Whether `root` looks like an environment: a pyvenv.cfg or a conda-meta folder. */
export function isEnvironment(host: EnvHost, root: string): boolean {
  return host.readFile(join(root, 'pyvenv.cfg')) !== undefined || exists(host, join(root, 'conda-meta'));
}

/**
 * The layout of the environment at `root`; `system` for an interpreter's own prefix (not a venv or
 * conda environment), `version` when the caller knows it (the Python extension's answer).
 */
export function readLayout(host: EnvHost, root: string, version?: string): Layout {
  const problems: string[] = [];
  const cfgText = host.readFile(join(root, 'pyvenv.cfg'));
  if (cfgText !== undefined) {
    const cfg = parsePyvenvCfg(cfgText);
    const v = version ?? minorVersion(cfg.get('version') ?? cfg.get('version_info'));
    if (!v) problems.push(`${join(root, 'pyvenv.cfg')} names no Python version: the folders under lib/ are listed instead`);
    let sites = sitesOf(host, root, v);
    // a stated version whose folder is missing (a venv copied from another machine): list what is there
    if (!sites.length && v) sites = sitesOf(host, root, undefined);
    const home = cfg.get('home');
    const withSystem = /^true$/i.test(cfg.get('include-system-site-packages') ?? '');
    const systemSites = withSystem && home ? sitesOf(host, prefixOfHome(slashes(home)), v, true) : [];
    if (withSystem && !home) problems.push(`${join(root, 'pyvenv.cfg')} includes the system site-packages but names no home`);
    return { kind: 'venv', version: v, sites, systemSites, problems };
  }
  if (exists(host, join(root, 'conda-meta'))) {
    const v = version ?? condaVersion(host, root);
    return { kind: 'conda', version: v, sites: sitesOf(host, root, v), systemSites: [], problems };
  }
  return { kind: 'system', version, sites: sitesOf(host, root, version, true), systemSites: [], problems };
}
