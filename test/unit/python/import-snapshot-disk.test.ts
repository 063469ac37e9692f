// Import snapshots on disk (`snapshot-serial.ts`, `engine/cli/snapshot-store.ts`): a new window (a new
// ImportCache over the same folder) starts from the snapshot an earlier one wrote, and its report equals a
// fresh analysis's; a file of the venv changed between windows, a damaged or truncated file, a snapshot of
// another ConvLens version and an open document's unsaved text all make the imports run again.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource, type AnalyzeOptions, type SourceHost } from '../../../engine/analyze';
import { DiskSnapshotStore } from '../../../engine/cli/snapshot-store';
import { ImportCache } from '../../../engine/python/import-cache';
import { withFreshParseCache } from '../../../engine/python/imports';
import { withWholeParses } from '../../../engine/python/parse';
import type { FileReport } from '../../../engine/report/types';

const SITE = '/ws/.venv/lib/python3.11/site-packages';

/** A package with what a persisted snapshot must make again: natives with recipes, lambdas, closures, generators. */
const LIB: Record<string, string> = {
  [`${SITE}/deep/__init__.py`]: 'from .blocks import *\nfrom .registry import create, register\nfrom . import models\n',
  [`${SITE}/deep/registry.py`]: [
    '_MODELS = {}', '',
    'def register(fn):', '    _MODELS[fn.__name__] = fn', '    return fn', '',
    'def create(name, **kwargs):', '    return _MODELS[name](**kwargs)', '',
  ].join('\n'),
  [`${SITE}/deep/blocks.py`]: [
    'import re', 'import math', 'import torch.nn as nn', 'from collections import namedtuple', 'from dataclasses import dataclass',
    'from enum import Enum', 'from functools import partial', '',
    "__all__ = ['Block', 'Cfg', 'Act', 'Spec', 'make_divisible', 'SCALE', 'PATTERN', 'ACTS', 'wide', 'widths', 'INF']",
    "PATTERN = re.compile(r'(\\d+)')", "Spec = namedtuple('Spec', 'width depth', defaults=[2])", 'INF = math.inf', '',
    '# a lambda written over lines inside brackets, and one on a line of its own',
    'ACTS = dict(', '    relu=lambda inplace:', '        nn.ReLU(inplace)', '    ,', '    gelu=lambda inplace: nn.GELU(),', ')',
    'SCALE = lambda c: c * 2', '',
    'def make_divisible(v, divisor=8):', '    def _round(x):', '        return int(x + divisor / 2) // divisor * divisor', '    return max(divisor, _round(v))', '',
    'def widths(n):', '    for i in range(n):', '        yield 4 * (i + 1)', '',
    '@dataclass', 'class Cfg:', '    width: int = 8', '    depth: int = 2', '',
    'class Act(str, Enum):', "    RELU = 'relu'", "    GELU = 'gelu'", '',
    'class Block(nn.Module):',
    '    @staticmethod', '    def channels(c):', '        return make_divisible(SCALE(c))', '',
    '    def __init__(self, c_in, c_out, act=Act.RELU):', '        super().__init__()',
    '        self.conv = nn.Conv2d(c_in, self.channels(c_out), 3, padding=1)',
    '        self.act = ACTS[Act(act).value](True)', '',
    '    @property', '    def width(self):', '        return self.conv.out_channels', '',
    '    def forward(self, x):', '        return self.act(self.conv(x))', '',
    'wide = partial(Block, act=Act.GELU)', '',
  ].join('\n'),
  [`${SITE}/deep/models.py`]: [
    'import torch.nn as nn', 'from .blocks import Block, Cfg, Spec, PATTERN, wide, widths', 'from .registry import register', '',
    '@register', 'def tiny(num_classes=10, **kwargs):', '    cfg = Cfg()', "    n = int(PATTERN.findall('x' + str(Spec(3).depth))[0])",
    '    stem = wide(3, cfg.width)', '    body = Block(stem.width, sum(widths(n)))',
    '    return nn.Sequential(stem, body, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(body.width, num_classes))', '',
  ].join('\n'),
};

