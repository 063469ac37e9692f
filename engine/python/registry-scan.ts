// A fast scan of a model registry's modules (timm's `timm/models/*.py`), without a parse: which names each
// module registers with `@register_model` and `register_model_deprecations(__name__, {...})`, what its
// `__all__` will hold once it has run, and whether its top level does nothing else a lazy import could miss.
// `lazy-package.ts` defers such modules until a name they register is asked for; every answer is checked
// when a module runs (`__all__` and the registry's keys), so a wrong scan costs time, never a wrong report.
import { parseStore } from './parse-store';
import { topLevelStatements } from './skip-bodies';
import { withEmptied } from './fresh-cache';

export interface ModuleScan {
  /** Why running this module only when asked for could differ from running it at once (undefined: it cannot). */
  eager?: string;
  /** The names it puts in the registry (`@register_model` functions and deprecated aliases), in order. */
  names: string[];
  /**
   * What its `__all__` holds after it ran (so what `from .module import *` binds), in order, with a registry that
   * appends each name to it (timm's)
   */
  exports: string[];
  /** Its `__all__` as written (what it holds with a registry that appends nothing: torchvision's). */
  declared?: string[];
  /** Where it imports `register_model` from, as written (`._registry`, `.registry`). */
  registry?: string;
  /**
   * Sibling modules whose state its top level changes by calling a function of theirs (timm's mobilevit:
   * `register_block(...)` of byobnet): it runs right after each of them.
   */
  attached: string[];
  /** A plain module's names bound at its top level (`PlainScan.defines`): what may be imported from it pending. */
  defines?: Set<string>;
  /** A subpackage imported whole (`from . import segmentation`) whose modules only register models. */
  subpackage?: true;
  /** The sibling modules a gathering module runs (`scanAggregate`: torchvision's mobilenetv2, …) → what each registers. */
  members?: Record<string, string[]>;
}

/**
 * What a plain module's top level does (`scanPlainModule`: timm.layers', timm.data's): it defines names and
 * registers nothing but its own classes and functions with torch.fx's tracer (`registry`: where it imports
 * `register_notrace_*` from, whose sets a lazy package guards).
 */
export interface PlainScan {
  eager?: string;
  /** Its `__all__` as written (what `from .module import *` binds); undefined without one. */
  declared?: string[];
  registry?: string;
  /** The names its top level binds (blocks' included: a superset of what running it binds). */
  defines: Set<string>;
}

