// The reference model as the analyzer reports it: Conv2d(1,8,5) → ReLU → MaxPool2d(2) →
// Conv2d(8,16,5) → ReLU → MaxPool2d(2) → Flatten → Linear(256,10), input (N, 1, 28, 28).
import type { GraphNode, ModelReport } from '../../engine/report/types';

const conv = (cin: number, cout: number) => ({ in_channels: cin, out_channels: cout, kernel_size: [5, 5], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: true, padding_mode: 'zeros' });
const pool = { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil_mode: false };

export const referenceGraph: GraphNode[] = [
  { id: 0, kind: 'input', type: 'input', config: {}, inputs: [], outputShape: ['N', 1, 28, 28], line: 1 },
  { id: 1, kind: 'module', type: 'Conv2d', path: 'net.0', config: conv(1, 8), inputs: [0], outputShape: ['N', 8, 24, 24], line: 5 },
  { id: 2, kind: 'module', type: 'ReLU', path: 'net.1', config: { inplace: false }, inputs: [1], outputShape: ['N', 8, 24, 24], line: 6 },
  { id: 3, kind: 'module', type: 'MaxPool2d', path: 'net.2', config: pool, inputs: [2], outputShape: ['N', 8, 12, 12], line: 7 },
  { id: 4, kind: 'module', type: 'Conv2d', path: 'net.3', config: conv(8, 16), inputs: [3], outputShape: ['N', 16, 8, 8], line: 8 },
  { id: 5, kind: 'module', type: 'ReLU', path: 'net.4', config: { inplace: false }, inputs: [4], outputShape: ['N', 16, 8, 8], line: 9 },
  { id: 6, kind: 'module', type: 'MaxPool2d', path: 'net.5', config: pool, inputs: [5], outputShape: ['N', 16, 4, 4], line: 10 },
  { id: 7, kind: 'module', type: 'Flatten', path: 'net.6', config: { start_dim: 1, end_dim: -1 }, inputs: [6], outputShape: ['N', 256], line: 11 },
  { id: 8, kind: 'module', type: 'Linear', path: 'net.7', config: { in_features: 256, out_features: 10, bias: true }, inputs: [7], outputShape: ['N', 10], line: 12 },
];

export const referenceParameters: ModelReport['parameters'] = [
  { name: 'net.0.weight', shape: [8, 1, 5, 5], trainable: true },
  { name: 'net.0.bias', shape: [8], trainable: true },
  { name: 'net.3.weight', shape: [16, 8, 5, 5], trainable: true },
  { name: 'net.3.bias', shape: [16], trainable: true },
  { name: 'net.7.weight', shape: [10, 256], trainable: true },
  { name: 'net.7.bias', shape: [10], trainable: true },
];
