// The analysis worker's report comes in two messages: the report with its inlay hints, then its heavy
// fields. The hints must be handed out at the first (they are all the hint provider needs), the report
// only once the second has come (every other view may read a heavy field), whole and equal to the
// engine's; a report that misses imported files (another analysis follows) gives no early hints.
// Runs WorkerAnalyzer against a stand-in worker thread that sends what analysisWorker.ts sends, the rest
// only when the test says so or, as the worker does, when the next request comes.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import type { EarlyHints } from '../../../extension/analysisProtocol';
import { WorkerAnalyzer } from '../../../extension/analyzer';
import type { DisplayOptions } from '../../../extension/format';
import { hintItems, makeHintItems } from '../../../extension/hintItems';
import { splitReport } from '../../../extension/lazyReport';
import { tempDir } from '../temp-dir';

const STAND_IN = `
const { parentPort } = require('node:worker_threads');
const { serialize } = require('node:v8');
let held;
parentPort.on('message', (m) => {
  if (m === 'rest') return parentPort.postMessage(held);
  if (held) parentPort.postMessage(held);
  held = undefined;
  const { report, rest, hints, misses } = m.content;
  parentPort.postMessage({ id: m.id, report, restFollows: true, hints, misses, read: [], timings: {} });
  held = { id: m.id, rest: serialize(rest) };
});`;

const o: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };
const SOURCE = [
  'import torch.nn as nn',
  '# convlens: input=(1, 3, 32, 32)',
  'net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))',
].join('\n');

function standIn(): WorkerAnalyzer {
  const script = join(tempDir('convlens-analyzer-'), 'worker.cjs');
  writeFileSync(script, STAND_IN);
  return new WorkerAnalyzer(script);
}

/**
 * What the worker sends for the engine's report of SOURCE, as the request's content (structured-cloned to the
 * stand-in, as the worker's reply is to the extension host: undefined-valued fields keep their place).
 */
function sent(misses: string[] = []): string {
  const whole = analyzeSource('/ws/net.py', SOURCE, { root: '/ws' });
  const { report, rest } = splitReport(whole);
  return { report, rest, hints: makeHintItems(whole, o), misses } as unknown as string;
}

test('the hints come with the first message, the report once its rest has come, whole', async () => {
  const analyzer = standIn();
  try {
    let early: EarlyHints | undefined;
    let settled = false;
    const reply = analyzer.analyse('/ws/net.py', sent(), {}, new Map(), false, undefined, { display: o, early: (h) => { early = h; } })
      .then((r) => { settled = true; return r; });
    while (!early) await new Promise((r) => setTimeout(r, 5));
    assert.deepStrictEqual(early.hints.items.map((h) => h.label), ['→ (N, 8, 30, 30) · 224 params · 194K MACs', '→ (N, 8, 30, 30)', '→ (N, 7200)', '→ (N, 10) · 72K params · 72K MACs']);
    assert.equal(early.report.models[0].totalParams, 72_234, 'PyTorch: 8·3·3·3 + 8 + 7200·10 + 10');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, 'the report is not handed out before its heavy fields came');
    analyzer.start().postMessage('rest');
    const got = await reply;
    assert.ok(got);
    assert.equal(got.report, early.report, 'the same report object: the hint provider\'s answer is known to come from it');
    assert.equal(JSON.stringify(got.report), JSON.stringify(analyzeSource('/ws/net.py', SOURCE, { root: '/ws' })), 'the engine\'s report, same field order');
    assert.equal(hintItems(got.report, o), early.hints.items, 'the worker\'s items are kept with the report');
  } finally {
    analyzer.dispose();
  }
});

test('a report that misses imported files gives no early hints (another analysis follows)', async () => {
  const analyzer = standIn();
  try {
    let early = 0;
    const reply = analyzer.analyse('/ws/net.py', sent(['/ws/blocks.py']), {}, new Map(), false, undefined, { display: o, early: () => { early++; } });
    await new Promise((r) => setTimeout(r, 50));
    analyzer.start().postMessage('rest');
    assert.deepStrictEqual((await reply)?.misses, ['/ws/blocks.py']);
    assert.equal(early, 0);
  } finally {
    analyzer.dispose();
  }
});

test('the next request goes to the worker at the first message of the one before, whose rest then comes first', async () => {
  const analyzer = standIn();
  try {
    const early: string[] = [];
    const take = (name: string) => ({ display: o, early: () => { early.push(name); } });
    const settled: string[] = [];
    const first = analyzer.analyse('/ws/a.py', sent(), {}, new Map(), false, undefined, take('a')).then((r) => { settled.push('a'); return r; });
    while (!early.length) await new Promise((r) => setTimeout(r, 5));
    // the worker holds a's rest back while its hints reach the editor: b must not wait for it
    const second = analyzer.analyse('/ws/b.py', sent(), {}, new Map(), false, undefined, take('b')).then((r) => { settled.push('b'); return r; });
    for (let waited = 0; early.length < 2 && waited < 2000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    assert.deepStrictEqual(early, ['a', 'b'], 'b\'s hints came without a\'s rest being asked for');
    assert.equal((await first)?.report.models[0].layers.length, 4, 'a\'s report is whole: its rest came before b\'s reply');
    assert.deepStrictEqual(settled, ['a']);
    analyzer.start().postMessage('rest');
    assert.equal((await second)?.report.models[0].totalParams, 72_234);
  } finally {
    analyzer.dispose();
  }
});

test('a renewed worker starts once the old one has exited, before any request (it warms up meanwhile)', async () => {
  const dir = tempDir('convlens-analyzer-');
  const started = join(dir, 'started');
  const script = join(dir, 'worker.cjs');
  writeFileSync(script, `require('node:fs').appendFileSync(${JSON.stringify(started)}, 'x');\n${STAND_IN}`);
  const analyzer = new WorkerAnalyzer(script);
  const starts = () => (existsSync(started) ? readFileSync(started, 'utf8').length : 0);
  const until = async (n: number) => {
    for (let waited = 0; starts() < n && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  };
  try {
    analyzer.start();
    await until(1);
    analyzer.renew();
    await until(2);
    assert.equal(starts(), 2, 'the renewed worker started without a request');
  } finally {
    analyzer.dispose();
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(starts(), 2, 'no worker starts after dispose');
});
