// The mutation fuzzer's core: real model files, randomly damaged the ways edits and typos damage
// code, each run through analyzeSource. An exception out of it (an internal error) or a run over
// the time limit is a finding; everything else (diagnostics, partial reports) is the engine coping.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../engine/analyze';

const ROOT = path.join(__dirname, '../..');
const SOURCES = ['test/fixtures/pytorch', 'test/fixtures/keras', 'test/fixtures/zoo/torchvision/models', 'examples'];

/** The model files the fuzzer starts from. */
export function seedFiles(): Array<{ name: string; source: string }> {
  return SOURCES.flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.py')).sort()
    .map((f) => ({ name: `${dir}/${f}`, source: fs.readFileSync(path.join(ROOT, dir, f), 'utf8') })));
}

/** mulberry32: a small seeded generator, so a finding is reproduced by its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = ['10**12', '-1', '0', '0.5', 'None', "'s'", '10**100', '2**63', '-10**9', '1e308', 'True', '[]', '()'];
const TOKENS = ['(', ')', '[', ']', '{', '}', ',', ':', '*', '**', '.', '=', 'lambda', 'None', 'self', 'super()', 'yield', 'return', 'not', '\\'];
const NAMES = ['x', 'self', 'nn', 'torch', 'F', 'super', 'range', 'len', 'None', 'forward', '__init__', 'list', 'Module', 'tf', 'keras'];

type Mutation = (lines: string[], r: () => number) => string[];
const pick = <T>(xs: T[], r: () => number): T => xs[Math.floor(r() * xs.length)];
const at = (lines: string[], r: () => number) => Math.floor(r() * lines.length);

/** Each mutation, named: what a finding reports. */
export const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (ls, r) => { const i = at(ls, r); return [...ls.slice(0, i), ...ls.slice(i + 1)]; },
  duplicateLine: (ls, r) => { const i = at(ls, r); return [...ls.slice(0, i + 1), ...ls.slice(i)]; },
  swapLines: (ls, r) => { const o = ls.slice(); const i = at(ls, r), j = at(ls, r); [o[i], o[j]] = [o[j], o[i]]; return o; },
  deleteToken: (ls, r) => mapLine(ls, r, (l) => { const m = [...l.matchAll(/\w+|[^\w\s]/g)]; if (!m.length) return l; const t = pick(m, r); return l.slice(0, t.index) + l.slice((t.index ?? 0) + t[0].length); }),
  insertToken: (ls, r) => mapLine(ls, r, (l) => { const i = Math.floor(r() * (l.length + 1)); return l.slice(0, i) + pick(TOKENS, r) + l.slice(i); }),
  replaceNumber: (ls, r) => mapLine(ls, r, (l) => { const m = [...l.matchAll(/\b\d+(\.\d*)?\b/g)]; if (!m.length) return l; const t = pick(m, r); return l.slice(0, t.index) + pick(NUMBERS, r) + l.slice((t.index ?? 0) + t[0].length); }),
  renameIdentifier: (ls, r) => mapLine(ls, r, (l) => { const m = [...l.matchAll(/[A-Za-z_]\w*/g)]; if (!m.length) return l; const t = pick(m, r); return l.slice(0, t.index) + pick(NAMES, r) + l.slice((t.index ?? 0) + t[0].length); }),
  truncate: (ls, r) => { const text = ls.join('\n'); return text.slice(0, Math.floor(r() * text.length)).split('\n'); },
  reindent: (ls, r) => mapLine(ls, r, (l) => (r() < 0.5 ? `    ${l}` : l.replace(/^ {1,4}/, ''))),
  repeatBracket: (ls, r) => mapLine(ls, r, (l) => { const i = l.indexOf('('); return i < 0 ? l : l.slice(0, i) + '('.repeat(1 + Math.floor(r() * 300)) + l.slice(i); }),
};

function mapLine(lines: string[], r: () => number, f: (l: string) => string): string[] {
  if (!lines.length) return lines;
  const o = lines.slice();
  const i = at(lines, r);
  o[i] = f(o[i]);
  return o;
}

export interface Finding {
  seed: number;
  file: string;
  mutations: string[];
  kind: 'internal-error' | 'timeout';
  detail: string;
  source: string;
}

/** Mutant number `seed`: a seed file with one to three mutations. */
export function mutant(files: Array<{ name: string; source: string }>, seed: number): { file: string; mutations: string[]; source: string } {
  const r = rng(seed);
  const f = pick(files, r);
  let lines = f.source.split('\n');
  const names: string[] = [];
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const name = pick(Object.keys(MUTATIONS), r);
    names.push(name);
    lines = MUTATIONS[name](lines, r);
  }
  return { file: f.name, mutations: names, source: lines.join('\n') };
}

/** Runs mutants `from` … `from + count - 1`; returns the findings. */
export function fuzz(from: number, count: number, opts: { timeLimitMs: number; maxSteps: number; onProgress?: (done: number) => void }): Finding[] {
  const files = seedFiles();
  const findings: Finding[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const m = mutant(files, seed);
    const t = Date.now();
    try {
      analyzeSource(path.join(ROOT, m.file), m.source, { maxSteps: opts.maxSteps });
      const ms = Date.now() - t;
      if (ms > opts.timeLimitMs) findings.push({ seed, ...m, kind: 'timeout', detail: `${ms} ms` });
    } catch (e) {
      findings.push({ seed, ...m, kind: 'internal-error', detail: String(e instanceof Error ? e.stack : e).split('\n').slice(0, 4).join(' | ') });
    }
    opts.onProgress?.(seed - from + 1);
  }
  return findings;
}
