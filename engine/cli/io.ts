// What every subcommand writes to, and the one error that means "usage: exit 2".
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export class UsageError extends Error {}
