// Module-level caches emptied for a while (tests compare an analysis with a cache against a fresh one).

/** Runs `fn` with `cache` empty, then puts back what it held. */
export function withEmptied<K, V, T>(cache: Map<K, V>, fn: () => T): T {
  const saved = [...cache];
  cache.clear();
  try {
    return fn();
  } finally {
    cache.clear();
    for (const [k, v] of saved) cache.set(k, v);
  }
}
