// re and fnmatch, on JavaScript regular expressions: model registries sort and filter names with
// them (timm's `_natural_key` splits on `(\d+)`, `list_models('resnet*')` globs).
import { isObj, isUnknown, list, native, str, tuple, unknown, type PyHostObject, type PyModule, type Value } from './values';
import { registerFactory, shared } from './portable';

const pyModule = (name: string, attrs: Record<string, Value>): PyModule => ({ k: 'module', name, attrs: new Map(Object.entries(attrs)) });

const FLAGS = { IGNORECASE: 2, I: 2, MULTILINE: 8, M: 8, DOTALL: 16, S: 16, VERBOSE: 64, X: 64, ASCII: 256, A: 256 };

/** first: search; all: findall/sub; start: match (anchored at 0); whole: fullmatch. */
type Mode = 'first' | 'all' | 'start' | 'whole';

/** Python pattern syntax to a JavaScript RegExp (named groups `(?P<n>…)` are the one common difference). */
function toRegExp(pattern: string, flags: number, mode: Mode): RegExp {
  let src = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
  if (mode === 'whole') src = `^(?:${src})$`;
  const f = (mode === 'all' ? 'g' : mode === 'start' ? 'y' : '') + (flags & 2 ? 'i' : '') + (flags & 8 ? 'm' : '') + (flags & 16 ? 's' : '');
  return new RegExp(src, f);
}

function matchObject(m: RegExpExecArray): PyHostObject {
  const group = (i: Value): Value => (typeof i === 'string' ? m.groups?.[i] : m[Number(i ?? 0)]) ?? null;
  return {
    k: 'host', kind: 're.Match',
    getattr(name) {
      switch (name) {
        case 'group': return native('group', (a) => (a.length > 1 ? tuple(a.map(group)) : group(a[0] ?? 0)));
        case 'groups': return native('groups', () => tuple(m.slice(1).map((g) => g ?? null)));
        case 'start': return native('start', () => m.index);
        case 'end': return native('end', () => m.index + m[0].length);
        case 'span': return native('span', () => tuple([m.index, m.index + m[0].length]));
        default: return unknown(`re.Match.${name}`);
      }
    },
    getitem: (i) => group(i),
    repr: () => `<re.Match object; match='${m[0]}'>`,
  };
}

/**
 * The functions of `re` over a pattern source: `pattern` gives the pattern and flags for a call's
 * arguments and the arguments that follow it (for a compiled pattern, all of them).
 */
function reFunctions(pattern: (a: Value[], k: Map<string, Value>, flagsAt: number) => { source: string; flags: number; rest: Value[] }): Record<string, Value> {
  const call = (name: string, flagsAt: number, f: (re: (mode: Mode) => RegExp, rest: Value[]) => Value) => native(name, (a, k, site) => {
    const { source, flags, rest } = pattern(a, k, flagsAt);
    const subject = rest[name === 'sub' ? 1 : 0] ?? null;
    if (typeof subject !== 'string') return isUnknown(subject) ? subject : unknown(`re.${name} on a value that is not a string`, site.line);
    return f((mode) => toRegExp(source, flags, mode), rest);
  });
  const find = (name: string, mode: Mode) => call(name, 1, (re, rest) => {
    const m = re(mode).exec(str(rest[0]));
    return m ? matchObject(m) : null;
  });
  return {
    match: find('match', 'start'), fullmatch: find('fullmatch', 'whole'), search: find('search', 'first'),
    split: call('split', 2, (re, rest) => list(str(rest[0]).split(re('first')).map((p) => p ?? null))),
    findall: call('findall', 1, (re, rest) => list([...str(rest[0]).matchAll(re('all'))].map((m) => (m.length > 2 ? tuple(m.slice(1).map((g) => g ?? '')) : m[m.length > 1 ? 1 : 0] ?? '')))),
    sub: call('sub', 3, (re, rest) => {
      if (typeof rest[0] !== 'string') return unknown('re.sub with a replacement that is not a string');
      return str(rest[1]).replace(re('all'), rest[0].replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1').replace(/\\g<(\w+)>/g, '$$<$1>'));
    }),
  };
}

/** A compiled pattern: immutable and free of any analysis's state, so modules cached across analyses share it. */
function compiledPattern(source: string, flags: number): PyHostObject {
  const methods = reFunctions((args) => ({ source, flags, rest: args }));
  const compiled: PyHostObject = {
    k: 'host', kind: 're.Pattern',
    getattr: (name) => (name === 'pattern' ? source : methods[name] ?? unknown(`re.Pattern.${name}`)),
    repr: () => `re.compile('${source}')`,
  };
  return shared(compiled, { kind: 're.Pattern', args: [source, flags] });
}
registerFactory('re.Pattern', compiledPattern);

export function reModule(): PyModule {
  const flagsOf = (v: Value | undefined) => (typeof v === 'number' ? v : 0);
  const compile = native('compile', (a, k) => compiledPattern(str(a[0] ?? ''), flagsOf(k.get('flags') ?? a[1])));
  const escape = native('escape', (a) => str(a[0] ?? '').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  // flags come after the pattern and the function's own positional arguments (re.sub(p, repl, s, count, flags))
  const functions = reFunctions((a, k, flagsAt) => ({ source: str(a[0] ?? ''), flags: flagsOf(k.get('flags') ?? a[flagsAt + 1]), rest: a.slice(1) }));
  return pyModule('re', { ...functions, compile, escape, ...FLAGS });
}

/** Shell-style wildcards: `*`, `?`, `[seq]`, `[!seq]`. */
function globRegExp(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const end = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') src += '.*';
    else if (c === '?') src += '.';
    else if (end > 0) {
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      src += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
      i = end;
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 's');
}

export function fnmatchModule(): PyModule {
  const test = (name: Value, pattern: Value): Value =>
    typeof name === 'string' && typeof pattern === 'string' ? globRegExp(pattern).test(name) : unknown('fnmatch of a value that is not a string');
  return pyModule('fnmatch', {
    fnmatch: native('fnmatch', (a) => test(a[0] ?? null, a[1] ?? null)),
    fnmatchcase: native('fnmatchcase', (a) => test(a[0] ?? null, a[1] ?? null)),
    filter: native('filter', (a, _k, site) => {
      const names = a[0] ?? null;
      if (!isObj(names) || (names.k !== 'list' && names.k !== 'tuple')) return unknown('fnmatch.filter of unknown names', site.line);
      return list(names.items.filter((n) => test(n, a[1] ?? null) === true));
    }),
  });
}
