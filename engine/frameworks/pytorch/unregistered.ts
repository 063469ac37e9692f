// A layer that forward() calls but the model does not own: kept in a plain list or dict, made inside
// forward(), or a global. PyTorch runs it (its MACs count) but leaves its parameters out of
// parameters() and state_dict(), so the optimiser never trains them — a classic bug worth a warning.
import { isObj, type PyInstance, type Value } from '../../python/values';
import { thousands } from '../../report/thousands';
import { namedModules, stateOf } from './nn';

/** Where the model keeps `m` outside its registered submodules (`layers[0]`, `blocks['a']`), if it does. */
export function plainHolder(model: PyInstance, m: PyInstance): string | undefined {
  for (const [path, owner] of namedModules(model)) {
    for (const [name, v] of owner.attrs) {
      if (stateOf(owner).children.has(name)) continue;
      const found = find(v, m, path ? `${path}.${name}` : name, 2);
      if (found) return found;
    }
  }
  return undefined;
}

/** `m` inside a list, tuple or dict (nested up to `depth` more levels), as an indexing expression. */
function find(v: Value, m: PyInstance, at: string, depth: number): string | undefined {
  if (!isObj(v) || depth < 0) return undefined;
  const items: Array<[string, Value]> = v.k === 'list' || v.k === 'tuple' ? v.items.map((x, i) => [`[${i}]`, x])
    : v.k === 'dict' ? [...v.map.values()].map(([k, x]) => [`[${typeof k === 'string' ? `'${k}'` : String(k)}]`, x])
      : [];
  for (const [index, item] of items) {
    if (item === m) return `${at}${index}`;
    const deeper = find(item, m, `${at}${index}`, depth - 1);
    if (deeper) return deeper;
  }
  return undefined;
}

/** The warning for an unregistered layer, by where it is kept. */
export function unregisteredMessage(type: string, holder: string | undefined, params: number): string {
  const lost = params > 0 ? `its ${thousands(params)} parameters are` : 'it is';
  const effect = `${lost} not in model.parameters() or state_dict(), so the optimiser never trains ${params > 0 ? 'them' : 'it'}`;
  if (holder) {
    const container = holder.endsWith(']') && /\['/.test(holder) ? 'nn.ModuleDict' : 'nn.ModuleList';
    return `${type} is kept in a plain Python container (self.${holder}), not registered with the model: ${effect} — use ${container}`;
  }
  return `${type} is not a submodule of the model (made in forward() or kept outside it): ${effect}; ` +
    'PyTorch still runs it, so its MACs count — create it in __init__ as an attribute of the model';
}
