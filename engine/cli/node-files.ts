// Reading workspace files from disk for the engine (the CLI's and the analysis worker's SourceHost) and
// listing folders for environment discovery.
import * as fs from 'node:fs';
import type { SourceHost } from '../analyze';
import type { EnvHost } from '../python/env/types';

/** A file's modification time and size, '' when it is not a file (`SourceHost.stamp`). */
export function fileStamp(path: string): string {
  const st = fs.statSync(path, { throwIfNoEntry: false });
  return st?.isFile() ? `${st.mtimeMs}:${st.size}` : '';
}

export const nodeHost: SourceHost & Required<EnvHost> = {
  readFile(path) {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  stamp: fileStamp,
  isDirectory(path) {
    try {
      return fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  listDir(path) {
    try {
      return fs.readdirSync(path);
    } catch {
      return undefined;
    }
  },
};
