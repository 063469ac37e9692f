// The analysis worker keeps state between requests (the files it was sent, the engine's parse cache,
// which parses an edited file incrementally) and reads imported files from the disk itself: over a
// sequence of edits, of the analysed file and of the module it imports (on the disk, open with
// unsaved edits, closed again, deleted), every report must equal a fresh analysis of the same texts.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { withFreshParseCache } from '../../../engine/python/imports';
import { Interrupted } from '../../../engine/python/values';
import type { Disk } from '../../../extension/analysisProtocol';
import { WorkerAnalysis } from '../../../extension/workerAnalysis';
import { fakeFs } from '../python/fake-fs';

const BLOCKS = '/ws/pkg/blocks.py';
const blocks = (width: number) => ['import torch.nn as nn', `WIDTH = ${width}`, '', 'class Block(nn.Module):',
  '    def __init__(self, c):', '        super().__init__()', '        self.conv = nn.Conv2d(c, WIDTH, 3, padding=1)', '',
  '    def forward(self, x):', '        return self.conv(x)', ''].join('\n');
const net = (out: string) => ['import torch', 'import torch.nn as nn', 'from pkg.blocks import Block', '', 'class Net(nn.Module):',
  '    def __init__(self):', '        super().__init__()', '        self.b = Block(3)', `        self.fc = nn.Linear(8 * 4 * 4, ${out}`,
  '', '    def forward(self, x):', '        x = self.b(x)', '        return self.fc(torch.flatten(x, 1))', '',
  'model = Net()', 'out = model(torch.randn(1, 3, 4, 4))', ''].join('\n');

test('every report of the worker equals a fresh analysis, through edits of the file and of its import', () => {
  const disk = new Map<string, string>([['/ws/pkg/__init__.py', ''], [BLOCKS, blocks(8)]]);
  const diskReader: Disk = { readFile: (p) => disk.get(p), isDirectory: (p) => [...disk.keys()].some((k) => k.startsWith(`${p}/`)) };
  const worker = new WorkerAnalysis(diskReader);
  /** What the editor holds open besides the analysed file (unsaved texts win over the disk). */
  const open = new Map<string, string>();
  let text = net('10)');

  const check = (what: string, step: { updates?: Array<[string, string]>; forget?: string[] } = {}) => {
    const reply = worker.analyse({ file: '/ws/net.py', content: text, options: { root: '/ws' }, updates: step.updates ?? [], forget: step.forget ?? [], disk: true });
    const host = { readFile: (p: string) => open.get(p) ?? disk.get(p), isDirectory: diskReader.isDirectory };
    const fresh = withFreshParseCache(() => analyzeSource('/ws/net.py', text, { root: '/ws', host }));
    assert.deepStrictEqual(reply.report, fresh, what);
    assert.deepStrictEqual(reply.misses, [], `${what}: the worker reads the disk itself`);
    return reply;
  };
  const params = (r: ReturnType<typeof check>, path: string) => r.report.models[0]?.layers.find((l) => l.path === path)?.params;

  let r = check('first analysis');
  assert.equal(r.report.models[0].totalParams, 3 * 8 * 9 + 8 + 128 * 10 + 10);
  assert.ok(r.read.includes(BLOCKS), 'the imported file is listed, so that a change to it makes the report stale');
  text = net('5)');
  r = check('an edit of a number');
  assert.equal(params(r, 'fc'), 128 * 5 + 5);
  text = `# a comment above everything\n${text}`;
  r = check('a line inserted at the top: every position moves');
  assert.equal(r.report.models[0].line, 16);
  text = text.replace('5)', '');
  r = check('half-typed: a syntax error');
  assert.ok(r.report.diagnostics.some((d) => d.code === 'syntax-error'));
  text = text.replace('8 * 4 * 4, ', '8 * 4 * 4, 7)');
  check('fixed again');
  disk.set(BLOCKS, blocks(4));
  r = check('the imported module changed on the disk');
  assert.equal(params(r, 'b.conv'), 3 * 4 * 9 + 4);
  open.set(BLOCKS, blocks(16));
  r = check('the imported module open with unsaved edits', { updates: [[BLOCKS, blocks(16)]] });
  assert.equal(params(r, 'b.conv'), 3 * 16 * 9 + 16);
  open.delete(BLOCKS);
  r = check('closed without saving: the disk again', { forget: [BLOCKS] });
  assert.equal(params(r, 'b.conv'), 3 * 4 * 9 + 4);
  disk.delete(BLOCKS);
  r = check('the imported module deleted');
  assert.ok(r.report.diagnostics.some((d) => d.code === 'unresolved-import'), JSON.stringify(r.report.diagnostics));
});

