// Python literals for values written into a generated script: strings, numbers, booleans, None,
// lists and tuples, as Python reads them back (a number keeps every digit JavaScript prints).

export type PyValue = string | number | boolean | null | undefined | PyValue[] | { tuple: PyValue[] };

/** A Python string literal (JSON's escapes are Python's, apart from `\/`, which JSON.stringify never writes). */
export const pyStr = (s: string): string => JSON.stringify(s);

export function pyNum(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`${v} has no Python literal here`);
  return String(v);
}

export function py(v: PyValue): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNum(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return v.tuple.length === 1 ? `(${py(v.tuple[0])},)` : `(${v.tuple.map(py).join(', ')})`;
}
