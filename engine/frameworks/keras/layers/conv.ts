// Conv1D/2D/3D, their transposes, DepthwiseConv1D/2D and SeparableConv1D/2D with Keras's weights:
// kernel (k…, C_in/groups, filters) plus bias (filters) when use_bias; depthwise kernels
// (k…, C_in, depth_multiplier); separable = depthwise + pointwise (1…, C_in·dm, filters) + bias.
import { add, mul, product, type Dim } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { axesOf, fmtValue } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result } from '../../../shapes/layer-result';
import { assemble, readPaddingMode, readSpatial, tfWindows } from './layout';
import { REQUIRED, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';
import type { Shape } from '../../../shapes/dim';

type Kind = 'conv' | 'transpose' | 'depthwise' | 'separable';

const COMMON: Array<[string, unknown]> = [['strides', 1], ['padding', 'valid'], ['data_format', null], ['dilation_rate', 1]];

function signature(kind: Kind): Array<[string, unknown]> {
  switch (kind) {
    case 'conv': return [['filters', REQUIRED], ['kernel_size', REQUIRED], ...COMMON, ['groups', 1], ['activation', null], ['use_bias', true]];
    case 'transpose': return [['filters', REQUIRED], ['kernel_size', REQUIRED], ['strides', 1], ['padding', 'valid'], ['output_padding', null], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]];
    case 'depthwise': return [['kernel_size', REQUIRED], ...COMMON.slice(0, 2), ['depth_multiplier', 1], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]];
    case 'separable': return [['filters', REQUIRED], ['kernel_size', REQUIRED], ...COMMON, ['depth_multiplier', 1], ['activation', null], ['use_bias', true]];
  }
}

const w = (name: string, shape: number[]): ParamEntry => ({ name, shape, trainable: true });

function convWeights(kind: Kind, n: number, cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const x = readSpatial(r, inputs, n);
  const k = r.ints('kernel_size', n, 1);
  const bias = r.bool('use_bias');
  const cin = x?.channels;
  if (!k || bias === null || typeof cin !== 'number') return null;
  if (kind === 'depthwise') {
    const dm = r.int('depth_multiplier', 1);
    return dm === null ? null : [w('kernel', [...k, cin, dm]), ...(bias ? [w('bias', [cin * dm])] : [])];
  }
  const f = r.int('filters', 1);
  if (f === null) return null;
  if (kind === 'separable') {
    const dm = r.int('depth_multiplier', 1);
    if (dm === null) return null;
    return [w('depthwise_kernel', [...k, cin, dm]), w('pointwise_kernel', [...k.map(() => 1), cin * dm, f]), ...(bias ? [w('bias', [f])] : [])];
  }
  const g = kind === 'conv' ? r.int('groups', 1) : 1;
  if (g === null) return null;
  const kernel = kind === 'transpose' ? [...k, f, cin] : [...k, Math.floor(cin / g), f];
  return [w('kernel', kernel), ...(bias ? [w('bias', [f])] : [])];
}

/** Keras's `deconv_output_length`: l·s + max(k_d − s, 0) (valid) or l·s (same) without output_padding. */
function transposedLength(l: Dim, k: number, s: number, d: number, padding: string, outputPadding: number | undefined): Dim {
  const kd = k + (k - 1) * (d - 1);
  if (outputPadding === undefined) return padding === 'same' ? mul(l, s) : add(mul(l, s), Math.max(kd - s, 0));
  const pad = padding === 'same' ? Math.floor(kd / 2) : 0;
  return add(mul(add(l, -1), s), kd - 2 * pad + outputPadding);
}

