// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
// name to its dtype, shape and byte range, padded with spaces to a multiple of 8, then the raw
// little-endian data. Names are PyTorch state_dict names, so `model.load_state_dict(load_file(path))`
// works on the same model; num_batches_tracked is stored as int64 as PyTorch keeps it.
import type { StateEntry } from '../graph/network';
import { TrainError } from '../layers/layer';

export function writeSafetensors(entries: StateEntry[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const sizes = entries.map((e) => ('integer' in e && e.integer ? 8 : 4) * e.value.length);
  entries.forEach((e, i) => {
    header[e.name] = { dtype: 'integer' in e && e.integer ? 'I64' : 'F32', shape: e.shape, data_offsets: [offset, offset + sizes[i]] };
    offset += sizes[i];
  });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  entries.forEach((e, i) => {
    if ('integer' in e && e.integer) {
      for (let j = 0; j < e.value.length; j++) view.setBigInt64(at + 8 * j, BigInt(Math.round(e.value[j])), true);
    } else {
      for (let j = 0; j < e.value.length; j++) view.setFloat32(at + 4 * j, e.value[j], true);
    }
    at += sizes[i];
  });
  return out;
}

export interface StoredTensor {
  shape: number[];
  /** F32 as stored; I64 converted to numbers. */
  data: Float32Array;
}

interface Entry { dtype: string; shape: number[]; data_offsets: [number, number] }
/** Tensor entries by name, and `__metadata__` (string → string). */
type Header = Record<string, unknown>;

function readHeader(bytes: Uint8Array): { header: Header; view: DataView; base: number } {
  if (bytes.length < 8) throw new TrainError('not a safetensors file (shorter than its 8-byte header length)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new TrainError('not a safetensors file (the header runs past the end)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new TrainError('not a safetensors file (the header is not JSON)');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new TrainError('not a safetensors file (the header is not an object)');
  return { header, view, base: 8 + n };
}

/** The `__metadata__` strings of a safetensors file ({} when it has none). */
export function readSafetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  const m = readHeader(bytes).header.__metadata__;
  return typeof m === 'object' && m !== null ? (m as Record<string, string>) : {};
}

/** Reads a safetensors file (F32 and I64 entries, as written above) into name → tensor. */
export function readSafetensors(bytes: Uint8Array): Map<string, StoredTensor> {
  const { header, view, base } = readHeader(bytes);
  const out = new Map<string, StoredTensor>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as Entry;
    const ints = (a: unknown, n?: number): boolean => Array.isArray(a) && (n === undefined || a.length === n) && a.every((v) => Number.isInteger(v) && v >= 0);
    if (!e || !ints(e.shape) || !ints(e.data_offsets, 2)) throw new TrainError(`${name}: not a tensor entry (shape and data_offsets)`);
    const [from, to] = e.data_offsets, count = e.shape.reduce((a, b) => a * b, 1), data = new Float32Array(count);
    const size = e.dtype === 'F32' ? 4 : e.dtype === 'I64' ? 8 : 0;
    if (!size) throw new TrainError(`${name}: dtype ${e.dtype} is not supported (F32, I64)`);
    if (to - from !== count * size || base + to > bytes.length) throw new TrainError(`${name}: its byte range does not match its shape`);
    for (let i = 0; i < count; i++) {
      data[i] = size === 4 ? view.getFloat32(base + from + 4 * i, true) : Number(view.getBigInt64(base + from + 8 * i, true));
    }
    out.set(name, { shape: e.shape, data });
  }
  return out;
}

/** Loads stored values into a network's state; every entry must be there with the same shape. */
export function loadState(entries: StateEntry[], stored: Map<string, StoredTensor>): void {
  for (const e of entries) {
    const s = stored.get(e.name);
    if (!s) throw new TrainError(`the weights have no ${e.name}: the model changed since they were saved`);
    if (s.shape.join() !== e.shape.join()) throw new TrainError(`${e.name} is (${s.shape.join(', ')}) in the weights but (${e.shape.join(', ')}) in the model: the model changed since they were saved`);
    e.value.set(s.data);
  }
}
