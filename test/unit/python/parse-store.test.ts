// Imported modules' parses kept on disk (`engine/python/parse-store.ts`, `engine/cli/parse-store-disk.ts`). The
// truth is lezer's parse of the whole text: a parse written and read back must give the same AST, positions
// included, whether its bodies were read before it was written or not; a file that is stale, damaged or of
// another version is ignored (and removed) without a crash; an analysis reading the parses back gives the report
// of one that parses every module.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonFiles } from './python-files';
import { analyzeSource } from '../../../engine/analyze';
import { DiskParseStore } from '../../../engine/cli/parse-store-disk';
import type { Stmt } from '../../../engine/python/ast';
import { withFreshParseCache } from '../../../engine/python/imports';
import { parsePython } from '../../../engine/python/parse';
import { decodeModule, encodeModule, setParseStore } from '../../../engine/python/parse-store';
import { scanCached, scanPlainModule } from '../../../engine/python/registry-scan';
import { tempDir } from '../temp-dir';

const whole = (text: string) => JSON.stringify(parsePython(text).body);
const roundTrip = (text: string, read = (_body: Stmt[]) => {}) => {
  const module = parsePython(text, { lazyBodies: true });
  read(module.body);
  const json = encodeModule(module);
  assert.ok(json !== undefined);
  return decodeModule(json, text);
};

/** Reads the body of every other top-level def and method (as running a module's top level reads some). */
function readSome(body: Stmt[]): void {
  let i = 0;
  for (const s of body) {
    if (s.t === 'def' && i++ % 2 === 0) void s.body;
    if (s.t === 'class') readSome(s.body);
  }
}

test('on real code a parse read back from its JSON equals the whole parse, its bodies read before or not', () => {
  const files = pythonFiles(join(__dirname, '../../fixtures'));
  assert.ok(files.length > 200);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const expected = whole(text);
    const fresh = parsePython(text, { lazyBodies: true });
    const back = roundTrip(text);
    assert.deepEqual(back.lineStarts, fresh.lineStarts, f);
    assert.deepEqual(back.errors, fresh.errors, f);
    assert.equal(JSON.stringify(back.body), expected, f);
    assert.equal(JSON.stringify(roundTrip(text, readSome).body), expected, f);
  }
});