const MAIN = (classes: number) => [
  'import torch', 'import deep', '',
  `model = deep.create("tiny", num_classes=${classes})`,
  'for p in model.parameters():', '    p.requires_grad = False', 'y = model(torch.randn(1, 3, 16, 16))', '',
].join('\n');

/** Files with stamps that change with every write, as a disk's modification times do; `open` files have none. */
function workspace() {
  const files = new Map<string, string>(Object.entries(LIB));
  const stamps = new Map<string, number>();
  let clock = 1;
  const open = new Set<string>();
  const write = (path: string, text: string) => {
    files.set(path, text);
    stamps.set(path, clock++);
  };
  for (const path of files.keys()) stamps.set(path, clock++);
  const host: SourceHost = {
    readFile: (p) => files.get(p),
    isDirectory: (p) => [...files.keys()].some((k) => k.startsWith(`${p}/`)),
    stamp: (p) => (open.has(p) ? undefined : files.has(p) ? `${stamps.get(p)}:${files.get(p)?.length}` : ''),
  };
  return { files, host, write, open };
}

const options = (host: SourceHost): AnalyzeOptions => ({
  root: '/ws', host, python: { paths: [{ path: SITE, source: 'venv', env: '/ws/.venv' }], problems: [] },
});

/** A new window's analysis through `cache`, checked against a fresh one. */
function check(cache: ImportCache, host: SourceHost, text: string, what: string): FileReport {
  const cached = withFreshParseCache(() => analyzeSource('/ws/main.py', text, { ...options(host), importCache: cache }));
  const fresh = withFreshParseCache(() => analyzeSource('/ws/main.py', text, options(host)));
  assert.deepStrictEqual(cached, fresh, what);
  // and imported modules parsed whole, their function bodies with them (skip-bodies.ts)
  assert.deepStrictEqual(withFreshParseCache(() => withWholeParses(() => analyzeSource('/ws/main.py', text, options(host)))), fresh, `${what} (whole parses)`);
  return cached;
}

function store(dir: string, version = '1.0.0') {
  const log: string[] = [];
  return { log, store: new DiskSnapshotStore(dir, version, (line) => log.push(line)) };
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'convlens-snapshots-'));

