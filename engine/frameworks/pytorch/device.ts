// A tensor's `.device`. The engine does not follow where tensors live, but code keys dicts by it (timm's
// FeatureHooks: `self._feature_outputs[x.device][hook_id] = x`, read back by `get_output(x.device)`), so every
// tensor of an analysis gives the same hashable object: equal to itself, unknown against any other device
// (`torch.device("cpu")`, a string), and its `type` and `index` unknown, since the code never said them.
import { unknown, type CallSite, type PyHostObject, type Value } from '../../python/values';

export function deviceObject(): PyHostObject {
  const self: PyHostObject = {
    k: 'host',
    kind: 'device',
    getattr: (name: string, site: CallSite): Value => ({ ...unknown(`the device's ${name} (devices are not followed)`, site.line), notTensor: true }),
    compare: (op: string, other: Value, site: CallSite): Value | undefined => {
      if (op !== '==' && op !== '!=') return undefined;
      if (other === self) return op === '==';
      return { ...unknown('a comparison of devices (devices are not followed)', site.line), notTensor: true };
    },
    repr: () => "device(type='?')",
  };
  return self;
}
