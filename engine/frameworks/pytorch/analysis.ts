// PyTorch's part of an analysis: the torch modules (and torchinfo/torchsummary, whose summary()
// calls give an input shape), nn.Module discovery, the symbolic or inferred input, and the report.
import { whyUnknown } from '../../report/unmodelled';
import type { Interpreter } from '../../python/interpreter';
import type { BuiltinClasses } from '../../python/builtins';
import { pyModule } from '../../python/stdlib';
import { PyRaise, isObj, isUnknown, native, type CallSite, type PyClass, type PyInstance, type PyModule, type Value } from '../../python/values';
import type { Shape } from '../../shapes/dim';
import { symbolicInput } from '../../input-shape';
import { builderPlaces, classLine, type Candidate, type FrameworkAnalysis, type InputChoice, type RangeOf } from '../framework';
import { TorchSession } from './session';
import { torchModuleFor, torchModules } from './torch-api';
import { isModule, namedModules, stateOf } from './nn';
import { isTensor, shapeArgs } from './tensor';
import { buildTorchReport } from './report';
import { attachBatchShapes, needsBatchShapes, symbolicBatch } from './batch-shapes';
import { timed } from '../../timings';
import { placeRaise } from '../../report/related';
import { markGuessed } from '../../report/guessed';
import { dataStandIn } from './data-stand-ins';
import { firstLayerInput } from './first-layer';
import { FEATURE_EXTRACTION_MODULE, featureExtractionModule } from './feature-extraction';

export function pytorchAnalysis(interp: Interpreter, classes: BuiltinClasses, rangeOf: RangeOf, argumentRange: TorchSession['argumentRange']): FrameworkAnalysis {
  const session = new TorchSession(interp, rangeOf);
  session.argumentRange = argumentRange;
  interp.unknownCallHooks.push((call) => session.unknownCall(call));
  interp.stateStamps.push(() => session.stamp());
  const torch = torchModules({ interp, tracer: () => session.tracer, hooks: session, classes });
  const summaryModule = (name: string, withBatch: boolean): PyModule => pyModule(name, {
    summary: native('summary', (a, k, site) => {
      const model = a[0];
      const dims = shapeArgs([k.get('input_size') ?? a[1] ?? null]);
      if (isModule(model) && dims) session.topLevelCalls.push({ model, shape: withBatch ? dims : [1, ...dims], line: site.line });
      return null;
    }),
  });
  let features: PyModule | undefined;
  const extra = new Map([['torchinfo', summaryModule('torchinfo', true)], ['torchsummary', summaryModule('torchsummary', false)]]);
  return {
    framework: 'pytorch',
    module: (name) => dataStandIn(interp, name) ?? torchModuleFor(torch, name) ?? extra.get(name)
      ?? (name === FEATURE_EXTRACTION_MODULE ? (features ??= featureExtractionModule(interp, session)) : undefined),
    isModel: isModule,
    discover: (globals, file) => discoverModels(interp, globals, file, session),
    inputFromCall(model) {
      const own = session.topLevelCalls.find((t) => t.model === model);
      const call = own ?? session.topLevelCalls.find((t) => t.model.cls === model.cls);
      if (!call) return exampleInput(model);
      // a model never called takes the input of another of its class, and says so
      const what = call.line ? `the call on line ${call.line}` : 'the summary() call in this file';
      return { shape: call.shape, extra: call.extra, origin: own ? what : `${what}, of another ${model.cls.name}` };
    },
    fallbackInput: (c) => symbolicOrInferred(c, session),
    report(c, input, timings) {
      interp.restartSteps();
      const site = { line: c.line, from: 0, to: 0, file: '<model>' };
      const guessed = interp.mainGuesses.length;
      const trace = timed(timings, 'trace', () => session.trace(c.model, input.shape, site, input.extra));
      const traceGuess = interp.mainGuesses[guessed];
      const report = timed(timings, 'report', () => buildTorchReport(session, c.model, c, input, trace));
      if (traceGuess) markGuessed(interp, report, traceGuess, 'in its forward pass');
      // after the report is built: the probe's own lazy initialisations are undone by the next trace
      if (!trace.failure && needsBatchShapes(report.graph, input.shape)) {
        // what the probe notes (a line that would fail at a symbolic batch) is not the file's diagnostic
        const notes = interp.notes.length;
        const extra = input.extra?.map((s) => symbolicBatch(s, input.shape));
        const probe = timed(timings, 'trace', () => session.trace(c.model, symbolicBatch(input.shape), site, extra));
        interp.notes.length = notes;
        if (!probe.failure) attachBatchShapes(report.graph, probe.tracer.graph);
      }
      return report;
    },
  };
}

