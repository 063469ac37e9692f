// MaxUnpool's output sizes and errors, and the Lazy classes' constructor signatures, against what
// torch 1.13 gives (each expected value below was printed by torch; the cases are not in
// goldens.json because MaxUnpool takes two tensors and the Lazy classes are not TorchLayerSpecs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH_LAYERS } from '../../../engine/frameworks/pytorch/layers/index';
import { LAZY_LAYERS } from '../../../engine/frameworks/pytorch/layers/lazy';
import { REQUIRED } from '../../../engine/frameworks/pytorch/layers/spec';
import type { Shape } from '../../../engine/shapes/dim';
import { bind } from './bind';

const unpool = (n: number, kwargs: Record<string, unknown>, x: Shape, indices: Shape = x) => {
  const spec = TORCH_LAYERS[`MaxUnpool${n}d`];
  const r = spec.apply(bind(spec, kwargs), [x, indices]);
  return { output: r.output, errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) };
};

test('MaxUnpool: (in − 1)·stride − 2·padding + kernel, as torch 1.13', () => {
  assert.deepEqual(unpool(2, { kernel_size: 2, stride: 2 }, [1, 3, 4, 4]).output, [1, 3, 8, 8]);
  assert.deepEqual(unpool(2, { kernel_size: 3, stride: 2, padding: 1 }, [1, 2, 5, 5]).output, [1, 2, 9, 9]);
  // stride defaults to kernel_size
  assert.deepEqual(unpool(1, { kernel_size: 2 }, [1, 2, 5]).output, [1, 2, 10]);
  assert.deepEqual(unpool(3, { kernel_size: 2 }, [1, 2, 3, 4, 5]).output, [1, 2, 6, 8, 10]);
  assert.deepEqual(unpool(2, { kernel_size: 2, stride: 2 }, [3, 4, 4]).output, [3, 8, 8]);
  assert.deepEqual(unpool(2, { kernel_size: 2 }, ['N', 3, 'H', 4]).output, ['N', 3, '2*H', 8]);
});

test('MaxUnpool: output_size as the full shape or the spatial sizes, within one stride of the default', () => {
  assert.deepEqual(unpool(2, { kernel_size: 2, output_size: [1, 3, 9, 9] }, [1, 3, 4, 4]).output, [1, 3, 9, 9]);
  assert.deepEqual(unpool(2, { kernel_size: 2, output_size: [9, 9] }, [1, 3, 4, 4]).output, [1, 3, 9, 9]);
  assert.deepEqual(unpool(2, { kernel_size: 2, output_size: [10, 10] }, [1, 3, 4, 4]).errors,
    ['MaxUnpool2d: invalid output_size (10, 10) (dim 0 must be between 6 and 10)']);
  assert.equal(unpool(2, { kernel_size: 2, output_size: [6, 6] }, [1, 3, 4, 4]).output, null);
  // torch: "output_size should be a sequence containing 2 or 4 elements, but it has a length of '3'" (also for unbatched x.size())
  assert.deepEqual(unpool(2, { kernel_size: 2, output_size: [1, 3, 9] }, [1, 3, 4, 4]).errors,
    ["MaxUnpool2d: output_size should be a sequence containing 2 or 4 elements, but it has a length of '3'"]);
  assert.equal(unpool(2, { kernel_size: 2, output_size: [3, 8, 8] }, [3, 4, 4]).output, null);
});

test('MaxUnpool: indices of another shape, or an input of the wrong rank, are errors as in torch', () => {
  assert.match(unpool(2, { kernel_size: 2 }, [1, 3, 4, 4], [1, 2, 4, 4]).errors[0], /expected shape of indices to be same as that of the input tensor/);
  assert.match(unpool(2, { kernel_size: 2 }, [2, 5, 5], [1, 2, 5, 5]).errors[0], /expected shape of indices/);
  assert.equal(unpool(2, { kernel_size: 2 }, [5, 5]).output, null);
});

// inspect.signature(nn.Lazy*.__init__) in torch 1.13, device/dtype left out
const TORCH_LAZY: Record<string, string> = {
  LazyConv1d: 'out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=true padding_mode=zeros',
  LazyConv2d: 'out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=true padding_mode=zeros',
  LazyConv3d: 'out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=true padding_mode=zeros',
  LazyConvTranspose1d: 'out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=true dilation=1 padding_mode=zeros',
  LazyConvTranspose2d: 'out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=true dilation=1 padding_mode=zeros',
  LazyConvTranspose3d: 'out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=true dilation=1 padding_mode=zeros',
  LazyLinear: 'out_features bias=true',
  LazyBatchNorm1d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
  LazyBatchNorm2d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
  LazyBatchNorm3d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
  LazyInstanceNorm1d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
  LazyInstanceNorm2d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
  LazyInstanceNorm3d: 'eps=0.00001 momentum=0.1 affine=true track_running_stats=true',
};

test('every Lazy class of torch.nn, with the signature torch gives it', () => {
  assert.deepEqual(Object.keys(LAZY_LAYERS).sort(), Object.keys(TORCH_LAZY).sort());
  for (const [name, spec] of Object.entries(LAZY_LAYERS)) {
    const ours = spec.signature.filter(([n]) => n !== 'device' && n !== 'dtype')
      .map(([n, d]) => (d === REQUIRED ? n : `${n}=${String(d)}`)).join(' ');
    assert.equal(ours, TORCH_LAZY[name], name);
  }
});
