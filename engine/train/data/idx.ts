// The IDX format of MNIST: a magic number (0, 0, element type, rank), the sizes as big-endian
// 32-bit integers, then the values.
import { TrainError } from '../layers/layer';
import type { Dataset } from './dataset';

export interface IdxArray {
  dims: number[];
  data: Float64Array | Uint8Array;
}

const TYPES: Record<number, [number, (v: DataView, o: number) => number]> = {
  0x08: [1, (v, o) => v.getUint8(o)],
  0x09: [1, (v, o) => v.getInt8(o)],
  0x0b: [2, (v, o) => v.getInt16(o)],
  0x0c: [4, (v, o) => v.getInt32(o)],
  0x0d: [4, (v, o) => v.getFloat32(o)],
  0x0e: [8, (v, o) => v.getFloat64(o)],
};

export function readIdx(bytes: Uint8Array, what = 'IDX file'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !TYPES[bytes[2]]) throw new TrainError(`${what} is not an IDX file (bad magic number)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = bytes[3], [size, get] = TYPES[bytes[2]];
  if (bytes.length < 4 + 4 * rank) throw new TrainError(`${what} is truncated`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1), start = 4 + 4 * rank;
  if (bytes.length < start + count * size) throw new TrainError(`${what} is truncated: ${dims.join('×')} values need ${start + count * size} bytes, it has ${bytes.length}`);
  if (bytes[2] === 0x08) return { dims, data: bytes.subarray(start, start + count) };
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = get(view, start + i * size);
  return { dims, data };
}

/** Images (n, H, W) or (n, C, H, W) with 0-255 values and their labels as a dataset. */
export function idxDataset(images: IdxArray, labels: IdxArray, what: string): Dataset {
  const d = images.dims;
  if (d.length !== 3 && d.length !== 4) throw new TrainError(`${what}: images should be (n, H, W) or (n, C, H, W), got (${d.join(', ')})`);
  if (labels.dims.length !== 1 || labels.dims[0] !== d[0]) throw new TrainError(`${what}: ${d[0]} images but ${labels.dims.join('×')} labels`);
  const shape: [number, number, number] = d.length === 3 ? [1, d[1], d[2]] : [d[1], d[2], d[3]];
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  const bad = labels.data.findIndex((v) => !Number.isInteger(v) || v < 0 || v > 65535);
  if (bad >= 0) throw new TrainError(`${what}: label ${bad} is ${labels.data[bad]}; labels are class numbers 0, 1, 2, …`);
  const y = Int32Array.from(labels.data);
  const classes = y.reduce((a, b) => Math.max(a, b), 0) + 1;
  return { x, y, n: d[0], shape, classes };
}
