// The step model against results computed by the real PyTorch (test/fixtures/explain/torch-cases.json,
// made by generate_torch_cases.py): conv1d/2d with stride, dilation, symmetric, asymmetric (F.pad)
// and 'same' padding, several channels and filters, its gradients, and max/avg pooling with
// padding, dilation, ceil_mode and count_include_pad.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fixture from '../../fixtures/explain/torch-cases.json';
import { explain, explainBackward } from '../../../engine/explain/index';
import type { Grid, PaddingSpec, SlidingRequest } from '../../../engine/explain/types';

interface Case {
  op: 'conv' | 'maxpool' | 'avgpool';
  dims: 1 | 2;
  mode?: string;
  input: Grid[];
  kernel?: Grid[][];
  kernelSize?: number[];
  stride: number[];
  dilation: number[];
  padding: Array<[number, number]>;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  output: Grid[];
  dY?: Grid[];
  dX?: Grid[];
  dW?: Grid[][];
}

const cases = fixture.cases as unknown as Case[];

function request(c: Case): SlidingRequest {
  const padding: PaddingSpec = c.mode === 'same' ? { mode: 'same', rule: 'pytorch' } : { mode: 'manual', split: c.padding };
  return {
    op: c.op,
    dims: c.dims,
    input: c.input,
    ...(c.kernel ? { kernel: c.kernel } : { kernelSize: c.kernelSize, ceilMode: c.ceilMode, countIncludePad: c.countIncludePad }),
    stride: c.stride,
    dilation: c.dilation,
    padding,
  };
}

/** Equal up to float rounding (PyTorch's averages are doubles, ours exact). */
function close(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: length`);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${where}[${i}]`));
  } else {
    assert.ok(Math.abs((actual as number) - (expected as number)) < 1e-9, `${where}: ${String(actual)} ≠ ${String(expected)}`);
  }
}

test('the fixture covers every operation and padding style', () => {
  const kinds = new Set(cases.map((c) => `${c.op}${c.dims}d${c.mode ? `:${c.mode}` : ''}`));
  for (const k of ['conv1d:same', 'conv1d:asym', 'conv1d:int', 'conv2d:same', 'conv2d:asym', 'conv2d:int', 'maxpool1d', 'maxpool2d', 'avgpool1d', 'avgpool2d']) {
    assert.ok(kinds.has(k), k);
  }
});

for (const [n, c] of cases.entries()) {
  const name = `${c.op}${c.dims}d #${n} (stride ${c.stride}, dilation ${c.dilation}, padding ${c.mode ?? ''} ${JSON.stringify(c.padding)}${c.ceilMode ? ', ceil' : ''})`;
  test(`${name} matches PyTorch`, () => {
    const e = explain(request(c));
    close(e.outputMaps, c.output, 'output');
    if (c.mode === 'same') assert.deepEqual(e.padding.split, c.padding);
    if (c.op === 'conv') {
      const b = explainBackward({ ...request(c), dY: c.dY });
      close(b.dX, c.dX, 'dX');
      close(b.dKernel, c.dW, 'dW');
    }
  });
}