/** Lightning's `self.example_input_array` (a tensor, or a tuple of one per forward() input): what its summary runs on. */
function exampleInput(model: PyInstance): { shape: Shape; extra?: Shape[]; origin: string } | undefined {
  const v = model.attrs.get('example_input_array') ?? null;
  const items = isObj(v) && (v.k === 'tuple' || v.k === 'list') ? v.items : [v];
  const shapes = items.map((x) => (isTensor(x) ? x.shape : null));
  if (!shapes.length || shapes.some((x) => !x)) return undefined;
  const [shape, ...extra] = shapes as Shape[];
  return { shape, extra, origin: '`self.example_input_array` (what Lightning\'s summary runs the model on)' };
}

/** Makers whose result is a model (`torchvision.models.…`, `keras.applications.…`, `timm.create_model`, `from_pretrained`). */
const MODEL_MAKER = /(^|\.)(models?|applications|hub)\.|create_model|from_pretrained|(^|\.)\w*(Net|Model|Unet)\w*$/;
/** Variable names a model usually has. */
const MODEL_NAME = /^(model|net|network|backbone|cnn|classifier|detector|encoder|decoder)(_\w+)?$/i;

function discoverModels(interp: Interpreter, globals: Map<string, Value>, file: string, session: TorchSession): Candidate[] {
  const found: Candidate[] = [];
  for (const [name, v] of globals) {
    // `criterion = nn.CrossEntropyLoss()` is a module but no model (it would take a CodeLens and a summary)
    if (isModule(v) && !/Loss$/.test(stateOf(v).layer?.type ?? '')) {
      const builder = builderPlaces(stateOf(v).sites, (s) => session.rangeOf(s), globals, file);
      const range = builder?.range ?? session.constructionRange(v);
      found.push({ name, line: range?.line ?? 1, range, model: v, definitionLine: classLine(v, file) ?? builder?.definitionLine });
    }
  }
  // a model made and called inside a function (`def main(): net = resnet18(…) … net(images)`): no variable of
  // the module holds it, but the script runs it; by identity, and one per class
  for (const { model: v } of session.topLevelCalls) {
    if (found.some((c) => c.model === v || c.model.cls === v.cls) || /Loss$/.test(stateOf(v).layer?.type ?? '')) continue;
    // the line inside the function that makes it (the module-level line is only the call of the function)
    const range = session.constructionRange(v);
    if (!range) continue;
    found.push({ name: v.cls.name, line: range.line, range, model: v, definitionLine: classLine(v, file) });
  }
  const named = new Set<CallSite>();
  // `model = create_feature_extractor(m, …)`: what an unknown callable made of a model is no model ConvLens
  // can see; without a word the file would show `m` alone (or nothing)
  for (const [name, v] of globals) {
    if (!isUnknown(v) || !v.made || !session.modelWrappers.has(v.made.site) || v.made.site.file !== file) continue;
    const message = `\`${name}\` is what ${v.made.name}(…) makes of a model, which ConvLens does not model `
      + `(${whyUnknown(v.reason)}): it has no summary`;
    interp.notes.push({ line: v.made.site.line, file, message, warning: 'unmodelled' });
    named.add(v.made.site);
  }
  // `model = torchvision.models.detection.fasterrcnn_resnet50_fpn(…)`, `net = smp.Unet(…)` with the library unseen:
  // a model by its maker's or its variable's name that ConvLens cannot see is named, never silence
  for (const [name, v] of globals) {
    if (!isUnknown(v) || !v.made || v.attribute || v.made.site.file !== file || session.modelWrappers.has(v.made.site)) continue;
    if (!MODEL_MAKER.test(v.made.name) && !MODEL_NAME.test(name)) continue;
    const message = `\`${name}\` is what ${v.made.name}(…) makes, which ConvLens does not model (${whyUnknown(v.reason)}): `
      + 'if it is a model, it has no summary';
    interp.notes.push({ line: v.made.site.line, file, message, warning: 'unmodelled' });
    named.add(v.made.site);
  }
  // the same inside a function (`def main(): model = make_net(); model(x)`) or under any name (`m5 = …; m5(x)`),
  // known by its call on a tensor
  for (const [site, call] of session.unknownModelCalls) {
    if (named.has(site) || session.modelWrappers.has(site)) continue;
    const message = `what ${call.name}(…) makes is called on a tensor at line ${call.line}, but ConvLens does not `
      + `model it (${whyUnknown(call.reason)}): if it is a model, it has no summary`;
    interp.notes.push({ line: site.line, file, message, warning: 'unmodelled' });
  }
  // A class that appears inside another model is a building block, not a model. Classes are tried
  // last-defined first (models usually come after their blocks), so blocks already seen inside a
  // model are never built on their own.
  // By class for the file's own classes (a `Block` used inside `Net` is a block wherever it is built); by
  // identity for library classes: a model is often an nn.Sequential holding other nn.Sequentials.
  const inner = new Set<unknown>();
  const noteInner = (m: PyInstance) => {
    for (const [, x] of namedModules(m).slice(1)) inner.add(x.cls.module?.file === file ? x.cls : x);
  };
  const isInner = (m: PyInstance) => inner.has(m) || (m.cls.module?.file === file && inner.has(m.cls));
  for (const c of found) noteInner(c.model);
  const byVariable = new Set(found.map((c) => c.model.cls));
  const fileClasses = [...globals.values()].filter((v): v is PyClass => isObj(v) && v.k === 'class' && v.module?.file === file);
  const classes = fileClasses.filter((v) => !byVariable.has(v) && v.mro.some((c) => c.tag === 'Module') && !v.name.startsWith('_')
    // a class without its own forward() (an abstract base) is not a model
    && v.mro.some((c) => c.module !== undefined && c.dict.has('forward')));
  // A base class that other classes of the file extend and that holds nothing (d2l.Module's
  // `forward` returns `self.net(X)`, set only by subclasses) is a template, not a model.
  const extended = new Set(fileClasses.flatMap((c) => c.mro.slice(1)));
  // a model class on a base ConvLens cannot see (`d2l.Classifier` without d2l) is no model here: say so
  for (const c of fileClasses) {
    const base = c.unknownBases?.[0];
    if (!base || c.mro.some((m) => m.tag === 'Module') || !(c.dict.has('forward') || /(Module|Model|Net|Classifier|Regressor)$/.test(base.written))) continue;
    const message = `\`${c.name}\` derives from \`${base.written}\`, which ConvLens cannot see (${whyUnknown(base.reason)}): if it is a model, it is not analysed`;
    interp.notes.push({ line: c.line, file, message, warning: 'unknown-base' });
  }
  const empty = (m: PyInstance) => !stateOf(m).hasModuleChildren() && stateOf(m).ownParams().length === 0;
  for (const v of classes.sort((a, b) => b.line - a.line)) {
    if (inner.has(v)) continue;
    try {
      const m = interp.instantiate(v, [], new Map(), { line: v.line, from: 0, to: 0, file: '<discover>' });
      if (isModule(m) && !(extended.has(v) && empty(m))) { found.push({ name: v.name, line: v.line, model: m }); noteInner(m); }
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      // a class that needs arguments is no model on its own; any other error is the user's to see
      if (!/^__init__\(\) (missing required argument|takes \d+ positional)/.test(e.detail) && !extended.has(v)) {
        const place = placeRaise(interp, e);
        const at = place.line && place.line !== v.line ? ` at line ${place.line}` : '';
        interp.notes.push({
          line: v.line, file, message: `${v.name}() raises ${e.type}: ${e.detail}${at} when it is built, so it has no summary`,
          error: true, ...(place.related ? { origin: place.related } : {}),
        });
      }
    } finally {
      interp.frames.length = 0;
    }
  }
  return found.filter((c) => !isInner(c.model)).sort((a, b) => a.line - b.line);
}

