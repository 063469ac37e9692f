// The resume checkpoint (`resume.safetensors` of a run): a safetensors file holding the network's
// latest state_dict (`model.<name>`), early stopping's best weights (`best.<name>`), the optimiser's
// buffers (`optimizer.<slot>.<parameter>`, PyTorch's slot names) and the training images' order
// (`order`, int64); the rest of the loop's state (epoch, step, RNG, losses, curves so far) is JSON in
// the metadata. Reading it back checks every name and shape against the network it is to resume.
import type { Network } from '../graph/network';
import { ResumeError, type ResumeState } from '../loop/resume';
import { readSafetensors, readSafetensorsMetadata, writeSafetensors, type StoredTensor } from './safetensors';

const FORMAT = 'convlens-resume';
const VERSION = '1';

type Scalars = Omit<ResumeState, 'order' | 'weights' | 'best' | 'optimizer'> & {
  best: { loss: number; epoch: number } | null;
  optimizer: { name: ResumeState['optimizer']['name']; step: number; slots: string[] };
};

interface Entry { name: string; shape: number[]; value: Float32Array; integer?: boolean }

export function encodeCheckpoint(net: Network, s: ResumeState): Uint8Array {
  const entries: Entry[] = net.state.map((e, i) => ({ ...e, name: `model.${e.name}`, value: s.weights[i] }));
  if (s.best) net.state.forEach((e, i) => entries.push({ ...e, name: `best.${e.name}`, value: s.best!.weights[i] }));
  for (const [slot, bufs] of Object.entries(s.optimizer.slots)) {
    bufs.forEach((b, k) => { if (b) entries.push({ name: `optimizer.${slot}.${net.trained[k].name}`, shape: net.trained[k].shape, value: b }); });
  }
  entries.push({ name: 'order', shape: [s.order.length], value: Float32Array.from(s.order), integer: true });
  const { order: _o, weights: _w, best, optimizer, ...rest } = s;
  const scalars: Scalars = {
    ...rest, best: best && { loss: best.loss, epoch: best.epoch },
    optimizer: { name: optimizer.name, step: optimizer.step, slots: Object.keys(optimizer.slots) },
  };
  return writeSafetensors(entries, { format: FORMAT, version: VERSION, state: JSON.stringify(scalars) });
}

const shapeText = (s: number[]): string => `(${s.join(', ')})`;

/** What differs between the checkpoint's state_dict and the model's, for the message. */
function misfits(net: Network, stored: Map<string, StoredTensor>, prefix: string): string[] {
  const out: string[] = [], names = new Set(net.state.map((e) => e.name));
  for (const e of net.state) {
    const t = stored.get(prefix + e.name);
    if (!t) out.push(`${e.name} ${shapeText(e.shape)} is new in the model`);
    else if (t.shape.join() !== e.shape.join()) out.push(`${e.name} is ${shapeText(t.shape)} in the checkpoint but ${shapeText(e.shape)} in the model`);
  }
  for (const [name, t] of stored) {
    if (name.startsWith(prefix) && !names.has(name.slice(prefix.length))) out.push(`${name.slice(prefix.length)} ${shapeText(t.shape)} is no longer in the model`);
  }
  return out;
}

/** Reads a checkpoint for a network; a file it cannot read or a model it does not fit is a ResumeError that says why. */
export function decodeCheckpoint(bytes: Uint8Array, net: Network): ResumeState {
  let stored: Map<string, StoredTensor>, meta: Record<string, string>, scalars: Scalars;
  try {
    stored = readSafetensors(bytes);
    meta = readSafetensorsMetadata(bytes);
    if (meta.format !== FORMAT) throw new Error('it is not a ConvLens resume checkpoint');
    if (meta.version !== VERSION) throw new Error(`its format version ${String(meta.version)} is not ${VERSION}`);
    scalars = JSON.parse(meta.state) as Scalars;
    const ok = typeof scalars === 'object' && scalars !== null && Number.isInteger(scalars.epoch) && scalars.epoch >= 1
      && Number.isInteger(scalars.step) && Array.isArray(scalars.epochs) && Array.isArray(scalars.rng?.s) && scalars.rng.s.length === 4
      && typeof scalars.optimizer?.name === 'string' && Number.isInteger(scalars.optimizer.step) && Array.isArray(scalars.optimizer.slots)
      && typeof scalars.options === 'object' && scalars.options !== null && typeof scalars.data === 'string';
    if (!ok) throw new Error('its state is incomplete');
  } catch (e) {
    throw new ResumeError(`the checkpoint cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = misfits(net, stored, 'model.');
  if (bad.length) {
    const more = bad.length > 4 ? `, and ${bad.length - 4} more` : '';
    throw new ResumeError(`the model changed since the run was saved, so its checkpoint no longer fits: ${bad.slice(0, 4).join('; ')}${more}`);
  }
  const tensor = (name: string): Float32Array => {
    const t = stored.get(name);
    if (!t) throw new ResumeError(`the checkpoint cannot be read: it has no ${name}`);
    return t.data;
  };
  const weights = net.state.map((e) => tensor(`model.${e.name}`));
  const slots = Object.fromEntries(scalars.optimizer.slots.map((slot) => [slot, net.trained.map((p) => stored.get(`optimizer.${slot}.${p.name}`)?.data ?? null)]));
  return {
    ...scalars,
    order: Int32Array.from(tensor('order')),
    weights,
    best: scalars.best && { ...scalars.best, weights: net.state.map((e) => tensor(`best.${e.name}`)) },
    optimizer: { name: scalars.optimizer.name, step: scalars.optimizer.step, slots },
  };
}
