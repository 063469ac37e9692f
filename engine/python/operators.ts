// Python's arithmetic and comparison operators over interpreter values, including symbolic sizes
// (a `PySymDim` behaves as an int whose value is a formula in N, H, W…).
import * as dim from '../shapes/dim';
import { hashKey, isObj, isUnknown, list, str, tuple, typeName, unknown, type CallSite, type Value } from './values';

interface Raiser {
  raise(type: string, detail: string, line: number): never;
  /** Charges building `n` elements to the analysis's budgets (throws when they are spent). */
  allocate(n: number, site: CallSite): void;
}

type DimLike = number | string;

/** The value as a dimension (int or symbolic), or undefined. */
export function asDim(v: Value): DimLike | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isObj(v) && v.k === 'sym') return v.d;
  return undefined;
}

/** A dimension as a Python value: plain number when known. */
export function fromDim(d: dim.Dim, line = 0): Value {
  if (d === null) return unknown('size not known', line);
  return typeof d === 'number' ? d : { k: 'sym', d };
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

export function arith(op: string, a: Value, b: Value, site: CallSite, r: Raiser): Value {
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  const na = typeof a === 'boolean' ? +a : a;
  const nb = typeof b === 'boolean' ? +b : b;
  if (typeof na === 'number' && typeof nb === 'number') {
    const v = numeric(op, na, nb, site, r);
    if (v !== undefined) return v;
  }
  const da = asDim(a), db = asDim(b);
  if (da !== undefined && db !== undefined) {
    switch (op) {
      case '+': return fromDim(dim.add(da, db), site.line);
      case '-': return fromDim(dim.sub(da, db), site.line);
      case '*': return fromDim(dim.mul(da, db), site.line);
      case '//': if (typeof db === 'number' && db > 0) return fromDim(dim.floorDiv(da, db), site.line); break;
      case '/': if (typeof db === 'number' && db > 0) {
        const q = dim.floorDiv(da, db);
        if (q !== null && dim.sameDim(dim.mul(q, db), da) === true) return fromDim(q, site.line);
      } break;
    }
    return unknown(`${str(a)} ${op} ${str(b)} on symbolic sizes`, site.line);
  }
  if (typeof a === 'string') {
    if (op === '+' && typeof b === 'string') { r.allocate(a.length + b.length, site); return a + b; }
    if (op === '*' && typeof nb === 'number') {
      const n = repeatCount(nb, site, r);
      r.allocate(a.length * n, site);
      return a.repeat(n);
    }
    if (op === '%') return percentFormat(a, b);
  }
  if (typeof b === 'string' && op === '*' && typeof na === 'number') return arith(op, b, a, site, r);
  if (isObj(a) && (a.k === 'list' || a.k === 'tuple')) {
    if (op === '+' && isObj(b) && b.k === a.k) {
      r.allocate(a.items.length + b.items.length, site);
      return a.k === 'list' ? list([...a.items, ...b.items]) : tuple([...a.items, ...b.items]);
    }
    if (op === '*' && typeof nb === 'number') {
      const n = repeatCount(nb, site, r);
      r.allocate(a.items.length * n, site);
      const items: Value[] = [];
      for (let i = 0; i < n; i++) for (const x of a.items) items.push(x);
      return a.k === 'list' ? list(items) : tuple(items);
    }
  }
  if (isObj(b) && (b.k === 'list' || b.k === 'tuple') && op === '*' && typeof na === 'number') return arith(op, b, a, site, r);
  if (op === '|' && isObj(a) && a.k === 'dict' && isObj(b) && b.k === 'dict') return { k: 'dict', map: new Map([...a.map, ...b.map]) };
  if (a === null || b === null) r.raise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, site.line);
  return unknown(`${typeName(a)} ${op} ${typeName(b)}`, site.line);
}

/** `seq * n`: Python's count (negative is none; a float count is a TypeError). */
function repeatCount(n: number, site: CallSite, r: Raiser): number {
  if (!Number.isInteger(n)) r.raise('TypeError', `can't multiply sequence by non-int of type 'float'`, site.line);
  return Math.max(0, n);
}