/**
 * (N, C, H, W) with C from the first layer; then, if a Linear pins the spatial size, that size. When forward()
 * fails on the first layer's rank (a DDPM UNet whose time-embedding Linear comes first, `B, T, C = x.size()` after
 * a Linear), the ranks 4, 3, 5, 2 in turn: a guessed input must not put a false error on the user's line.
 */
function symbolicOrInferred(c: Candidate, session: TorchSession): InputChoice {
  const site: CallSite = { line: c.line, from: 0, to: 0, file: '<model>' };
  const first = firstLayerInput(c.model) ?? { rank: 4, channels: null };
  let { rank, channels } = first;
  let symbolic = symbolicInput(rank, channels);
  let probe = session.trace(c.model, symbolic, site);
  for (const r of fails(probe) ? [4, 3, 5, 2].filter((x) => x !== first.rank) : []) {
    // a later Linear's features are not the input's: only a convolution or norm of that rank gives channels
    const alt = { rank: r, channels: r === 2 ? null : firstLayerInput(c.model, r)?.channels ?? null };
    const t = session.trace(c.model, symbolicInput(alt.rank, alt.channels), site);
    if (fails(t)) continue;
    ({ rank, channels } = alt);
    symbolic = symbolicInput(rank, channels);
    probe = t;
    break;
  }
  const pinned = probe.tracer.rows.find((r) => r.type === 'Linear' && typeof r.inputShapes[0]?.[r.inputShapes[0].length - 1] === 'string');
  const want = pinned ? pinned.config.in_features : undefined;
  if (!pinned || typeof want !== 'number' || rank < 3 || typeof channels !== 'number') {
    const viewed = !pinned && rank >= 3 && typeof channels === 'number' ? batchKeptBy(c, session, symbolic, probe, site) : undefined;
    return viewed ?? { shape: symbolic, source: 'symbolic', origin: 'no input shape was given, so sizes are symbolic; set one with `# convlens: input=(1, C, H, W)` above the model' };
  }
  const features = (size: number): number | undefined => {
    const t = session.trace(c.model, sized(symbolic, size), site);
    const row = t.tracer.rows.find((r) => r.path === pinned.path);
    const f = row?.inputShapes[0]?.[row.inputShapes[0].length - 1];
    return typeof f === 'number' ? f : undefined;
  };
  let lo = 1, hi = 4096;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const f = features(mid);
    if (f !== undefined && f >= want) hi = mid; else lo = mid + 1;
  }
  if (features(lo) !== want) {
    return { shape: symbolic, source: 'symbolic', origin: `no input size gives the ${want} features that \`${pinned.path}\` expects; sizes are symbolic` };
  }
  // a strided first layer maps several sizes to the same features (a stride-2 conv takes 27 or 28): all of them fit,
  // so a dataset's usual size among them is the one shown (MNIST's 28, not 27), and the origin names the others
  let top = lo;
  while (top - lo < MAX_FITTING && features(top + 1) === want) top++;
  const size = COMMON_SIZES.find((s) => s >= lo && s <= top) ?? lo;
  const square = (s: number) => squareOf(symbolic, s);
  const others = top > lo ? ` (so does any size from ${square(lo)} to ${square(top)})` : '';
  return { shape: sized(symbolic, size), source: 'inferred', origin: `inferred: \`${pinned.path}\` (Linear) expects ${want} features, which a ${square(size)} input gives${others}` };
}

