// MultiHeadAttention, Attention and AdditiveAttention (Keras 3).
// MultiHeadAttention(query, value, key=value): query/key projections (dim, h, key_dim) + bias (h, key_dim),
// the value projection (dim, h, value_dim) + (h, value_dim), the output projection (h, value_dim, out…)
// + (out…), out = output_shape or the query's last axis. Output: query[:-1] + out; with
// return_attention_scores also the scores (batch, h, T_q, T_v). MACs per sample: the four projections
// (positions × in × out of each) and the two attention products QKᵀ and AV, h·(key_dim + value_dim)·N_q·N_k
// (N_q every query position, N_k the key positions along the attention axes); not the softmax.
// Attention([query, value(, key)]): (batch, T_q, dim_v); use_scale adds a scalar, score_mode="concat"
// another; AdditiveAttention's use_scale (default True) a vector of the query's dim. MACs: QKᵀ for dot
// scores (T_q·T_v·dim) and the weighted sum AV (T_q·T_v·dim_v); additive and concat scores are
// elementwise (tanh of sums), not counted.
import { add, mul, product, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader, show } from '../../../shapes/args';
import { fmtValue } from '../../../shapes/layer-input';
import { paramsFormula, result } from '../../../shapes/layer-result';
import type { LayerResult } from '../../../shapes/layer-spec';
import { shapeText } from './layout';
import { REQUIRED, type Cfg, type KerasLayerSpec, type ParamEntry } from './spec';

const w = (name: string, shape: number[]): ParamEntry => ({ name, shape, trainable: true });
const known = (s: Dim[]): s is number[] => s.every((d) => typeof d === 'number');

/** output_shape: None (the query's last axis), an int or a tuple of ints. */
function outShape(r: ArgReader, query: Shape): Dim[] | null {
  const v = r.raw('output_shape');
  if (v === null || v === undefined) return [query[query.length - 1]];
  if (typeof v === 'number') return r.ints('output_shape', 1, 1);
  return r.intList('output_shape', 1);
}

interface MhaSizes { h: number; kd: number; vd: number; bias: boolean }

function mhaSizes(r: ArgReader): MhaSizes | null {
  const h = r.int('num_heads', 1), kd = r.int('key_dim', 1), bias = r.bool('use_bias');
  const vd = r.raw('value_dim') === null ? kd : r.int('value_dim', 1);
  return h === null || kd === null || vd === null || bias === null ? null : { h, kd, vd, bias };
}

function mhaWeights(cfg: Cfg, inputs: Shape[]): ParamEntry[] | null {
  const r = new ArgReader(cfg, '');
  const m = mhaSizes(r);
  const [q, v] = inputs;
  const k = inputs[2] ?? v;
  const out = q && outShape(r, q);
  if (!m || !q || !v || !out) return null;
  const dims = [q[q.length - 1], k[k.length - 1], v[v.length - 1], ...out];
  if (!known(dims)) return null;
  const [dq, dk, dv] = dims;
  const proj = (name: string, d: number, size: number): ParamEntry[] => [
    w(`${name}/kernel`, [d, m.h, size]), ...(m.bias ? [w(`${name}/bias`, [m.h, size])] : []),
  ];
  return [
    ...proj('query', dq, m.kd), ...proj('key', dk, m.kd), ...proj('value', dv, m.vd),
    w('attention_output/kernel', [m.h, m.vd, ...(out as number[])]), ...(m.bias ? [w('attention_output/bias', out as number[])] : []),
  ];
}

/** The attention axes as indices of the input (default: every axis between the batch and the features). */
function attentionAxes(r: ArgReader, rank: number): number[] | null {
  const v = r.raw('attention_axes');
  const all = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  if (v === null || v === undefined) return all;
  const list = Array.isArray(v) ? v : [v];
  const out: number[] = [];
  for (const a of list) {
    const i = typeof a === 'number' && Number.isInteger(a) ? (a < 0 ? rank + a : a) : -1;
    if (!all.includes(i)) return r.invalid('attention_axes', `${show(v)} must name axes between the batch and the last axis of a ${rank}-D input`);
    out.push(i);
  }
  return out;
}

