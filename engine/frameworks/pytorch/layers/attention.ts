// MultiheadAttention: returns `(attn_output, attn_weights)` (weights None with need_weights=False).
// Its out_proj is a registered child (NonDynamicallyQuantizableLinear) that forward uses through
// its weights, never by calling it, so a forward hook sees only the attention; its row counts
// out_proj's parameters too. MACs per sample: the q/k/v projections, QKᵀ and AV over all heads
// (L·S'·E each, S' = S plus bias_kv's and zero_attn's extra keys) and the output projection.
import type { Formula } from '../../../report/types';
import { add, formatShape, mul, sameDim, type Dim, type Shape } from '../../../shapes/dim';
import { ArgReader } from '../../../shapes/args';
import { fmt, fmtValue } from '../../../shapes/layer-input';
import { result } from '../../../shapes/layer-result';
import { LINEAR_LAYERS } from './linear';
import { REQUIRED, type Cfg, type LayerResult, type ParamEntry, type TorchLayerSpec, tensorArg, warnParamsUnknown } from './spec';

interface Sizes { e: number; heads: number; kdim: number; vdim: number; bias: boolean; biasKv: boolean; zeroAttn: boolean }

function readSizes(r: ArgReader): Sizes | null {
  const e = r.int('embed_dim', 1);
  const heads = r.int('num_heads', 1);
  const kdim = r.optInt('kdim', 1);
  const vdim = r.optInt('vdim', 1);
  const bias = r.bool('bias');
  const biasKv = r.bool('add_bias_kv');
  const zeroAttn = r.bool('add_zero_attn');
  if (e !== null && heads !== null && e % heads !== 0) r.invalid('num_heads', `must divide embed_dim=${e}, got ${heads}`);
  if (e === null || heads === null || kdim === null || vdim === null || bias === null || biasKv === null || zeroAttn === null || r.missing) return null;
  return { e, heads, kdim: kdim ?? e, vdim: vdim ?? e, bias, biasKv, zeroAttn };
}

/** Own parameters in registration order (out_proj's are its child's). */
function entries(s: Sizes): ParamEntry[] {
  const p = (name: string, shape: number[]): ParamEntry => ({ name, shape, trainable: true });
  const same = s.kdim === s.e && s.vdim === s.e;
  const out = same ? [p('in_proj_weight', [3 * s.e, s.e])]
    : [p('q_proj_weight', [s.e, s.e]), p('k_proj_weight', [s.e, s.kdim]), p('v_proj_weight', [s.e, s.vdim])];
  if (s.bias) out.push(p('in_proj_bias', [3 * s.e]));
  if (s.biasKv) out.push(p('bias_k', [1, 1, s.e]), p('bias_v', [1, 1, s.e]));
  return out;
}

const sizesOf = (cfg: Cfg): Sizes | null => readSizes(new ArgReader(cfg, 'MultiheadAttention'));