function convSpec(kind: Kind, n: number, name: string): KerasLayerSpec {
  const axes = axesOf(n);
  return {
    signature: signature(kind),
    weights: (cfg, inputs) => convWeights(kind, n, cfg, inputs),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const x = readSpatial(r, inputs, n);
      const k = r.ints('kernel_size', n, 1);
      const s = r.ints('strides', n, 1);
      const d = r.ints('dilation_rate', n, 1);
      const padding = readPaddingMode(r, kind === 'conv' && n === 1);
      const f = kind === 'depthwise' ? null : r.int('filters', 1);
      const dm = kind === 'depthwise' || kind === 'separable' ? r.int('depth_multiplier', 1) : 1;
      const groups = kind === 'conv' ? r.int('groups', 1) : 1;
      const params = convWeights(kind, n, cfg, inputs);
      const pFormula = paramsFormula(kind === 'depthwise' ? '∏k·C_in·dm + C_in·dm' : kind === 'separable' ? '∏k·C_in·dm + C_in·dm·filters + filters' : '∏k·(C_in/groups)·filters + filters', params);
      if (!x || !k || !s || !d || !padding || dm === null || groups === null) return result(r, null, null, pFormula);
      const cin = x.channels;
      if (kind === 'conv' && typeof cin === 'number' && cin % groups !== 0) {
        r.error('groups-divisibility', `${name}: the ${cin} input channels must be divisible by groups=${groups}`);
      }
      if (kind === 'transpose') {
        const op = r.raw('output_padding') === null ? undefined : r.ints('output_padding', n, 0);
        if (op === null || f === null) return result(r, null, null, pFormula);
        const spatial = x.spatial.map((l, i) => transposedLength(l, k[i], s[i], d[i], padding, op?.[i]));
        const factors: Dim[] = [cin, ...x.spatial, f, ...k];
        const macs = product(factors);
        return result(r, assemble(x, f, spatial), macs, [...pFormula, macsFormula('C_in·∏l·filters·∏k', factors, macs)]);
      }
      const win = tfWindows(r, x.spatial, k, s, d, padding, axes);
      const cout = kind === 'depthwise' ? mul(cin, dm) : f;
      const extra = { padding: win.padding, window: win.window };
      if (!win.spatial || cout === null) return result(r, null, null, [...win.formulas, ...pFormula], extra);
      const formulas = [...win.formulas, ...pFormula];
      let macs: Dim;
      if (kind === 'conv') {
        const factors: Dim[] = [cout, typeof cin === 'number' ? Math.floor(cin / groups) : cin, ...k, ...win.spatial];
        macs = product(factors);
        formulas.push(macsFormula('filters·(C_in/groups)·∏k·∏o', factors, macs));
      } else {
        // depthwise: every input channel × depth_multiplier sees one k… window per output position
        const depthwise: Dim[] = [cin, dm, ...k, ...win.spatial];
        macs = product(depthwise);
        if (kind === 'separable') {
          const pointwise = product([cin, dm, cout, ...win.spatial]);
          const total = add(macs, pointwise);
          formulas.push({ label: 'MACs', general: 'C_in·dm·∏k·∏o + C_in·dm·filters·∏o', substituted: `${fmtValue(macs)} + ${fmtValue(pointwise)} = ${fmtValue(total)}` });
          macs = total;
        } else formulas.push(macsFormula('C_in·dm·∏k·∏o', depthwise, macs));
      }
      return result(r, assemble(x, cout, win.spatial), macs, formulas, extra);
    },
  };
}

export const CONV_LAYERS: Record<string, KerasLayerSpec> = {
  Conv1D: convSpec('conv', 1, 'Conv1D'),
  Conv2D: convSpec('conv', 2, 'Conv2D'),
  Conv3D: convSpec('conv', 3, 'Conv3D'),
  Conv1DTranspose: convSpec('transpose', 1, 'Conv1DTranspose'),
  Conv2DTranspose: convSpec('transpose', 2, 'Conv2DTranspose'),
  Conv3DTranspose: convSpec('transpose', 3, 'Conv3DTranspose'),
  DepthwiseConv1D: convSpec('depthwise', 1, 'DepthwiseConv1D'),
  DepthwiseConv2D: convSpec('depthwise', 2, 'DepthwiseConv2D'),
  SeparableConv1D: convSpec('separable', 1, 'SeparableConv1D'),
  SeparableConv2D: convSpec('separable', 2, 'SeparableConv2D'),
};
