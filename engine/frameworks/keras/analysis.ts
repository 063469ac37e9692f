// Keras's part of an analysis: the keras/tensorflow modules, model discovery (module-level models, the
// file's keras.Model subclasses and builder functions that are not parts of another model), the input
// shape a model was built with, the symbolic fallback, and the report.
import type { Interpreter } from '../../python/interpreter';
import type { BuiltinClasses } from '../../python/builtins';
import { PyRaise, isObj, type PyInstance, type PyModule, type Value } from '../../python/values';
import { formatShape, type Shape } from '../../shapes/dim';
import type { Diagnostic } from '../../report/types';
import { builderPlaces, classLine, type Candidate, type FrameworkAnalysis, type InputChoice, type RangeOf } from '../framework';
import { kerasModuleFor, kerasModules } from './api';
import { KerasSession, type KerasNaming } from './session';
import { functionalLayers, innerLayers, isLayer, layerState } from './state';
import { buildKerasReport } from './report';
import { builderCandidates } from './builders';
import { timed } from '../../timings';

const isModel = (v: Value): v is PyInstance => isLayer(v) && layerState(v).isModel;
/** The modules kerasModuleFor answers for: keras, tensorflow and tf_keras, with their submodules. */
const KERAS_NAME = /^(keras|tensorflow|tf_keras)(\.|$)/;

export function kerasAnalysis(interp: Interpreter, classes: BuiltinClasses, rangeOf: RangeOf, naming?: KerasNaming): FrameworkAnalysis {
  const session = new KerasSession(interp, rangeOf, naming);
  interp.stateStamps.push(() => session.stamp());
  // built at the first import of keras or tensorflow: a PyTorch file never pays for them
  let mods: Map<string, PyModule> | undefined;
  return {
    framework: 'keras',
    module: (name) => (KERAS_NAME.test(name) ? kerasModuleFor((mods ??= kerasModules(interp, session, classes)), name) : undefined),
    isModel,
    discover(globals, file) {
      const found: Candidate[] = [];
      for (const [name, v] of globals) {
        if (!isModel(v)) continue;
        const st = layerState(v);
        const builder = builderPlaces(st.sites, (s) => session.rangeOf(s), globals, file);
        const range = builder?.range ?? session.constructionRange(st);
        // the model's own name (`Sequential(name="encoder")`) is what Keras's summary calls it
        found.push({ name: st.named ? st.name : name, line: range?.line ?? 1, range, model: v, definitionLine: classLine(v, file) ?? builder?.definitionLine });
      }
      const byVariable = new Set(found.map((c) => c.model.cls));
      for (const v of globals.values()) {
        if (!isObj(v) || v.k !== 'class' || v.module?.file !== file || byVariable.has(v) || v.name.startsWith('_')) continue;
        if (!v.mro.some((c) => c.tag === 'KerasModel')) continue;
        try {
          const m = interp.instantiate(v, [], new Map(), { line: v.line, from: 0, to: 0, file: '<discover>' });
          if (isModel(m)) found.push({ name: layerState(m).named ? layerState(m).name : v.name, line: v.line, model: m });
        } catch (e) {
          if (!(e instanceof PyRaise)) throw e;
        } finally {
          interp.frames.length = 0;
        }
      }
      // only a file that imported keras or tensorflow has builders to try (a PyTorch file's main() is not run)
      if (mods) found.push(...builderCandidates(interp, globals, file, found, isModel));
      // a model that is a layer of another model is a part, not a model of its own
      const inner = new Set(found.flatMap((c) => [...innerLayers(c.model)]));
      const innerClasses = new Set([...inner].filter((l) => l.cls.module?.file === file).map((l) => l.cls));
      return found.filter((c) => !inner.has(c.model) && !innerClasses.has(c.model.cls));
    },
    inputFromCall(model) {
      const given = layerState(model).input;
      if (given) return given;
      const call = session.topLevelCalls.find((t) => t.model === model);
      return call && { shape: call.shape, extra: call.extra, origin: `the call on line ${call.line}` };
    },
    fallbackInput: (c) => symbolicInput(c.model),
    report(c, input, timings) {
      interp.restartSteps();
      const outcome = timed(timings, 'trace', () => session.traceModel(c.model, input.shape, { line: c.line, from: 0, to: 0, file: '<model>' }, input.extra));
      const report = timed(timings, 'report', () => buildKerasReport(c.model, c, input, outcome));
      for (const note of [inputFromData(c.model, input), unbuiltBuild(c.model)]) if (note) report.diagnostics.push(note);
      return report;
    },
  };
}

/** Layers that read a sequence (batch, time, features) first. */
const SEQUENCE = /^(SimpleRNN|LSTM|GRU|Bidirectional|RNN|MultiHeadAttention|LayerNormalization|GlobalAveragePooling1D|GlobalMaxPooling1D)$/;

/** (None, H, W, C) and friends, by the first layer's kind; Keras needs no channel count up front. */
function symbolicInput(model: PyInstance): InputChoice {
  const st = layerState(model);
  const first = [...st.layers, ...functionalLayers(st), ...[...innerLayers(model)]].find((l) => layerState(l).kind === 'leaf');
  const type = first?.cls.name ?? '';
  const cf = first ? layerState(first).cfg.data_format === 'channels_first' : false;
  const n = Number(/([123])D/.exec(type)?.[1] ?? (/^(Dense|Embedding)$/.test(type) ? 0 : SEQUENCE.test(type) ? 1 : 2));
  const spatial = n === 0 ? [] : n === 1 ? [SEQUENCE.test(type) ? 'T' : 'L'] : n === 3 ? ['D', 'H', 'W'] : ['H', 'W'];
  const channels = SEQUENCE.test(type) ? 'F' : 'C';
  const shape: Shape = n === 0 ? [null, type === 'Embedding' ? 'L' : 'F'] : cf ? [null, channels, ...spatial] : [null, ...spatial, channels];
  return { shape, source: 'symbolic', origin: 'no input shape was given, so sizes are symbolic; give one with `keras.Input(shape=…)`, `input_shape=` or `# convlens: input=(None, H, W, C)` above the model' };
}

/**
 * An input shape the file computes from data ConvLens does not read (`Input(shape=(x_train.shape[1], 1))`):
 * a warning that names why and how to pin it, unless the user pinned it already.
 */
function inputFromData(model: PyInstance, input: InputChoice): Diagnostic | undefined {
  const st = layerState(model);
  const unknown = st.input?.unknown ?? st.inputUnknown;
  if (!unknown || (input.source !== 'call' && input.source !== 'symbolic')) return undefined;
  const shape = formatShape(input.shape).replace(/\?/g, 'None');
  return {
    line: unknown.line, severity: 'warning', code: 'input-from-data',
    message: `the input shape is computed from data ConvLens does not read (${unknown.reason}), so it is symbolic: ${shape}`
      + `; pin it with a comment \`# convlens: input=${shape}\` on or above the model's line, with your data's sizes`,
  };
}

/** `model.build(shape)` that Keras 3 turns into no weights, said where the file calls it. */
function unbuiltBuild(model: PyInstance): Diagnostic | undefined {
  const line = layerState(model).unbuiltBy;
  return line === undefined ? undefined : {
    line, severity: 'info', code: 'keras3-build-unbuilt',
    message: 'in Keras 3, build() on a subclassed model without a build() of its own makes no weights (model.summary() shows '
      + 'its layers unbuilt, 0 parameters); ConvLens counts what its first call builds — call it on keras.Input(shape=…) or on '
      + 'data to build it in Keras 3',
  };
}
