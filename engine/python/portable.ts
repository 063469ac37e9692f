// Objects that belong to no analysis: they capture no interpreter, framework or module state, so a
// module cached across analyses (`import-snapshot.ts`) may share them as they are. Natives of this
// kind receive the running interpreter as their fourth argument; an instance state (`ext`) that can
// be copied implements `CopyableExt`.
import type { Value } from './values';

const portable = new WeakSet<object>();

/** Marks `x` (a native, a class's construct function, an immutable host object) as shareable across analyses. */
export function shared<T extends object>(x: T): T {
  portable.add(x);
  return x;
}

export const isShared = (x: object): boolean => portable.has(x);

/** An instance's `ext` made only of Python values: a copy into another analysis copies each value. */
export interface CopyableExt {
  copyExt(copy: (v: Value) => Value): CopyableExt;
}

export const isCopyableExt = (ext: unknown): ext is CopyableExt =>
  typeof ext === 'object' && ext !== null && typeof (ext as { copyExt?: unknown }).copyExt === 'function';
