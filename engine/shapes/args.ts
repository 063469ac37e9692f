// Reading a layer's bound arguments. The interpreter may hand over UNKNOWN, None, wrong types or
// nonsense sizes; every read turns those into a diagnostic and `null` instead of an exception, so
// a layer can still report what it does know.
import type { Dim } from './dim';
import { UNKNOWN, type Cfg, type LayerDiagnostic } from './layer-spec';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** PyTorch's `_ntuple`: an int becomes n copies; a sequence stays as it is. */
export function toTuple(value: unknown, n: number): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? Array<unknown>(n).fill(Number(value)) : value;
}

/** Normalises the int-or-tuple arguments of a layer with `n` spatial dimensions (idempotent). */
export function normalizeTuples(cfg: Cfg, names: string[], n: number): Cfg {
  const out: Cfg = { ...cfg };
  for (const name of names) {
    // `stride=None` means "same as kernel_size" for pooling; strings ('same') stay strings.
    if (name in out && out[name] !== null && typeof out[name] !== 'string') out[name] = toTuple(out[name], n);
  }
  return out;
}

/**
 * Reads arguments for one layer. Each getter returns `null` when the value is unknown or invalid,
 * after recording why; `missing` then says that some result cannot be computed.
 */
export class ArgReader {
  readonly diagnostics: LayerDiagnostic[] = [];
  missing = false;
  private readonly reported = new Set<string>();

  constructor(private readonly cfg: Cfg, readonly layer: string) {}

  has(name: string): boolean {
    return this.cfg[name] !== undefined && this.cfg[name] !== null;
  }

  raw(name: string): unknown {
    return this.cfg[name];
  }

  isUnknown(name: string): boolean {
    const v = this.cfg[name];
    return v === UNKNOWN || (Array.isArray(v) && v.includes(UNKNOWN));
  }

  unknown(name: string): null {
    this.missing = true;
    if (!this.reported.has(name)) {
      this.reported.add(name);
      this.diagnostics.push({
        severity: 'info',
        code: 'unknown-argument',
        message: `${this.layer}: the value of \`${name}\` is unknown, so what depends on it is not computed`,
      });
    }
    return null;
  }

  invalid(name: string, why: string): null {
    this.missing = true;
    if (!this.reported.has(name)) {
      this.reported.add(name);
      this.diagnostics.push({ severity: 'error', code: 'invalid-argument', message: `${this.layer}: \`${name}\` ${why}` });
    }
    return null;
  }

  error(code: string, message: string, severity: LayerDiagnostic['severity'] = 'error', quiet = false): void {
    this.diagnostics.push(quiet ? { severity, code, message, quiet } : { severity, code, message });
  }

  /** An integer ≥ min. */
  int(name: string, min = 0): number | null {
    const v = this.cfg[name];
    if (v === UNKNOWN) return this.unknown(name);
    if (typeof v === 'boolean') return Number(v) >= min ? Number(v) : this.invalid(name, `must be an integer ≥ ${min}`);
    if (!isInt(v) || v < min) return this.invalid(name, `must be an integer ≥ ${min}, got ${show(v)}`);
    return v;
  }

  /** An integer ≥ min, or undefined for None / absent. */
  optInt(name: string, min = 0): number | undefined | null {
    const v = this.cfg[name];
    return v === undefined || v === null ? undefined : this.int(name, min);
  }

  /** Any finite number (a float such as `p` or `scale_factor`). */
  num(name: string): number | null {
    const v = this.cfg[name];
    if (v === UNKNOWN) return this.unknown(name);
    if (typeof v === 'boolean') return Number(v);
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.invalid(name, `must be a number, got ${show(v)}`);
    return v;
  }

  bool(name: string): boolean | null {
    const v = this.cfg[name];
    if (v === UNKNOWN) return this.unknown(name);
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    return this.invalid(name, `must be True or False, got ${show(v)}`);
  }

  str(name: string): string | null {
    const v = this.cfg[name];
    if (v === UNKNOWN) return this.unknown(name);
    if (typeof v !== 'string') return this.invalid(name, `must be a string, got ${show(v)}`);
    return v;
  }

  /** An int or a tuple of `n` ints, each ≥ min. */
  ints(name: string, n: number, min = 0, broadcastOne = false): number[] | null {
    const raw = this.cfg[name];
    // convolution expands a one-element stride/padding/dilation to every axis: stride=[1] is (1, 1)
    const v = broadcastOne && Array.isArray(raw) && raw.length === 1 ? Array<unknown>(n).fill(raw[0]) : toTuple(raw, n);
    if (this.isUnknown(name)) return this.unknown(name);
    if (!Array.isArray(v) || v.length !== n) return this.invalid(name, `must be an int or a tuple of ${n} ints, got ${show(this.cfg[name])}`);
    if (!v.every((x) => isInt(x) && x >= min)) return this.invalid(name, `must hold integers ≥ ${min}, got ${show(this.cfg[name])}`);
    return v as number[];
  }

  /** Sizes, one per axis: an int ≥ 1 or a symbolic size (`x.shape[-2:]` of a symbolic input, as a string). */
  sizes(name: string, n: number): Dim[] | null {
    const v = toTuple(this.cfg[name], n);
    const each = (x: unknown) => typeof x === 'string' || (isInt(x) && x >= 1);
    if (Array.isArray(v) && v.length === n && v.some((x) => typeof x === 'string') && v.every(each)) return v as Dim[];
    return this.ints(name, n, 1);
  }

  /** A list of ints of any length (normalized_shape, unflattened_size), each ≥ min. */
  intList(name: string, min = 0): number[] | null {
    const v = this.cfg[name];
    if (this.isUnknown(name)) return this.unknown(name);
    const list = isInt(v) ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => isInt(x) && x >= min)) {
      return this.invalid(name, `must be an int or a sequence of integers ≥ ${min}, got ${show(v)}`);
    }
    return list as number[];
  }
}

/** A value as Python would print it, for messages. */
export function show(v: unknown): string {
  if (v === UNKNOWN) return '?';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `(${v.map(show).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}
