// Files that model code reads while it builds the model: a YAML or JSON config, a Darknet .cfg,
// through open(), pathlib.Path and os.path. Reads go through the engine's SourceHost and only
// inside the analysis roots. A file that cannot be read, or a config that does not parse, gives an
// unknown value with the reason and is recorded as a problem (the report names the path).
import { parseDocument as parseYamlDocument, type Tags } from 'yaml';
import type { Interpreter } from './interpreter';
import { makeClass, pyDict } from './builtins';
import { environment } from './environ';
import { basename, dirname, join, normalize, relativeTo } from './paths';
import { pyModule } from './stdlib';
import {
  isObj, isUnknown, list, native, str, tuple, unknown,
  type CallSite, type PyClass, type PyInstance, type PyModule, type PyUnknown, type Value,
} from './values';

/** A file the model code could not read or parse, with where it tried (innermost call first). */
export interface FileProblem {
  path: string;
  reason: string;
  sites: CallSite[];
}

/** What the model code may read: the workspace under the analysis roots. */
export interface FileAccess {
  read(path: string): { text: string } | { error: string };
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  readonly problems: FileProblem[];
}

/** No files at all (snippets, and hosts that give none). */
export const noFiles: FileAccess = {
  read: () => ({ error: 'no files are readable in this analysis' }),
  isFile: () => false,
  isDir: () => false,
  problems: [],
};

/**
 * Files under `roots` through `host`. A relative path is tried as given (the CLI's working folder)
 * and then against each root (where the script is usually run from); a path that leaves every
 * root is refused.
 */
export function workspaceFiles(host: { readFile(p: string): string | undefined; isDirectory?(p: string): boolean }, roots: string[]): FileAccess {
  const inside = (p: string) => roots.some((r) => { const rel = relativeTo(r, p); return rel !== undefined && !rel.startsWith('..'); });
  const candidates = (p: string) => (p.startsWith('/') ? [normalize(p)] : [normalize(p), ...roots.map((r) => join(r, p))]).filter(inside);
  return {
    read(path) {
      const allowed = candidates(path);
      if (!allowed.length) return { error: `'${path}' is outside the analysis root (${roots[0]}); ConvLens reads only workspace files` };
      for (const c of allowed) {
        const text = host.readFile(c);
        if (text !== undefined) return { text };
      }
      return { error: `cannot read '${path}'` };
    },
    isFile: (p) => candidates(p).some((c) => host.readFile(c) !== undefined),
    isDir: (p) => candidates(p).some((c) => host.isDirectory?.(c) ?? false),
    problems: [],
  };
}

// PyYAML resolves YAML 1.1 with two differences from the yaml package: an exponent float needs a
// dot and a signed exponent (`1e-3` stays a string), and y/n are strings, not booleans
const PYYAML_TESTS: Record<string, RegExp> = {
  EXP: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/,
  true: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  false: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
};
const pyyamlTags = (tags: Tags): Tags => tags.map((t) => {
  if (typeof t !== 'object' || t.collection) return t;
  const key = t.tag === 'tag:yaml.org,2002:float' && t.format === 'EXP' ? 'EXP' : t.tag === 'tag:yaml.org,2002:bool' ? (t.test?.test('true') ? 'true' : 'false') : '';
  return key && PYYAML_TESTS[key] ? { ...t, test: PYYAML_TESTS[key] } : t;
});

function parsePyYaml(text: string): unknown {
  const doc = parseYamlDocument(text, { version: '1.1', uniqueKeys: false, logLevel: 'silent', customTags: pyyamlTags });
  if (doc.errors.length) throw doc.errors[0];
  return doc.toJS();
}

/** JSON/YAML data as Python values: mappings are dicts in file order, sequences lists. */
function toPython(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return list(v.map(toPython));
  if (v instanceof Map) return pyDict([...v].map(([k, x]) => [toPython(k), toPython(x)]));
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return pyDict(Object.entries(v).map(([k, x]) => [k, toPython(x)]));
  return unknown('a YAML value ConvLens does not convert');
}

interface FileState { path: string; text: string; pos: number }

