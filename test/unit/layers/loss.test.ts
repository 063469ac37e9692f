// Loss modules against real PyTorch (test/fixtures/layers/make_loss_goldens.py): the constructor
// signatures, no parameters, and the output of each reduction; an unreduced shape the rules do not
// derive (cross-entropy's) is unknown, never a guess.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { REQUIRED } from '../../../engine/frameworks/pytorch/layers/spec';
import type { Shape } from '../../../engine/shapes/dim';
import { analyzeSource } from '../../../engine/analyze';
import { bind } from './bind';

interface Case { layer: string; kwargs: Record<string, unknown>; params: number; inputs?: number[][]; output?: number[] }
const goldens = JSON.parse(readFileSync(new URL('../../fixtures/layers/loss.json', import.meta.url), 'utf8')) as {
  signatures: Record<string, Array<[string, unknown]>>; cases: Case[];
};

test('loss constructor signatures are torch\'s', () => {
  for (const [layer, sig] of Object.entries(goldens.signatures)) {
    assert.deepEqual(TORCH_LAYERS[layer].signature.map(([n, d]) => [n, d === REQUIRED ? null : d]), sig, layer);
  }
});

test('losses have no parameters, and each reduction gives PyTorch\'s output or an honest unknown', () => {
  for (const c of goldens.cases) {
    const spec = TORCH_LAYERS[c.layer];
    assert.equal(spec.parameters(bind(spec, c.kwargs))?.length, c.params, c.layer);
    if (!c.inputs) continue;
    const res = spec.apply(bind(spec, c.kwargs), c.inputs as Shape[]);
    assert.deepEqual(res.diagnostics.filter((d) => d.severity === 'error'), [], c.layer);
    if (res.output === null) assert.equal(c.kwargs.reduction, 'none', `${c.layer}: only an unreduced loss may be unknown`);
    else assert.deepEqual(res.output, c.output, `${c.layer} ${JSON.stringify(c.kwargs)}`);
  }
});

test('a model that holds its criterion is complete', () => {
  const m = analyzeSource('/ws/m.py', ['import torch.nn as nn', '# convlens: input=(2, 4)', 'class Net(nn.Module):',
    '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 3)',
    '        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.1)', '    def forward(self, x):', '        return self.fc(x)'].join('\n')).models[0];
  assert.deepEqual([m.totalParams, m.complete, m.unmodelled], [15, true, []]);
});