type Trace = ReturnType<TorchSession['trace']>;
const fails = (t: Trace) => t.failure?.severity === 'error' || t.tracer.diagnostics.some((d) => d.severity === 'error');
/** The symbolic input with every spatial size set to `size`. */
const sized = (symbolic: Shape, size: number): Shape => [...symbolic.slice(0, 2), ...symbolic.slice(2).map(() => size)];
const squareOf = (symbolic: Shape, size: number) => symbolic.slice(2).map(() => size).join('×');

/**
 * `x.view(-1, 16 * 5 * 5)` before a Linear (PyTorch's CIFAR-10 tutorial): on a symbolic input the view's -1 is not
 * the batch, so no Linear's features pin the size, and the Linear's batch is unknown. The view keeps the batch only
 * for some sizes: the first common size that does (COMMON_SIZES' order) is shown as inferred, the origin saying
 * that other sizes may fit too. None found: undefined (the input stays symbolic).
 */
function batchKeptBy(c: Candidate, session: TorchSession, symbolic: Shape, probe: Trace, site: CallSite): InputChoice | undefined {
  const linear = probe.tracer.rows.find((r) => r.type === 'Linear' && r.inputShapes[0]?.[0] === null);
  if (!linear) return undefined;
  for (const size of COMMON_SIZES) {
    const shape = sized(symbolic, size);
    const t = session.trace(c.model, shape, site);
    if (fails(t) || t.tracer.rows.find((r) => r.path === linear.path)?.inputShapes[0]?.[0] !== symbolic[0]) continue;
    return {
      shape, source: 'inferred',
      origin: `inferred: the input of \`${linear.path}\` (Linear) keeps the batch for a ${squareOf(symbolic, size)} input, a common size (a \`view(-1, …)\` `
        + 'before it may fit other sizes too)',
    };
  }
  return undefined;
}

/** How many sizes above the smallest fitting one the inference tries (a stride of 32 maps 32 sizes to one). */
const MAX_FITTING = 64;
/** Image sizes of common datasets and models, first choice first, preferred among sizes that fit equally well. */
const COMMON_SIZES = [28, 32, 224, 64, 96, 299, 227, 256, 128, 48, 150, 160, 84, 40, 56, 112, 192, 384, 512];