test('without a disk (VS Code for the Web) a file it lacks is a miss, for the extension to load', () => {
  const reply = new WorkerAnalysis().analyse({ file: '/ws/net.py', content: net('10)'), options: { root: '/ws' }, updates: [], forget: [], disk: true });
  assert.ok(reply.misses.includes(BLOCKS), JSON.stringify(reply.misses));
});

test('the Python environment is discovered once per request value (folder, settings, epoch), not per analysis', () => {
  const site = '/ws/.venv/lib/python3.11/site-packages';
  const fs = fakeFs({
    '/ws/.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.11.2\n',
    [`${site}/mynet.py`]: 'import torch.nn as nn\ndef tiny():\n    return nn.Conv2d(3, 8, 3)\n',
  });
  const worker = new WorkerAnalysis(fs);
  const python = { input: { fileDir: '/ws', workspaceRoot: '/ws' }, epoch: 0 };
  const request = (text: string, epoch = 0) => ({ file: '/ws/net.py', content: text, options: { root: '/ws' }, updates: [], forget: [], disk: true, python: { ...python, epoch } });
  for (const width of [8, 16, 32]) {
    const reply = worker.analyse(request(`import mynet\nimport torch.nn as nn\nmodel = nn.Sequential(mynet.tiny(), nn.Conv2d(8, ${width}, 1))\n`));
    assert.equal(reply.report.models[0]?.totalParams, 224 + 8 * width + width);
    assert.deepEqual(reply.report.packages?.[0], { name: 'mynet', origin: 'installed', path: site, source: 'venv', env: '/ws/.venv' });
  }
  assert.equal(worker.discoveries, 1);
  worker.analyse(request('import mynet\n', 1));
  assert.equal(worker.discoveries, 2, 'a new epoch (interpreter or settings changed) discovers again');
  // without a disk (the web), only the folders given by hand, unchecked, and no discovery
  const web = new WorkerAnalysis().analyse({ ...request('import mynet\n'), disk: false, python: { input: { fileDir: '/ws', extraPaths: ['/libs'] }, epoch: 0 } });
  assert.deepEqual(web.misses.filter((m) => m.startsWith('/libs')).sort(), ['/libs/mynet.py', '/libs/mynet/__init__.py']);
});

test('the worker analyses a request again to warm V8 (whole or interrupted anywhere): the next reports are as fresh', () => {
  const disk = new Map<string, string>([['/ws/pkg/__init__.py', ''], [BLOCKS, blocks(8)]]);
  const diskReader: Disk = { readFile: (p) => disk.get(p), isDirectory: (p) => [...disk.keys()].some((k) => k.startsWith(`${p}/`)) };
  const worker = new WorkerAnalysis(diskReader);
  const request = (text: string) => ({ file: '/ws/net.py', content: text, options: { root: '/ws' }, updates: [], forget: [], disk: true });
  const fresh = (text: string) => withFreshParseCache(() => analyzeSource('/ws/net.py', text, { root: '/ws', host: diskReader }));
  for (const [i, out] of ['10)', '5)', '7)', '3)'].entries()) {
    const text = net(out);
    assert.deepStrictEqual(worker.analyse(request(text)).report, fresh(text), `edit ${i}`);
    // as the worker does at idle: the same request again, given up after 0, 1, … checkpoints, or run whole
    let checks = 0;
    const stopAfter = i === 3 ? Infinity : i;
    try {
      worker.analyse(request(text), () => checks++ >= stopAfter);
    } catch (e) {
      assert.ok(e instanceof Interrupted, String(e));
    }
    assert.deepStrictEqual(worker.analyse(request(text)).report, fresh(text), `edit ${i} after its warm-up`);
  }
});
