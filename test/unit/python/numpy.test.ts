// numpy for constants: every expected value below is what CPython 3.11 with numpy 2.4.6 printed
// for the same expression (json.dumps of .tolist()), so float results must match to the last bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSnippet } from './run-snippet';
import { isObj, type Value } from '../../../engine/python/values';
import { isNdArray } from '../../../engine/python/numpy';

/** A value as JSON would hold it: arrays become nested lists (what numpy's tolist() gives). */
function plain(v: Value): unknown {
  if (isNdArray(v)) return plain(callTolist(v));
  if (!isObj(v)) return v;
  if (v.k === 'list' || v.k === 'tuple' || v.k === 'iter') return v.items.map(plain);
  return `<${v.k}>`;
}

const SITE = { line: 1, from: 0, to: 0, file: '/ws/main.py' };
function callTolist(v: Value): Value {
  const fn = isNdArray(v) ? v.getattr('tolist', SITE) : null;
  return isObj(fn) && fn.k === 'native' ? fn.call([], new Map(), SITE) : null;
}

/** [name, expression, JSON of numpy's answer] */
const cases: Array<[string, string, string]> = [
  ["arange_int", "np.arange(5)", "[0, 1, 2, 3, 4]"],
  ["arange_float", "np.arange(0, 1, 0.1)", "[0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9]"],
  ["arange_neg", "np.arange(10, 2, -3)", "[10, 7, 4]"],
  ["linspace_dp", "np.linspace(0, 0.1, 12)", "[0.0, 0.009090909090909092, 0.018181818181818184, 0.027272727272727275, 0.03636363636363637, 0.04545454545454546, 0.05454545454545455, 0.06363636363636364, 0.07272727272727274, 0.08181818181818183, 0.09090909090909093, 0.1]"],
  ["linspace_noend", "np.linspace(0, 1, 4, endpoint=False)", "[0.0, 0.25, 0.5, 0.75]"],
  ["linspace_int", "np.linspace(0, 10, 4, dtype=int)", "[0, 3, 6, 10]"],
  ["linspace_one", "np.linspace(0.2, 0.5, 1)", "[0.2]"],
  ["round_half", "np.round(np.array([0.5, 1.5, 2.5, -0.5, 2.675]), 0)", "[0.0, 2.0, 2.0, -0.0, 3.0]"],
  ["round_dec", "np.round(np.array([2.675, 1.005, 0.125]), 2)", "[2.68, 1.0, 0.12]"],
  ["around_neg", "np.around(np.array([1234.5, 15.0, 25.0]), -1)", "[1230.0, 20.0, 20.0]"],
  ["floor_ceil", "[np.floor(np.array([1.5, -1.5])).tolist(), np.ceil(np.array([1.2, -1.2])).tolist()]", "[[1.0, -2.0], [2.0, -1.0]]"],
  ["logs", "[np.log(np.array([1.0, 2.0, 10.0])).tolist(), np.log2(np.array([1, 8, 10])).tolist()]", "[[0.0, 0.6931471805599453, 2.302585092994046], [0.0, 3.0, 3.321928094887362]]"],
  ["exp_sqrt", "[np.exp(np.array([0.0, 1.0])).tolist(), np.sqrt(np.arange(5)).tolist()]", "[[1.0, 2.718281828459045], [0.0, 1.0, 1.4142135623730951, 1.7320508075688772, 2.0]]"],
  ["power", "np.power(2.5, np.arange(4))", "[1.0, 2.5, 6.25, 15.625]"],
  ["prod_sum", "[int(np.prod([2, 3, 4])), int(np.sum(np.arange(10))), float(np.sum(np.linspace(0, 1, 5)))]", "[24, 45, 2.5]"],
  ["cumsum", "np.cumsum([1, 2, 3, 4])", "[1, 3, 6, 10]"],
  // numpy 1.24 (Debian) printed these
  ["eye", "[np.eye(2, 3, 1).tolist(), np.eye(3, 2, -1).tolist(), np.identity(2, dtype=int).tolist()]", "[[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [[1, 0], [0, 1]]]"],
  ["eye_flat", "np.eye(3).flatten().astype(np.float32)", "[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]"],
  ["unique", "np.unique([3, 1, 2, 3, 1])", "[1, 2, 3]"],
  ["unique_counts", "[x.tolist() for x in np.unique(np.array([64, 64, 128, 128, 128, 256]), return_counts=True)]", "[[64, 128, 256], [2, 3, 1]]"],
  ["zeros_ones_full", "[np.zeros(3).tolist(), np.ones((2, 2), dtype=np.int64).tolist(), np.full(3, 7).tolist()]", "[[0.0, 0.0, 0.0], [[1, 1], [1, 1]], [7, 7, 7]]"],
  ["astype", "(np.array([1.7, -1.7, 2.5]).astype(int)).tolist()", "[1, -1, 2]"],
  ["float32", "(np.arange(3, dtype=np.float32) * 0.1).tolist()", "[0.0, 0.10000000149011612, 0.20000000298023224]"],
  ["float32_scalar", "float(np.float32(0.1))", "0.10000000149011612"],
  ["shape_size", "[np.zeros((2, 3)).shape, np.zeros((2, 3)).size, np.zeros((2, 3)).ndim]", "[[2, 3], 6, 2]"],
  ["item", "np.array([7]).item()", "7"],
  ["index", "[int(np.arange(10)[3]), int(np.arange(10)[-1]), np.arange(10)[2:8:2].tolist(), np.arange(10)[::-3].tolist()]", "[3, 9, [2, 4, 6], [9, 6, 3, 0]]"],
  ["index2d", "[np.arange(6).reshape(2, 3)[1].tolist(), np.arange(6).reshape(2, 3)[:, 1].tolist(), int(np.arange(6).reshape(2, 3)[1, 2])]", "[[3, 4, 5], [1, 4], 5]"],
  ["broadcast", "(np.arange(3) * 2 + 1).tolist()", "[1, 3, 5]"],
  ["broadcast_div", "(np.arange(4) / 3).tolist()", "[0.0, 0.3333333333333333, 0.6666666666666666, 1.0]"],
  ["rsub", "(10 - np.arange(3)).tolist()", "[10, 9, 8]"],
  ["broadcast2d", "(np.arange(3).reshape(3, 1) + np.arange(2)).tolist()", "[[0, 1], [1, 2], [2, 3]]"],
  ["mask", "np.arange(6)[np.arange(6) % 2 == 0].tolist()", "[0, 2, 4]"],
  ["cmp", "(np.arange(4) > 1).tolist()", "[false, false, true, true]"],
  ["pad", "np.pad(np.array([1, 2, 3]), (2, 1)).tolist()", "[0, 0, 1, 2, 3, 0]"],
  ["pad_const", "np.pad(np.array([1, 2]), 1, constant_values=9).tolist()", "[9, 1, 2, 9]"],
  ["pad2d", "np.pad(np.ones((2, 2), dtype=int), ((1, 0), (0, 2))).tolist()", "[[0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]]"],
  ["consts", "[np.pi, np.e, np.inf > 1e308, -np.inf < -1e308]", "[3.141592653589793, 2.718281828459045, true, true]"],
  ["maxmin", "[np.maximum(np.array([1, 5, 3]), 2).tolist(), np.minimum(np.array([1.5, 5, 3]), np.array([2, 2, 2])).tolist()]", "[[2, 5, 3], [1.5, 2.0, 2.0]]"],
  ["clip", "np.clip(np.array([-1, 3, 10]), 0, 6).tolist()", "[0, 3, 6]"],
  ["argmax", "[int(np.argmax(np.array([3, 9, 2, 9]))), int(np.array([4, 1]).argmax())]", "[1, 0]"],
  ["divide", "[np.divide(np.array([1, 2, 3]), 2).tolist(), np.floor_divide(np.array([7, -7, 9]), 2).tolist()]", "[[0.5, 1.0, 1.5], [3, -4, 4]]"],
  ["int_", "[int(np.int_(3.9)), int(np.int64(-3.9)), int(np.int32(7))]", "[3, -3, 7]"],
  ["ceil_astype", "np.ceil(np.array([10, 17, 33]) / 8).astype(int).tolist()", "[2, 3, 5]"],
  ["make_div", "int(np.ceil(37 / 8) * 8)", "40"],
  ["regnet", "(lambda w_a, w_0, w_m, d, q: (lambda ks: (np.round(np.divide(w_0 * np.power(w_m, ks), q)).astype(int) * q).tolist())(np.round(np.log((np.arange(d) * w_a + w_0) / w_0) / np.log(w_m))))(24.48, 24, 2.54, 22, 8)", "[24, 64, 64, 152, 152, 152, 152, 152, 152, 152, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392]"],
  ["drop_path", "[x.item() for x in np.linspace(0, 0.2, 5)]", "[0.0, 0.05, 0.1, 0.15000000000000002, 0.2]"],
  ["tolist_nested", "np.arange(4).reshape(2, 2).tolist()", "[[0, 1], [2, 3]]"],
  ["mean", "float(np.mean(np.array([1, 2, 4])))", "2.3333333333333335"],
  ["sum_bool", "int(np.sum(np.array([True, False, True])))", "2"],
  ["array_mixed", "np.array([1, 2.5]).tolist()", "[1.0, 2.5]"],
  ["len_iter", "[len(np.arange(4)), [int(v) for v in np.arange(3)]]", "[4, [0, 1, 2]]"],
  ["transpose", "np.arange(6).reshape(2, 3).T.tolist()", "[[0, 3], [1, 4], [2, 5]]"],
  ["diff_sort", "[np.diff(np.array([1, 4, 9])).tolist(), np.sort(np.array([3, 1, 2])).tolist()]", "[[3, 5], [1, 2, 3]]"],
  ["concat", "np.concatenate([np.arange(2), np.array([5.5])]).tolist()", "[0.0, 1.0, 5.5]"],
  ["neg", "(-np.arange(3)).tolist()", "[0, -1, -2]"],
  ["pow_op", "(np.arange(4) ** 2).tolist()", "[0, 1, 4, 9]"],
  ["floor_mod", "(np.array([7, -7]) % 3).tolist()", "[1, 2]"],
];

