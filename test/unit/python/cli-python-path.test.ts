// `convlens summary` finds the venv from the file's folder upwards, takes `--python-path DIR`
// (repeatable), and says where each imported package was found, in text and in --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSummary } from '../../../engine/cli/summary';
import { tempDir } from '../temp-dir';

const TINY = 'import torch.nn as nn\ndef tiny():\n    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\n';

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function summary(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [], err: string[] = [];
  const code = runSummary(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a venv above the file\'s folder: the package is read from it, and the summary says so', () => {
  const dir = tempDir('convlens-venv-');
  const site = join(dir, '.venv', 'lib', 'python3.11', 'site-packages');
  write(join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
  write(join(site, 'mynet', '__init__.py'), TINY);
  write(join(dir, 'src', 'model.py'), 'from mynet import tiny\nmodel = tiny()\n');
  const text = summary([join(dir, 'src', 'model.py'), '--input', '1,3,8,8']);
  assert.equal(text.code, 0);
  assert.match(text.out, /Total params: 224\n/);
  assert.match(text.out, new RegExp(`imports:\\n  mynet: ${site.replace(/[.]/g, '\\.')} \\(venv ${dir.replace(/[.]/g, '\\.')}/\\.venv\\)`));
  const json = JSON.parse(summary([join(dir, 'src', 'model.py'), '--json']).out);
  assert.deepEqual(json.packages, [{ name: 'mynet', origin: 'installed', path: site, source: 'venv', env: join(dir, '.venv') }]);
  assert.deepEqual(json.environment, { root: join(dir, '.venv'), kind: 'venv', source: 'venv', version: '3.11' });
});

test('--python-path, repeatable: each folder is searched, in order; a missing one is a note, not a failure', () => {
  const dir = tempDir('convlens-pp-');
  write(join(dir, 'a', 'first.py'), TINY);
  write(join(dir, 'b', 'second.py'), TINY.replace('8, 3', '4, 3'));
  write(join(dir, 'b', 'first.py'), 'raise ImportError("the second folder must not win")\n');
  write(join(dir, 'w', 'model.py'), 'import first, second\nimport torch.nn as nn\nmodel = first.tiny()\nother = second.tiny()\n');
  const r = summary([join(dir, 'w', 'model.py'), '--python-path', join(dir, 'a'), '--python-path', join(dir, 'b'), '--python-path', join(dir, 'nope'), '--json']);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.packages.map((p: { name: string; path: string; source: string }) => [p.name, p.path, p.source]),
    [['first', join(dir, 'a'), 'flag'], ['second', join(dir, 'b'), 'flag'], ['torch', undefined, undefined]]);
  assert.ok(json.diagnostics.some((d: { code: string; message: string }) => d.code === 'python-environment' && d.message === `--python-path: ${join(dir, 'nope')} is not a folder`));
  assert.deepEqual(json.models.map((m: { totalParams: number }) => m.totalParams), [224, 3 * 4 * 9 + 4]);
});
