// The safetensors export: PyTorch read the committed file back with load_state_dict(strict=True)
// (fixtures/safetensors-readback.json, made by make_fixtures.py --readback) and its outputs matched
// the engine's; the writer still produces exactly that file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertClose, fixture, type FixtureTensor } from './helpers';
import { smallCnnExport } from './safetensors-model';

interface Readback { loadStateDict: string; keys: string[]; maxAbsDiff: number; torchOutput: FixtureTensor; numBatchesTracked: number }

test('the safetensors export loads into PyTorch with load_state_dict(strict=True) and gives the same outputs', () => {
  const rb = fixture<Readback>('safetensors-readback.json');
  assert.equal(rb.loadStateDict, 'ok');
  assert.equal(rb.numBatchesTracked, 3);
  assert.ok(rb.keys.includes('bn.running_var') && rb.keys.includes('res.weight'));
  const { bytes, output } = smallCnnExport();
  assertClose(output.data, rb.torchOutput.data, 1e-4, 'engine output vs PyTorch on the loaded weights');
  assert.deepEqual(bytes, new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'small-cnn.safetensors'))), 'the writer output changed: rerun the readback');
});

test('the header is 8-byte aligned JSON with F32 and I64 entries and contiguous offsets', () => {
  const { bytes } = smallCnnExport();
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  assert.deepEqual(header.__metadata__, { format: 'pt' });
  assert.equal(header['bn.num_batches_tracked'].dtype, 'I64');
  assert.deepEqual(header['conv1.weight'], { dtype: 'F32', shape: [4, 1, 3, 3], data_offsets: header['conv1.weight'].data_offsets });
  const ranges = Object.entries(header).filter(([k]) => k !== '__metadata__').map(([, v]) => v.data_offsets).sort((a, b) => a[0] - b[0]);
  ranges.forEach((r, i) => assert.equal(r[0], i ? ranges[i - 1][1] : 0));
  assert.equal(8 + n + ranges[ranges.length - 1][1], bytes.length);
});
