// Imports from the user's Python environment: a package installed in a venv is read from its
// site-packages (and wins over the bundled copy), the workspace's own wins over both, and the report
// says where each package was found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../../engine/analyze';
import { discoverEnvironment } from '../../../engine/python/env/discover';
import { fakeFs } from './fake-fs';

const SITE = '/p/.venv/lib/python3.11/site-packages';
// a small CNN whose counts are worked out by hand: conv 3·8·3·3+8 = 224, linear 8·10+10 = 90
const MYNET = `import torch.nn as nn
class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)
    def forward(self, x):
        return self.fc(self.pool(self.conv(x)).flatten(1))
`;
// an installed "torchvision" that is not the bundled one: its resnet18 is one Linear(4, 2) (10 parameters)
const FAKE_TV = { [`${SITE}/torchvision/__init__.py`]: 'from . import models\n', [`${SITE}/torchvision/models/__init__.py`]: 'import torch.nn as nn\ndef resnet18(**kw):\n    return nn.Linear(4, 2)\n' };

function analyse(files: Record<string, string>, source: string, extra: Parameters<typeof discoverEnvironment>[1] = { fileDir: '/p', workspaceRoot: '/p' }) {
  const fs = fakeFs({ '/p/.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.11.2\n', [`${SITE}/pip/__init__.py`]: '', ...files });
  const python = discoverEnvironment(fs, extra);
  return analyzeSource('/p/model.py', source, { host: fs, root: '/p', python });
}

test('a package installed in the workspace venv is imported from its site-packages', () => {
  const r = analyse({ [`${SITE}/mynet/__init__.py`]: MYNET }, 'from mynet import TinyNet\n# convlens: input=(1, 3, 8, 8)\nmodel = TinyNet()\n');
  assert.equal(r.models[0]?.totalParams, 314);
  assert.equal(r.models[0]?.complete, true);
  assert.deepEqual(r.packages, [{ name: 'mynet', origin: 'installed', path: SITE, source: 'venv', env: '/p/.venv' }]);
  assert.deepEqual(r.environment, { root: '/p/.venv', kind: 'venv', source: 'venv', version: '3.11' });
});

test('an installed torchvision wins over the bundled one; without it, the bundled one is used and named', () => {
  const src = 'import torchvision\nmodel = torchvision.models.resnet18(weights=None)\n';
  const installed = analyse(FAKE_TV, src);
  assert.equal(installed.models[0]?.totalParams, 10);
  assert.equal(installed.packages?.[0]?.origin, 'installed');
  const bundled = analyzeSource('/q/model.py', src, { host: fakeFs({}), input: [1, 3, 224, 224] });
  assert.equal(bundled.models[0]?.totalParams, 11_689_512);
  assert.deepEqual(bundled.packages, [{ name: 'torchvision', origin: 'bundled', version: '0.14.1a0' }]);
});

test('the workspace\'s own copy wins over the installed one, as sys.path puts the script\'s folder first', () => {
  const r = analyse({ ...FAKE_TV, '/p/torchvision/__init__.py': 'import torch.nn as nn\nclass models:\n    resnet18 = staticmethod(lambda **kw: nn.Linear(2, 2))\n' },
    'import torchvision\nmodel = torchvision.models.resnet18()\n');
  assert.equal(r.models[0]?.totalParams, 6);
  assert.deepEqual(r.packages, [{ name: 'torchvision', origin: 'workspace', path: '/p' }]);
});

test('a folder a .pth file adds (an editable install of a src layout) is imported from', () => {
  const r = analyse({ [`${SITE}/__editable__.mynet-0.1.pth`]: '/p/lib/src\n', '/p/lib/src/mynet/__init__.py': MYNET },
    'import torch\nfrom mynet import TinyNet\nmodel = TinyNet()\n');
  assert.equal(r.models[0]?.totalParams, 314);
  assert.deepEqual(r.packages, [
    { name: 'torch', origin: 'modelled' },
    { name: 'mynet', origin: 'installed', path: '/p/lib/src', source: 'pth', env: '/p/.venv' },
  ]);
});

test('a package found nowhere is listed as missing; what went wrong finding the environment is said once, as info', () => {
  const r = analyse({}, 'import torch.nn as nn\nimport timm\nmodel = nn.Linear(2, 2)\n', { fileDir: '/p', workspaceRoot: '/p', extraPaths: ['/nope'] });
  assert.deepEqual(r.packages?.map((p) => [p.name, p.origin]), [['torch', 'modelled'], ['timm', 'missing']]);
  const env = r.diagnostics.filter((d) => d.code === 'python-environment');
  assert.deepEqual(env.map((d) => [d.severity, d.message]), [['info', 'convlens.python.extraPaths: /nope is not a folder']]);
  // a file that imports only what the engine models is not told about the environment
  const plain = analyse({}, 'import torch.nn as nn\nmodel = nn.Linear(2, 2)\n', { fileDir: '/p', workspaceRoot: '/p', extraPaths: ['/nope'] });
  assert.equal(plain.diagnostics.filter((d) => d.code === 'python-environment').length, 0);
});

test('a package runs before its submodule, as in Python (torchvision\'s detection tutorial imports faster_rcnn first)', () => {
  // Python: lib.det's __init__ runs first (ORDER = ['pkg']), imports .rcnn, which appends: two entries. Before, the
  // submodule ran first, its `from lib.det import ORDER` ran the package, whose `from .rcnn import make` met the
  // half-run submodule: a false ImportError, and the package without its names.
  const files = {
    [`${SITE}/lib/__init__.py`]: '',
    [`${SITE}/lib/det/__init__.py`]: 'ORDER = []\nORDER.append("pkg")\nfrom .rcnn import make\n',
    [`${SITE}/lib/det/rcnn.py`]: 'import torch.nn as nn\nfrom lib.det import ORDER\nORDER.append("rcnn")\ndef make(c):\n    return nn.Conv2d(3, c, 1)\n',
  };
  const r = analyse(files, 'import lib\nfrom lib.det.rcnn import make\nmodel = lib.det.make(len(lib.det.ORDER))\n');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  assert.equal(r.models[0]?.totalParams, 3 * 2 + 2);
});
