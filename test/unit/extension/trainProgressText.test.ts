import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainProgressText } from '../../../extension/trainProgressText';

const at = (state: string, epoch: number, batch: number, batchesPerEpoch = 43) => ({ state, epoch, totalEpochs: 2, batch, batchesPerEpoch });

test('the status bar line: epoch, batch and the share of all batches done, with a still icon', () => {
  assert.equal(trainProgressText('LeNet', at('running', 1, 12)), '$(beaker) Training LeNet: epoch 1/2, batch 12/43 · 13 %');
  // 43 of the first epoch and 22 of the second: 65 of 86 batches
  assert.equal(trainProgressText('LeNet', at('running', 2, 22)), '$(beaker) Training LeNet: epoch 2/2, batch 22/43 · 75 %');
  assert.equal(trainProgressText('LeNet', at('running', 2, 43)), '$(beaker) Training LeNet: epoch 2/2, batch 43/43 · 100 %');
  assert.ok(!trainProgressText('LeNet', at('running', 1, 1)).includes('~spin'));
});

test('before the data is loaded, paused and stopping say so instead of a number', () => {
  assert.equal(trainProgressText('LeNet', at('loading', 0, 0, 0)), '$(beaker) Training LeNet: loading');
  assert.equal(trainProgressText('LeNet', at('paused', 1, 5)), '$(beaker) Training LeNet: paused');
  assert.equal(trainProgressText('LeNet', at('stopping', 1, 5)), '$(beaker) Training LeNet: stopping');
});