const multiHeadAttention: KerasLayerSpec = {
  signature: [
    ['num_heads', REQUIRED], ['key_dim', REQUIRED], ['value_dim', null], ['dropout', 0], ['use_bias', true],
    ['output_shape', null], ['attention_axes', null],
  ],
  callInputs: ['query', 'value', 'key'],
  // build() makes a Softmax and a Dropout: the next user Dropout is `dropout_1`
  buildNames: ['Softmax', 'Dropout'],
  callOptions: [['return_attention_scores', false], ['use_causal_mask', false]],
  weights: mhaWeights,
  apply(cfg, inputs): LayerResult {
    const r = new ArgReader(cfg, 'MultiHeadAttention');
    const weights = mhaWeights(cfg, inputs);
    const formulas = paramsFormula('(d_q + d_k)·h·key_dim + d_v·h·value_dim + h·value_dim·out (+ biases)', weights);
    const [q, v] = inputs;
    const k = inputs[2] ?? v;
    const m = mhaSizes(r);
    const scores = r.bool('return_attention_scores');
    if (!q || !v) {
      r.error('attention-inputs', 'MultiHeadAttention needs a query and a value tensor');
      return result(r, null, null, formulas);
    }
    const out = outShape(r, q);
    const axes = attentionAxes(r, q.length);
    if (!m || !out || !axes || scores === null) return result(r, null, null, formulas);
    if (k.length !== q.length || v.length !== q.length) {
      r.error('attention-inputs', `MultiHeadAttention: query ${shapeText(q)}, value ${shapeText(v)} and key ${shapeText(k)} must have the same rank`);
      return result(r, null, null, formulas);
    }
    const output = [...q.slice(0, -1), ...out];
    const positions = (s: Shape) => product(s.slice(1, -1));
    const nq = positions(q), nk = product(axes.map((a) => k[a])), nv = positions(v);
    const proj = add(add(mul(nq, mul(q[q.length - 1], m.h * m.kd)), mul(positions(k), mul(k[k.length - 1], m.h * m.kd))), mul(nv, mul(v[v.length - 1], m.h * m.vd)));
    const outProj = mul(nq, mul(product(out), m.h * m.vd));
    const attention = mul(mul(nq, nk), m.h * (m.kd + m.vd));
    const macs = add(add(proj, outProj), attention);
    formulas.push({
      label: 'MACs', general: 'projections N·d·h·dim (q, k, v, output) + h·(key_dim + value_dim)·N_q·N_k',
      substituted: `${fmtValue(proj)} + ${fmtValue(outProj)} + ${fmtValue(attention)} = ${fmtValue(macs)}`,
    });
    // the scores' layout for custom attention_axes is not modelled: unknown, never a guess
    const defaultAxes = axes.length === q.length - 2;
    const scoreShape = defaultAxes && q.length === 3 ? [q[0], m.h, q[1], k[1]] : null;
    return result(r, output, macs, formulas, scores ? { outputs: [{ shape: output }, { shape: scoreShape }] } : {});
  },
};

/** Attention / AdditiveAttention: [query, value] or [query, value, key]. */
function attentionSpec(name: 'Attention' | 'AdditiveAttention'): KerasLayerSpec {
  const additive = name === 'AdditiveAttention';
  const weights = (cfg: Cfg, inputs: Shape[]): ParamEntry[] | null => {
    const r = new ArgReader(cfg, '');
    const scale = r.bool('use_scale');
    const concat = additive ? false : r.str('score_mode') === 'concat';
    const dim = inputs[0]?.[inputs[0].length - 1];
    if (scale === null || (additive && scale && typeof dim !== 'number')) return null;
    const out: ParamEntry[] = [];
    if (scale) out.push(w('scale', additive ? [dim as number] : []));
    if (concat) out.push(w('concat_score_weight', []));
    return out;
  };
  return {
    signature: additive ? [['use_scale', true], ['dropout', 0]] : [['use_scale', false], ['score_mode', 'dot'], ['dropout', 0]],
    merge: true,
    callOptions: [['return_attention_scores', false], ['use_causal_mask', false]],
    weights,
    apply(cfg, inputs) {
      const r = new ArgReader(cfg, name);
      const formulas = paramsFormula(additive ? 'use_scale: dim' : 'use_scale: 1, score_mode="concat": 1', weights(cfg, inputs));
      const [q, v] = inputs;
      const k = inputs[2] ?? v;
      const mode = additive ? 'additive' : r.str('score_mode');
      const scores = r.bool('return_attention_scores');
      if (inputs.length < 2 || inputs.length > 3) {
        r.error('attention-inputs', `${name} takes a list [query, value] or [query, value, key], got ${inputs.length} tensor(s)`);
        return result(r, null, null, formulas);
      }
      if (mode !== 'dot' && mode !== 'concat' && mode !== 'additive') return result(r, r.invalid('score_mode', `must be 'dot' or 'concat', got ${show(mode)}`), null, formulas);
      if (scores === null || q.length !== 3 || v.length !== 3) {
        if (scores !== null) r.error('attention-inputs', `${name} expects 3-D tensors (batch, steps, dim), got ${inputs.map(shapeText).join(', ')}`);
        return result(r, null, null, formulas);
      }
      const output = [q[0], q[1], v[2]];
      const pairs = mul(q[1], k[1]);
      const qk = mode === 'dot' ? mul(pairs, q[2]) : 0;
      const av = mul(pairs, v[2]);
      const macs = add(qk, av);
      formulas.push({ label: 'MACs', general: mode === 'dot' ? 'T_q·T_v·dim (QKᵀ) + T_q·T_v·dim_v (AV)' : 'T_q·T_v·dim_v (AV)', substituted: `${fmtValue(macs)}` });
      return result(r, output, macs, formulas, scores ? { outputs: [{ shape: output }, { shape: [q[0], q[1], k[1]] }] } : {});
    },
  };
}

export const ATTENTION_LAYERS: Record<string, KerasLayerSpec> = {
  MultiHeadAttention: multiHeadAttention,
  Attention: attentionSpec('Attention'),
  AdditiveAttention: attentionSpec('AdditiveAttention'),
};
