// ConvLSTM1D/2D/3D: an LSTM whose matrix products are convolutions. Input (batch, T, spatial…, C)
// (channels_last) or (batch, T, C, spatial…); each frame's output size follows Conv*D's TensorFlow
// padding. Weights: kernel (k…, C, 4f), recurrent_kernel (k…, f, 4f) and bias (4f). MACs per sample:
// T × 4f·(C + f)·∏k·∏o (the input and the recurrent convolution of every gate, per step).
import { product, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { axesOf } from '../../../shapes/layer-input';
import { macsFormula, paramsFormula, result } from '../../../shapes/layer-result';
import { assemble, readPaddingMode, readSpatial, shapeText, tfWindows } from './layout';
import { RNN_OPTIONS } from './recurrent';
import { REQUIRED, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';

const w = (name: string, shape: number[]): ParamEntry => ({ name, shape, trainable: true });

/** One frame of the input: the time axis removed. */
const frame = (x: Shape | undefined): Shape[] => (x && x.length >= 2 ? [[x[0], ...x.slice(2)]] : []);

function convLstmWeights(n: number, cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const x = inputs[0]?.length === n + 3 ? readSpatial(r, frame(inputs[0]), n) : null;
  const k = r.ints('kernel_size', n, 1), f = r.int('filters', 1), bias = r.bool('use_bias');
  const c = x?.channels;
  if (!k || f === null || bias === null || typeof c !== 'number') return null;
  return [w('kernel', [...k, c, 4 * f]), w('recurrent_kernel', [...k, f, 4 * f]), ...(bias ? [w('bias', [4 * f])] : [])];
}

function convLstmSpec(n: number): KerasLayerSpec {
  const name = `ConvLSTM${n}D`;
  return {
    signature: [
      ['filters', REQUIRED], ['kernel_size', REQUIRED], ['strides', 1], ['padding', 'valid'], ['data_format', null], ['dilation_rate', 1],
      ['activation', 'tanh'], ['recurrent_activation', 'sigmoid'], ['use_bias', true], ...RNN_OPTIONS,
    ],
    weights: (cfg, inputs) => convLstmWeights(n, cfg, inputs),
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const formulas = paramsFormula('∏k·(C + f)·4f + 4f', convLstmWeights(n, cfg, inputs));
      const input = inputs[0];
      if (input && input.length !== n + 3) {
        r.error('rank-mismatch', `${name} expects a ${n + 3}-D input (batch, time, ${axesOf(n).join(', ')}, channels) but receives ${input.length}-D ${shapeText(input)}`);
        return result(r, null, null, formulas);
      }
      const x = readSpatial(r, frame(input), n);
      const k = r.ints('kernel_size', n, 1), s = r.ints('strides', n, 1), d = r.ints('dilation_rate', n, 1);
      const f = r.int('filters', 1);
      const padding = readPaddingMode(r, false);
      const seq = r.bool('return_sequences'), state = r.bool('return_state');
      if (!input || !x || !k || !s || !d || !padding || f === null || seq === null || state === null) return result(r, null, null, formulas);
      const win = tfWindows(r, x.spatial, k, s, d, padding, axesOf(n));
      const extra = { padding: win.padding, window: win.window };
      formulas.unshift(...win.formulas);
      if (!win.spatial) return result(r, null, null, formulas, extra);
      const last = assemble(x, f, win.spatial);
      const steps = input[1];
      const output = seq ? [last[0], steps, ...last.slice(1)] : last;
      const factors: Dim[] = [steps, 4 * f, typeof x.channels === 'number' ? x.channels + f : null, ...k, ...win.spatial];
      const macs = product(factors);
      formulas.push(macsFormula('T·4f·(C + f)·∏k·∏o', factors, macs));
      // return_state: the output, then h and c (each one frame)
      const outputs = state ? [{ shape: output }, { shape: last }, { shape: last }] : undefined;
      return result(r, output, macs, formulas, { ...extra, ...(outputs ? { outputs } : {}) });
    },
  };
}

export const CONVLSTM_LAYERS: Record<string, KerasLayerSpec> = {
  ConvLSTM1D: convLstmSpec(1),
  ConvLSTM2D: convLstmSpec(2),
  ConvLSTM3D: convLstmSpec(3),
};
