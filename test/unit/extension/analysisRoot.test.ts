// convlens.analysisRoot stays inside its workspace folder: `../../..`, absolute paths and home paths
// are refused (the workspace folder is used), folders under it are resolved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisRootIn } from '../../../extension/analysisRoot';

test('analysisRoot resolves under the workspace folder and never outside it', () => {
  const ws = '/home/u/proj';
  assert.deepEqual(analysisRootIn(ws, ''), { root: ws });
  assert.deepEqual(analysisRootIn(ws, 'src'), { root: '/home/u/proj/src' });
  assert.deepEqual(analysisRootIn(ws, './src/models/'), { root: '/home/u/proj/src/models' });
  assert.deepEqual(analysisRootIn(ws, 'src/../lib'), { root: '/home/u/proj/lib' });
  assert.deepEqual(analysisRootIn(ws + '/', 'src\\models'), { root: '/home/u/proj/src/models' });
  for (const bad of ['../../..', '..', 'src/../../other', '/etc', '\\\\server\\share', 'C:/Users', '~/code']) {
    const r = analysisRootIn(ws, bad);
    assert.equal(r.root, ws, bad);
    assert.match(r.refused ?? '', /convlens\.analysisRoot ".*" (leads out of the workspace folder|is not a folder relative to the workspace folder)/, bad);
  }
});
