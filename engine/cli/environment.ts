// The CLI's Python environment: discovery from the file's folder upwards (and VIRTUAL_ENV,
// CONDA_PREFIX, Poetry, pipenv from the shell's variables), after the `--python-path` folders.
import * as path from 'node:path';
import { discoverEnvironment, type PythonEnvironment } from '../python/env/discover';
import { discoveryVariables, platformOf } from '../python/env/types';
import { nodeHost } from './node-files';

export function cliEnvironment(file: string, pythonPaths: string[]): PythonEnvironment {
  return discoverEnvironment(nodeHost, {
    fileDir: path.dirname(file),
    extraPaths: pythonPaths.map((p) => path.resolve(p)),
    extraOrigin: 'flag',
    env: discoveryVariables(process.env),
    platform: platformOf(process.platform),
  });
}
