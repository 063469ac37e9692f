// Objects that belong to no analysis: they capture no interpreter, framework or module state, so a
// module cached across analyses (`import-snapshot.ts`) may share them as they are. Natives of this
// kind receive the running interpreter as their fourth argument; an instance state (`ext`) that can
// be copied implements `CopyableExt`. A shared object made with a recipe (a name, and the plain
// values a factory makes it from) can also be written to disk and made again (`snapshot-serial.ts`).
import type { Value } from './values';

/** How a shared object is made again in another process: a registered factory's name and its JSON arguments. */
export interface Recipe {
  kind: string;
  args: unknown[];
}

const portable = new WeakMap<object, Recipe | undefined>();
const factories = new Map<string, (...args: unknown[]) => object>();

/** Marks `x` (a native, a class's construct function, an immutable host object) as shareable across analyses. */
export function shared<T extends object>(x: T, recipe?: Recipe): T {
  portable.set(x, recipe);
  return x;
}

export const isShared = (x: object): boolean => portable.has(x);

/** How a shared object is made again (undefined: it cannot be written to disk). */
export const recipeOf = (x: object): Recipe | undefined => portable.get(x);

/** Registers the factory a recipe of `kind` names (each module that makes shared objects with recipes). */
export function registerFactory<A extends unknown[]>(kind: string, make: (...args: A) => object): void {
  // the recipe's arguments are what the object was made from, checked by the factory's own signature when made
  factories.set(kind, make as unknown as (...args: unknown[]) => object);
}

/** The shared object a recipe describes, made again; undefined when no factory of that kind is registered. */
export function remake(recipe: Recipe): object | undefined {
  return factories.get(recipe.kind)?.(...recipe.args);
}

/** An instance's `ext` made only of Python values: a copy into another analysis copies each value. */
export interface CopyableExt {
  copyExt(copy: (v: Value) => Value): CopyableExt;
  /** The factory (registered with `registerFactory`) that makes it again from `extValues()`. */
  readonly extKind: string;
  extValues(): Value[];
}

export const isCopyableExt = (ext: unknown): ext is CopyableExt =>
  typeof ext === 'object' && ext !== null && typeof (ext as { copyExt?: unknown }).copyExt === 'function';
