import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { inputCommentEdit, parseShapeText, parseShapesText } from '../../../extension/inputComment';

test('parseShapeText accepts the usual ways of writing a shape', () => {
  for (const text of ['(1, 3, 224, 224)', '[1,3,224,224]', ' 1, 3, 224, 224 ', '1x3x224x224', '(1,3,224,224,)']) {
    assert.deepEqual(parseShapeText(text), { shape: [1, 3, 224, 224] }, text);
  }
});

test('parseShapeText explains what is wrong', () => {
  assert.match((parseShapeText('') as { error: string }).error, /Type a shape/);
  assert.match((parseShapeText('(1, 3, H, W)') as { error: string }).error, /"H" is not a whole number/);
  assert.match((parseShapeText('(1, 0, 28, 28)') as { error: string }).error, /at least 1/);
  assert.match((parseShapeText('(1.5, 3)') as { error: string }).error, /not a whole number/);
  assert.match((parseShapeText('(8)') as { error: string }).error, /at least the batch size/);
  assert.match((parseShapeText('1,1,1,1,1,1,1') as { error: string }).error, /7 dimensions/);
});

test('inputCommentEdit inserts a line above the model with its indentation', () => {
  const lines = ['import torch.nn as nn', '', 'class Net(nn.Module):', '    pass'];
  assert.deepEqual(inputCommentEdit(lines, 3, [[1, 3, 32, 32]]), { line: 2, startCol: 0, endCol: 0, newText: '# convlens: input=(1, 3, 32, 32)\n' });
  const nested = ['def build():', '    model = keras.Sequential([])'];
  assert.deepEqual(inputCommentEdit(nested, 2, [[1, 28, 28, 1]]), { line: 1, startCol: 0, endCol: 0, newText: '    # convlens: input=(1, 28, 28, 1)\n' });
});

test('inputCommentEdit replaces a comment already above or on the model line', () => {
  const above = ['# convlens: input=(1, 3, 224, 224)', 'class Net(nn.Module):'];
  assert.deepEqual(inputCommentEdit(above, 2, [[2, 3, 64, 64]]), { line: 0, startCol: 0, endCol: 34, newText: '# convlens: input=(2, 3, 64, 64)' });
  const on = ['model = Net()  # convlens: input=[1, 3, 8, 8]'];
  assert.deepEqual(inputCommentEdit(on, 1, [[1, 3, 16, 16]]), { line: 0, startCol: 15, endCol: 45, newText: '# convlens: input=(1, 3, 16, 16)' });
});

test('parseShapesText reads one shape per input of a forward() of several', () => {
  assert.deepEqual(parseShapesText('(1, 1, 64, 64), [1, 1, 32, 32]'), { shapes: [[1, 1, 64, 64], [1, 1, 32, 32]] });
  assert.deepEqual(parseShapesText('1x3x8x8'), { shapes: [[1, 3, 8, 8]] });
  assert.match((parseShapesText('(1, 1, 64, 64), (1, H)') as { error: string }).error, /^Input 2: "H" is not a whole number/);
});

test('inputCommentEdit writes every input and replaces a whole comment of several', () => {
  const two = ['# convlens: input=(1, 1, 28, 28), (1, 1, 28, 28)  # pairs', 'class Siamese(nn.Module):'];
  assert.deepEqual(inputCommentEdit(two, 2, [[1, 1, 64, 64], [1, 1, 32, 32]]),
    { line: 0, startCol: 0, endCol: 48, newText: '# convlens: input=(1, 1, 64, 64), (1, 1, 32, 32)' });
  assert.deepEqual(inputCommentEdit(two, 2, [[2, 1, 8, 8]]), { line: 0, startCol: 0, endCol: 48, newText: '# convlens: input=(2, 1, 8, 8)' });
});
