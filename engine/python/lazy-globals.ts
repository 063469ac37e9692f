// A module's globals where `from package import X` may bind X pending: when X's module waits to run (a lazy
// package's, `lazy-package.ts`), it runs when X is first read here or in the package, not at this import
// (timm.models' modules import dozens of timm.layers names a model may never read: create_attn's ~25 modules
// of attention layers for a ResNet-50 that has none). What a user sees is what the eager import gives:
// - X keeps its place among the globals (a placeholder until read); reading it, testing for it, deleting it or
//   rebinding it runs its module first; anything that lists or counts the globals (dir(), globals(), a star import
//   of this module, `__dict__`, a snapshot's copy) reads every pending name first;
// - a module that raises or lacks X when it runs throws `LazyImportsWrong`, and the analysis is made again with
//   every module run at the import, where Python's error belongs.
import { ListingGuardedMap } from './lazy-package';
import type { Value } from './values';

/** Stands for a pending name in the map's own entries (never returned: every read resolves it first). */
const PENDING = Symbol('pending') as unknown as Value;

/** Counts since the process started (tests): names bound pending, and those read since. */
export const pendingStats = { bound: 0, read: 0 };

export class LazyGlobals extends ListingGuardedMap<string, Value> {
  private readonly pending = new Map<string, () => Value>();

  /** Binds `name` to what `read` gives when it is first read. */
  pend(name: string, read: () => Value): void {
    pendingStats.bound++;
    this.pending.set(name, read);
    super.set(name, PENDING);
  }

  private resolve(name: string): void {
    const read = this.pending.get(name);
    if (!read) return;
    this.pending.delete(name);
    pendingStats.read++;
    super.set(name, read());
  }

  protected beforeListing(): void {
    for (const name of [...this.pending.keys()]) this.resolve(name);
  }

  override get(name: string): Value | undefined {
    if (this.pending.size) this.resolve(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    if (this.pending.size) this.resolve(name);
    return super.has(name);
  }

  override set(name: string, v: Value): this {
    // rebinding it: its module runs first, as it did at the import
    if (this.pending.size) this.resolve(name);
    return super.set(name, v);
  }

  override delete(name: string): boolean {
    if (this.pending.size) this.resolve(name);
    return super.delete(name);
  }
}
