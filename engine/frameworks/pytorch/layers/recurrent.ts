// RNN, LSTM and GRU (stacked, bidirectional, LSTM's proj_size) and their one-step cells. They return
// tuples: `(output, h_n)`, LSTM `(output, (h_n, c_n))`, a cell `h` or LSTMCell `(h, c)`.
// MACs per sample (ConvLens's convention, README "What it computes, and how"): every weight matrix
// (w_ih, w_hh and LSTM's projection w_hr) once per time step of each layer and direction, that is
// G·H·(in + H_out) + P·H per step, G = 1/4/3 gates; the matrix products only, not the biases, the
// elementwise gate arithmetic or the nonlinearities.
import type { Formula } from '../../../report/types';
import { formatShape, mul, sameDim, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { fmt, fmtValue } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import {
  REQUIRED, type CallArg, type Cfg, type LayerResult, type OutputTree, type ParamEntry, type TorchLayerSpec, tensorArg, warnParamsUnknown,
} from './spec';

const GATES: Record<string, number> = { RNN: 1, LSTM: 4, GRU: 3, RNNCell: 1, LSTMCell: 4, GRUCell: 3 };

interface Sizes {
  input: number;
  hidden: number;
  /** LSTM's proj_size; 0 when there is no projection. */
  proj: number;
  layers: number;
  dirs: number;
  bias: boolean;
  gates: number;
}

const MAX_LAYERS = 10_000;

/** The sizes of a stacked RNN, or null (after saying why) when one is unknown or invalid. */
function readSizes(r: ArgReader, type: string, cell: boolean): Sizes | null {
  const input = r.int('input_size', 0);
  const hidden = r.int('hidden_size', 1);
  const layers = cell ? 1 : r.int('num_layers', 1);
  const bias = r.bool('bias');
  const dirs = cell ? false : r.bool('bidirectional');
  const proj = type === 'LSTM' ? r.int('proj_size', 0) : 0;
  if (!cell) {
    const p = r.num('dropout');
    if (p !== null && (p < 0 || p > 1)) r.invalid('dropout', `must be a number in range [0, 1], got ${p}`);
    else if (p !== null && p > 0 && layers === 1) {
      r.error('rnn-dropout-unused', `${type}: dropout=${p} acts between stacked layers only, so with num_layers=1 it does nothing`, 'warning');
    }
  }
  if (type === 'RNN' || type === 'RNNCell') {
    const nl = r.str('nonlinearity');
    if (nl !== null && nl !== 'tanh' && nl !== 'relu') r.invalid('nonlinearity', `must be 'tanh' or 'relu', got ${show(nl)}`);
  }
  if (proj !== null && hidden !== null && proj >= hidden && proj > 0) r.invalid('proj_size', `must be smaller than hidden_size=${hidden}`);
  // each stacked layer is a row of parameters: past this many, listing them would exhaust memory
  if (layers !== null && layers > MAX_LAYERS) {
    r.error('rnn-too-many-layers', `${type}: num_layers=${layers} is more layers than ConvLens lists (${MAX_LAYERS}); `
      + 'its parameters are not counted', 'warning');
    return null;
  }
  if (input === null || hidden === null || layers === null || bias === null || dirs === null || proj === null || r.missing) return null;
  return { input, hidden, proj, layers, dirs: dirs ? 2 : 1, bias, gates: GATES[type] };
}

const suffix = (layer: number, dir: number, cell: boolean): string => (cell ? '' : `_l${layer}${dir ? '_reverse' : ''}`);

/** PyTorch's parameters in registration order: per layer, per direction, w_ih, w_hh, b_ih, b_hh, w_hr. */
function entries(s: Sizes, cell: boolean): ParamEntry[] {
  const out: ParamEntry[] = [];
  const gate = s.gates * s.hidden;
  const hOut = s.proj || s.hidden;
  for (let l = 0; l < s.layers; l++) {
    for (let d = 0; d < s.dirs; d++) {
      const sfx = suffix(l, d, cell);
      const p = (name: string, shape: number[]) => out.push({ name: `${name}${sfx}`, shape, trainable: true });
      p('weight_ih', [gate, l === 0 ? s.input : s.dirs * hOut]);
      p('weight_hh', [gate, hOut]);
      if (s.bias) { p('bias_ih', [gate]); p('bias_hh', [gate]); }
      if (s.proj) p('weight_hr', [s.proj, s.hidden]);
    }
  }
  return out;
}

const sizesOf = (type: string, cell: boolean) => (cfg: Cfg): Sizes | null => readSizes(new ArgReader(cfg, type), type, cell);

const count = (es: ParamEntry[]): number => es.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
/** Elements of the weight matrices: the multiply-accumulates of one time step. */
const matrixElements = (es: ParamEntry[]): number => count(es.filter((e) => e.name.startsWith('weight')));

function paramsFormula(s: Sizes, es: ParamEntry[]): Formula {
  const hOut = s.proj || s.hidden;
  const terms: string[] = [];
  for (let l = 0; l < s.layers; l++) {
    const inL = l === 0 ? s.input : s.dirs * hOut;
    const g = `${s.gates}·${s.hidden}`;
    const parts = [`${g}·(${inL} + ${hOut})`, ...(s.bias ? [`2·${g}`] : []), ...(s.proj ? [`${s.proj}·${s.hidden}`] : [])];
    terms.push(`${s.dirs > 1 ? `${s.dirs}·` : ''}(${parts.join(' + ')})`);
  }
  const general = `Σ layers·directions: G·H·(in + H_out)${s.bias ? ' + 2·G·H' : ''}${s.proj ? ' + P·H' : ''} (G = ${s.gates} gates)`;
  return { label: 'params', general, substituted: `${terms.join(' + ')} = ${count(es)}` };
}

function macsFormula(steps: Dim, perStep: number, macs: Dim, cell: boolean): Formula {
  return cell
    ? { label: 'MACs', general: 'weight matrix elements (one step; matrix products only)', substituted: `${perStep} = ${fmtValue(macs)}` }
    : {
      label: 'MACs',
      general: 'T · Σ layers·directions (G·H·(in + H_out) + P·H): the matrix products per time step, not the gate arithmetic',
      substituted: `${fmt(steps)}·${perStep} = ${fmtValue(macs)}`,
    };
}

/** Checks an initial state against the shape PyTorch expects (`Expected hidden size …`). */
function checkState(r: ArgReader, what: string, got: Shape | null | undefined, want: Shape): void {
  if (!got) return;
  if (got.length !== want.length || got.some((d, i) => sameDim(d, want[i]) === false)) {
    r.error('rnn-state-mismatch', `${r.layer}: expected ${what} of shape ${formatShape(want)}, got ${formatShape(got)}`);
  }
}

/** The state argument's tensors: LSTM takes a tuple (h_0, c_0), the others one tensor. */
function stateArgs(r: ArgReader, hx: CallArg | undefined, lstm: boolean): Array<Shape | null | undefined> {
  if (hx === null || hx === undefined) return [];
  if (lstm) {
    if (Array.isArray(hx) && hx.length === 2) return hx.map(tensorArg);
    r.error('rnn-state-mismatch', `${r.layer}: the initial state must be a tuple (h_0, c_0)`);
    return [];
  }
  return [tensorArg(hx)];
}

function stacked(type: string): TorchLayerSpec {
  const lstm = type === 'LSTM';
  const sizes = sizesOf(type, false);
  return {
    signature: [
      ['input_size', REQUIRED], ['hidden_size', REQUIRED], ['num_layers', 1],
      ...(type === 'RNN' ? [['nonlinearity', 'tanh'] as [string, unknown]] : []),
      ['bias', true], ['batch_first', false], ['dropout', 0.0], ['bidirectional', false],
      ...(lstm ? [['proj_size', 0] as [string, unknown]] : []),
      ['device', null], ['dtype', null],
    ],
    forward: [['hx', null]],
    parameters: (cfg) => { const s = sizes(cfg); return s && entries(s, false); },
    apply(cfg, inputs, call) {
      const r = new ArgReader(cfg, type);
      const s = readSizes(r, type, false);
      const batchFirst = r.bool('batch_first');
      const formulas: Formula[] = [];
      const es = s && entries(s, false);
      if (s && es) formulas.push(paramsFormula(s, es));
      else warnParamsUnknown(r);
      if (!call && !inputs.length) r.error('rank-mismatch', `${type} receives no input tensor`);
      const x: CallArg = call ? call.input : { shape: inputs[0] ?? null };
      // the output's sizes do not need input_size: keep them when only that is unknown
      const known = (name: string, dflt: number) => (typeof cfg[name] === 'number' ? cfg[name] as number : cfg[name] === undefined ? dflt : null);
      const dirs = s ? s.dirs : typeof cfg.bidirectional === 'boolean' ? (cfg.bidirectional ? 2 : 1) : null;
      const hidden = s ? s.hidden : known('hidden_size', 0);
      const proj = s ? s.proj : known('proj_size', 0);
      const hOut = proj === null || hidden === null ? null : proj || hidden;
      const layersN = s ? s.layers : known('num_layers', 1);
      const dl = dirs !== null && layersN !== null ? dirs * layersN : null;
      const outFeatures = dirs !== null && hOut !== null ? dirs * hOut : null;
      const state = (n: Dim[], h: Dim): OutputTree => (lstm ? [{ shape: [dl, ...n, hOut] }, { shape: [dl, ...n, h] }] : { shape: [dl, ...n, hOut] });
      const unknownOut = (): LayerResult => result(r, null, null, formulas, {
        outputs: [{ shape: null }, lstm ? [{ shape: null }, { shape: null }] : { shape: null }],
      });

      if (x !== null && typeof x === 'object' && !Array.isArray(x) && 'packed' in x) {
        // a PackedSequence: time-major padded layout (T, N, in); .data holds Σ lengths rows
        const { padded, steps } = x.packed;
        const n = padded ? padded[1] : null;
        if (padded && s) checkInput(r, padded[2], s.input);
        const perSample = typeof n === 'number' && steps !== null && steps % n === 0 ? steps / n : null;
        const macs = es ? mul(perSample, matrixElements(es)) : null;
        if (es) formulas.push(macsFormula(perSample, matrixElements(es), macs, false));
        const data: Shape = [steps, outFeatures];
        return result(r, data, macs, formulas, {
          outputs: [{ packed: { padded: padded && [padded[0], padded[1], outFeatures], steps } }, state([n], hidden)],
        });
      }
      const shape = tensorArg(x);
      if (!shape) return unknownOut();
      if (shape.length !== 2 && shape.length !== 3) {
        r.error('rank-mismatch', `${type} expects a 3-D ${batchFirst ? '(N, T, in)' : '(T, N, in)'} or 2-D unbatched (T, in) input but receives ${shape.length}-D ${formatShape(shape)}`);
        return unknownOut();
      }
      const batched = shape.length === 3;
      const [t, n] = !batched ? [shape[0], null] : batchFirst ? [shape[1], shape[0]] : [shape[0], shape[1]];
      if (s) checkInput(r, shape[shape.length - 1], s.input);
      const batchDims: Dim[] = batched ? [n] : [];
      const [h0, c0] = stateArgs(r, call?.hx, lstm);
      if (s) {
        checkState(r, lstm ? 'h_0' : 'the initial state', h0, [dl, ...batchDims, hOut]);
        checkState(r, 'c_0', c0, [dl, ...batchDims, s.hidden]);
      }
      const output: Shape = [...shape.slice(0, -1), outFeatures];
      const macs = es ? mul(t, matrixElements(es)) : null;
      if (es) formulas.push(macsFormula(t, matrixElements(es), macs, false));
      if (r.diagnostics.some((d) => d.severity === 'error')) return unknownOut();
      return result(r, output, macs, formulas, { outputs: [{ shape: output }, state(batchDims, hidden)] });
    },
  };
}

function checkInput(r: ArgReader, got: Dim, want: number): void {
  if (sameDim(got, want) === false) r.error('rnn-input-size', `${r.layer} expects input_size=${want} features but receives ${fmt(got)}; set input_size=${fmt(got)}`);
}

function cellSpec(type: string): TorchLayerSpec {
  const lstm = type === 'LSTMCell';
  const sizes = sizesOf(type, true);
  return {
    signature: [
      ['input_size', REQUIRED], ['hidden_size', REQUIRED], ['bias', true],
      ...(type === 'RNNCell' ? [['nonlinearity', 'tanh'] as [string, unknown]] : []),
      ['device', null], ['dtype', null],
    ],
    forward: [['hx', null]],
    parameters: (cfg) => { const s = sizes(cfg); return s && entries(s, true); },
    apply(cfg, inputs, call) {
      const r = new ArgReader(cfg, type);
      const s = readSizes(r, type, true);
      const es = s && entries(s, true);
      const formulas: Formula[] = [];
      if (s && es) formulas.push(paramsFormula(s, es));
      else warnParamsUnknown(r);
      if (!call && !inputs.length) r.error('rank-mismatch', `${type} receives no input tensor`);
      const shape = call ? tensorArg(call.input) : inputs[0];
      const unknownOut = (): LayerResult => result(r, null, null, formulas, { outputs: lstm ? [{ shape: null }, { shape: null }] : { shape: null } });
      if (!shape) return unknownOut();
      if (shape.length !== 1 && shape.length !== 2) {
        r.error('rank-mismatch', `${type} expects a 2-D (N, in) or 1-D unbatched (in) input but receives ${shape.length}-D ${formatShape(shape)}`);
        return unknownOut();
      }
      if (s) checkInput(r, shape[shape.length - 1], s.input);
      const h: Shape = [...shape.slice(0, -1), s ? s.hidden : null];
      const states = stateArgs(r, call?.hx, lstm);
      states.forEach((st, i) => checkState(r, lstm ? ['h_0', 'c_0'][i] : 'the initial state', st, h));
      const macs = es ? matrixElements(es) : null;
      if (es) formulas.push(macsFormula(1, matrixElements(es), macs, true));
      if (r.diagnostics.some((d) => d.severity === 'error')) return unknownOut();
      return result(r, h, macs, formulas, { outputs: lstm ? [{ shape: h }, { shape: h }] : { shape: h } });
    },
  };
}

export const RECURRENT_LAYERS: Record<string, TorchLayerSpec> = {
  RNN: stacked('RNN'),
  LSTM: stacked('LSTM'),
  GRU: stacked('GRU'),
  RNNCell: cellSpec('RNNCell'),
  LSTMCell: cellSpec('LSTMCell'),
  GRUCell: cellSpec('GRUCell'),
};
