// A layer ConvLens cannot see, made once per block (ConvNeXt's DropPath from timm, without timm): each instance
// stays an unmodelled entry of its own (JSON), but the editor and the CLI say it once at its line, with the count,
// instead of the same warning seventeen times.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSource } from '../../../engine/analyze';
import { unmodelledNote } from '../../../engine/report/format';

const SOURCE = [
  'import torch.nn as nn',
  'from timm.layers import DropPath',
  '',
  'class Block(nn.Module):',
  '    def __init__(self, dim, rate):',
  '        super().__init__()',
  '        self.conv = nn.Conv2d(dim, dim, 3, padding=1)',
  '        self.drop_path = DropPath(rate)',
  '',
  '    def forward(self, x):',
  '        return x + self.drop_path(self.conv(x))',
  '',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.blocks = nn.Sequential(*[Block(8, 0.1) for _ in range(3)])',
  '',
  '    def forward(self, x):',
  '        return self.blocks(x)',
  '',
].join('\n');

test('the same unmodelled layer made in three blocks: three entries, one warning with the count', () => {
  const r = analyzeSource('/ws/net.py', SOURCE, { root: '/ws', input: [1, 8, 4, 4], host: { readFile: () => undefined } });
  const m = r.models.find((x) => x.name === 'Net');
  assert.ok(m);
  assert.equal(m.complete, false);
  assert.deepEqual(m.unmodelled.map((u) => [u.name, u.line]), [['DropPath', 8], ['DropPath', 8], ['DropPath', 8]]);
  const warnings = m.diagnostics.filter((d) => d.code === 'unmodelled');
  assert.equal(warnings.length, 1, warnings.map((d) => d.message).join('\n'));
  assert.match(warnings[0].message, /^DropPath \(from the unresolved import 'timm\.layers'\) is not modelled: .* \(3 instances made at this line\)$/);
  assert.equal(unmodelledNote(m), '≥: 3 things not modelled: DropPath (line 8, 3 instances)');
});
