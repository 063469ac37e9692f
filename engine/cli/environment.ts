// The CLI's Python environment: discovery from the file's folder upwards (and VIRTUAL_ENV,
// CONDA_PREFIX, Poetry, pipenv from the shell's variables), after the `--python-path` folders.
import * as path from 'node:path';
import { discoverEnvironment, type PythonEnvironment } from '../python/env/discover';
import { nodeHost } from './node-host';

const VARIABLES = ['CONDA_PREFIX', 'VIRTUAL_ENV', 'HOME', 'USERPROFILE', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'LOCALAPPDATA',
  'WORKON_HOME', 'POETRY_VIRTUALENVS_PATH', 'POETRY_CACHE_DIR'];

export function cliEnvironment(file: string, pythonPaths: string[]): PythonEnvironment {
  const platform = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  return discoverEnvironment(nodeHost, {
    fileDir: path.dirname(file),
    extraPaths: pythonPaths.map((p) => path.resolve(p)),
    extraOrigin: 'flag',
    env: Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]])),
    platform,
  });
}
