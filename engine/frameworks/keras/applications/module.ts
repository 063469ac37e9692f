// `keras.applications` built in: every model of Keras's applications table, as Python in Keras's own
// style (./sources) that the interpreter runs on first use, so the models are ordinary functional
// models with Keras's layer names (`get_layer("block_13_expand_relu")`, `layers[:100]` work as in Keras).
// A name Keras has but ConvLens does not stays an unknown value: a row and a warning where it is used.
import type { Interpreter } from '../../../python/interpreter';
import { parseCached } from '../../../python/imports';
import { pyModule } from '../../../python/stdlib';
import { isObj, unknown, type PyModule, type Value } from '../../../python/values';
import { APPLICATION_SOURCES, APPLICATIONS } from './catalogue';

/** Where the built-in sources seem to live (never a real file). */
const FOLDER = '<keras>/applications/';

export const isApplicationFile = (file: string | undefined): boolean => !!file?.startsWith(FOLDER);

/** Natives the shared module `imagenet_utils` is given (they need the session). */
export type ApplicationNatives = Record<'_source_inputs' | '_not_modelled', Value>;

/** The `keras.applications` package: its submodules run once per analysis, when first used. */
export function applicationsModule(interp: Interpreter, natives: ApplicationNatives): PyModule {
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
    return mod;
  };
  return pyModule('keras.applications', {}, (name) => {
    const home = APPLICATIONS[name];
    if (home) return submodule(home)?.attrs.get(name);
    return submodule(name) ?? unknown(`keras.applications.${name} is not modelled`);
  });
}

/** `keras.applications.resnet` and the like, for `from keras.applications.resnet import ResNet50`. */
export function applicationSubmodule(root: PyModule, dotted: string): PyModule | undefined {
  const m = /^keras\.applications\.(\w+)$/.exec(dotted);
  const sub = m ? root.getattr?.(m[1]) : undefined;
  return sub !== undefined && isObj(sub) && sub.k === 'module' ? sub : undefined;
}