test('a def whose body is not read stays unread in the JSON, and a body read is kept converted', () => {
  const text = 'import os\n\ndef f(x):\n    return x + 1\n\nclass A:\n    def g(self):\n        yield 1\n';
  const module = parsePython(text, { lazyBodies: true });
  const json = encodeModule(module)!;
  assert.doesNotMatch(json, /"return"/);
  assert.match(json, /"\$skipped":\[/);
  const a = module.body.find((s) => s.t === 'class');
  assert.ok(a?.t === 'class' && a.body[0].t === 'def' && a.body[0].generator === true);
  const after = encodeModule(module)!;
  assert.match(after, /"generator":true/);
  assert.equal(JSON.stringify(decodeModule(after, text).body), whole(text));
  // what JSON cannot hold is not written
  assert.equal(encodeModule(parsePython('x = 1e999\n', { lazyBodies: true })), undefined);
});

test('the store on disk: read back in a new process, ignored and removed when stale, damaged or of another version', () => {
  const dir = tempDir('convlens-parses-');
  const text = readFileSync(join(__dirname, '../../fixtures', readdirSync(join(__dirname, '../../fixtures')).find((f) => f.endsWith('.py'))!), 'utf8');
  const log: string[] = [];
  const store = (version = 'v1') => new DiskParseStore(dir, version, (l) => log.push(l));
  const writer = store();
  const parse = parsePython(text, { lazyBodies: true });
  writer.save('parse', '/site/m.py', text, () => encodeModule(parse));
  assert.equal(readdirSync(dir).length, 0, 'written at flush() only');
  writer.flush(() => true);
  assert.equal(readdirSync(dir).length, 0, 'a flush that gives way at once writes nothing');
  writer.flush();
  const [file] = readdirSync(dir).map((f) => join(dir, f));
  const load = (s: DiskParseStore, path: string, now: string) => s.load('parse', path, now, (json) => decodeModule(json, now));
  assert.equal(JSON.stringify(load(store(), '/site/m.py', text)?.body), whole(text));
  assert.equal(load(store(), '/site/other.py', text), undefined);
  assert.equal(store().load('scan-model', '/site/m.py', text, JSON.parse), undefined, 'another kind');
  assert.equal(log.length, 0);
  const bytes = readFileSync(file, 'utf8');
  const cases: Array<[string, () => void, string, RegExp]> = [
    ['the module changed', () => {}, `${text}\nx = 2\n`, /changed/],
    ['another version', () => {}, text, /another version/],
    ['a byte changed in the body', () => writeFileSync(file, bytes.replace('"t":"import"', '"t":"imporT"')), text, /damaged/],
    ['cut short', () => writeFileSync(file, bytes.slice(0, bytes.length >> 1)), text, /damaged/],
    ['no head line', () => writeFileSync(file, 'garbage'), text, /head/],
    ['a head that is not JSON', () => writeFileSync(file, `{not json\n${bytes.slice(bytes.indexOf('\n') + 1)}`), text, /JSON/],
  ];
  for (const [what, damage, now, why] of cases) {
    writeFileSync(file, bytes);
    damage();
    log.length = 0;
    assert.equal(load(store(what === 'another version' ? 'v2' : 'v1'), '/site/m.py', now), undefined, what);
    if (what !== 'another version') {
      assert.match(log.join('\n'), why, what);
      assert.equal(readdirSync(dir).length, 0, `${what}: removed`);
    }
  }
});

test('an analysis that reads the parses and scans back gives the report of one that makes them', () => {
  const dir = tempDir('convlens-parses-');
  const host = { readFile: () => undefined };
  const main = [
    'import torch.nn as nn', 'import torchvision', 'from torchvision.models import segmentation',
    'model = torchvision.models.resnet18(weights=None, num_classes=10)',
    'model.fc = nn.Linear(model.fc.in_features, 3)',
    'seg = segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)', '',
  ].join('\n');
  const analyse = () => withFreshParseCache(() => analyzeSource('/ws/main.py', main, { root: '/ws', host, input: [1, 3, 64, 64] }));
  const expected = analyse();
  const writer = new DiskParseStore(dir, 'v1', () => {});
  try {
    setParseStore(writer);
    assert.deepStrictEqual(analyse(), expected, 'the run that writes them');
    writer.flush();
    const kinds = readdirSync(dir).map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8').split('\n', 1)[0]) as { kind: string }).kind);
    assert.ok(kinds.filter((k) => k === 'parse').length > 20 && kinds.includes('scan-model'), kinds.join());
    const log: string[] = [];
    const read = new Set<string>();
    const reader = new DiskParseStore(dir, 'v1', (l) => log.push(l));
    setParseStore({
      load: (kind, p, t, decode) => { const m = reader.load(kind, p, t, decode); if (m) read.add(`${kind} ${p}`); return m; },
      save: () => assert.fail('what was read back is not saved again'),
    });
    assert.deepStrictEqual(analyse(), expected, 'the run that reads them');
    assert.equal(read.size, kinds.length, 'everything written is read back');
    assert.deepEqual(log, []);
  } finally {
    setParseStore(undefined);
  }
});

test("a plain module's scan read back is the scan made from its text", () => {
  const dir = tempDir('convlens-parses-');
  const text = "from .a import b\n__all__ = ['f', 'G']\ndef f():\n    pass\nclass G:\n    pass\nX = 1\n";
  const writer = new DiskParseStore(dir, 'v1', () => {});
  try {
    setParseStore(writer);
    const made = scanCached('/site/pkg/m.py', undefined, () => text, true);
    assert.deepStrictEqual(made, scanPlainModule(text));
    writer.flush();
    setParseStore(new DiskParseStore(dir, 'v1', () => {}));
    assert.deepStrictEqual(scanCached('/site/pkg/m.py', undefined, () => text, true), made);
    assert.deepStrictEqual(scanCached('/site/pkg/m.py', undefined, () => `${text}Y = 2\n`, true), scanPlainModule(`${text}Y = 2\n`));
  } finally {
    setParseStore(undefined);
  }
});
