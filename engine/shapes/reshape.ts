// Shape rules shared by tensor operations of every framework: NumPy broadcasting, and a reshape
// target with one -1 resolved against the element count.
import * as dim from './dim';
import type { Dim, Shape } from './dim';

/** NumPy/PyTorch broadcasting; `null` marks a dimension that does not broadcast. */
export function broadcast(a: Shape, b: Shape): { shape: Shape; bad?: number } {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[i - (n - a.length)];
    const y = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (x === 1) { out.push(y); continue; }
    if (y === 1) { out.push(x); continue; }
    const same = dim.sameDim(x, y);
    if (same === false) return { shape: out, bad: i };
    out.push(same === true ? x : typeof x === 'number' ? x : y);
  }
  return { shape: out };
}

/** `view`/`reshape` target with one -1 resolved against the input's element count. */
export function resolveView(input: Shape, target: Dim[]): { shape: Shape; error?: string } {
  const minus = target.findIndex((d) => d === -1);
  if (minus < 0) {
    const same = dim.sameDim(dim.product(input), dim.product(target));
    if (same === false) return { shape: target, error: `shape ${dim.formatShape(target)} is invalid for input of size ${dim.product(input)}` };
    return { shape: target };
  }
  // cancel dims that appear on both sides (the batch, usually), then divide what is left
  const rest = input.slice();
  const others: Dim[] = [];
  target.forEach((d, i) => {
    if (i === minus) return;
    const j = rest.findIndex((x) => dim.sameDim(x, d) === true);
    if (j >= 0) rest.splice(j, 1); else others.push(d);
  });
  const total = dim.product(rest);
  const known = dim.product(others);
  let inferred: Dim = null;
  if (typeof total === 'number' && typeof known === 'number') {
    if (known === 0 || total % known !== 0) return { shape: target.map((d) => (d === -1 ? null : d)), error: `shape ${dim.formatShape(target)} is invalid for input of size ${total}` };
    inferred = total / known;
  } else if (typeof known === 'number' && known > 0) {
    const q = dim.floorDiv(total, known);
    inferred = dim.sameDim(dim.mul(q, known), total) === true ? q : null;
  }
  return { shape: target.map((d, i) => (i === minus ? inferred : d)) };
}
