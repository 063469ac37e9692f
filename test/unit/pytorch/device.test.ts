// A tensor's `.device`: one hashable value for every tensor of an analysis (fixture 156 keys a dict by it and
// reads it back, as timm's FeatureHooks does; its golden is PyTorch 1.13's), while what the device is stays
// unknown. And where a forward pass stopped, named in the totals' note.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { unmodelledNote } from '../../../engine/report/format';

const net = (forward: string) => `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = self.conv(x)
${forward}
        return self.fc(x.mean((2, 3)))
`;
const model = (forward: string) => analyzeSource('/virtual/net.py', net(forward), { input: [1, 3, 8, 8] }).models[0];

test('devices compare equal to each other, and nothing is known of what they are', () => {
  assert.equal(model('        assert x.device == self.fc.weight.device').complete, true);
  for (const unsure of ['x.device == torch.device("cpu")', 'x.device.type == "cpu"', 'x.device.index is None']) {
    const m = model(`        if ${unsure}:\n            x = x[:, :4]`);
    assert.equal(m.complete, false, unsure);
    assert.ok(m.diagnostics.some((d) => d.code === 'guessed-condition'), `${unsure}: the branch is a guess`);
  }
});

test('a forward pass that raises: the note names the line where it stopped', () => {
  const m = model('        raise ValueError("stop")');
  assert.equal(m.outputShape, null);
  assert.equal(unmodelledNote(m), '≥: the forward pass stopped at line 13, so what follows it is not counted');
});
