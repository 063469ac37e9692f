// Builder functions as models: a function of the file whose arguments all have defaults and that returns a
// Keras model (`def build_model(input_shape=(28, 28, 1), num_classes=10):`) is a model of the file, as a
// PyTorch file's model classes are. A builder the file already called for a model it keeps (`model =
// build_model()`, also under `if __name__ == "__main__":`) is that model, not a second one; a builder whose
// model is a part of another model (an encoder the autoencoder's builder calls) is a part.
import type { Interpreter } from '../../python/interpreter';
import type { Stmt } from '../../python/ast';
import { BudgetExceeded, PyRaise, isObj, type CallSite, type PyFunction, type PyInstance, type Value } from '../../python/values';
import type { Candidate } from '../framework';
import { innerLayers, layerState } from './state';

/** Whether a body returns a value somewhere (not in a nested function). */
function returnsValue(body: Stmt[]): boolean {
  return body.some((s) => {
    switch (s.t) {
      case 'return': return s.value !== undefined;
      case 'if': case 'for': case 'while': return returnsValue(s.body) || returnsValue(s.orelse);
      case 'with': return returnsValue(s.body);
      case 'try': return [s.body, s.orelse, s.final, ...s.handlers.map((h) => h.body)].some(returnsValue);
      default: return false;
    }
  });
}

/** The file's functions callable with no arguments that may return something. */
function builderFunctions(globals: Map<string, Value>, file: string): PyFunction[] {
  const out: PyFunction[] = [];
  for (const v of globals.values()) {
    if (!isObj(v) || v.k !== 'func' || v.module.file !== file || v.name.startsWith('_') || !Array.isArray(v.body)) continue;
    if (v.generator || !v.params.every((p) => p.kind === 'vararg' || p.kind === 'kwarg' || p.default !== undefined)) continue;
    if (returnsValue(v.body) && !out.includes(v)) out.push(v);
  }
  return out.sort((a, b) => a.line - b.line);
}

const within = (f: PyFunction, sites: CallSite[], file: string): boolean => {
  const body = f.body as Stmt[];
  const [from, to] = [body[0].from, body[body.length - 1].to];
  return sites.some((s) => s.file === file && s.from >= from && s.to <= to);
};

/** Every construction site of a model and of the layers inside it. */
const sitesOf = (models: PyInstance[]): CallSite[] =>
  models.flatMap((m) => [m, ...innerLayers(m)]).flatMap((l) => layerState(l).sites);

export function builderCandidates(interp: Interpreter, globals: Map<string, Value>, file: string, found: Candidate[],
  isModel: (v: Value) => v is PyInstance): Candidate[] {
  const built = sitesOf(found.map((c) => c.model));
  const made: Array<Candidate & { fn: PyFunction }> = [];
  for (const fn of builderFunctions(globals, file)) {
    if (within(fn, built, file)) continue;
    const notes = interp.notes.length;
    let v: Value = null;
    try {
      interp.restartSteps();
      v = interp.call(fn, [], new Map(), { line: fn.line, from: 0, to: 0, file: '<discover>' });
    } catch (e) {
      if (!(e instanceof PyRaise || e instanceof BudgetExceeded)) throw e;
    } finally {
      interp.frames.length = 0;
    }
    if (isModel(v)) {
      const st = layerState(v);
      made.push({ name: st.named ? st.name : `${fn.name}()`, line: fn.line, model: v, definitionLine: fn.line, fn });
    } else interp.notes.length = notes; // what a function that builds no model noted is no finding of the file
  }
  // a builder whose model is a part of another model is a part (get_encoder of get_vqvae)
  return made.filter((c) => !within(c.fn, sitesOf(made.filter((o) => o !== c).map((o) => o.model)), file))
    .map(({ fn: _fn, ...c }) => c);
}
