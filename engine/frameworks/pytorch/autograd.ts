// torch.autograd: custom autograd Functions (`SwishImplementation.apply(x)` runs the static
// forward(ctx, …)) and the old Variable wrapper, which changes nothing about shapes.
import type { Interpreter } from '../../python/interpreter';
import { makeClass } from '../../python/builtins';
import { pyModule } from '../../python/stdlib';
import { native, tuple, unknown, type PyClass, type PyInstance, type PyModule } from '../../python/values';

export function autogradModule(interp: Interpreter, objectClass: PyClass): PyModule {
  // the ctx object forward receives: saves tensors, takes any attribute
  const Ctx = makeClass('FunctionCtx', undefined, undefined, [objectClass]);
  Ctx.dict.set('save_for_backward', native('save_for_backward', (a) => { (a[0] as PyInstance).attrs.set('saved_tensors', tuple(a.slice(1))); return null; }));
  for (const name of ['mark_dirty', 'mark_non_differentiable', 'set_materialize_grads']) Ctx.dict.set(name, native(name, () => null));

  const Function = makeClass('Function', undefined, undefined, [objectClass]);
  Function.dict.set('apply', {
    k: 'wrapped', kind: 'class',
    fn: native('apply', (a, k, site) => {
      const ctx: PyInstance = { k: 'inst', cls: Ctx, attrs: new Map([['needs_input_grad', tuple(a.slice(1).map(() => false))]]) };
      return interp.call(interp.getattr(a[0], 'forward', site), [ctx, ...a.slice(1)], k, site);
    }),
  });
  const Variable = native('Variable', (a) => a[0] ?? null);
  return pyModule('torch.autograd', { Function, Variable }, (n) => unknown(`torch.autograd.${n} is not modelled`));
}
