// What a framework (PyTorch, Keras) contributes to an analysis: its builtin modules, how to tell
// and find its models, where a model's input shape comes from, and the model report. The front
// door (engine/analyze.ts) runs the file once and asks every framework.
import type { Framework, InputShapeSource, ModelReport, SourceRange } from '../report/types';
import type { Shape } from '../shapes/dim';
import { isObj, type CallSite, type PyInstance, type PyModule, type Value } from '../python/values';
import type { AnalysisTimings } from '../timings';

/** The range of a call site in the analysed file, or undefined when it is elsewhere. */
export type RangeOf = (site: CallSite) => SourceRange | undefined;

/** A model the analysis will report: the variable or class it comes from. */
export interface ModelIdentity {
  name: string;
  line: number;
  range?: SourceRange;
  /** The line of the model's class in this file, when the model is built elsewhere (`model = Net()`). */
  definitionLine?: number;
}

/** The line of an instance's class when that class is defined in the file and not a framework's own. */
export function classLine(model: PyInstance, file: string): number | undefined {
  return model.cls.module?.file === file ? model.cls.line : undefined;
}

/**
 * Where a model built by a function of the file (`def build_model(): … return Model(…)`, then
 * `model = build_model()`) is placed: on the outermost line of the file that builds it (the
 * assignment), with the function's `def` line as its definition. Undefined when no function of the
 * file builds it (the model is built at the top level).
 */
export function builderPlaces(sites: CallSite[], rangeOf: RangeOf, globals: Map<string, Value>, file: string):
  { range: SourceRange; definitionLine: number } | undefined {
  const inFile = sites.filter((s) => rangeOf(s) !== undefined);
  if (inFile.length < 2) return undefined;
  const inner = inFile[inFile.length - 1];
  for (const v of globals.values()) {
    if (!isObj(v) || v.k !== 'func' || v.module.file !== file || !Array.isArray(v.body) || !v.body.length) continue;
    if (inner.from >= v.body[0].from && inner.to <= v.body[v.body.length - 1].to) {
      return { range: rangeOf(inFile[0]) as SourceRange, definitionLine: v.line };
    }
  }
  return undefined;
}

export interface Candidate extends ModelIdentity {
  model: PyInstance;
}

export interface InputChoice {
  shape: Shape;
  /** The shapes of forward()'s further inputs (a siamese `forward(x1, x2)`), when something gives them. */
  extra?: Shape[];
  source: InputShapeSource;
  origin: string;
}

/** A model called at the top level of the file (`model(torch.randn(1, 3, 224, 224))`): one source of its input shape. */
export interface TopLevelCall {
  model: PyInstance;
  shape: Shape;
  /** The shapes of the call's further tensor arguments (`model(x1, x2)`). */
  extra?: Shape[];
  line: number;
}

export interface FrameworkAnalysis {
  readonly framework: Framework;
  /** A builtin module by dotted name (`torch.nn`, `keras.layers`), or undefined. */
  module(name: string): PyModule | undefined;
  isModel(v: Value): v is PyInstance;
  /** The models of the analysed file: its module-level variables, and its model classes. */
  discover(globals: Map<string, Value>, file: string): Candidate[];
  /** The input shape that a call in the file gives the model (`model(torch.randn(…))`, `Input(shape=…)`). */
  inputFromCall(model: PyInstance): { shape: Shape; extra?: Shape[]; origin: string } | undefined;
  /** The input shape when nothing gives one: symbolic, or inferred from a layer that pins a size. */
  fallbackInput(c: Candidate): InputChoice;
  /** Traces the model and builds its report; `timings` (optional) gets the time of each. */
  report(c: Candidate, input: InputChoice, timings?: AnalysisTimings): ModelReport;
}
