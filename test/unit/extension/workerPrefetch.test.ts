// What a new analysis worker prefetches before its first request (workerPrefetch.ts, importLines.ts): the installed
// packages the workspace's files import — not the standard library, relative imports or the workspace's own
// modules, not what environments and hidden folders hold, within PREFETCH_FILES files — and the prefetch, whole or
// given up at any checkpoint, leaves the report of a file importing the package equal to a fresh analysis's.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { nodeHost } from '../../../engine/cli/node-files';
import { withFreshParseCache } from '../../../engine/python/imports';
import type { PythonEnvironment } from '../../../engine/python/env/discover';
import { importedPackages, notebookCode } from '../../../extension/importLines';
import { workerDisk } from '../../../extension/workerDisk';
import { packagesToPrefetch, PREFETCH_FILES, prefetchPackages } from '../../../extension/workerPrefetch';
import { tempDir } from '../temp-dir';

const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

test('the import lines name their top-level packages; relative imports and comments name none', () => {
  const text = ['import os, sys', 'import torch.nn as nn', 'from timm.models import resnet  # import fake',
    'from . import sibling', 'from .utils import helper', '    import keras; from PIL import Image',
    '# import commented', 'x = "import nothing"', 'importlib_thing = 1', ''].join('\n');
  assert.deepEqual(importedPackages(text), ['os', 'sys', 'torch', 'timm', 'keras', 'PIL']);
  const nb = JSON.stringify({ cells: [
    { cell_type: 'markdown', source: ['import markdown_only\n'] },
    { cell_type: 'code', source: ['import timm\n', 'x = 1\n'] }, { cell_type: 'code', source: 'from torchvision import models' },
  ] });
  assert.deepEqual(importedPackages(notebookCode(nb)), ['timm', 'torchvision']);
  assert.equal(notebookCode('not json'), '');
});

test('only installed packages are prefetched, never the stdlib, the workspace\'s own modules or what venvs hold', () => {
  const ws = tempDir('convlens-prefetch-');
  const site = join(ws, '.venv', 'lib', 'python3.11', 'site-packages');
  for (const p of ['timm', 'utils', 'hidden_pkg', 'venv_pkg', 'nb_pkg']) write(join(site, p, '__init__.py'), '');
  write(join(site, 'single.py'), '');
  write(join(ws, 'train.py'), 'import os\nimport timm\nimport single\nfrom utils import f\nfrom .x import y\nimport missing\n');
  write(join(ws, 'utils.py'), 'import timm\n');
  write(join(ws, 'nbs', 'a.ipynb'), JSON.stringify({ cells: [{ cell_type: 'code', source: 'import nb_pkg' }] }));
  write(join(ws, '.hidden', 'h.py'), 'import hidden_pkg\n');
  write(join(ws, 'myenv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  write(join(ws, 'myenv', 'code.py'), 'import venv_pkg\n');
  const env: PythonEnvironment = { paths: [{ path: site, source: 'venv' }], problems: [] };
  // timm is named by two files: first
  assert.deepEqual(packagesToPrefetch([ws], env), { packages: ['timm', 'nb_pkg', 'single'], files: 3 });
});

test('the scan reads at most PREFETCH_FILES files', () => {
  const ws = tempDir('convlens-prefetch-many-');
  const site = tempDir('convlens-prefetch-site-');
  for (let i = 0; i < PREFETCH_FILES + 20; i++) write(join(ws, 'src', `f${String(i).padStart(3, '0')}.py`), `import p${i}\n`);
  write(join(site, 'p0.py'), '');
  write(join(site, `p${PREFETCH_FILES + 10}.py`), '');
  const env: PythonEnvironment = { paths: [{ path: site, source: 'setting' }], problems: [] };
  // files past the bound are not read: the package only they name is not found
  assert.deepEqual(packagesToPrefetch([ws], env), { packages: ['p0'], files: PREFETCH_FILES });
});

test('the prefetch imports the package; whole or given up anywhere, a later report is as fresh', () => {
  const ws = tempDir('convlens-prefetch-run-');
  const site = tempDir('convlens-prefetch-site-');
  write(join(site, 'fakenet', '__init__.py'), 'from .blocks import make\n');
  // enough interpreter steps for several checkpoints
  write(join(site, 'fakenet', 'blocks.py'), ['import torch.nn as nn', 'total = 0', 'for i in range(20000):', '    total += i',
    'def make(n):', '    return nn.Sequential(nn.Conv2d(3, n, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))', ''].join('\n'));
  const env: PythonEnvironment = { paths: [{ path: site, source: 'setting' }], problems: [] };
  const user = ['import torch', 'import fakenet', 'model = fakenet.make(8)', 'y = model(torch.randn(1, 3, 16, 16))', ''].join('\n');
  const analyse = () => analyzeSource(join(ws, 'user.py'), user, { root: ws, host: nodeHost, python: env });
  withFreshParseCache(() => {
    const fresh = withFreshParseCache(analyse);
    assert.deepEqual(fresh.models.map((m) => [m.name, m.totalParams]), [['model', 8 * 27 + 8 + 8 * 14 * 14 * 10 + 10]]);
    for (const stopAfter of [0, 1, 3, Infinity]) {
      let checks = 0;
      const run = prefetchPackages(['fakenet'], ws, workerDisk(), env, () => checks++ >= stopAfter);
      if (stopAfter === Infinity) assert.deepEqual(run, { done: ['fakenet'], failed: [], givenUp: false });
      else assert.deepEqual(run, { done: [], failed: [], givenUp: true }, `given up after ${stopAfter} checkpoints`);
      assert.ok(stopAfter === Infinity || checks === stopAfter + 1, 'it stops at the first checkpoint asked');
      assert.deepStrictEqual(analyse(), fresh, `after a prefetch given up after ${stopAfter} checkpoints`);
    }
    write(join(site, 'broken', '__init__.py'), 'raise ValueError("not importable")\n');
    assert.deepEqual(prefetchPackages(['broken'], ws, workerDisk(), env, () => false), { done: [], failed: ['broken'], givenUp: false });
  });
});
