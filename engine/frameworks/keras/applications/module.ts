// `keras.applications` built in: every model of Keras's applications table, as Python in Keras's own
// style (./sources) that the interpreter runs on first use, so the models are ordinary functional
// models with Keras's layer names (`get_layer("block_13_expand_relu")`, `layers[:100]` work as in Keras).
// What ConvLens cannot know stays visible: an application ConvLens does not have builds a model that
// is one row of unknown counts with a warning; a model built with an unknown keyword or an argument of
// unknown value is marked, so that its counts are lower bounds with a warning that names the argument.
import type { Interpreter } from '../../../python/interpreter';
import { parseCached } from '../../../python/imports';
import { pyModule } from '../../../python/stdlib';
import { isObj, isUnknown, native, str, unknown, type PyInstance, type PyModule, type Value } from '../../../python/values';
import { isLayer, layerState } from '../state';
import { APPLICATION_SOURCES, APPLICATIONS } from './catalogue';

/** Where the built-in sources seem to live (never a real file). */
const FOLDER = '<keras>/applications/';

export const isApplicationFile = (file: string | undefined): boolean => !!file?.startsWith(FOLDER);

/** Marks a model whose counts depend on arguments ConvLens does not know (`keras.applications.ResNet50(foo=…)`). */
function markNotModelled(model: Value, application: string, args: string[], why: (args: string) => string): void {
  if (!args.length || !isLayer(model)) return;
  const st = layerState(model as PyInstance);
  const known = st.unmodelled;
  const all = [...(known?.args ?? []), ...args];
  st.unmodelled = {
    name: `${application}(${all.map((n) => `${n}=…`).join(', ')})`,
    reason: [known?.reason, why(args.join(', '))].filter(Boolean).join('; '),
    args: all,
  };
}

/** Arguments given with values the interpreter does not know, by parameter name where it has one. */
function unknownArguments(fn: Value, a: Value[], k: Map<string, Value>): string[] {
  const params = isObj(fn) && fn.k === 'func' ? fn.params.filter((p) => p.kind === 'pos') : [];
  return [
    ...a.flatMap((v, i) => (isUnknown(v) ? [params[i]?.name ?? `argument ${i + 1}`] : [])),
    ...[...k].flatMap(([n, v]) => (isUnknown(v) ? [n] : [])),
  ];
}

/** The `keras.applications` package: its submodules run once per analysis, when first used. */
export function applicationsModule(interp: Interpreter, sourceInputs: Value, missing: (name: string) => Value): PyModule {
  const natives: Record<string, Value> = {
    _source_inputs: sourceInputs,
    // make_model's keywords that no parameter took
    _not_modelled: native('_not_modelled', (a) => {
      const names = isObj(a[2] ?? null) && (a[2] as { k: string }).k === 'list' ? (a[2] as { items: Value[] }).items.map(str) : [];
      markNotModelled(a[0] ?? null, str(a[1] ?? null), names, (n) => `ConvLens does not know the keyword ${n}`);
      return null;
    }),
  };
  const loaded = new Map<string, PyModule>();
  const submodule = (name: string): PyModule | undefined => {
    const src = APPLICATION_SOURCES[name];
    if (src === undefined) return undefined;
    let mod = loaded.get(name);
    if (mod) return mod;
    const dotted = `keras.applications.${name}`;
    const globals = new Map<string, Value>(name === 'imagenet_utils' ? Object.entries(natives) : []);
    mod = { k: 'module', name: dotted, attrs: globals };
    loaded.set(name, mod);
    const file = `${FOLDER}${name}.py`;
    interp.runModule(parseCached(file, src, true).body, { name: dotted, file, pkg: 'keras.applications' }, globals);
    // each application defined here checks what it was given once it has built the model
    for (const [app, home] of Object.entries(APPLICATIONS)) {
      const fn = globals.get(app);
      if (home !== name || fn === undefined) continue;
      globals.set(app, native(app, (a, k, site) => {
        const model = interp.call(fn, a, k, site);
        markNotModelled(model, `keras.applications.${app}`, unknownArguments(fn, a, k), (n) => `the value of ${n} is unknown`);
        return model;
      }));
    }
    return mod;
  };
  return pyModule('keras.applications', {}, (name) => {
    const home = APPLICATIONS[name];
    if (home) return submodule(home)?.attrs.get(name);
    return submodule(name) ?? (/^[A-Z]/.test(name) ? missing(`keras.applications.${name}`) : unknown(`keras.applications.${name} is not modelled`));
  });
}

/** `keras.applications.resnet` and the like, for `from keras.applications.resnet import ResNet50`. */
export function applicationSubmodule(root: PyModule, dotted: string): PyModule | undefined {
  const m = /^keras\.applications\.(\w+)$/.exec(dotted);
  const sub = m ? root.getattr?.(m[1]) : undefined;
  return sub !== undefined && isObj(sub) && sub.k === 'module' ? sub : undefined;
}
