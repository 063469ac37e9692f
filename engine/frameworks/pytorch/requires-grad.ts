// requires_grad as fine-tuning code sets it: `p.requires_grad = False` over parameters(),
// `requires_grad_(False)` on a tensor or a module, `nn.Parameter(t, requires_grad=False)`. A flag
// set to a value ConvLens cannot know leaves those parameters neither trainable nor frozen: they are
// reported as not modelled, never guessed.
import { PyRaise, isUnknown, type CallSite, type Value } from '../../python/values';
import type { TensorObj } from './tensor';

/** A parameter's flag: true/false, or null when it was set to an unknown value (at `unsureAt`). */
export interface ParamFlag {
  trainable: boolean | null;
  unsureAt?: CallSite;
}

/** The flag a requires_grad value gives (`undefined`: the default, True); PyTorch takes only a bool. */
export function flagOf(v: Value | undefined, site: CallSite): ParamFlag {
  if (v === undefined || typeof v === 'boolean') return { trainable: v ?? true };
  if (isUnknown(v)) return { trainable: null, unsureAt: site };
  throw new PyRaise('TypeError', 'requires_grad must be a bool', site.line, undefined, site.file);
}

/** `requires_grad_(requires_grad=True)`'s argument, positional or by keyword. */
export const requiresGradArg = (a: Value[], k: Map<string, Value>): Value | undefined => (a.length ? a[0] : k.get('requires_grad'));

/** Whether a parameter trains: known true (a tensor without a flag is a plain trainable one). */
export const trains = (t: TensorObj): boolean => (t.param ? t.param.trainable : true) === true;

/** Whether a parameter is known frozen. */
export const frozen = (t: TensorObj): boolean => t.param?.trainable === false;