const multiheadAttention: TorchLayerSpec = {
  signature: [
    ['embed_dim', REQUIRED], ['num_heads', REQUIRED], ['dropout', 0.0], ['bias', true], ['add_bias_kv', false],
    ['add_zero_attn', false], ['kdim', null], ['vdim', null], ['batch_first', false], ['device', null], ['dtype', null],
  ],
  forwardInput: 'query',
  forward: [
    ['key', REQUIRED], ['value', REQUIRED], ['key_padding_mask', null], ['need_weights', true], ['attn_mask', null],
    ['average_attn_weights', true], ['is_causal', false],
  ],
  parameters: (cfg) => { const s = sizesOf(cfg); return s && entries(s); },
  children(cfg) {
    return [{ name: 'out_proj', type: 'NonDynamicallyQuantizableLinear', cfg: { in_features: cfg.embed_dim, out_features: cfg.embed_dim, bias: cfg.bias } }];
  },
  apply(cfg, inputs, call) {
    const r = new ArgReader(cfg, 'MultiheadAttention');
    const s = readSizes(r);
    const batchFirst = r.bool('batch_first');
    const formulas: Formula[] = [];
    if (s) {
      const own = entries(s).reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
      const outProj = s.e * s.e + (s.bias ? s.e : 0);
      formulas.push({ label: 'params', general: 'in-projections (3·E·E or E·(E + kdim + vdim)) + biases + out_proj (E·E + E)', substituted: `${own} + ${outProj} = ${own + outProj}` });
    } else warnParamsUnknown(r);
    const q = call ? tensorArg(call.input) : inputs[0];
    const k = call ? tensorArg(call.key) : inputs[1];
    const v = call ? tensorArg(call.value) : inputs[2];
    const needWeights = call ? call.need_weights !== false : true;
    const average = call ? call.average_attn_weights !== false : true;
    const fail = (): LayerResult => result(r, null, null, formulas, { outputs: [{ shape: null }, needWeights ? { shape: null } : null] });
    if (!call && inputs.length < 3) r.error('rank-mismatch', `MultiheadAttention takes query, key and value tensors but receives ${inputs.length}`);
    if (!q || !k || !v) return fail();
    if (q.length !== 2 && q.length !== 3) {
      r.error('rank-mismatch', `MultiheadAttention expects a 3-D ${batchFirst ? '(N, L, E)' : '(L, N, E)'} or 2-D unbatched (L, E) query but receives ${q.length}-D ${formatShape(q)}`);
      return fail();
    }
    if (k.length !== q.length || v.length !== q.length) {
      r.error('rank-mismatch', `MultiheadAttention: key ${formatShape(k)} and value ${formatShape(v)} must have the query's rank (${q.length}-D)`);
      return fail();
    }
    const batched = q.length === 3;
    const seq = batched && batchFirst ? 1 : 0;
    const [tgt, src] = [q[seq], k[seq]];
    const n = batched ? q[batchFirst ? 0 : 1] : null;
    if (s) {
      const check = (got: Dim, want: number, what: string) => {
        if (sameDim(got, want) === false) r.error('attention-embed-dim', `MultiheadAttention expects ${what} of ${want} features but receives ${fmt(got)}`);
      };
      check(q[q.length - 1], s.e, 'a query');
      check(k[k.length - 1], s.kdim, 'a key');
      check(v[v.length - 1], s.vdim, 'a value');
    }
    if (sameDim(v[seq], src) === false || (batched && sameDim(k[batchFirst ? 0 : 1], v[batchFirst ? 0 : 1]) === false)) {
      r.error('attention-key-value', `MultiheadAttention: key ${formatShape(k)} and value ${formatShape(v)} must agree in sequence length and batch`);
    }
    if (batched && sameDim(k[batchFirst ? 0 : 1], n) === false) {
      r.error('attention-key-value', `MultiheadAttention: query ${formatShape(q)} and key ${formatShape(k)} have different batch sizes`);
    }
    if (r.diagnostics.some((d) => d.severity === 'error')) return fail();
    const output: Shape = [...q.slice(0, -1), s ? s.e : null];
    const keys = s ? add(src, (s.biasKv ? 1 : 0) + (s.zeroAttn ? 1 : 0)) : null;
    const heads = s ? s.heads : null;
    const weights: Shape = [...(batched ? [n] : []), ...(average ? [] : [heads]), tgt, keys];
    let macs: Dim = null;
    if (s) {
      const proj = add(mul(tgt, s.e * s.e), mul(src, s.e * (s.kdim + s.vdim)));
      const attention = mul(mul(tgt, keys), 2 * s.e);
      macs = add(add(proj, mul(tgt, s.e * s.e)), attention);
      formulas.push({
        label: 'MACs',
        general: "L·E·E + S·E·(kdim + vdim) (q/k/v projections) + L·E·E (out_proj) + 2·L·S'·E (QKᵀ and AV, S' = S + added keys)",
        substituted: `${fmt(tgt)}·${s.e}·${s.e} + ${fmt(src)}·${s.e}·${s.kdim + s.vdim} + ${fmt(tgt)}·${s.e}·${s.e} + 2·${fmt(tgt)}·${fmt(keys)}·${s.e} = ${fmtValue(macs)}`,
      });
    }
    // training computes the attention unmasked: whether a mask was given (null: the call is not known)
    const masked = call ? !(call.attn_mask === null && call.key_padding_mask === null && call.is_causal === false) : null;
    return { ...result(r, output, macs, formulas, { outputs: [{ shape: output }, needWeights ? { shape: weights } : null] }), graphConfig: { masked } };
  },
};

export const ATTENTION_LAYERS: Record<string, TorchLayerSpec> = {
  MultiheadAttention: multiheadAttention,
  // the Linear subclass PyTorch registers as MultiheadAttention.out_proj
  NonDynamicallyQuantizableLinear: LINEAR_LAYERS.Linear,
};
