// Reading workspace files from disk for the engine (the CLI's SourceHost).
import * as fs from 'node:fs';
import type { SourceHost } from '../analyze';

export const nodeHost: SourceHost = {
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
};
