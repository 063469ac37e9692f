// Files the CLI writes survive a kill at any moment: the bytes go to a temporary file in the same
// folder (so the rename stays on one file system), are flushed, and are then renamed over the
// target, which is either the old file or the new one, never a torn one. The one place the CLI writes.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './io';

/** A file written in full beside its target, waiting to be renamed into place (or thrown away). */
export interface StagedFile {
  commit(): void;
  discard(): void;
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

const tempName = (file: string): string =>
  join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/**
 * `durable` false: not flushed to the disk before the rename (a cache whose reader checks what it reads: after a
 * crash it may find the file empty or short, never a mix of two versions); a flush per file of a hundred costs
 * seconds on a busy disk.
 */
export function stageFile(file: string, data: Uint8Array | string, durable = true): StagedFile {
  const tmp = tempName(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(tmp, 'wx');
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    if (durable) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  return {
    commit: () => renameSync(tmp, file),
    discard: () => { try { unlinkSync(tmp); } catch { /* already gone */ } },
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
};

/** Removes the temporary files of `file` that killed processes left behind (the live ones are still writing). */
function removeLeftovers(file: string): void {
  const prefix = `.${basename(file)}.`, dir = dirname(file);
  for (const f of readdirSync(dir)) {
    const pid = f.startsWith(prefix) && f.endsWith('.tmp') ? Number(/^(\d+)-[0-9a-f]+\.tmp$/.exec(f.slice(prefix.length))?.[1]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
      try { unlinkSync(join(dir, f)); } catch { /* another process removed it */ }
    }
  }
}

export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  stageFile(file, data).commit();
}

/**
 * Checks before any work that `file` can be written: its folder exists and is a folder, the file is
 * not a folder, and a file can be created there (a probe, since root passes every permission check).
 * It also removes what killed writers of the same file left behind.
 * `what` names the option in the message, e.g. `--save out/x.safetensors`.
 */
export function checkWritableFile(file: string, what: string): void {
  const dir = dirname(resolve(file));
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${what}: is a folder; give a file name in it, e.g. ${join(file, 'model.safetensors')}`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (errCode(e) === 'ENOTDIR') throw new UsageError(`${what}: a part of the path is a file, not a folder`);
    if (errCode(e) !== 'ENOENT') throw new UsageError(`${what}: cannot be read (${errCode(e) ?? 'error'})`);
  }
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what}: ${dir} is a file, not a folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (errCode(e) === 'ENOTDIR') throw new UsageError(`${what}: a part of the path is a file, not a folder`);
    throw new UsageError(`${what}: the folder ${dir} does not exist; create it first`);
  }
  try {
    stageFile(file, '').discard();
    removeLeftovers(file);
  } catch (e) {
    throw new UsageError(`${what}: cannot write in ${dir} (${errCode(e) ?? 'error'})`);
  }
}
