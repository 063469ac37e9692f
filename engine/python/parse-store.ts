// Parses of imported modules kept across processes (`ParseStore`; on disk: `cli/parse-store-disk.ts`): a new
// editor window, analysis worker or CLI run whose import snapshot does not fit (other imports, a changed file)
// reads timm's and torchvision's ASTs back instead of parsing them again (lezer and the converter: about half of
// a cold timm analysis), and the scans of lazy packages' modules (`registry-scan.ts`). A stored parse is one with
// function bodies skipped: each skipped body not read yet is kept by its place and parsed from the text when first
// read, as the parse that skipped it would have done.
// What is stored is checked against the text it was made from (length and hash) before it is used: never trusted otherwise.
import type { Module, Stmt } from './ast';
import { skippedDefs, skippedPlace } from './parse';

/** What is kept of a module's text: its parse, or one of its scans. */
export type StoredKind = 'parse' | 'scan-model' | 'scan-plain';

export interface ParseStore {
  /** What was kept of `kind` for the module at `path` whose text is `text` (undefined: none, stale or damaged). */
  load<T>(kind: StoredKind, path: string, text: string, decode: (json: string) => T): T | undefined;
  /** Keeps `encode()` (called later: `flush`) for later processes; undefined: nothing to keep. */
  save(kind: StoredKind, path: string, text: string, encode: () => string | undefined): void;
}

let store: ParseStore | undefined;

/** The store imported modules' parses are read from and kept in (undefined: none; tests and the web build). */
export function setParseStore(s: ParseStore | undefined): void {
  store = s;
}

export function parseStore(): ParseStore | undefined {
  return store;
}

/** The parse kept of the module's text. */
export function storedParse(path: string, text: string): Module | undefined {
  return store?.load('parse', path, text, (json) => decodeModule(json, text));
}

/** Keeps the module's parse (encoded when written: the bodies read by then are kept converted). */
export function keepParse(path: string, text: string, module: Module): void {
  store?.save('parse', path, text, () => encodeModule(module));
}

/** FNV-1a over the UTF-16 code units: a stored parse is of this text, not of another of the same length. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What a skipped def is stored as: its head, and where its body is in the text. */
interface StoredDef {
  $skipped: [number, number];
}

/**
 * The module as JSON, skipped bodies by place (the others converted now); undefined when it holds what JSON
 * cannot (a literal too large for a double: Infinity).
 */
export function encodeModule(module: Module): string | undefined {
  let plain = true;
  const copy = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) plain = false;
      return v;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(copy);
    const place = (v as Stmt).t === 'def' ? skippedPlace(v as Stmt) : undefined;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (place && (k === 'body' || k === 'generator')) continue;
      const x = copy((v as Record<string, unknown>)[k]);
      if (x !== undefined) out[k] = x;
    }
    if (place) out.$skipped = place;
    return out;
  };
  const body = copy(module.body);
  return plain ? JSON.stringify({ body, errors: module.errors }) : undefined;
}

/** The module `encodeModule` gave for `text` (throws on a shape it did not write). */
export function decodeModule(json: string, text: string): Module {
  const parsed = JSON.parse(json) as { body: unknown; errors: unknown };
  if (!Array.isArray(parsed.body) || !Array.isArray(parsed.errors)) throw new Error('not a stored parse');
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const makeDef = skippedDefs(text, lineStarts);
  const block = (stmts: unknown): Stmt[] => {
    if (!Array.isArray(stmts)) throw new Error('not a stored parse');
    return stmts.map(statement);
  };
  // the statements that hold statements are filled in place (the object is JSON.parse's, nobody else's)
  const statement = (s: Stmt & Partial<StoredDef>): Stmt => {
    if (typeof s !== 'object' || s === null) throw new Error('not a stored parse');
    switch (s.t) {
      case 'def': {
        if (!s.$skipped) break;
        const { $skipped: [at, eol], ...head } = s;
        return makeDef(head, at, eol);
      }
      case 'class': case 'with': s.body = block(s.body); break;
      case 'if': case 'for': case 'while': s.body = block(s.body); s.orelse = block(s.orelse); break;
      case 'try':
        s.body = block(s.body);
        for (const h of s.handlers) h.body = block(h.body);
        s.orelse = block(s.orelse);
        s.final = block(s.final);
        break;
    }
    if (s.t === 'def') s.body = block(s.body);
    return s;
  };
  return { body: block(parsed.body), errors: parsed.errors as Module['errors'], lineStarts };
}
