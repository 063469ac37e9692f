// Environment discovery on fake venv / conda / Poetry / pipenv layouts (POSIX and Windows), read
// through an in-memory host: what it finds, in which order, and what it says when it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverEnvironment, interpreterRoot } from '../../../engine/python/env/discover';
import { pipenvEnvName, poetryEnvName, pyprojectName } from '../../../engine/python/env/managers';
import { minorVersion, parsePyvenvCfg } from '../../../engine/python/env/layout';
import { fakeFs } from './fake-fs';

const cfg = (lines: string[]) => lines.join('\n');
const pkg = 'import torch.nn as nn\n';

test('a workspace .venv (POSIX): its lib/python3.X/site-packages, named after pyvenv.cfg', () => {
  const fs = fakeFs({
    '/w/proj/.venv/pyvenv.cfg': cfg(['home = /usr/bin', 'include-system-site-packages = false', 'version = 3.11.4']),
    '/w/proj/.venv/lib/python3.11/site-packages/torchvision/__init__.py': pkg,
    '/w/proj/.venv/lib/python3.9/site-packages/old/__init__.py': pkg,
    '/usr/lib/python3/dist-packages/torchvision/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: '/w/proj/src/models', workspaceRoot: '/w/proj' });
  assert.deepEqual(env.paths, [{ path: '/w/proj/.venv/lib/python3.11/site-packages', source: 'venv', env: '/w/proj/.venv' }]);
  assert.deepEqual(env.environment, { root: '/w/proj/.venv', kind: 'venv', source: 'venv', version: '3.11' });
  assert.deepEqual(env.problems, []);
});

test('the nearest of .venv, venv, env wins; a folder named env that is no environment is passed over', () => {
  const fs = fakeFs({
    '/w/env/notes.txt': 'not a venv',
    '/w/a/venv/pyvenv.cfg': 'version = 3.10.2',
    '/w/a/venv/lib/python3.10/site-packages/x.py': '',
    '/w/.venv/pyvenv.cfg': 'version = 3.12.0',
    '/w/.venv/lib/python3.12/site-packages/x.py': '',
  });
  assert.equal(discoverEnvironment(fs, { fileDir: '/w/a', workspaceRoot: '/w' }).environment?.root, '/w/a/venv');
  assert.equal(discoverEnvironment(fs, { fileDir: '/w/b', workspaceRoot: '/w' }).environment?.root, '/w/.venv');
});

test('a Windows venv: Lib/site-packages, and the base interpreter\'s when include-system-site-packages is true', () => {
  const fs = fakeFs({
    'C:/Users/u/proj/venv/pyvenv.cfg': cfg(['home = C:\\Python311', 'include-system-site-packages = true', 'version = 3.11.5']),
    'C:/Users/u/proj/venv/Lib/site-packages/mynet/__init__.py': pkg,
    'C:/Python311/Lib/site-packages/torchvision/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: 'C:/Users/u/proj', workspaceRoot: 'C:/Users/u/proj', platform: 'win32' });
  assert.deepEqual(env.paths.map((p) => [p.path, p.source]), [
    ['C:/Users/u/proj/venv/Lib/site-packages', 'venv'],
    ['C:/Python311/Lib/site-packages', 'system'],
  ]);
});

test('include-system-site-packages on Debian: the system Python\'s dist-packages', () => {
  const fs = fakeFs({
    '/tmp/venv/pyvenv.cfg': cfg(['home = /usr/bin', 'include-system-site-packages = true', 'version = 3.11.2']),
    '/tmp/venv/lib/python3.11/site-packages/pip/__init__.py': '',
    '/usr/lib/python3/dist-packages/torchvision/__init__.py': pkg,
    '/usr/local/lib/python3.11/dist-packages/timm/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: '/tmp/x', maxUp: 3 });
  assert.deepEqual(env.paths.map((p) => p.path), [
    '/tmp/venv/lib/python3.11/site-packages', '/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages',
  ]);
});

test('pyvenv.cfg of uv (version_info) and its parsing rules', () => {
  assert.equal(parsePyvenvCfg('home = /x\nversion_info = 3.12.1\n  garbage line\n=novalue').get('version_info'), '3.12.1');
  for (const [text, v] of [['3.11.4', '3.11'], ['3.12.1.final.0', '3.12'], ['python3.9', '3.9'], ['python-3.10.13-h955ad1f_0.json', '3.10'], ['banana', undefined], ['13.1', undefined]] as const) {
    assert.equal(minorVersion(text), v, text);
  }
});

test('a broken pyvenv.cfg: the folders under lib/ are listed, and the message says so', () => {
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': '\u0000\u0001 not a config at all',
    '/p/.venv/lib/python3.10/site-packages/mynet/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p' });
  assert.equal(env.paths[0]?.path, '/p/.venv/lib/python3.10/site-packages');
  assert.match(env.problems.join('\n'), /pyvenv\.cfg names no Python version/);
});

test('an environment without site-packages is reported and the next candidate is used (CONDA_PREFIX)', () => {
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'version = 3.11.1',
    '/opt/conda/envs/cv/conda-meta/python-3.10.13-h955ad1f_0.json': '{}',
    '/opt/conda/envs/cv/lib/python3.10/site-packages/torchvision/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p', env: { CONDA_PREFIX: '/opt/conda/envs/cv' } });
  assert.match(env.problems.join('\n'), /virtual environment \(\/p\/\.venv\): no site-packages folder/);
  assert.deepEqual(env.environment, { root: '/opt/conda/envs/cv', kind: 'conda', source: 'conda', version: '3.10' });
  assert.deepEqual(env.paths.map((p) => p.path), ['/opt/conda/envs/cv/lib/python3.10/site-packages']);
});

test('a Windows conda environment (CONDA_PREFIX with backslashes): Lib/site-packages', () => {
  const fs = fakeFs({
    'C:/Users/u/miniconda3/envs/cv/conda-meta/history': '',
    'C:/Users/u/miniconda3/envs/cv/Lib/site-packages/torchvision/__init__.py': pkg,
  });
  const env = discoverEnvironment(fs, { fileDir: 'C:/w', platform: 'win32', env: { CONDA_PREFIX: 'C:\\Users\\u\\miniconda3\\envs\\cv' } });
  assert.deepEqual(env.paths, [{ path: 'C:/Users/u/miniconda3/envs/cv/Lib/site-packages', source: 'conda', env: 'C:/Users/u/miniconda3/envs/cv' }]);
});

// Expected names from the tools' own code: Debian's poetry 1.3.2 (EnvManager.generate_env_name, with
// poetry-core's canonical package name) and pipenv 2022.12.19 (Project._sanitize and _get_virtualenv_hash),
// run with posixpath/ntpath normcase.
test('Poetry and pipenv environment names match the tools\' own', () => {
  assert.equal(poetryEnvName('My_Project.Net', '/home/u/work/my-proj', 'linux'), 'my-project-net-d5TNOx0X');
  assert.equal(poetryEnvName('convnet', '/C:/Users/U/Proj', 'win32'), 'convnet-uO2LIRKj');
  assert.equal(pipenvEnvName('/home/u/cnn (copy)', 'linux'), 'cnn__copy_-LfgfdnNx');
  assert.equal(pipenvEnvName('C:/Users/U/cnn', 'win32'), 'cnn-BvpsSiaf');
  assert.equal(pyprojectName('[project]\nname = "b"\n[tool.poetry]\nname = "a"\nversion = "1"\n'), 'a');
  assert.equal(pyprojectName("[project]\nname = 'pep621'\n"), 'pep621');
  assert.equal(pyprojectName('[tool.black]\nline-length = 100\n'), undefined);
});

test('Poetry (Linux cache): the project\'s environment, not another project\'s of the same name; envs.toml picks the Python', () => {
  const venvs = '/home/u/.cache/pypoetry/virtualenvs';
  const fs = fakeFs({
    '/home/u/work/my-proj/pyproject.toml': '[tool.poetry]\nname = "My_Project.Net"\n',
    [`${venvs}/my-project-net-AAAAAAAA-py3.11/pyvenv.cfg`]: 'version = 3.11.0',
    [`${venvs}/my-project-net-AAAAAAAA-py3.11/lib/python3.11/site-packages/x.py`]: '',
    [`${venvs}/my-project-net-d5TNOx0X-py3.11/pyvenv.cfg`]: 'version = 3.11.0',
    [`${venvs}/my-project-net-d5TNOx0X-py3.11/lib/python3.11/site-packages/x.py`]: '',
    [`${venvs}/my-project-net-d5TNOx0X-py3.10/pyvenv.cfg`]: 'version = 3.10.0',
    [`${venvs}/my-project-net-d5TNOx0X-py3.10/lib/python3.10/site-packages/x.py`]: '',
  });
  const input = { fileDir: '/home/u/work/my-proj/src', workspaceRoot: '/home/u/work/my-proj', env: { HOME: '/home/u' } };
  assert.equal(discoverEnvironment(fs, input).environment?.root, `${venvs}/my-project-net-d5TNOx0X-py3.11`);
  const envsToml = '[my-project-net-d5TNOx0X]\nminor = "3.10"\npatch = "3.10.12"\n';
  const both = { ...fs, readFile: (p: string) => (p === `${venvs}/envs.toml` ? envsToml : fs.readFile(p)) };
  const env = discoverEnvironment(both, input);
  assert.equal(env.environment?.root, `${venvs}/my-project-net-d5TNOx0X-py3.10`);
  assert.equal(env.environment?.source, 'poetry');
});

test('Poetry on Windows (LOCALAPPDATA cache, without a directory listing)', () => {
  const venvs = 'C:/Users/U/AppData/Local/pypoetry/Cache/virtualenvs';
  const fs = fakeFs({
    'C:/Users/U/Proj/pyproject.toml': '[tool.poetry]\nname = "convnet"\n',
    [`${venvs}/convnet-uO2LIRKj-py3.12/pyvenv.cfg`]: 'home = C:\\Python312\nversion = 3.12.2',
    [`${venvs}/convnet-uO2LIRKj-py3.12/Lib/site-packages/x.py`]: '',
  });
  const noList = { readFile: fs.readFile, isDirectory: fs.isDirectory };
  const env = discoverEnvironment(noList, { fileDir: 'C:/Users/U/Proj', workspaceRoot: 'C:/Users/U/Proj', platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\U\\AppData\\Local' } });
  assert.deepEqual(env.paths.map((p) => [p.path, p.source]), [[`${venvs}/convnet-uO2LIRKj-py3.12/Lib/site-packages`, 'poetry']]);
});

test('pipenv: by its hashed name (Linux, Windows), else by the .project file it writes', () => {
  const linux = fakeFs({
    '/home/u/cnn (copy)/Pipfile': '[packages]\n',
    '/home/u/.local/share/virtualenvs/cnn__copy_-LfgfdnNx/pyvenv.cfg': 'version = 3.11.2',
    '/home/u/.local/share/virtualenvs/cnn__copy_-LfgfdnNx/lib/python3.11/site-packages/x.py': '',
  });
  assert.equal(discoverEnvironment(linux, { fileDir: '/home/u/cnn (copy)', env: { HOME: '/home/u' } }).paths[0]?.source, 'pipenv');
  const win = fakeFs({
    'C:/Users/U/cnn/Pipfile': '',
    'C:/Users/U/.virtualenvs/cnn-BvpsSiaf/pyvenv.cfg': 'version = 3.11.2',
    'C:/Users/U/.virtualenvs/cnn-BvpsSiaf/Lib/site-packages/x.py': '',
  });
  assert.equal(discoverEnvironment(win, { fileDir: 'C:/Users/U/cnn', platform: 'win32', env: { USERPROFILE: 'C:\\Users\\U' } }).environment?.root, 'C:/Users/U/.virtualenvs/cnn-BvpsSiaf');
  const moved = fakeFs({
    '/srv/proj/Pipfile': '',
    '/data/venvs/proj-zzzzzzzz/.project': '/srv/proj\n',
    '/data/venvs/proj-zzzzzzzz/pyvenv.cfg': 'version = 3.11.2',
    '/data/venvs/proj-zzzzzzzz/lib/python3.11/site-packages/x.py': '',
    '/data/venvs/proj-yyyyyyyy/.project': '/elsewhere/proj',
  });
  assert.equal(discoverEnvironment(moved, { fileDir: '/srv/proj', env: { WORKON_HOME: '/data/venvs' } }).environment?.root, '/data/venvs/proj-zzzzzzzz');
});

test('.pth files: path lines added (relative to site-packages, existing folders only), import lines and comments skipped', () => {
  const site = '/p/.venv/lib/python3.11/site-packages';
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'version = 3.11.1',
    [`${site}/b.pth`]: '# a comment\n\n../../../../src\nimport os; os.system("rm -rf /")\n/abs/lib\nmissing-folder\n',
    [`${site}/a.pth`]: '/abs/lib\r\n',
    [`${site}/__editable__.mynet-0.1.pth`]: 'import __editable___mynet_finder; __editable___mynet_finder.install()',
    '/p/src/mynet/__init__.py': pkg,
    '/abs/lib/other.py': '',
  });
  const env = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p' });
  assert.deepEqual(env.paths.map((p) => [p.path, p.source]), [[site, 'venv'], ['/abs/lib', 'pth'], ['/p/src', 'pth']]);
});

test('a .pth loop (pointing at itself, and at a folder whose .pth points back) ends, each folder once', () => {
  const site = '/p/.venv/lib/python3.11/site-packages';
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'version = 3.11.1',
    [`${site}/self.pth`]: '.\n./\n../site-packages\n/other\n',
    '/other/back.pth': site,
  });
  const env = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p' });
  assert.deepEqual(env.paths.map((p) => p.path), [site, '/other']);
});

