// Hint labels from layer rows. The numbers are the ResNet stem convolution's, computed by hand:
// Conv2d(3, 64, 7, stride 2, padding 3, no bias) on 224×224 → 112×112; 64·3·7·7 = 9,408
// parameters; 9,408·112·112 = 118,013,952 MACs.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { LayerRow } from '../../../engine/report/types';
import { computeText, type DisplayOptions, hintLabel, paramsText, shapeText } from '../../../extension/format';

const all: DisplayOptions = { hintParts: ['shape', 'params', 'compute'], computeUnit: 'MACs', batchDimension: 'N' };
const row = (over: Partial<LayerRow>): LayerRow => ({
  path: 'conv1', type: 'Conv2d', line: 1, inputShapes: [[1, 3, 224, 224]], outputShape: [1, 64, 112, 112],
  params: 9408, trainableParams: 9408, paramsKnown: true, macs: 118_013_952, macsKnown: true, config: {}, formulas: [], ...over,
});

test('the full hint', () => {
  assert.equal(hintLabel([row({})], 'pytorch', all), '→ (N, 64, 112, 112) · 9.41K params · 118M MACs');
});

test('parts, FLOPs and the batch label follow the options', () => {
  assert.equal(hintLabel([row({})], 'pytorch', { ...all, hintParts: ['shape'] }), '→ (N, 64, 112, 112)');
  assert.equal(hintLabel([row({})], 'pytorch', { ...all, hintParts: ['compute'], computeUnit: 'FLOPs' }), '236M FLOPs');
  assert.equal(hintLabel([row({})], 'pytorch', { ...all, hintParts: ['shape'], batchDimension: '' }), '→ (1, 64, 112, 112)');
  assert.equal(shapeText([null, 26, 26, 32], 'keras', all), '(None, 26, 26, 32)');
  assert.equal(shapeText(null, 'pytorch', all), '?');
});

test('zero parameters and MACs are left out; a module called twice counts its parameters once', () => {
  assert.equal(hintLabel([row({ type: 'ReLU', params: 0, trainableParams: 0, macs: 0 })], 'pytorch', all), '→ (N, 64, 112, 112)');
  const twice = [row({ macs: 100 }), row({ outputShape: [1, 64, 56, 56], macs: 25 })];
  assert.equal(hintLabel(twice, 'pytorch', all), '→ (N, 64, 56, 56) (called 2 times) · 9.41K params · 125 MACs');
  assert.equal(computeText(2_000_000_000, 'MACs'), '2G MACs');
});

test('unknown counts are never left out or shown as exact: ? when nothing is known, ≥ for a lower bound', () => {
  const mystery = row({ type: 'Mystery', outputShape: null, params: 0, trainableParams: 0, paramsKnown: false, macs: 0, macsKnown: false });
  assert.equal(hintLabel([mystery], 'pytorch', all), '→ ? · ? params · ? MACs');
  const partly = row({ outputShape: null, macs: 0, macsKnown: false });
  assert.equal(hintLabel([partly], 'pytorch', all), '→ ? · 9.41K params · ? MACs');
  assert.equal(hintLabel([row({}), row({ path: 'm', params: 0, paramsKnown: false, macs: 5, macsKnown: false })], 'pytorch', all),
    '→ (N, 64, 112, 112) (last of 2 layers) · ≥ 9.41K params · ≥ 118M MACs');
  assert.equal(computeText(1000, 'FLOPs', false), '≥ 2K FLOPs');
  assert.equal(paramsText(0, false), '? params');
});

test('layers built in a loop share a hint that says so in words', () => {
  const three = ['blocks.0', 'blocks.1', 'blocks.2'].map((path) => row({ path }));
  assert.equal(hintLabel(three, 'pytorch', { ...all, hintParts: ['shape'] }), '→ (N, 64, 112, 112) (last of 3 layers)');
});