for (const [name, expr, expected] of cases) {
  test(`numpy: ${name}`, () => {
    const g = runSnippet(`import numpy as np\nr = ${expr}`);
    assert.deepEqual(plain(g.get('r') ?? null), JSON.parse(expected), expr);
  });
}

// what numpy would compute but ConvLens does not keep stays unknown, with the reason
const unknowns: Array<[string, string, RegExp]> = [
  ['an array above the size bound', 'np.zeros((1000, 1000))', /larger than ConvLens keeps values for/],
  ['arithmetic on an array above the size bound', 'np.arange(70000) * 2', /larger than ConvLens keeps values for/],
  ['a function outside the subset', 'np.fft.fft([1, 2])', /numpy\.fft is not modelled/],
  ['an unknown argument', 'np.linspace(0, undefined_name, 4)', /name 'undefined_name' is not defined/],
  ['a reduction along an axis of a 2-D array', 'np.sum(np.ones((2, 2)), axis=0)', /sum along an axis of a 2-D array/],
  ['np.pad in a mode other than constant', "np.pad(np.arange(3), 1, mode='reflect')", /mode='reflect'/],
];

for (const [name, expr, reason] of unknowns) {
  test(`numpy: ${name} is unknown, never a guess`, () => {
    const r = runSnippet(`import numpy as np\nr = ${expr}`).get('r') ?? null;
    assert.ok(isObj(r) && r.k === 'unknown', `${expr} gave ${String(plain(r))}`);
    assert.match(r.reason, reason);
  });
}

test('numpy: shape errors raise as numpy does', () => {
  const g = runSnippet('import numpy as np\ntry:\n    r = np.arange(3) + np.arange(2)\nexcept ValueError:\n    r = "raised"');
  assert.equal(g.get('r'), 'raised');
});