test('a new window starts from the snapshot on disk, with the same report as a fresh analysis', () => {
  const dir = tempDir();
  try {
    const { host } = workspace();
    const first = store(dir);
    const one = new ImportCache(first.store);
    const report = check(one, host, MAIN(10), 'the first window');
    assert.equal(one.stats.saved, 1, `written (${first.log.join('; ')})`);
    const model = report.models[0];
    assert.deepEqual(report.diagnostics.filter((d) => d.severity !== 'info'), []);
    // stem 3 → make_divisible(2 * 8) = 16 (GELU); Spec(3).depth = 2 widths: body 16 → make_divisible(2 * (4 + 8)) = 24;
    // head 24 → 10; all frozen
    assert.equal(model.layers.find((l) => l.path === '1.conv')?.outputShape?.[1], 24);
    assert.equal(model.layers.find((l) => l.path === '0.act')?.type, 'GELU');
    assert.equal(model.totalParams, (3 * 16 * 9 + 16) + (16 * 24 * 9 + 24) + (24 * 10 + 10));
    assert.equal(model.trainableParams, 0);

    const two = new ImportCache(store(dir).store);
    const again = check(two, host, MAIN(10), 'a second window');
    assert.equal(two.stats.loaded, 1, 'read from disk');
    assert.equal(two.stats.reused, 1);
    assert.deepStrictEqual(again, report);
    check(two, host, MAIN(12), 'an edit in the second window (from memory)');
    assert.equal(two.stats.reused, 2);
    assert.equal(two.stats.loaded, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a deferred store (the editor\'s worker) keeps and writes the snapshot after the analysis, or at the next lookup', () => {
  const dir = tempDir();
  try {
    const { host } = workspace();
    const one = new ImportCache(store(dir).store, true);
    const report = check(one, host, MAIN(10), 'the first window');
    assert.equal(one.stats.taken, 0, 'not yet made into a table');
    assert.deepEqual(readdirSync(dir), [], 'nor written');
    assert.equal(one.storesWaiting, true, 'the worker posts its report before storing its snapshot');
    one.storeTaken();
    assert.equal(one.stats.taken, 1);
    assert.equal(one.stats.saved, 1);
    assert.equal(one.storesWaiting, false);
    one.settle();
    assert.equal(one.stats.saved, 1, 'once');
    const two = new ImportCache(store(dir).store, true);
    assert.deepStrictEqual(check(two, host, MAIN(10), 'a second window'), report);
    assert.equal(two.stats.loaded, 1, 'read from disk');

    // never settled by hand: the next analysis stores it before it looks
    const three = new ImportCache(undefined, true);
    check(three, host, MAIN(10), 'a window without a disk');
    check(three, host, MAIN(11), 'its next analysis');
    assert.equal(three.stats.taken, 1);
    assert.equal(three.stats.reused, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a venv file changed between windows makes the snapshot on disk stale', () => {
  const dir = tempDir();
  try {
    const { host, write } = workspace();
    check(new ImportCache(store(dir).store), host, MAIN(10), 'the first window');
    write(`${SITE}/deep/blocks.py`, LIB[`${SITE}/deep/blocks.py`].replace('c * 2', 'c * 4'));
    const next = store(dir);
    const cache = new ImportCache(next.store);
    const report = check(cache, host, MAIN(10), 'after the change');
    assert.equal(cache.stats.loaded, 0);
    assert.equal(report.models[0].layers.find((l) => l.path === '1.conv')?.outputShape?.[1], 48);
    assert.match(next.log.join('\n'), /stale/);
    // the imports ran again and wrote the new snapshot in its place, which a third window reads
    assert.equal(cache.stats.saved, 1);
    const third = new ImportCache(store(dir).store);
    check(third, host, MAIN(10), 'a third window');
    assert.equal(third.stats.loaded, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged, truncated or foreign snapshot file is ignored with a log line, and replaced', () => {
  const dir = tempDir();
  try {
    const { host } = workspace();
    check(new ImportCache(store(dir).store), host, MAIN(10), 'the first window');
    const [name] = readdirSync(dir);
    const file = join(dir, name);
    const good = readFileSync(file, 'utf8');
    // a line of JSON with the snapshot but its entries, then one line per entry
    const [headLine, ...lines] = good.split('\n');
    const saved = JSON.parse(headLine);
    const snapshot = saved.imports.snapshot;
    assert.equal(lines.length, snapshot.count);
    const withHead = (head: unknown, rest = lines) => [JSON.stringify(head), ...rest].join('\n');
    const pastTheEnd = structuredClone(snapshot);
    pastTheEnd.globals = pastTheEnd.globals.map(([k, v]: [string, unknown]) => [k, typeof v === 'number' ? 99999999 : v]);
    // an entry the analysis reaches only while the file runs (the registry's dict): found damaged then
    const registry = lines.findIndex((l) => l.includes('"k":"dict"'));
    assert.ok(registry >= 0);
    const damaged = [
      { text: good.slice(0, good.length / 2), why: /ignored and removed: it ends before entry/ },
      { text: good.slice(0, headLine.length / 2), why: /ignored and removed/ },
      { text: 'null', why: /another version/ },
      { text: withHead({ ...saved, version: '0.9.0' }), why: /another version/ },
      { text: withHead({ ...saved, key: 'another file' }), why: /another version or for another file/ },
      { text: `${good}\n{"k":"main"}`, why: /more than its/ },
      // valid JSON whose objects refer past the table's end
      { text: withHead({ ...saved, imports: { ...saved.imports, snapshot: pastTheEnd } }), why: /damaged: entry 99999999/ },
      { text: withHead({ ...saved, imports: { ...saved.imports, snapshot: { ...snapshot, format: -1 } } }), why: /not this version/ },
      { text: withHead(saved, lines.map((l, i) => (i === registry ? l.slice(0, -3) : l))), why: new RegExp(`^import snapshot ignored: the snapshot on disk is damaged: entry ${registry} does not parse`, 'm'), lazily: true },
    ];
    for (const { text, why, lazily } of damaged) {
      assert.ok(text !== good, `${why} damages the file`);
      writeFileSync(file, text);
      const s = store(dir);
      const cache = new ImportCache(s.store);
      check(cache, host, MAIN(10), `a damaged file (${why})`);
      assert.equal(cache.stats.loaded, lazily ? 1 : 0, 'read, then found damaged while the file ran: analysed again');
      assert.match(s.log.join('\n'), why);
      assert.equal(cache.stats.saved, 1, 'written anew');
      assert.equal(readdirSync(dir).length, 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another ConvLens version does not read the snapshot; an open document keeps it in memory only', () => {
  const dir = tempDir();
  try {
    const { host, open } = workspace();
    check(new ImportCache(store(dir, '1.0.0').store), host, MAIN(10), 'version 1.0.0');
    const other = new ImportCache(store(dir, '1.1.0').store);
    check(other, host, MAIN(10), 'version 1.1.0');
    assert.equal(other.stats.loaded, 0);
    assert.equal(readdirSync(dir).length, 2, 'each version its own file');

    rmSync(dir, { recursive: true, force: true });
    open.add(`${SITE}/deep/models.py`);
    const cache = new ImportCache(store(dir).store);
    check(cache, host, MAIN(10), 'with an open document');
    check(cache, host, MAIN(11), 'an edit reuses the snapshot in memory');
    assert.deepEqual([cache.stats.taken, cache.stats.reused, cache.stats.saved], [1, 1, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the folder is kept within its size bound, the newest snapshot kept', () => {
  const dir = tempDir();
  try {
    const { host } = workspace();
    const log: string[] = [];
    // a file an earlier version wrote (one JSON file per snapshot) is trimmed like the others
    writeFileSync(join(dir, 'c0ffee.snapshot.json'), '{}');
    const small = new DiskSnapshotStore(dir, '1.0.0', (line) => log.push(line), 1);
    check(new ImportCache(small), host, MAIN(10), 'a first file');
    check(new ImportCache(small), host, `\n${MAIN(10)}`, 'a second file (the imports moved: another key)');
    assert.equal(readdirSync(dir).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('imports that reach the torchvision bundled with ConvLens are written to disk too (timm without torchvision installed)', () => {
  const dir = tempDir();
  try {
    const { host, files } = workspace();
    // a library that imports torchvision's layers: without torchvision in the venv, the bundled one
    files.set(`${SITE}/deep/fx.py`, 'from torchvision.ops.misc import Conv2dNormActivation\n');
    files.set(`${SITE}/deep/__init__.py`, `${LIB[`${SITE}/deep/__init__.py`]}from . import fx\n`);
    const first = store(dir);
    const one = new ImportCache(first.store);
    const report = check(one, host, MAIN(10), 'the first window');
    assert.equal(report.packages?.find((p) => p.name === 'torchvision')?.origin, 'bundled');
    assert.equal(one.stats.saved, 1, `written (${first.log.join('; ')})`);
    const two = new ImportCache(store(dir).store);
    assert.deepStrictEqual(check(two, host, MAIN(10), 'a second window'), report);
    assert.equal(two.stats.loaded, 1, 'read from disk');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
