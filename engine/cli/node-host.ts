// Reading workspace files from disk for the engine (the CLI's SourceHost), and listing folders for environment discovery.
import * as fs from 'node:fs';
import type { SourceHost } from '../analyze';
import type { EnvHost } from '../python/env/types';

export const nodeHost: SourceHost & Required<EnvHost> = {
  readFile(path) {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
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
