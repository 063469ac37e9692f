// Byte sizes as people write them (`8GB`, `512 MiB`, `1.5G`) and as ConvLens prints them.

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/**
 * `8GB` → 8·10⁹ bytes, `8GiB` (or `8G`) → 8·2³⁰: the SI units are decimal as on a spec sheet, the binary
 * ones are what `nvidia-smi` and PyTorch print. A plain number is bytes. Undefined when it is not a size.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase() || 'b'];
  const bytes = unit === undefined ? NaN : Number(m[1]) * unit;
  return Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

/** 1536 → `1.5 KiB`, binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  const digits = i === 0 || v >= 100 ? String(Math.round(v)) : v.toPrecision(3);
  return `${digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits} ${units[i]}`;
}

/** A budget as it was most likely written: `8 GB` when it is a whole number of decimal units, else binary. */
export function formatBudget(bytes: number): string {
  for (const [unit, size] of [['TB', 1e12], ['GB', 1e9], ['MB', 1e6]] as const) {
    if (bytes >= size && bytes % (size / 10) === 0) return `${bytes / size} ${unit}`;
  }
  return formatBytes(bytes);
}
