// `convlens explain` through runExplain: text, JSON and usage errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExplain } from '../../../engine/cli/explain';

function run(...args: string[]): { code: number; text: string } {
  const lines: string[] = [];
  const code = runExplain(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

test('conv1d text: every step, the output and the formula', () => {
  const { code, text } = run('conv1d', '--input', '1,0,2,2,3,1', '--kernel', '3,2,2', '--padding', '0,1');
  assert.equal(code, 0);
  for (const line of ['y[0] = 3×1 + 2×0 + 2×2 = 7', 'y[4] = 3×3 + 2×1 + 2×0 = 11', '   7   8  16  14  11', 'o: ⌊(6 + 0 + 1 − 3)/1⌋ + 1 = 5', 'padding: manual: 0 left, 1 right']) {
    assert.ok(text.includes(line), `missing ${line} in\n${text}`);
  }
});

test('conv1d --json prints exactly one object with the contract keys', () => {
  const { code, text } = run('conv1d', '--input', '1,0,2,2,3,1', '--kernel', '3,2,2', '--json');
  assert.equal(code, 0);
  const o = JSON.parse(text);
  assert.deepEqual(o.output, [7, 8, 16, 14]);
  assert.deepEqual(o.outputShape, [4]);
  assert.equal(o.formula, 'o = ⌊(6 + 0 + 0 − 3)/1⌋ + 1 = 4');
  assert.deepEqual(o.steps[0].output, [0]);
  assert.deepEqual(o.steps[0].terms, [[3, 1], [2, 0], [2, 2]]);
  assert.equal(o.steps[0].value, 7);
});

test('conv2d with a negative kernel after --kernel (not --kernel=), JSON nested', () => {
  const { code, text } = run('conv2d', '--input', '1,2,3,2;2,3,2,5;1,2,2,1;0,2,1,2', '--kernel', '-1,1;-1,1', '--json');
  assert.equal(code, 0);
  const o = JSON.parse(text);
  assert.deepEqual(o.output, [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  assert.deepEqual(o.outputShape, [3, 3]);
  assert.deepEqual(o.steps[4], { ...o.steps[4], output: [1, 1], terms: [[-1, 3], [1, 2], [-1, 2], [1, 2]], value: -1 });
});

test('defaults to the lecture example; --tf-same and tf-same pick TensorFlow\'s rule', () => {
  assert.match(run('conv1d').text, /y\[3\] = 3×2 \+ 2×3 \+ 2×1 = 14/);
  const a = JSON.parse(run('conv1d', '--stride', '2', '--padding', 'same', '--tf-same', '--json').text);
  const b = JSON.parse(run('conv1d', '--stride', '2', '--padding', 'tf-same', '--json').text);
  assert.deepEqual(a.output, [7, 16, 11]);
  assert.deepEqual(b.padding, { kind: 'same', split: [[0, 1]] });
});

test('pooling: stride defaults to the kernel size; 2D padding T,B,L,R', () => {
  const o = JSON.parse(run('maxpool2d', '--input', '1,2,3,2;2,3,2,5;1,2,2,1;0,2,1,2', '--kernel-size', '2', '--json').text);
  assert.deepEqual(o.output, [[3, 5], [2, 2]]);
  const avg = run('avgpool1d', '--input', '1,0,2,2,3,1', '--kernel-size', '3', '--stride', '1');
  assert.match(avg.text, /y\[1\] = \(0 \+ 2 \+ 2\)\/3 ≈ 1\.3333/);
  const padded = JSON.parse(run('conv2d', '--input', '1,2;3,4', '--kernel', '1', '--padding', '1,0,0,2', '--json').text);
  assert.deepEqual(padded.output, [[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]]);
});

test('multi-channel, multi-filter conv2d: channels split by |, filters by /', () => {
  const o = JSON.parse(run('conv2d', '--input', '1,2;3,4|1,1;1,1', '--kernel', '1,0;0,1|1,1;1,1 / 0,0;0,0|1,0;0,0', '--json').text);
  assert.deepEqual(o.outputShape, [2, 1, 1]);
  assert.deepEqual(o.output, [[[1 + 4 + 4]], [[1]]]);
});

test('img2col prints X̂, W and Y; backward prints the accumulation and dX', () => {
  const i = run('img2col');
  assert.match(i.text, /X̂ \(3×4\)/);
  assert.match(i.text, /Y\[0, 2\] = W\[0, :\]·X̂\[:, 2\] = 3×2 \+ 2×2 \+ 2×3 = 16/);
  const j = JSON.parse(run('img2col', '--input', '1,2,3,2;2,3,2,5;1,2,2,1;0,2,1,2', '--kernel', '-1,1;-1,1', '--json').text);
  assert.deepEqual(j.y, [[2, 0, 2, 2, -1, 2, 3, -1, 0]]);
  assert.deepEqual(j.output, [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  const b = run('backward');
  assert.match(b.text, /dx\[2\] \+= dx_hat\[1, 1\]: 2 \+ 2 = 4/);
  assert.match(b.text, /\n {2}3 {2}5 {2}7 {2}7 {2}4 {2}2/);
  const bj = JSON.parse(run('backward', '--dy', '1,2,0,1', '--json').text);
  assert.deepEqual(bj.dX, [[3, 8, 6, 7, 2, 2]]);
  // dW[i] = Σ_t dy[t]·x[t+i] with dy = [1, 2, 0, 1], x = [1, 0, 2, 2, 3, 1]
  assert.deepEqual(bj.dW, [[1 + 0 + 0 + 2, 0 + 4 + 0 + 3, 2 + 4 + 0 + 1]]);
});

test('usage errors: exit 2 with one line, never a stack trace', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /give one operation/],
    [['conv3d'], /unknown operation "conv3d"/],
    [['conv1d', '--input', '1,a', '--kernel', '1'], /"a" is not a number/],
    [['conv1d', '--input', '1,2'], /give both --input and --kernel/],
    [['conv1d', '--input', '1,2', '--kernel', '1,2,3'], /window \(3\) is larger than the padded input/],
    [['conv1d', '--bogus'], /unknown option --bogus/],
    [['conv1d', '--stride', '0'], /--stride must be whole numbers ≥ 1/],
    [['conv2d', '--padding', '1,2'], /give N \(every side\) or T,B,L,R/],
    [['maxpool2d'], /needs --kernel-size/],
    [['maxpool1d', '--kernel', '1,2'], /pooling has no kernel values/],
    [['avgpool1d', '--kernel-size', '2', '--dilation', '2'], /average pooling has no dilation/],
    [['backward', '--dy', '1,1'], /dY must be shaped like the output \(4\)/],
    [['conv1d', '--input', '1;2', '--kernel', '1'], /rows \(;\) given for a 1D operation/],
    [['conv1d', '--tf-same'], /--tf-same goes with --padding same/],
  ];
  for (const [args, message] of cases) {
    const { code, text } = run(...args);
    assert.equal(code, 2, args.join(' '));
    assert.match(text, message);
    assert.equal(text.split('\n').length, 1, text);
    assert.doesNotMatch(text, /\n\s+at /);
  }
});

test('--help prints the usage', () => {
  const { code, text } = run('--help');
  assert.equal(code, 0);
  assert.match(text, /usage: convlens explain OP/);
});