const STRING = /^(?:[rRuU]?)(['"])((?:\\.|(?!\1).)*)\1$/;
const ASSIGN = /^[A-Za-z_][\w.]*(\[[^\]]*\])?\s*(:[^=\n]*)?=(?!=)/;
const TUPLE_ASSIGN = /^[A-Za-z_][\w]*(\s*,\s*[A-Za-z_]\w*)+\s*=(?!=)/;

/** The string literals of a list or tuple display `[...]`/`(...)`; undefined when an item is anything else. */
function stringList(text: string): string[] | undefined {
  const inner = text.trim().replace(/^[[(]/, '').replace(/[\])]$/, '');
  const items = inner.split(',').map((s) => s.replace(/#.*$/gm, '').trim()).filter((s) => s);
  const out: string[] = [];
  for (const item of items) {
    const m = STRING.exec(item);
    if (!m) return undefined;
    out.push(m[2]);
  }
  return out;
}

/** The keys of `register_model_deprecations(__name__, {'old': 'new', ...})`; undefined when not that form. */
function deprecationKeys(text: string): string[] | undefined {
  const m = /^register_model_deprecations\(\s*__name__\s*,\s*\{([\s\S]*)\}\s*,?\s*\)$/.exec(text.trim());
  if (!m) return undefined;
  const out: string[] = [];
  for (const entry of m[1].replace(/#.*$/gm, '').split(',').map((s) => s.trim()).filter((s) => s)) {
    const kv = /^(['"])([^'"\\]*)\1\s*:\s*((['"])[^'"\\]*\4|None)$/.exec(entry);
    if (!kv) return undefined;
    out.push(kv[2]);
  }
  return out;
}

/** Whether JavaScript's multiline `^`/`$` end a line at this char code (\n, \r, \u2028, \u2029). */
const endsLine = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * How many matches of `re` (global, a word pattern) lie outside comment lines: as many as in the text with
 * `/^[ \t]*#.*$/gm` blanked (a blanked line joins no words), without making that copy of every module's text.
 */
export function countInCode(src: string, re: RegExp): number {
  let n = 0;
  for (const m of src.matchAll(re)) {
    let i = m.index;
    while (i > 0 && !endsLine(src.charCodeAt(i - 1))) i--;
    while (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9) i++;
    if (src.charCodeAt(i) !== 35) n++;
  }
  return n;
}
/**
 * `torch.fx.wrap("name")` at a module's top level (torchvision's swin_transformer, video.mvit): fx tracing is not
 * modelled (the stand-in returns its argument), so when it runs changes nothing.
 */
const FX_WRAP = /^torch\.fx\.wrap\(\s*(?:(['"])\w+\1|[A-Za-z_]\w*)\s*\)\s*(#.*)?$/;
const REGISTER = /\bregister_model\b/g;
const DEPRECATIONS = /\bregister_model_deprecations\b/g;
const ALL = /\b__all__\b/g;

/** Scans one module's text (see `ModuleScan`). */
export function scanModelModule(src: string): ModuleScan {
  const names: string[] = [];
  const events: Array<{ kind: 'all' | 'reg' | 'dep'; items: string[] }> = [];
  const eager = (why: string): ModuleScan => ({ eager: why, names, exports: [], attached: [] });
  /** Names imported from sibling modules (`from .byobnet import register_block`) → the module. */
  const siblings = new Map<string, string>();
  const attached = new Set<string>();
  const statements = topLevelStatements(src);
  if (!statements) return eager('its line structure is not plain enough to scan');
  let registry: string | undefined;
  let decorated = false;
  let registerSeen = 0, deprecationsSeen = 0, allSeen = 0;
  for (const { from, to } of statements) {
    const text = src.slice(from, to);
    const head = text.split('\n', 1)[0];
    if (head.startsWith('@')) {
      if (/^@register_model\s*(\(\s*\))?\s*(#.*)?$/.test(head)) { decorated = true; registerSeen++; }
      else if (/register_model/.test(head)) return eager(`an unusual decorator (${head.trim()})`);
      continue;
    }
    const def = /^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/.exec(head);
    if (def) {
      if (decorated) { names.push(def[1]); events.push({ kind: 'reg', items: [def[1]] }); }
      decorated = false;
      continue;
    }
    if (decorated) return eager('@register_model on something that is not a def');
    if (/^(import|from)\s/.test(head)) {
      const reg = /^from\s+([.\w]+)\s+import\b[\s\S]*\bregister_model\b(?!_)/.exec(text);
      if (reg) { registry = reg[1]; registerSeen++; }
      if (/\bregister_model_deprecations\b/.test(text)) deprecationsSeen++;
      const sib = /^from\s+\.([A-Za-z_]\w*)\s+import\s+\(?([\s\S]*?)\)?\s*$/.exec(text.replace(/#.*$/gm, ''));
      for (const item of sib ? sib[2].split(',') : []) {
        const name = /(\w+)\s*$/.exec(item.trim())?.[1];
        if (name) siblings.set(name, sib![1]);
      }
      continue;
    }
    if (/^__all__\s*=/.test(text)) {
      const items = stringList(text.replace(/^__all__\s*=/, '').replace(/#[^'"\n]*$/gm, ''));
      if (!items) return eager('__all__ is not a list of strings');
      if (events.length) return eager('__all__ is set after names were registered');
      events.push({ kind: 'all', items });
      allSeen++;
      continue;
    }
    if (/^register_model_deprecations\b/.test(text)) {
      const keys = deprecationKeys(text);
      if (!keys) return eager('register_model_deprecations with arguments other than literals');
      names.push(...keys);
      events.push({ kind: 'dep', items: keys });
      deprecationsSeen++;
      continue;
    }
    // registering its own classes or functions with torch.fx's tracer changes nothing a lazy import could see
    if (/^register_notrace_(module|function)\(\s*[A-Za-z_]\w*\s*\)$/.test(text.trim()) || FX_WRAP.test(text.trim())) continue;
    const call = /^([A-Za-z_]\w*)\(/.exec(text);
    if (call && siblings.has(call[1]) && /\)\s*$/.test(text)) { attached.add(siblings.get(call[1])!); continue; }
    if (STRING.test(text.trim()) || /^[rRuU]?("""|''')/.test(text)) continue;
    if ((ASSIGN.test(text) || TUPLE_ASSIGN.test(text)) && !/^__all__\b/.test(text)) continue;
    if (/^(for|if|elif|else|try|except|finally|with|while)\b/.test(head) && !/register|__all__|setattr|sys\.modules|global\s/.test(text)) continue;
    return eager(`a top-level statement with effects the scan cannot see (${head.trim().slice(0, 60)})`);
  }
  if (countInCode(src, REGISTER) !== registerSeen) return eager('register_model is used other than as a plain decorator');
  if (countInCode(src, DEPRECATIONS) !== deprecationsSeen) return eager('register_model_deprecations is used other than at the top level');
  if (countInCode(src, ALL) !== allSeen) return eager('__all__ is changed other than by one assignment');
  if (!names.length) return eager('it registers no model');
  if (!registry) return eager('register_model is not imported from a module');
  // register_model makes __all__ at its first name when the module has none; deprecations append only to one
  if (!allSeen && events[0].kind !== 'reg') return eager('deprecations before the first registered name, and no __all__');
  const exports = events.flatMap((e) => e.items);
  const declared = events.find((e) => e.kind === 'all')?.items;
  return { names, exports, registry, attached: [...attached], ...(declared ? { declared } : {}) };
}

/** Decorators a plain module may use at its top level: they change nothing outside the module. */
const PURE_DECORATOR = /^@(dataclass(\(.*\))?|overload|torch\.fx\.wrap|torch\.jit\.(script|ignore|unused)|(functools\.)?(lru_cache|cache)(\(.*\))?)\s*(#.*)?$/;
const NOTRACE = /\bregister_notrace_(module|function)\b/;
/** Statements that bind only the module's own names (no attribute or item of something else). */
const OWN_ASSIGN = /^[A-Za-z_]\w*\s*(:[^=\n]*)?=(?!=)/;
/** In a block: what could reach another module (an attribute or item assigned, a registration, globals). */
const REACHES = /register|__all__|setattr|sys\.modules|global\s|[\w\])]\s*\.\s*\w+\s*[-+*/|&]?=(?!=)|\]\s*[-+*/|&]?=(?!=)/;

/**
 * Scans a module that a package's `__init__` imports names from (`from .activations import *`, `from .config
 * import resolve_data_config`): whether running it only when one of those names is asked for could differ from
 * running it at the import. Allowed: definitions of its own names, imports, a literal `__all__`, blocks that do
 * no more, and torch.fx registrations of its own classes and functions (`registry`, whose sets are guarded).
 */
export function scanPlainModule(src: string): PlainScan {
  const defines = new Set<string>();
  const eager = (why: string): PlainScan => ({ eager: why, defines });
  const statements = topLevelStatements(src);
  if (!statements) return eager('its line structure is not plain enough to scan');
  for (const { from, to } of statements) for (const name of boundNames(src.slice(from, to))) defines.add(name);
  let declared: string[] | undefined;
  let registry: string | undefined;
  let notrace = false;
  for (const { from, to } of statements) {
    const text = src.slice(from, to);
    const head = text.split('\n', 1)[0];
    if (head.startsWith('@')) {
      if (/^@register_notrace_(module|function)\s*(#.*)?$/.test(head)) notrace = true;
      else if (!PURE_DECORATOR.test(head)) return eager(`a decorator that may have effects (${head.trim()})`);
      continue;
    }
    if (/^(import|from)\s/.test(head)) {
      const reg = /^from\s+([.\w]+)\s+import\b/.exec(text);
      if (reg && NOTRACE.test(text)) {
        if (registry !== undefined && registry !== reg[1]) return eager('register_notrace_* from two modules');
        registry = reg[1];
      }
      continue;
    }
    if (/^register_notrace_(module|function)\(\s*[A-Za-z_]\w*\s*\)$/.test(text.trim())) { notrace = true; continue; }
    // past here a use of register_notrace_* (in a body, a block) is one the scan cannot follow
    if (NOTRACE.test(text)) return eager('register_notrace_* used other than on its own names at the top level');
    if (/^(?:async\s+def|def|class)\s/.test(head)) continue;
    if (/^__all__\s*=/.test(text)) {
      declared = stringList(text.replace(/^__all__\s*=/, '').replace(/#[^'"\n]*$/gm, ''));
      if (!declared) return eager('__all__ is not a list of strings');
      continue;
    }
    if (STRING.test(text.trim()) || /^[rRuU]?("""|''')/.test(text)) continue;
    if ((OWN_ASSIGN.test(text) || TUPLE_ASSIGN.test(text)) && !/^__all__\b/.test(text)) continue;
    if (/^(if|elif|else|try|except|finally|with)\b/.test(head) && !REACHES.test(text)) continue;
    return eager(`a top-level statement with effects the scan cannot see (${head.trim().slice(0, 60)})`);
  }
  if (countInCode(src, REGISTER) || countInCode(src, DEPRECATIONS)) return eager('it uses register_model');
  if (countInCode(src, ALL) > (declared ? 1 : 0)) return eager('__all__ is used other than by one assignment');
  if (notrace && !registry) return eager('register_notrace_* is not imported from a module');
  return { defines, ...(declared ? { declared } : {}), ...(registry ? { registry } : {}) };
}

/**
 * The names a top-level statement may bind: a def's or class's, an assignment's, an import's, and in a block
 * (`try:`/`if`) those of its lines that do so (a def's body is not read).
 */
function boundNames(text: string): string[] {
  const head = /^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/.exec(text);
  if (head) return [head[1]];
  const out: string[] = [];
  const lines = text.replace(/\\\n/g, ' ').replace(/\(([^()]*)\)/g, (m) => m.replace(/\n/g, ' ')).split('\n');
  for (const line of lines) {
    const t = line.trim();
    const def = /^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/.exec(t);
    if (def) out.push(def[1]);
    else if (/^import\s/.test(t)) {
      // `import a.b` binds a, `import a.b as c` binds c
      for (const item of t.slice(7).split(',')) out.push(/\sas\s+(\w+)\s*$/.exec(item)?.[1] ?? item.trim().split('.')[0]);
    }
    else if (/^from\s+\S+\s+import\s/.test(t)) {
      for (const item of t.replace(/^from\s+\S+\s+import\s+/, '').replace(/[()]/g, '').split(',')) out.push(/(\w+)\s*$/.exec(item)?.[1] ?? '');
    } else {
      const assign = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)/.exec(t);
      if (assign) out.push(...assign[1].split(',').map((x) => x.trim()));
    }
  }
  return out.filter((x) => x);
}

/** A statement (comments removed, trimmed) that is a string literal alone: a docstring. */
const isDocstring = (text: string): boolean => STRING.test(text) || /^[rRuU]?("""|''')[\s\S]*\1$/.test(text);

/** One `from .module import …` statement of a package's `__init__`: the module and what it binds (`*`: all). */
export interface FromImport {
  short: string;
  /** [bound as, name in the module] per name. */
  names: '*' | Array<[string, string]>;
}

/**
 * The statements of a package's `__init__.py` when each is `from .module import names` (or a docstring):
 * undefined when it does anything else (then nothing in it is deferred).
 */
export function fromImports(src: string): FromImport[] | undefined {
  const statements = topLevelStatements(src);
  if (!statements) return undefined;
  const out: FromImport[] = [];
  for (const { from, to } of statements) {
    const text = src.slice(from, to).replace(/#.*$/gm, '').replace(/\\\n/g, ' ').trim();
    if (isDocstring(text)) continue;
    const m = /^from\s+\.([A-Za-z_]\w*)\s+import\s+(\*|\(([^)]*)\)|[^()]*)$/.exec(text);
    if (!m) return undefined;
    if (m[2] === '*') { out.push({ short: m[1], names: '*' }); continue; }
    const names: Array<[string, string]> = [];
    for (const item of (m[3] ?? m[2]).split(',').map((x) => x.trim()).filter((x) => x)) {
      const n = /^([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?$/.exec(item);
      if (!n) return undefined;
      names.push([n[2] ?? n[1], n[1]]);
    }
    out.push({ short: m[1], names });
  }
  return out;
}

/** The submodules a package's `__init__.py` imports whole at its top level (`from . import segmentation, video`). */
export function submoduleImports(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/^from\s+\.\s+import\s+([\w\s,]+?)\s*(#.*)?$/gm)) out.push(...m[1].split(',').map((x) => x.trim()));
  return out.filter((x) => /^[A-Za-z_]\w*$/.test(x));
}

/**
 * A subpackage of a registry package whose `__init__` only star-imports its model modules (torchvision.models'
 * `segmentation`, `video`) as one deferred module: the names they all register, with the registry as the parent
 * package names it (`.._api` → `._api`). Undefined when any part of it could not be deferred on its own.
 */
export function scanSubpackage(init: string, scanOf: (short: string) => ModuleScan | undefined): ModuleScan | undefined {
  const lines = fromImports(init);
  if (!lines?.length || lines.some((l) => l.names !== '*')) return undefined;
  const names: string[] = [];
  const registries = new Set<string>();
  for (const { short } of lines) {
    const scan = scanOf(short);
    if (!scan || scan.eager || scan.attached.length || !scan.registry?.startsWith('..')) return undefined;
    names.push(...scan.names);
    registries.add(scan.registry.slice(1));
  }
  const [registry] = registries;
  // not star-imported by the parent: it binds nothing but itself there
  return registries.size === 1 ? { names, exports: [], declared: [], registry, attached: [], subpackage: true } : undefined;
}

/** The submodules a package's `__init__.py` star-imports at its top level (`from .resnet import *`), in order. */
export function starImports(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/^from\s+\.([A-Za-z_]\w*)\s+import\s+\*\s*(#.*)?$/gm)) out.push(m[1]);
  return out;
}

const cache = new Map<string, { stamp: string; scan: ModuleScan | PlainScan }>();

/** Runs `fn` with no scan kept, then puts the kept ones back (tests: a fresh analysis scans, and stores, again). */
export function withFreshScans<T>(fn: () => T): T {
  return withEmptied(cache, fn);
}

/**
 * A module of a registry package that only gathers sibling model modules (torchvision.models' `mobilenet`:
 * `from .mobilenetv2 import *`, `from .mobilenetv2 import __all__ as mv2_all`, `__all__ = mv2_all + mv3_all`) as
 * one deferred module: the names they register, its `__all__` their exports in the order its sum names them.
 * Undefined when any statement is anything else or a sibling could not be deferred on its own.
 */
export function scanAggregate(src: string, scanOf: (short: string) => ModuleScan | undefined): ModuleScan | undefined {
  const statements = topLevelStatements(src);
  if (!statements) return undefined;
  const names: string[] = [];
  const registries = new Set<string>();
  const stars = new Map<string, ModuleScan>();
  /** `from .m import __all__ as alias`: alias → m's scan. */
  const alls = new Map<string, ModuleScan>();
  let sum: string[] | undefined;
  for (const { from, to } of statements) {
    const text = src.slice(from, to).replace(/#.*$/gm, '').trim();
    if (isDocstring(text)) continue;
    const star = /^from\s+\.([A-Za-z_]\w*)\s+import\s+\*$/.exec(text);
    const alias = /^from\s+\.([A-Za-z_]\w*)\s+import\s+__all__\s+as\s+([A-Za-z_]\w*)$/.exec(text);
    const all = /^__all__\s*=\s*([A-Za-z_]\w*(?:\s*\+\s*[A-Za-z_]\w*)*)$/.exec(text);
    if (star && !stars.has(star[1])) {
      const scan = scanOf(star[1]);
      if (!scan || scan.eager || scan.attached.length || scan.subpackage || !scan.registry) return undefined;
      stars.set(star[1], scan);
      names.push(...scan.names);
      registries.add(scan.registry);
    } else if (alias && stars.has(alias[1])) alls.set(alias[2], stars.get(alias[1])!);
    else if (all && sum === undefined) sum = all[1].split('+').map((x) => x.trim());
    else return undefined;
  }
  if (!sum || registries.size !== 1 || !sum.every((a) => alls.has(a))) return undefined;
  const parts = sum.map((a) => alls.get(a)!);
  const declared = parts.every((p) => p.declared) ? parts.flatMap((p) => p.declared!) : undefined;
  const exports = parts.flatMap((p) => p.exports);
  return { names, exports, registry: [...registries][0], attached: [], members: Object.fromEntries([...stars].map(([m, scan]) => [m, scan.names])), ...(declared ? { declared } : {}) };
}

/**
 * The scan of the module at `path` (`scanModelModule`, or `scanPlainModule` when `plain`), kept by its stamp
 * (modification time and size) so that a second analysis reads no file; `read` gives the text, `stamp` the
 * file's stamp when the host can tell it.
 */
export function scanCached(path: string, stamp: string | undefined, read: () => string | undefined): ModuleScan | undefined;
export function scanCached(path: string, stamp: string | undefined, read: () => string | undefined, plain: true): PlainScan | undefined;
export function scanCached(path: string, stamp: string | undefined, read: () => string | undefined, plain = false): ModuleScan | PlainScan | undefined {
  const key = `${plain ? 'plain' : 'model'}:${path}`;
  const hit = stamp ? cache.get(key) : undefined;
  if (hit && hit.stamp === stamp) return hit.scan;
  const text = read();
  if (text === undefined) return undefined;
  // kept on disk for other processes (`parse-store.ts`): a PlainScan's set as a list
  const kind = plain ? 'scan-plain' : 'scan-model';
  const stored = parseStore()?.load(kind, path, text, (json) => {
    const s = JSON.parse(json) as { defines?: string[] };
    return (plain ? { ...s, defines: new Set(s.defines) } : s) as ModuleScan | PlainScan;
  });
  const scan = stored ?? (plain ? scanPlainModule(text) : scanModelModule(text));
  if (!stored) parseStore()?.save(kind, path, text, () => JSON.stringify(scan, (_, v: unknown) => (v instanceof Set ? [...v] : v)));
  if (stamp) cache.set(key, { stamp, scan });
  return scan;
}
