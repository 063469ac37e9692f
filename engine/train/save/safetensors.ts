// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
// name to its dtype, shape and byte range, padded with spaces to a multiple of 8, then the raw
// little-endian data. Names are PyTorch state_dict names, so `model.load_state_dict(load_file(path))`
// works on the same model; num_batches_tracked is stored as int64 as PyTorch keeps it.
import type { StateEntry } from '../graph/network';

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
