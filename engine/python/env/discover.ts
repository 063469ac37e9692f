// Finds the user's installed packages the way Pylance does, without running Python: folders given
// by hand first, then one environment, the first of: the Python extension's selected interpreter,
// python.defaultInterpreterPath, a .venv/venv/env folder from the file's folder upwards,
// VIRTUAL_ENV, CONDA_PREFIX, the project's Poetry or pipenv environment. Its site-packages and
// their .pth entries become the import search path after the workspace. Bounded: a few reads per
// folder upwards, one listing per site-packages, never a recursive scan.
import { basename, dirname, join, relativeTo } from '../paths';
import { isEnvironment, minorVersion, readLayout, slashes } from './layout';
import { pipenvEnvironment, poetryEnvironment } from './managers';
import { pthFolders } from './pth';
import type { DiscoveryInput, EnvHost, FoundEnvironment, PathSource, PythonEnvironment, SearchPath } from './types';

export type { DiscoveryInput, EnvHost, PythonEnvironment, SearchPath } from './types';

interface Candidate {
  root: string;
  source: PathSource;
  /** How the candidate is named in a message. */
  label: string;
  version?: string;
}

const NAMES: Partial<Record<PathSource, string>> = {
  'python-extension': "the Python extension's interpreter",
  defaultInterpreterPath: 'python.defaultInterpreterPath',
  venv: 'the virtual environment',
  VIRTUAL_ENV: 'VIRTUAL_ENV',
  conda: 'CONDA_PREFIX',
  poetry: "the project's Poetry environment",
  pipenv: "the project's pipenv environment",
};

/** An interpreter's environment folder: `<root>/bin/python`, `<root>/Scripts/python.exe`, `<root>/python.exe`, or the folder itself. */
export function interpreterRoot(host: EnvHost, path: string): string {
  const p = slashes(path);
  if (host.isDirectory?.(p)) return p;
  const dir = dirname(p);
  return /^(bin|Scripts)$/i.test(basename(dir)) ? dirname(dir) : dir;
}

/** The folders from `fileDir` up to the workspace root (included), or `maxUp` of them outside a workspace. */
function upwards(input: DiscoveryInput): string[] {
  const inside = input.workspaceRoot !== undefined && (input.fileDir === input.workspaceRoot || relativeTo(input.workspaceRoot, input.fileDir) !== undefined);
  const out: string[] = [];
  for (let dir = input.fileDir; out.length < (inside ? 64 : input.maxUp ?? 8); dir = dirname(dir)) {
    out.push(dir);
    if ((inside && dir === input.workspaceRoot) || dirname(dir) === dir) break;
  }
  return out;
}

/** `${workspaceFolder}/.venv/bin/python`, `~/envs/x/bin/python` or a path relative to the workspace; `python` (a name on PATH) names none. */
function expandSetting(value: string, input: DiscoveryInput): string | undefined {
  const v = slashes(value.trim());
  const home = input.env?.HOME ?? input.env?.USERPROFILE;
  const expanded = v.replace(/\$\{workspaceFolder\}/g, input.workspaceRoot ?? input.fileDir).replace(/^~(?=\/)/, home ? slashes(home) : '~');
  if (!expanded.includes('/')) return undefined;
  return expanded.startsWith('/') || /^[a-zA-Z]:\//.test(expanded) ? expanded : join(input.workspaceRoot ?? input.fileDir, expanded);
}

/** The environments worth trying, best first; each is computed only when the ones before it gave nothing. */
function* candidates(host: EnvHost, input: DiscoveryInput): Generator<Candidate> {
  const named = (root: string, source: PathSource, version?: string): Candidate => ({ root, source, version, label: `${NAMES[source]} (${root})` });
  if (input.selected) {
    const exe = slashes(input.selected.path);
    yield named(input.selected.prefix ? slashes(input.selected.prefix) : interpreterRoot(host, exe), 'python-extension', minorVersion(input.selected.version) ?? minorVersion(basename(exe)));
  }
  const configured = input.defaultInterpreterPath && expandSetting(input.defaultInterpreterPath, input);
  if (configured) yield named(interpreterRoot(host, configured), 'defaultInterpreterPath', minorVersion(basename(configured)));
  if (input.discovery === false) return;
  const dirs = upwards(input);
  for (const dir of dirs) {
    for (const name of ['.venv', 'venv', 'env']) if (isEnvironment(host, join(dir, name))) yield named(join(dir, name), 'venv');
  }
  const env = input.env ?? {};
  if (env.VIRTUAL_ENV) yield named(slashes(env.VIRTUAL_ENV), 'VIRTUAL_ENV');
  if (env.CONDA_PREFIX) yield named(slashes(env.CONDA_PREFIX), 'conda');
  for (const dir of dirs) {
    const pyproject = host.readFile(join(dir, 'pyproject.toml'));
    const poetry = pyproject !== undefined ? poetryEnvironment(host, input, dir, pyproject) : undefined;
    if (poetry) yield named(poetry, 'poetry');
    const pipenv = host.readFile(join(dir, 'Pipfile')) !== undefined ? pipenvEnvironment(host, input, dir) : undefined;
    if (pipenv) yield named(pipenv, 'pipenv');
    if (pyproject !== undefined) break;
  }
}

/** The import search path for a file: explicit folders, then one environment's site-packages and .pth entries. */
export function discoverEnvironment(host: EnvHost, input: DiscoveryInput): PythonEnvironment {
  const paths: SearchPath[] = [];
  const problems: string[] = [];
  const add = (p: SearchPath) => { if (!paths.some((q) => q.path === p.path)) paths.push(p); };
  /** An environment's site-packages, then the folders its .pth files add, then the system's when it includes them. */
  const addEnvironment = (root: string, source: PathSource, sites: string[], systemSites: string[]) => {
    for (const site of sites) add({ path: site, source, env: root });
    for (const site of sites) for (const folder of pthFolders(host, site)) add({ path: folder, source: 'pth', env: root });
    for (const site of systemSites) add({ path: site, source: 'system', env: root });
  };

  const flag = input.extraOrigin === 'flag';
  for (const raw of input.extraPaths ?? []) {
    const p = slashes(raw);
    const source: PathSource = flag ? 'flag' : 'setting';
    if (!(host.isDirectory?.(p) ?? false)) {
      problems.push(`${flag ? '--python-path' : 'convlens.python.extraPaths'}: ${raw} is not a folder`);
    } else if (isEnvironment(host, p)) {
      const layout = readLayout(host, p);
      problems.push(...layout.problems);
      if (!layout.sites.length) problems.push(`${raw}: an environment without a site-packages folder`);
      addEnvironment(p, source, layout.sites, layout.systemSites);
    } else add({ path: p, source });
  }

  let environment: FoundEnvironment | undefined;
  for (const c of candidates(host, input)) {
    if (!(host.isDirectory?.(c.root) ?? false)) {
      problems.push(`${c.label}: the folder does not exist`);
      continue;
    }
    const layout = readLayout(host, c.root, c.version);
    problems.push(...layout.problems.map((m) => `${NAMES[c.source]}: ${m}`));
    if (!layout.sites.length) {
      problems.push(`${c.label}: no site-packages folder (looked for lib/python3.X/site-packages and Lib/site-packages)`);
      continue;
    }
    environment = { root: c.root, kind: layout.kind, source: c.source, ...(layout.version ? { version: layout.version } : {}) };
    addEnvironment(c.root, c.source, layout.sites, layout.systemSites);
    break;
  }
  return { paths, ...(environment ? { environment } : {}), problems };
}
