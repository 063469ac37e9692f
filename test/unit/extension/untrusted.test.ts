// Text from the analysed file in trusted Markdown: no link, HTML, icon or command survives escaping.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { mdCode, mdText, plainTitle } from '../../../extension/untrusted';

const HOSTILE = 'x` [Click](command:convlens.setInputShape?%5B%5D) `<img src=x onerror=alert(1)> $(alert) **b**';

/** What a CommonMark reader could take as syntax: an unescaped character of these, outside a code span. */
const unescaped = (md: string): string[] => [...md.replace(/\\[\s\S]/g, '').matchAll(/[[\]()<>`*_$!]/g)].map((m) => m[0]);

test('mdText escapes every syntax character and flattens line breaks', () => {
  assert.deepEqual(unescaped(mdText(HOSTILE)), []);
  assert.equal(mdText('a\nb'), 'a b');
  assert.equal(mdText('conv1'), 'conv1');
  fc.assert(fc.property(fc.string(), (s) => unescaped(mdText(s)).length === 0 && !mdText(s).includes('\n')));
});

test('mdCode: a plain name is inline code; one that could close the span is escaped text', () => {
  assert.equal(mdCode('layer1.0.conv1'), '`layer1.0.conv1`');
  assert.equal(mdCode('a[1](command:x)'), '`a[1](command:x)`');
  assert.deepEqual(unescaped(mdCode(HOSTILE)), []);
  fc.assert(fc.property(fc.string(), (s) => {
    const c = mdCode(s);
    // either one code span with no backtick inside, or text with nothing unescaped
    return /^`[^`\n]+`$/.test(c) || unescaped(c).length === 0;
  }));
});

test('plainTitle keeps a $(icon) in a name from rendering as an icon', () => {
  assert.ok(!plainTitle('net $(alert) x').includes('$('));
  assert.equal(plainTitle('Net'), 'Net');
});