export function fileModules(interp: Interpreter, object: PyClass, access: FileAccess): { open: Value; modules: PyModule[] } {
  /** Records a problem (once per path and reason) and gives the unknown value that carries it. */
  const fail = (path: string, reason: string, site: CallSite): PyUnknown => {
    if (!access.problems.some((p) => p.path === path && p.reason === reason)) {
      access.problems.push({ path, reason, sites: [site, ...interp.frames.map((f) => f.site).reverse()] });
    }
    return unknown(reason, site.line);
  };

  const pathClass = makeClass('Path', undefined, 'Path', [object]);
  const isPath = (v: Value): v is PyInstance => isObj(v) && v.k === 'inst' && v.cls === pathClass;
  /** os.fspath: a str, or a Path's string. */
  const fspath = (v: Value): string | undefined => (typeof v === 'string' ? v : isPath(v) ? (v.ext as { path: string }).path : undefined);
  const makePath = (p: string): PyInstance => ({ k: 'inst', cls: pathClass, attrs: new Map(), ext: { path: p === '' ? '.' : p } });

  const fileClass = makeClass('TextIOWrapper', undefined, 'TextIOWrapper', [object]);
  const fileState = (v: Value) => (v as PyInstance).ext as FileState;
  const open = (a: Value[], k: Map<string, Value>, site: CallSite): Value => {
    const target = a[0] ?? k.get('file') ?? null;
    const p = fspath(target);
    if (p === undefined) return isUnknown(target) ? fail('?', `open() of a path that is not known (${target.reason})`, site) : unknown(`open(${str(target)})`, site.line);
    const mode = str(a[1] ?? k.get('mode') ?? 'r');
    if (/[wax+]/.test(mode)) return unknown(`open('${p}', '${mode}') writes; ConvLens does not`, site.line);
    const r = access.read(p);
    if ('error' in r) return fail(p, r.error, site);
    return { k: 'inst', cls: fileClass, attrs: new Map([['name', p]]), ext: { path: p, text: r.text, pos: 0 } };
  };
  const rest = (f: FileState): string => { const t = f.text.slice(f.pos); f.pos = f.text.length; return t; };
  const linesOf = (t: string): string[] => t.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const fileMethod = (name: string, fn: (f: FileState, a: Value[]) => Value) => fileClass.dict.set(name, native(name, (a) => fn(fileState(a[0]), a.slice(1))));
  fileMethod('read', (f) => rest(f));
  fileMethod('readlines', (f) => list(linesOf(rest(f))));
  fileMethod('__iter__', (f) => list(linesOf(rest(f))));
  fileMethod('readline', (f) => { const line = linesOf(f.text.slice(f.pos))[0] ?? ''; f.pos += line.length; return line; });
  fileMethod('close', () => null);
  fileClass.dict.set('__enter__', native('__enter__', (a) => a[0]));
  fileClass.dict.set('__exit__', native('__exit__', () => false));

  /** The text of a stream argument (an open file, or a str as json.loads / yaml.safe_load take). */
  const textOf = (v: Value, site: CallSite): string | PyUnknown => {
    if (typeof v === 'string') return v;
    if (isObj(v) && v.k === 'inst' && v.cls === fileClass) return rest(fileState(v));
    return isUnknown(v) ? v : unknown(`cannot read a config from ${str(v)}`, site.line);
  };
  const loader = (what: string, parse: (t: string) => unknown) => native(what, (a, k, site) => {
    const stream = a[0] ?? k.get('stream') ?? k.get('s') ?? k.get('fp') ?? null;
    const text = textOf(stream, site);
    if (typeof text !== 'string') return text;
    try {
      return toPython(parse(text));
    } catch (e) {
      const path = isObj(stream) && stream.k === 'inst' && stream.cls === fileClass ? fileState(stream).path : '<string>';
      return fail(path, `${what}: ${String((e as Error).message).split('\n')[0]}`, site);
    }
  });
  const yamlLoad = loader('yaml', parsePyYaml);
  const jsonLoad = loader('json', (t) => JSON.parse(t));
  const loaderClass = (n: string) => makeClass(n, undefined, n, [object]);
  const yaml = pyModule('yaml', {
    safe_load: yamlLoad, load: yamlLoad, full_load: yamlLoad, unsafe_load: yamlLoad,
    SafeLoader: loaderClass('SafeLoader'), Loader: loaderClass('Loader'), FullLoader: loaderClass('FullLoader'),
    CLoader: loaderClass('CLoader'), CSafeLoader: loaderClass('CSafeLoader'), YAMLError: makeClass('YAMLError', undefined, 'YAMLError', [object]),
  }, (n) => unknown(`yaml.${n} is not modelled`));
  const json = pyModule('json', { load: jsonLoad, loads: jsonLoad, JSONDecodeError: makeClass('JSONDecodeError') }, (n) => unknown(`json.${n} is not modelled`));

  // pathlib.Path: string paths with the parts model code uses to find its config beside itself
  const pathArg = (v: Value): string | undefined => fspath(v);
  const joined = (base: string, parts: Value[]): string | undefined => {
    let p = base;
    for (const x of parts) {
      const s = pathArg(x);
      if (s === undefined) return undefined;
      p = s.startsWith('/') ? s : p === '.' ? s : `${p}/${s}`;
    }
    return p;
  };
  // made before it is assigned: see eslint.config.mjs, pretenured closures
  const construct: PyClass['construct'] = (a, _k, site) => {
    const p = joined('.', a);
    return p === undefined ? (a.find(isUnknown) ?? unknown('Path() of a value that is not a path', site.line)) : makePath(p);
  };
  pathClass.construct = construct;
  const self = (a: Value[]) => (pathArg(a[0]) as string);
  const pathMethod = (name: string, fn: (p: string, a: Value[], k: Map<string, Value>, site: CallSite) => Value) =>
    pathClass.dict.set(name, native(name, (a, k, site) => fn(self(a), a.slice(1), k, site)));
  const pathProperty = (name: string, fn: (p: string) => Value) =>
    pathClass.dict.set(name, { k: 'wrapped', kind: 'property', fn: native(name, (a) => fn(self(a))) });
  const stem = (p: string) => { const b = basename(p); const i = b.lastIndexOf('.'); return i > 0 ? b.slice(0, i) : b; };
  pathMethod('__truediv__', (p, a, _k, site) => { const q = joined(p, a); return q === undefined ? (isUnknown(a[0]) ? a[0] : unknown(`Path / ${str(a[0])}`, site.line)) : makePath(q); });
  pathMethod('joinpath', (p, a, _k, site) => { const q = joined(p, a); return q === undefined ? unknown('joinpath of a value that is not a path', site.line) : makePath(q); });
  pathMethod('__str__', (p) => p);
  pathMethod('__fspath__', (p) => p);
  pathMethod('__eq__', (p, a) => fspath(a[0]) === p);
  pathMethod('read_text', (p, _a, _k, site) => { const r = access.read(p); return 'error' in r ? fail(p, r.error, site) : r.text; });
  pathMethod('open', (p, a, k, site) => open([p, ...a], k, site));
  pathMethod('exists', (p) => access.isFile(p) || access.isDir(p));
  pathMethod('is_file', (p) => access.isFile(p));
  pathMethod('is_dir', (p) => access.isDir(p));
  for (const n of ['resolve', 'absolute', 'expanduser']) pathMethod(n, (p) => makePath(normalize(p)));
  pathMethod('with_suffix', (p, a) => makePath(join(dirname(p), stem(p) + str(a[0]))));
  pathMethod('with_name', (p, a) => makePath(join(dirname(p), str(a[0]))));
  pathProperty('parent', (p) => makePath(dirname(normalize(p))));
  pathProperty('name', (p) => basename(p));
  pathProperty('stem', stem);
  pathProperty('suffix', (p) => { const b = basename(p); const i = b.lastIndexOf('.'); return i > 0 ? b.slice(i) : ''; });
  pathProperty('parts', (p) => tuple(normalize(p).split('/').filter(Boolean)));
  const pathlib = pyModule('pathlib', { Path: pathClass, PurePath: pathClass, PosixPath: pathClass, PurePosixPath: pathClass });

  // os.path on str paths (a relative __file__ stays relative: the working folder is not known)
  const strFn = (name: string, fn: (a: string[]) => Value) => native(name, (a, _k, site) => {
    const parts = a.map(pathArg);
    if (parts.some((p) => p === undefined)) return a.find(isUnknown) ?? unknown(`os.path.${name} of a value that is not a path`, site.line);
    return fn(parts as string[]);
  });
  const osPath = pyModule('os.path', {
    join: strFn('join', (p) => (joined(p[0], p.slice(1)) as string)),
    dirname: strFn('dirname', (p) => (p[0].includes('/') ? dirname(p[0]) : '')),
    basename: strFn('basename', (p) => basename(p[0])),
    abspath: strFn('abspath', (p) => normalize(p[0])),
    realpath: strFn('realpath', (p) => normalize(p[0])),
    normpath: strFn('normpath', (p) => normalize(p[0])),
    expanduser: strFn('expanduser', (p) => p[0]),
    exists: strFn('exists', (p) => access.isFile(p[0]) || access.isDir(p[0])),
    isfile: strFn('isfile', (p) => access.isFile(p[0])),
    isdir: strFn('isdir', (p) => access.isDir(p[0])),
    splitext: strFn('splitext', (p) => { const b = basename(p[0]); const i = b.lastIndexOf('.'); return i > 0 ? tuple([p[0].slice(0, p[0].length - b.length + i), b.slice(i)]) : tuple([p[0], '']); }),
    split: strFn('split', (p) => tuple([p[0].includes('/') ? dirname(p[0]) : '', basename(p[0])])),
    sep: '/',
  }, (n) => unknown(`os.path.${n}`));
  const { environ, getenv } = environment(object);
  const os = pyModule('os', { path: osPath, sep: '/', environ, getenv, fspath: native('fspath', (a) => fspath(a[0] ?? null) ?? unknown('os.fspath')) }, (n) => unknown(`os.${n}`));

  return { open: native('open', open), modules: [yaml, json, pathlib, os, osPath] };
}
