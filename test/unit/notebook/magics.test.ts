// IPython syntax in cells becomes Python of the same length, where IPython itself would read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPercentScript, neutraliseCell, neutralisePercentScript } from '../../../engine/notebook/magics';

const cases: Array<[string, string, string]> = [
  ['a line magic', '%matplotlib inline', '...               '],
  ['a shell line', '!pip install -q torch', '...                  '],
  ['a short magic', '%l', '0 '],
  ['a help line', 'model?', '...   '],
  ['a help line, prefix', '??nn.Conv2d', '...        '],
  ['a shell value', 'files = !ls -l', 'files = ...   '],
  ['%time keeps its statement', '%time y = model(x)', 'if 1: y = model(x)'],
  ['%timeit keeps its statement', '%timeit f(x)', 'if 1:   f(x)'],
  ['an indented magic keeps the block valid', 'for i in r:\n    %time f(i)', 'for i in r:\n    if 1: f(i)'],
  ['a modulo continuing a bracket is Python', 'y = (a\n     % b)', 'y = (a\n     % b)'],
  ['after a backslash is Python', 'y = a \\\n  % b', 'y = a \\\n  % b'],
  ['inside a triple-quoted string is text', 's = """\n!not shell\n%not magic\n"""', 's = """\n!not shell\n%not magic\n"""'],
  ['a question mark in a string or a comment is Python', 'q = "why?"\nr = 1  # why?', 'q = "why?"\nr = 1  # why?'],
  ['plain Python is untouched', 'import torch\nx = 3 % 2', 'import torch\nx = 3 % 2'],
];

for (const [what, source, expected] of cases) {
  test(what, () => {
    const out = neutraliseCell(source);
    assert.equal(out.text, expected);
    assert.equal(out.skipped, undefined);
  });
}

test('%%time and %%capture cells: the magic line is blank, the body is Python', () => {
  assert.equal(neutraliseCell('%%time\nout = model(x)').text, '      \nout = model(x)');
  assert.equal(neutraliseCell('\n%%capture cap\nx = 1').text, '\n             \nx = 1');
});

test('%%bash and %%writefile cells are not Python: blank, and named', () => {
  const bash = neutraliseCell('%%bash\nls -l\necho "$HOME"');
  assert.equal(bash.skipped, '%%bash');
  assert.equal(bash.text, '      \n     \n            ');
  assert.equal(neutraliseCell('%%writefile net.py\nimport torch').skipped, '%%writefile');
});

test('# %% scripts: magics made Python, every line and column where it was', () => {
  const src = 'import torch\n# %%\n%matplotlib inline\nx = 1\n# %% [markdown]\n# text?\n# %%\n%%bash\nls\n';
  assert.ok(isPercentScript(src));
  assert.ok(!isPercentScript('import torch\nx = 1 # %%\n'));
  const out = neutralisePercentScript(src);
  assert.equal(out, 'import torch\n# %%\n...               \nx = 1\n# %% [markdown]\n# text?\n# %%\n      \n  \n');
});
