// os.environ and os.getenv as a fresh shell runs `python train.py`: what the script sets is known, an unset
// variable's .get default is the default, and `os.environ[name]` of one the script expects from its run
// (torchrun's LOCAL_RANK) is unknown, never a KeyError the real run would not raise.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeSource } from '../../../engine/analyze';
import { checked, failures } from '../checked-source';

const SRC = `import os
os.environ["KERAS_BACKEND"] = "torch"
assert os.environ["KERAS_BACKEND"] == "torch"
assert os.environ.get("KERAS_BACKEND") == "torch"
assert "KERAS_BACKEND" in os.environ
assert "WIDE" not in os.environ
assert os.getenv("NCLS", "10") == "10"
assert os.environ.get("NCLS") is None
assert os.environ.setdefault("DATA", "/data") == "/data"
assert os.environ.pop("DATA") == "/data"
assert "DATA" not in os.environ
del os.environ["KERAS_BACKEND"]
assert os.getenv("KERAS_BACKEND") is None
`;

test('what the script sets in os.environ is known; an unset variable has its default', () => {
  assert.deepEqual(failures(SRC), []);
});

test('os.environ[name] of a variable the run provides is unknown, not a KeyError', () => {
  const src = `import os
import torch, torch.nn as nn
rank = int(os.environ["LOCAL_RANK"])
width = int(os.environ["WIDTH"])
model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Conv2d(4, width, 3))
y = model(torch.randn(2, 3, 8, 8))
`;
  const r = analyzeSource('/ws/train.py', checked(src));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const [m] = r.models;
  assert.equal(m.complete, false);
  const row = (path: string) => m.layers.find((l) => l.path === path);
  assert.equal(row('0')?.params, 112);
  assert.equal(row('1')?.paramsKnown, false, 'its out_channels come from the environment');
});
