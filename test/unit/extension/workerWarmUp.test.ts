// A new analysis worker warms V8 up on the bundled torchvision's resnet18 before its first request
// (workerWarmUp.ts): the warm-up must build the real model (torchvision's published count for 10 classes), and,
// whole or given up at any checkpoint, leave the reports that follow equal to a fresh analysis's.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { withFreshParseCache } from '../../../engine/python/imports';
import { warmUpEngine } from '../../../extension/workerWarmUp';

const FINE_TUNE = ['import torch', 'import torch.nn as nn', 'import torchvision', '',
  'model = torchvision.models.resnet50(weights=None)', 'for p in model.parameters():', '    p.requires_grad = False',
  'model.fc = nn.Linear(model.fc.in_features, 7)', 'y = model(torch.randn(2, 3, 160, 160))', ''].join('\n');
const analyse = () => analyzeSource('/ws/tune.py', FINE_TUNE, { root: '/ws' });

test('the warm-up builds torchvision\'s resnet18; whole or given up anywhere, later reports are as fresh', () => {
  withFreshParseCache(() => {
    const fresh = withFreshParseCache(analyse);
    for (const stopAfter of [0, 1, 3, 10, Infinity]) {
      let checks = 0;
      const warm = warmUpEngine(() => checks++ >= stopAfter);
      if (stopAfter === Infinity) {
        assert.ok(warm, 'a warm-up not asked to stop runs to its end');
        assert.deepEqual(warm.models.map((m) => [m.name, m.totalParams, m.complete]), [['model', 11_181_642, true]]);
        assert.deepEqual(warm.diagnostics, []);
      } else assert.equal(warm, undefined, `given up after ${stopAfter} checkpoints`);
      assert.deepStrictEqual(analyse(), fresh, `after a warm-up given up after ${stopAfter} checkpoints`);
    }
  });
});
