// A large model file for the benchmark: many block classes and one network that uses them all.
export function generatedModelFile(lines: number): string {
  const out = ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', ''];
  let i = 0;
  // each block is 14 lines and adds one line to Net: stop when the whole file reaches `lines`
  while (out.length + i + 30 < lines) {
    out.push(
      `class Block${i}(nn.Module):`,
      `    """Block ${i}: conv, norm, activation, with a residual path."""`,
      '    def __init__(self, channels=16):',
      '        super().__init__()',
      `        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)`,
      '        self.bn1 = nn.BatchNorm2d(channels)',
      `        self.conv2 = nn.Conv2d(channels, channels, kernel_size=${1 + 2 * (i % 2)}, padding=${i % 2}, bias=False)`,
      '        self.bn2 = nn.BatchNorm2d(channels)',
      '',
      '    def forward(self, x):',
      '        out = F.relu(self.bn1(self.conv1(x)))',
      '        out = self.bn2(self.conv2(out))',
      '        return F.relu(out + x)',
      '',
    );
    i++;
  }
  out.push(
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.stem = nn.Conv2d(3, 16, 3, padding=1)',
    '        self.blocks = nn.Sequential(',
    ...Array.from({ length: i }, (_, k) => `            Block${k}(),`),
    '        )',
    '        self.head = nn.Linear(16, 10)',
    '',
    '    def forward(self, x):',
    '        x = self.blocks(self.stem(x))',
    '        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))',
    '',
    '# convlens: input=(1, 3, 32, 32)',
    'model = Net()',
  );
  return out.join('\n');
}
