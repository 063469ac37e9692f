// Conv1d/2d/3d and ConvTranspose1d/2d/3d.
import { product, type Dim } from '../../../shapes/dim';
import { ArgReader, normalizeTuples, show } from '../../../shapes/args';
import { axesOf, channelsFirst, checkChannels } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result, weightAndBias } from '../../../shapes/layer-result';
import { REQUIRED, UNKNOWN, type Cfg, type ParamEntry, type TorchLayerSpec } from './spec';
import { applyWindows, paddingInfo, type AxisWindow } from '../../../shapes/window';

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];
const TUPLES = ['kernel_size', 'stride', 'padding', 'dilation', 'output_padding'];

interface ConvGeometry {
  cin: number | null;
  cout: number | null;
  groups: number | null;
  windows: AxisWindow[] | null;
  explicitSame: boolean;
}

/** Reads padding: ints per axis, or 'valid' / 'same' (total d(k−1), the odd one on the right). */
function readPadding(r: ArgReader, n: number, k: number[], s: number[], d: number[], transposed: boolean): Array<[number, number]> | null {
  const p = r.raw('padding');
  if (typeof p === 'string') {
    if (transposed) return r.invalid('padding', `must be an int or a tuple of ints for ${r.layer}, got ${show(p)}`);
    if (p === 'valid') return k.map(() => [0, 0]);
    if (p !== 'same') return r.invalid('padding', `must be 'valid', 'same' or ints, got ${show(p)}`);
    if (s.some((x) => x !== 1)) {
      r.error('same-padding-stride', `${r.layer}: padding='same' is not supported for strided convolutions (stride ${show(s)}); PyTorch raises here`);
      return null;
    }
    return k.map((ki, i) => {
      const total = d[i] * (ki - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  const ints = r.ints('padding', n, 0, true);
  return ints && ints.map((x): [number, number] => [x, x]);
}

function readGeometry(r: ArgReader, n: number, transposed: boolean): ConvGeometry {
  const cin = r.int('in_channels', 1);
  const cout = r.int('out_channels', 1);
  const groups = r.int('groups', 1);
  if (groups !== null) {
    if (cin !== null && cin % groups !== 0) r.error('groups-divisibility', `${r.layer}: in_channels=${cin} must be divisible by groups=${groups}`);
    if (cout !== null && cout % groups !== 0) r.error('groups-divisibility', `${r.layer}: out_channels=${cout} must be divisible by groups=${groups}`);
  }
  const mode = r.raw('padding_mode');
  if (mode !== undefined && !r.isUnknown('padding_mode') && !PADDING_MODES.includes(mode as string)) {
    r.invalid('padding_mode', `must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${show(mode)}`);
  }
  const k = r.ints('kernel_size', n, 1);
  const s = r.ints('stride', n, 1, true);
  const d = r.ints('dilation', n, 1, true);
  const op = transposed ? r.ints('output_padding', n, 0) : Array<number>(n).fill(0);
  if (!k || !s || !d || !op) return { cin, cout, groups, windows: null, explicitSame: false };
  const pads = readPadding(r, n, k, s, d, transposed);
  if (transposed && op.some((o, i) => o >= s[i] && o >= d[i])) {
    r.error('invalid-argument', `${r.layer}: output_padding ${show(op)} must be smaller than either stride ${show(s)} or dilation ${show(d)}`);
    return { cin, cout, groups, windows: null, explicitSame: false };
  }
  const windows = pads && k.map((ki, i): AxisWindow => ({ k: ki, s: s[i], d: d[i], before: pads[i][0], after: pads[i][1], outputPadding: op[i] }));
  return { cin, cout, groups, windows, explicitSame: r.raw('padding') === 'same' };
}

function convParameters(cfg: Cfg, n: number, transposed: boolean): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const cin = r.int('in_channels', 1);
  const cout = r.int('out_channels', 1);
  const groups = r.int('groups', 1);
  const k = r.ints('kernel_size', n, 1);
  const bias = r.bool('bias');
  if (cin === null || cout === null || groups === null || !k || bias === null) return null;
  const weight = transposed ? [cin, Math.floor(cout / groups), ...k] : [cout, Math.floor(cin / groups), ...k];
  return weightAndBias(weight, bias ? [cout] : null);
}

/**
 * ConvTranspose's forward(x, output_size): the sizes asked for (the spatial ones, or the whole (N, C, …) shape),
 * each between the smallest output, which PyTorch computes without the layer's output_padding, and stride − 1
 * more; that choice of output_padding is the layer's for this call (torch/nn/modules/conv.py, _output_padding).
 */
function requestedSize(r: ArgReader, cfg: Cfg, rank: number, windows: AxisWindow[], spatial: Dim[]): Dim[] | null {
  const given = cfg.output_size;
  if (given === UNKNOWN) return r.unknown('output_size');
  if (!Array.isArray(given)) return r.invalid('output_size', `must be a sequence of sizes, got ${show(given)}`);
  const n = windows.length;
  const sizes = given.length === rank ? given.slice(rank - n) : given;
  if (sizes.length !== n) {
    r.error('invalid-argument', `${r.layer}: for ${rank}D input, output_size must have ${n} or ${rank} elements (got ${given.length})`);
    return null;
  }
  if (sizes.some((d) => d === UNKNOWN)) return r.unknown('output_size');
  const mins = windows.map((w, i) => {
    const l = spatial[i];
    return typeof l === 'number' ? (l - 1) * w.s - w.before - w.after + w.d * (w.k - 1) + 1 : null;
  });
  const outside = sizes.some((d, i) => {
    const min = mins[i];
    return typeof d === 'number' && min !== null && (d < min || d > min + windows[i].s - 1);
  });
  if (outside && mins.every((m) => m !== null)) {
    const list = (xs: unknown[]) => `[${xs.join(', ')}]`;
    r.error('invalid-argument', `${r.layer}: requested an output size of ${list(sizes)}, but valid sizes range from `
      + `${list(mins)} to ${list(mins.map((m, i) => (m as number) + windows[i].s - 1))} (for an input of ${show(spatial)})`);
    return null;
  }
  return sizes as Dim[];
}

function convSpec(n: number, transposed: boolean): TorchLayerSpec {
  const name = `${transposed ? 'ConvTranspose' : 'Conv'}${n}d`;
  const axes = axesOf(n);
  const common: Array<[string, unknown]> = [['in_channels', REQUIRED], ['out_channels', REQUIRED], ['kernel_size', REQUIRED], ['stride', 1], ['padding', 0]];
  const rest: Array<[string, unknown]> = transposed
    ? [['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1]]
    : [['dilation', 1], ['groups', 1], ['bias', true]];
  return {
    signature: [...common, ...rest, ['padding_mode', 'zeros'], ['device', null], ['dtype', null]],
    ...(transposed ? { forwardArgs: [['output_size', null]] as Array<[string, unknown]> } : {}),
    normalize: (cfg) => normalizeTuples(cfg, TUPLES, n),
    parameters: (cfg) => convParameters(cfg, n, transposed),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const geo = readGeometry(r, n, transposed);
      const x = channelsFirst(r, inputs, n, true);
      const params = convParameters(cfg, n, transposed);
      const pFormula = paramsFormula(transposed ? 'C_in·(C_out/groups)·∏k + C_out' : 'C_out·(C_in/groups)·∏k + C_out', params);
      if (!x || !geo.windows) return result(r, null, null, pFormula);
      checkChannels(r, geo.cin, x.channels);
      const w = applyWindows(r, x.spatial, geo.windows, axes, transposed ? 'transposed' : 'sliding');
      if (transposed && cfg.output_size !== null && cfg.output_size !== undefined && w.spatial) {
        w.spatial = requestedSize(r, cfg, x.batch.length + 1 + n, geo.windows, x.spatial);
      }
      const padding = paddingInfo(geo.windows, geo.explicitSame, transposed);
      const window = { kernel: geo.windows.map((a) => a.k), stride: geo.windows.map((a) => a.s), dilation: geo.windows.map((a) => a.d) };
      if (!w.spatial || geo.cout === null) return result(r, null, null, [...w.formulas, ...pFormula], { padding, window });
      const k = window.kernel;
      let macs: Dim = null;
      const formulas = [...w.formulas, ...pFormula];
      if (geo.cin !== null && geo.groups !== null) {
        if (transposed) {
          // Every input element is multiplied by a whole (C_out/groups) × kernel slab.
          const factors: Dim[] = [geo.cin, ...x.spatial, Math.floor(geo.cout / geo.groups), ...k];
          macs = product(factors);
          formulas.push(macsFormula('C_in·∏l·(C_out/groups)·∏k', factors, macs));
        } else {
          const factors: Dim[] = [geo.cout, Math.floor(geo.cin / geo.groups), ...k, ...w.spatial];
          macs = product(factors);
          formulas.push(macsFormula('C_out·(C_in/groups)·∏k·∏o', factors, macs));
        }
      }
      return result(r, [...x.batch, geo.cout, ...w.spatial], macs, formulas, { padding, window });
    },
  };
}

export const CONV_LAYERS: Record<string, TorchLayerSpec> = {
  Conv1d: convSpec(1, false),
  Conv2d: convSpec(2, false),
  Conv3d: convSpec(3, false),
  ConvTranspose1d: convSpec(1, true),
  ConvTranspose2d: convSpec(2, true),
  ConvTranspose3d: convSpec(3, true),
};
