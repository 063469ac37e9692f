// Constructs met in public model-zoo files that the fixtures did not cover; the expected values are
// what CPython prints for the same snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reprOf, runSnippet } from './run-snippet';

const cases: Array<[string, string, string]> = [
  ['inspect predicates tell a lambda from a class and a string',
    'from inspect import isfunction, isclass\ndef f():\n    pass\nclass C:\n    pass\nx = (isfunction(lambda: 1), isfunction(f), isfunction(C), isfunction("relu"), isclass(C), isclass(C()))',
    '(True, True, False, False, True, False)'],
  ['import collections.abc and an n-tuple helper built on it',
    'import collections.abc\nfrom itertools import repeat\ndef _ntuple(n):\n    def parse(x):\n        if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):\n            return tuple(x)\n        return tuple(repeat(x, n))\n    return parse\nto_2tuple = _ntuple(2)\nx = (to_2tuple(3), to_2tuple([1, 2]), to_2tuple("ab"))',
    "((3, 3), (1, 2), ('ab', 'ab'))"],
];

for (const [name, src, expected] of cases) {
  test(name, () => assert.equal(reprOf(runSnippet(src), 'x'), expected));
}
