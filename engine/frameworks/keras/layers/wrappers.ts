// The layer wrappers: Bidirectional (a forward and a backward copy of a recurrent layer, or the
// backward_layer given, merged by merge_mode: concat, sum, mul, ave, or None for a list of both) and
// TimeDistributed (the inner layer on every step: its weights once, built on one step's shape; its
// MACs T times). A wrapped layer ConvLens does not catalogue is an unknown argument (lower bounds).
import { add, mul, sameDim, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { fmtValue } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import type { LayerResult, OutputTree } from '../../../shapes/layer-spec';
import { shapeText } from './layout';
import { REQUIRED, UNKNOWN, isInnerLayer, type Cfg, type InnerLayer, type KerasLayerSpec, type ParamEntry } from './spec';

const prefixed = (prefix: string, entries: ParamEntry[] | null) => entries && entries.map((e) => ({ ...e, name: `${prefix}/${e.name}` }));

/** The forward and the backward layer (the forward one with go_backwards flipped, unless given). */
function directions(cfg: Cfg): [InnerLayer, InnerLayer] | null {
  const fwd = cfg.layer, given = cfg.backward_layer;
  if (!isInnerLayer(fwd) || (given !== null && given !== undefined && !isInnerLayer(given))) return null;
  const back = isInnerLayer(given) ? given : { ...fwd, cfg: { ...fwd.cfg, go_backwards: fwd.cfg.go_backwards !== true } };
  return [fwd, back];
}

function bidirectionalWeights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const d = directions(cfg);
  const f = d && prefixed('forward', d[0].spec.weights(d[0].cfg, inputs));
  const b = d && prefixed('backward', d[1].spec.weights(d[1].cfg, inputs));
  return f && b ? [...f, ...b] : null;
}

/** The first tensor and the states of a recurrent layer's output tree. */
function split(res: LayerResult): { out: Shape | null; states: OutputTree[] } {
  const tree = res.outputs;
  return Array.isArray(tree) ? { out: res.output, states: tree.slice(1) } : { out: res.output, states: [] };
}

function merged(r: ArgReader, mode: unknown, a: Shape, b: Shape): Shape | null {
  if (mode === 'concat') return [...a.slice(0, -1), mul(a[a.length - 1], 2)];
  if (mode === 'sum' || mode === 'mul' || mode === 'ave') {
    if (a.length !== b.length || a.some((x, i) => sameDim(x, b[i]) === false)) {
      r.error('bidirectional-merge', `Bidirectional(merge_mode=${show(mode)}): the forward output ${shapeText(a)} and the backward output ${shapeText(b)} differ`);
      return null;
    }
    return a;
  }
  return r.invalid('merge_mode', `must be 'concat', 'sum', 'mul', 'ave' or None, got ${show(mode)}`);
}

const bidirectional: KerasLayerSpec = {
  signature: [['layer', REQUIRED], ['merge_mode', 'concat'], ['weights', null], ['backward_layer', null]],
  weights: bidirectionalWeights,
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'Bidirectional');
    const d = directions(cfg);
    if (!d) return result(r, cfg.layer === UNKNOWN || cfg.backward_layer === UNKNOWN ? r.unknown('layer') : r.invalid('layer', 'must be a Keras recurrent layer'), null);
    const [fwd, back] = d.map((l) => l.spec.apply(l.cfg, inputs));
    for (const x of [...fwd.diagnostics, ...back.diagnostics]) r.error(x.code, x.message, x.severity);
    const f = split(fwd), b = split(back);
    const params = bidirectionalWeights(cfg, inputs);
    const total = params?.reduce((a, e) => a + e.shape.reduce((x, y) => x * y, 1), 0);
    const formulas = [
      { label: 'params', general: 'forward + backward layer', substituted: total === undefined ? '?' : String(total) },
      { label: 'MACs', general: 'forward + backward layer', substituted: `${fmtValue(fwd.macs)} + ${fmtValue(back.macs)} = ${fmtValue(add(fwd.macs, back.macs))}` },
    ];
    if (!f.out || !b.out) return result(r, null, null, formulas);
    const mode = r.raw('merge_mode');
    const macs = add(fwd.macs, back.macs);
    // Keras's compute_output_shape reads the forward layer only (twice), even when a backward_layer
    // of another size is given: the symbolic shapes, and so the next layers' weights, follow it
    if (mode === null) {
      return result(r, f.out, macs, formulas, { outputs: [{ shape: f.out }, { shape: f.out }, ...f.states, ...f.states] });
    }
    const out = merged(r, mode, f.out, b.out);
    if (!out) return result(r, null, null, formulas);
    const states = [...f.states, ...f.states];
    return result(r, out, macs, formulas, states.length ? { outputs: [{ shape: out }, ...states] } : {});
  },
};

/** One step of the input: the time axis removed. */
const step = (x: Shape): Shape => [x[0], ...x.slice(2)];

function innerOf(cfg: Cfg): InnerLayer | null {
  return isInnerLayer(cfg.layer) ? cfg.layer : null;
}

const timeDistributed: KerasLayerSpec = {
  signature: [['layer', REQUIRED]],
  weights(cfg, inputs) {
    const inner = innerOf(cfg);
    return inner && inputs[0] && inputs[0].length >= 3 ? inner.spec.weights(inner.cfg, [step(inputs[0])]) : null;
  },
  apply(cfg, inputs) {
    const r = new ArgReader(cfg, 'TimeDistributed');
    const inner = innerOf(cfg);
    const x = inputs[0];
    if (!inner) return result(r, cfg.layer === UNKNOWN ? r.unknown('layer') : r.invalid('layer', 'must be a Keras layer'), null);
    if (!x || x.length < 3) {
      r.error('rank-mismatch', `TimeDistributed needs an input (batch, time, …) of at least 3 dimensions, got ${x ? shapeText(x) : 'none'}`);
      return result(r, null, null);
    }
    const res = inner.spec.apply(inner.cfg, [step(x)]);
    for (const d of res.diagnostics) r.error(d.code, `${inner.type}: ${d.message}`, d.severity);
    const steps: Dim = x[1];
    const macs = mul(steps, res.macs);
    const formulas = [...res.formulas.filter((f) => f.label !== 'MACs'), { label: 'MACs', general: 'T × the inner layer', substituted: `${fmtValue(steps)}·${fmtValue(res.macs)} = ${fmtValue(macs)}` }];
    const out = res.output && [res.output[0], steps, ...res.output.slice(1)];
    return result(r, out, macs, formulas, res.padding ? { padding: res.padding, window: res.window } : {});
  },
};

export const WRAPPER_LAYERS: Record<string, KerasLayerSpec> = { Bidirectional: bidirectional, TimeDistributed: timeDistributed };
