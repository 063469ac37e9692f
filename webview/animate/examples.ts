// The lecture's worked examples (Lecture 5) as panel presets: the panel opens with the first one
// from the command palette, and the Example menu lists them all.
import { LECTURE_1D, LECTURE_2D, LECTURE_2D_SECOND_FILTER } from '../../engine/explain/index';
import type { AnimateParams } from './protocol';

export interface Example {
  id: string;
  label: string;
  params: AnimateParams;
}

const conv1d = (over: Partial<AnimateParams>): AnimateParams => ({
  op: 'conv', view: 'sliding', dims: 1, input: [LECTURE_1D.input], kernel: [[LECTURE_1D.kernel]], kernelSize: [3],
  stride: [1], dilation: [1], padding: { mode: 'valid' }, ceilMode: false, ...over,
});
const conv2d = (over: Partial<AnimateParams>): AnimateParams => ({
  op: 'conv', view: 'sliding', dims: 2, input: [LECTURE_2D.input], kernel: [[LECTURE_2D.kernel]], kernelSize: [2, 2],
  stride: [1, 1], dilation: [1, 1], padding: { mode: 'valid' }, ceilMode: false, ...over,
});
/** A second channel for the multi-channel view: the lecture's image mirrored left to right. */
const MIRRORED = LECTURE_2D.input.map((r) => [...r].reverse());

export const EXAMPLES: Example[] = [
  { id: '1d-valid', label: '1D convolution, valid: [7, 8, 16, 14]', params: conv1d({}) },
  { id: '1d-manual', label: '1D, manual padding 0 left, 1 right', params: conv1d({ padding: { mode: 'manual', split: [[0, 1]] } }) },
  { id: '1d-same', label: '1D, same padding (p = k − 1, split 1, 1)', params: conv1d({ padding: { mode: 'same', rule: 'pytorch' } }) },
  { id: '1d-full', label: '1D, full padding (k − 1 each side)', params: conv1d({ padding: { mode: 'full' } }) },
  { id: '1d-stride-exact', label: '1D, stride 2, exact tiling (padding 0, 1)', params: conv1d({ stride: [2], padding: { mode: 'manual', split: [[0, 1]] } }) },
  { id: '1d-stride-inexact', label: '1D, stride 2, inexact tiling (padding 1, 1)', params: conv1d({ stride: [2], padding: { mode: 'manual', split: [[1, 1]] } }) },
  { id: '1d-dilation', label: '1D, dilation 2', params: conv1d({ dilation: [2] }) },
  { id: '1d-backward', label: '1D backward: why addition?', params: conv1d({ view: 'backward' }) },
  { id: '2d-valid', label: '2D convolution, 4×4 image, edge kernel', params: conv2d({}) },
  { id: '2d-filters', label: '2D, two filters: one output map each', params: conv2d({ kernel: [[LECTURE_2D.kernel], [LECTURE_2D_SECOND_FILTER]] }) },
  {
    id: '2d-channels',
    label: '2D, two input channels × two filters',
    params: conv2d({ input: [LECTURE_2D.input, MIRRORED], kernel: [[LECTURE_2D.kernel, LECTURE_2D_SECOND_FILTER], [LECTURE_2D_SECOND_FILTER, LECTURE_2D.kernel]] }),
  },
  { id: '2d-img2col', label: '2D img2col: Y = W·X̂', params: conv2d({ view: 'img2col', kernel: [[LECTURE_2D.kernel], [LECTURE_2D_SECOND_FILTER]] }) },
  { id: '2d-backward', label: '2D backward: dX̂ = Wᵀ·dY, then col2im', params: conv2d({ view: 'backward' }) },
  { id: '2d-maxpool', label: 'Max pooling 2×2, stride 2', params: conv2d({ op: 'maxpool', kernel: [], stride: [2, 2] }) },
  { id: '2d-avgpool', label: 'Average pooling 2×2, stride 2', params: conv2d({ op: 'avgpool', kernel: [], stride: [2, 2] }) },
];

export const DEFAULT_EXAMPLE = EXAMPLES[0];
