import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { compileCached, readCodeCache } from '../../../extension/codeCache';
import { tempDir } from '../temp-dir';

// a script with functions V8 compiles lazily, as the worker's bundle has
const SOURCE = `(function () {
  function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
  const table = Array.from({ length: 200 }, (_, i) => 'entry ' + i);
  return fib(15) + table.length;
})()`;
const run = (s: ReturnType<typeof compileCached>) => s.script.runInThisContext() as number;

test('without a folder nothing is read or written', () => {
  const s = compileCached(SOURCE, 'x.js', undefined, 'v1');
  assert.equal(s.fromCache, false);
  assert.equal(run(s), 810);
  s.save();
});

test('the cache written after a run is what the next compile of the same source starts from', () => {
  const dir = tempDir('convlens-code-cache-');
  const first = compileCached(SOURCE, 'x.js', dir, '0.1.0+123:456');
  assert.equal(first.fromCache, false, 'no cache yet');
  assert.equal(run(first), 810);
  first.save();
  assert.deepEqual(readdirSync(dir), ['0.1.0+123_456.bin'], 'one file, its name made safe');
  const second = compileCached(SOURCE, 'x.js', dir, '0.1.0+123:456');
  assert.equal(second.fromCache, true, 'V8 took the cache');
  assert.equal(run(second), 810, 'and the script does what it did');
});

test('a damaged cache is never given to V8, and a cache of other source is refused by V8; both are then written anew', () => {
  const dir = tempDir('convlens-code-cache-');
  const made = compileCached(SOURCE, 'x.js', dir, 'b');
  run(made);
  made.save();
  const file = join(dir, 'b.bin');
  const bytes = readFileSync(file);
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(file, bytes);
  assert.equal(readCodeCache(file), undefined, 'its hash no longer matches');
  const damaged = compileCached(SOURCE, 'x.js', dir, 'b');
  assert.equal(damaged.fromCache, false);
  assert.equal(run(damaged), 810);
  damaged.save();
  assert.ok(readCodeCache(file), 'written whole again');

  const other = compileCached(`${SOURCE} + 1`, 'x.js', dir, 'b');
  assert.equal(other.fromCache, false, 'V8 refuses a cache of another source');
  assert.equal(run(other), 811);
  writeFileSync(file, Buffer.alloc(8));
  assert.equal(compileCached(SOURCE, 'x.js', dir, 'b').fromCache, false, 'a truncated file is no cache');
});

test('saving the cache of a new build removes the caches of the builds before it', () => {
  const dir = tempDir('convlens-code-cache-');
  for (const name of ['old', 'new']) {
    const s = compileCached(SOURCE, 'x.js', dir, name);
    run(s);
    s.save();
  }
  assert.deepEqual(readdirSync(dir), ['new.bin']);
});

test('the analysis worker\'s bundle does not hold node-host.ts, whose process-wide V8 flag made V8 refuse every cache made after it ran', async () => {
  const result = await build({
    entryPoints: ['extension/analysisWorker.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.includes('engine/cli/node-files.ts'), 'it reads files through node-files.ts');
  assert.ok(!inputs.includes('engine/cli/node-host.ts'), 'node-host.ts (the training kernels\' flag) stays out');
});
