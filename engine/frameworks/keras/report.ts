// Turns a traced Keras model into the model report: the rows `model.summary()` lists, totals
// as Keras counts them (every weight once, moving statistics non-trainable), the layer list as
// the module tree, and the weights under Keras's names (`conv2d/kernel`).
import { product, type Shape } from '../../shapes/dim';
import type { ModelReport, ModuleNode } from '../../report/types';
import { assembleReport } from '../../report/assemble';
import type { PyInstance } from '../../python/values';
import type { InputChoice, ModelIdentity } from '../framework';
import { layerState } from './state';
import { tensorsIn } from './tensor';
import { outputShapes, type TraceOutcome } from './session';

export function buildKerasReport(model: PyInstance, id: ModelIdentity, input: InputChoice, outcome: TraceOutcome): ModelReport {
  const { trace } = outcome;
  const parameters: ModelReport['parameters'] = [];
  let total = 0, trainable = 0;
  for (const [layer, weights] of trace.built) {
    for (const w of weights) {
      const n = product(w.shape) as number;
      total += n;
      if (w.trainable) trainable += n;
      parameters.push({ name: `${layerState(layer).name}/${w.name}`, shape: w.shape, trainable: w.trainable });
    }
  }
  const macs = trace.rows.reduce((n, r) => n + r.macs, 0);
  const outputShape: Shape | null = outcome.failure ? null : tensorsIn(outcome.output)[0]?.shape ?? null;
  const modules: ModuleNode[] = [{
    path: '', type: model.cls.name, depth: 0, line: id.line, params: total, trainableParams: trainable,
    paramsKnown: trace.unknownParams.size === 0, macs, macsKnown: trace.rows.every((r) => r.macsKnown), outputShape, isLeaf: false,
  }];
  for (const r of trace.rows) {
    if (modules.some((m) => m.path === r.path)) continue;
    modules.push({
      path: r.path, type: r.type, depth: 1, line: r.line, params: r.params, trainableParams: r.trainableParams,
      paramsKnown: r.paramsKnown, macs: r.macs, macsKnown: r.macsKnown, outputShape: r.outputShape, isLeaf: true,
    });
  }
  const report = assembleReport({
    framework: 'keras', id, input, outputShape,
    totalParams: total, trainableParams: trainable,
    layers: trace.rows, modules, graph: trace.graph, parameters,
    diagnostics: [...trace.diagnostics, ...trace.unmodelled.diagnostics],
    failure: outcome.failure,
    // Keras makes a layer's weights when the layer first runs: after a failure, the layers not reached have none yet
    paramsComplete: trace.unknownParams.size === 0 && !outcome.failure,
    unmodelled: trace.unmodelled.entries,
  });
  return { ...report, ...(outcome.failure ? {} : outputShapes(outcome.output)), summaryName: layerState(model).name };
}