/**
 * int and float arithmetic. Python's ints are unbounded while JavaScript's numbers are exact only
 * up to 2**53 (and its bitwise operators cut to 32 bits): an int result beyond that is unknown,
 * never a rounded number.
 */
function numeric(op: string, a: number, b: number, site: CallSite, r: Raiser): Value | undefined {
  const ints = Number.isInteger(a) && Number.isInteger(b);
  let v: number;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/': if (b === 0) r.raise('ZeroDivisionError', 'division by zero', site.line); return a / b;
    case '//': if (b === 0) r.raise('ZeroDivisionError', 'division by zero', site.line); v = Math.floor(a / b); break;
    case '%': if (b === 0) r.raise('ZeroDivisionError', 'modulo by zero', site.line); v = pyMod(a, b); break;
    case '**':
      if (a === 0 && b < 0) r.raise('ZeroDivisionError', '0.0 cannot be raised to a negative power', site.line);
      v = a ** b;
      break;
    case '<<': case '>>': case '&': case '|': case '^': {
      if (!ints) return unknown(`${op} on a float`, site.line);
      if ((op === '<<' || op === '>>') && b < 0) r.raise('ValueError', 'negative shift count', site.line);
      if (op === '<<' && b > 64 && a !== 0) return unknown(`an integer beyond 2**53 (${a} << ${b})`, site.line);
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return unknown(`${op} on integers beyond 2**53`, site.line);
      const x = BigInt(a), y = BigInt(b);
      const big = op === '<<' ? x << y : op === '>>' ? x >> y : op === '&' ? x & y : op === '|' ? x | y : x ^ y;
      v = Number(big);
      if (BigInt(v) !== big) return unknown(`an integer beyond 2**53 (${a} ${op} ${b})`, site.line);
      return v;
    }
    default: return undefined;
  }
  if (ints && (Number.isInteger(v) || !Number.isFinite(v)) && !Number.isSafeInteger(v)) {
    return unknown(`an integer beyond 2**53 (${a} ${op} ${b}), which ConvLens does not compute exactly`, site.line);
  }
  return v;
}

function percentFormat(fmt: string, args: Value): string {
  const items = isObj(args) && args.k === 'tuple' ? args.items.slice() : [args];
  return fmt.replace(/%[-+ 0#]*\d*(?:\.(\d+))?([sdifrx%])/g, (m, precision: string | undefined, c: string) => {
    if (c === '%') return '%';
    if (!items.length) return m;
    const v = items.shift() as Value;
    // numbers as Python prints them: `%.2f` % 1.0 is '1.00', `%d` % 2.7 is '2'
    if (typeof v === 'number' && c === 'f') return v.toFixed(Number(precision ?? 6));
    if (typeof v === 'number' && (c === 'd' || c === 'i')) return String(Math.trunc(v));
    return str(v);
  });
}

/** A member of an Enum with a str/int mixin stands for its value in comparisons. */
function enumValue(v: Value): Value {
  return isObj(v) && v.k === 'inst' && typeof v.ext === 'object' && v.ext !== null && 'enumValue' in v.ext ? (v.ext as { enumValue: Value }).enumValue : v;
}

