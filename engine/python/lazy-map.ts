// A Map whose entries are made when it is first used: an import snapshot is read into an analysis's
// world this way (`snapshot-read.ts`), so that only the modules, classes and functions the analysis
// reaches are built (a timm file reaches a small part of timm's ~45,000 objects). Every way to read or
// change a Map fills it first; once filled it is an ordinary Map.
export class LazyMap<K, V> extends Map<K, V> {
  private pending: ((m: Map<K, V>) => void) | undefined;

  /** `fill` puts the entries in (with Map's own `set`), once, before the first use. */
  constructor(fill: (m: Map<K, V>) => void) {
    super();
    this.pending = fill;
  }

  private fill(): void {
    const f = this.pending;
    this.pending = undefined;
    f?.(this);
  }

  override get size(): number {
    if (this.pending) this.fill();
    return super.size;
  }

  override get(key: K): V | undefined {
    if (this.pending) this.fill();
    return super.get(key);
  }

  override has(key: K): boolean {
    if (this.pending) this.fill();
    return super.has(key);
  }

  override set(key: K, value: V): this {
    if (this.pending) this.fill();
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (this.pending) this.fill();
    return super.delete(key);
  }

  override clear(): void {
    this.pending = undefined;
    super.clear();
  }

  override forEach(f: (value: V, key: K, map: Map<K, V>) => void, self?: unknown): void {
    if (this.pending) this.fill();
    super.forEach(f, self);
  }

  override keys(): MapIterator<K> {
    if (this.pending) this.fill();
    return super.keys();
  }

  override values(): MapIterator<V> {
    if (this.pending) this.fill();
    return super.values();
  }

  override entries(): MapIterator<[K, V]> {
    if (this.pending) this.fill();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    if (this.pending) this.fill();
    return super[Symbol.iterator]();
  }
}
