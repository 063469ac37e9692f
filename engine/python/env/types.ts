// What environment discovery reads and what it finds: folders to import installed packages from,
// each with where it came from, so that the report can say where a package was found.

/** The file system as discovery sees it; `listDir` is optional (without it, .pth files and managers' folders are not listed). */
export interface EnvHost {
  readFile(path: string): string | undefined;
  isDirectory?(path: string): boolean;
  /** The names in a folder, or undefined when it cannot be listed. */
  listDir?(path: string): string[] | undefined;
}

/** Why a folder is on the search path. */
export type PathSource =
  | 'setting' | 'flag' | 'python-extension' | 'defaultInterpreterPath' | 'venv' | 'VIRTUAL_ENV' | 'conda' | 'poetry'
  | 'pipenv' | 'pth' | 'system';

export interface SearchPath {
  /** A folder that holds importable packages (a site-packages, a .pth entry, an extra path). */
  path: string;
  source: PathSource;
  /** The environment it belongs to (its root folder), when it belongs to one. */
  env?: string;
}

export interface DiscoveryInput {
  /** The analysed file's folder: workspace venvs are looked for from here upwards. */
  fileDir: string;
  /** The walk upwards stops here (the workspace folder); without it, after `maxUp` folders. */
  workspaceRoot?: string;
  /** Folders given by hand, searched first: a site-packages, a source folder, or an environment's root. */
  extraPaths?: string[];
  /** Where the extra paths come from, for messages (`convlens.python.extraPaths`, `--python-path`). */
  extraOrigin?: 'setting' | 'flag';
  /** The interpreter the Python extension selected (an executable or an environment folder), with its sys.prefix when known. */
  selected?: { path: string; prefix?: string; version?: string };
  /** `python.defaultInterpreterPath` (`python`, the default, names no environment). */
  defaultInterpreterPath?: string;
  /** Environment variables: CONDA_PREFIX, VIRTUAL_ENV, HOME, USERPROFILE, XDG_CACHE_HOME, XDG_DATA_HOME, LOCALAPPDATA, WORKON_HOME, POETRY_VIRTUALENVS_PATH, POETRY_CACHE_DIR. */
  env?: Record<string, string | undefined>;
  platform?: 'linux' | 'darwin' | 'win32';
  /** false: only the explicit paths and the selected interpreter, no search (`convlens.python.discovery`). */
  discovery?: boolean;
  /** How many folders the walk upwards looks at without a workspace root (default 8). */
  maxUp?: number;
}

/** The environment variables discovery reads (CONDA_PREFIX, VIRTUAL_ENV, the homes and caches of Poetry and pipenv). */
const VARIABLES = ['CONDA_PREFIX', 'VIRTUAL_ENV', 'HOME', 'USERPROFILE', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'LOCALAPPDATA',
  'WORKON_HOME', 'POETRY_VIRTUALENVS_PATH', 'POETRY_CACHE_DIR'];

/** The variables of `env` (a process's environment) that discovery reads. */
export function discoveryVariables(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(VARIABLES.filter((v) => env[v]).map((v) => [v, env[v] as string]));
}

/** Node's `process.platform` as discovery knows platforms. */
export const platformOf = (p: string): DiscoveryInput['platform'] => (p === 'win32' ? 'win32' : p === 'darwin' ? 'darwin' : 'linux');

export type EnvironmentKind = 'venv' | 'conda' | 'system';

export interface FoundEnvironment {
  root: string;
  kind: EnvironmentKind;
  /** How it was found. */
  source: PathSource;
  /** `3.11` when pyvenv.cfg, conda-meta or the folder layout tells. */
  version?: string;
}

export interface PythonEnvironment {
  /** Import search path after the analysis roots, in order. */
  paths: SearchPath[];
  /** The one environment whose packages are used (like Pylance: one interpreter), if any. */
  environment?: FoundEnvironment;
  /** What could not be read or made sense of (a missing folder, a pyvenv.cfg without a version). */
  problems: string[];
}