export function valuesEqual(x: Value, y: Value): boolean | undefined {
  const a = enumValue(x), b = enumValue(y);
  if (isUnknown(a) || isUnknown(b)) return undefined;
  const na = typeof a === 'boolean' ? +a : a;
  const nb = typeof b === 'boolean' ? +b : b;
  if (!isObj(na) || !isObj(nb)) {
    if (isObj(na) && na.k === 'sym' && typeof nb === 'number') return undefined;
    if (isObj(nb) && nb.k === 'sym' && typeof na === 'number') return undefined;
    return na === nb;
  }
  if (na.k === 'sym' && nb.k === 'sym') return dim.sameDim(na.d, nb.d) ?? undefined;
  if ((na.k === 'list' || na.k === 'tuple') && nb.k === na.k) {
    if (na.items.length !== nb.items.length) return false;
    for (let i = 0; i < na.items.length; i++) {
      const e = valuesEqual(na.items[i], nb.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  if (na.k === 'dict' && nb.k === 'dict') {
    if (na.map.size !== nb.map.size) return false;
    for (const [k, [, v]] of na.map) {
      const o = nb.map.get(k);
      if (!o) return false;
      const e = valuesEqual(v, o[1]);
      if (e !== true) return e;
    }
    return true;
  }
  return na === nb;
}

function contains(container: Value, item: Value, site: CallSite): Value {
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  if (!isObj(container)) return unknown(`'in' on ${typeName(container)}`, site.line);
  switch (container.k) {
    case 'list': case 'tuple': case 'set': case 'iter': {
      let unsure = false;
      for (const x of container.items) {
        const e = valuesEqual(x, item);
        if (e === true) return true;
        if (e === undefined) unsure = true;
      }
      return unsure ? unknown('membership on unknown values', site.line) : false;
    }
    case 'dict': return container.map.has(hashKey(item));
    case 'module': return container.attrs.has(str(item));
    case 'unknown': return container;
    default: return unknown(`'in' on ${typeName(container)}`, site.line);
  }
}

const REFLECTED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

export function compareValues(op: string, a: Value, b: Value, site: CallSite, r: Raiser): Value {
  if (REFLECTED[op]) {
    if (isObj(a) && a.k === 'host' && a.compare) { const v = a.compare(op, b, site); if (v !== undefined) return v; }
    if (isObj(b) && b.k === 'host' && b.compare) { const v = b.compare(REFLECTED[op], a, site); if (v !== undefined) return v; }
  }
  switch (op) {
    case 'is': return isObj(a) || isObj(b) ? (isUnknown(a) || isUnknown(b) ? unknown('identity of an unknown value', site.line) : a === b) : a === b;
    case 'is not': {
      const v = compareValues('is', a, b, site, r);
      return typeof v === 'boolean' ? !v : v;
    }
    case 'in': return contains(b, a, site);
    case 'not in': {
      const v = contains(b, a, site);
      return typeof v === 'boolean' ? !v : v;
    }
    case '==': { const e = valuesEqual(a, b); return e === undefined ? unknown(`comparison with an unknown value`, site.line) : e; }
    case '!=': case '<>': { const e = valuesEqual(a, b); return e === undefined ? unknown(`comparison with an unknown value`, site.line) : !e; }
  }
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  const na = typeof a === 'boolean' ? +a : a;
  const nb = typeof b === 'boolean' ? +b : b;
  if ((typeof na === 'number' && typeof nb === 'number') || (typeof na === 'string' && typeof nb === 'string')) {
    switch (op) {
      case '<': return na < nb;
      case '>': return na > nb;
      case '<=': return na <= nb;
      case '>=': return na >= nb;
    }
  }
  if (isObj(na) && isObj(nb) && (na.k === 'tuple' || na.k === 'list') && nb.k === na.k) {
    for (let i = 0; i < Math.min(na.items.length, nb.items.length); i++) {
      if (valuesEqual(na.items[i], nb.items[i]) === true) continue;
      return compareValues(op, na.items[i], nb.items[i], site, r);
    }
    return compareValues(op, na.items.length, nb.items.length, site, r);
  }
  const da = asDim(a), db = asDim(b);
  if (da !== undefined && db !== undefined) {
    const diff = dim.sub(da, db);
    if (typeof diff === 'number') return compareValues(op, diff, 0, site, r);
    // Symbolic sizes are positive: `H > 0`, `H >= 1` hold.
    if (typeof db === 'number' && db <= 0 && (op === '>' || op === '>=' || op === '!=')) return true;
    return unknown(`comparison of symbolic sizes ${str(a)} ${op} ${str(b)}`, site.line);
  }
  if (a === null || b === null) r.raise('TypeError', `'${op}' not supported between '${typeName(a)}' and '${typeName(b)}'`, site.line);
  return unknown(`${typeName(a)} ${op} ${typeName(b)}`, site.line);
}
