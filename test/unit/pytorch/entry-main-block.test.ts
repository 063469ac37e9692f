// `--entry Net()` on a PyTorch file: the file runs as a script, so the input its `__main__` block feeds the
// model is the model's input (a Keras file is imported instead, so that block takes no layer names:
// test/unit/keras/keras3-names.test.ts). Found on a public CRNN whose only input is in that block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';

const SRC = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.gru = nn.GRU(8 * 6, 16, batch_first=True)
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        x = self.conv(x).permute(0, 3, 1, 2).flatten(2)
        x, _ = self.gru(x)
        return self.fc(x)

if __name__ == "__main__":
    model = Net()
    y = model(torch.randn(4, 1, 8, 20))
`;

test('--entry Net() takes the input shape from the __main__ block of a PyTorch file', () => {
  const m = analyzeSource('/ws/crnn.py', SRC, { entry: 'Net()' }).models[0];
  // conv (4, 8, 6, 18) → permute (4, 18, 8, 6) → flatten (4, 18, 48) → GRU (4, 18, 16) → fc (4, 18, 10)
  assert.deepEqual([m.outputShape, m.complete], [[4, 18, 10], true]);
  // conv 80 + GRU 3·(48·16 + 16·16 + 2·16) + fc 170
  assert.equal(m.totalParams, 80 + 3 * (48 * 16 + 16 * 16 + 32) + 170);
});