test('explicit paths first: a source folder, an environment root; a missing folder is a clear message', () => {
  const fs = fakeFs({
    '/libs/mynet/__init__.py': pkg,
    '/envs/tv/pyvenv.cfg': 'version = 3.11.0',
    '/envs/tv/lib/python3.11/site-packages/torchvision/__init__.py': pkg,
    '/p/.venv/pyvenv.cfg': 'version = 3.11.1',
    '/p/.venv/lib/python3.11/site-packages/x.py': '',
  });
  const env = discoverEnvironment(fs, { fileDir: '/p', workspaceRoot: '/p', extraPaths: ['/libs', '/nope', '/envs/tv'], extraOrigin: 'flag' });
  assert.deepEqual(env.paths.map((p) => [p.path, p.source]), [
    ['/libs', 'flag'], ['/envs/tv/lib/python3.11/site-packages', 'flag'], ['/p/.venv/lib/python3.11/site-packages', 'venv'],
  ]);
  assert.deepEqual(env.problems, ['--python-path: /nope is not a folder']);
});

test('Pylance\'s order: the selected interpreter, then python.defaultInterpreterPath, then the workspace venv', () => {
  const fs = fakeFs({
    '/p/.venv/pyvenv.cfg': 'version = 3.11.1',
    '/p/.venv/lib/python3.11/site-packages/x.py': '',
    '/p/envs/a/pyvenv.cfg': 'version = 3.10.1',
    '/p/envs/a/lib/python3.10/site-packages/x.py': '',
    '/opt/py/bin/python3.12': '',
    '/opt/py/lib/python3.12/site-packages/x.py': '',
  });
  const base = { fileDir: '/p', workspaceRoot: '/p' };
  const root = (input: Parameters<typeof discoverEnvironment>[1]) => discoverEnvironment(fs, input).environment;
  assert.deepEqual(root({ ...base, selected: { path: '/opt/py/bin/python3.12' }, defaultInterpreterPath: '${workspaceFolder}/envs/a/bin/python' }),
    { root: '/opt/py', kind: 'system', source: 'python-extension', version: '3.12' });
  assert.equal(root({ ...base, defaultInterpreterPath: '${workspaceFolder}/envs/a/bin/python' })?.root, '/p/envs/a');
  assert.equal(root({ ...base, defaultInterpreterPath: 'envs/a/bin/python' })?.root, '/p/envs/a');
  assert.equal(root({ ...base, defaultInterpreterPath: 'python' })?.root, '/p/.venv');
  const gone = discoverEnvironment(fs, { ...base, selected: { path: '/gone/bin/python' } });
  assert.equal(gone.environment?.root, '/p/.venv');
  assert.match(gone.problems[0], /Python extension's interpreter \(\/gone\): the folder does not exist/);
  assert.equal(root({ ...base, discovery: false }), undefined);
  assert.equal(interpreterRoot(fs, 'C:\\Users\\u\\proj\\.venv\\Scripts\\python.exe'), 'C:/Users/u/proj/.venv');
});

test('the selected interpreter with the sys.prefix the Python extension resolved', () => {
  const fs = fakeFs({ '/opt/conda/conda-meta/x.json': '', '/opt/conda/lib/python3.11/site-packages/torchvision/__init__.py': pkg });
  const env = discoverEnvironment(fs, { fileDir: '/w', selected: { path: '/usr/local/bin/python-shim', prefix: '/opt/conda', version: '3.11.6' } });
  assert.deepEqual(env.environment, { root: '/opt/conda', kind: 'conda', source: 'python-extension', version: '3.11' });
});

test('bounded: the walk upwards stops after maxUp folders, and a site-packages is listed, never walked', () => {
  const deep = '/a/b/c/d/e/f/g/h/i/j';
  const files: Record<string, string> = { '/a/.venv/pyvenv.cfg': 'version = 3.11.1', '/a/.venv/lib/python3.11/site-packages/x.py': '' };
  for (let i = 0; i < 200; i++) files[`/a/.venv/lib/python3.11/site-packages/pkg${i}/sub/mod.py`] = '';
  const fs = fakeFs(files);
  assert.equal(discoverEnvironment(fs, { fileDir: deep, maxUp: 4 }).environment, undefined);
  fs.calls.length = 0;
  assert.equal(discoverEnvironment(fs, { fileDir: deep }).environment, undefined);
  assert.equal(discoverEnvironment(fs, { fileDir: deep, maxUp: 20 }).environment?.root, '/a/.venv');
  assert.ok(fs.calls.length < 200, `${fs.calls.length} calls`);
  assert.ok(!fs.calls.some((c) => /pkg\d+/.test(c)), 'no package folder is looked into');
});
