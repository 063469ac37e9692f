// The parts of a model report every framework fills the same way: identity, input, totals (FLOPs
// = 2 × MACs, non-trainable = total − trainable) and the diagnostics with the reason a trace stopped.
import type { Diagnostic, Framework, GraphNode, LayerRow, ModelReport, ModuleNode, Shape, StatementRecord, Unmodelled } from './types';
import type { InputChoice, ModelIdentity } from '../frameworks/framework';

export interface ReportParts {
  framework: Framework;
  id: ModelIdentity;
  input: InputChoice;
  outputShape: Shape | null;
  totalParams: number;
  trainableParams: number;
  /** When some parameters are neither known trainable nor known frozen (default: total − trainable). */
  nonTrainableParams?: number;
  layers: LayerRow[];
  modules: ModuleNode[];
  graph: GraphNode[];
  parameters: ModelReport['parameters'];
  diagnostics: Diagnostic[];
  /** Why the forward pass stopped early; placed on the model's line when it has none of its own. */
  failure?: Diagnostic;
  /** False when some parameter's size is unknown (the total is then a lower bound). */
  paramsComplete?: boolean;
  unmodelled?: Unmodelled[];
  /** What each traced statement produced (none for a model without traced source). */
  statements?: StatementRecord[];
}

/** A certain error the trace went on past (the framework raises there): the first, when there is one. */
export function raisingError(diagnostics: Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error' && d.code !== 'forward-raised');
}

export function assembleReport(p: ReportParts): ModelReport {
  const macs = p.layers.reduce((n, r) => n + r.macs, 0);
  const diagnostics = [...p.diagnostics];
  if (p.failure) diagnostics.push(p.failure.line ? p.failure : { ...p.failure, line: p.id.line, range: p.id.range });
  const unmodelled = p.unmodelled ?? [];
  // beyond 2**53 a JavaScript number no longer counts every unit (an absurd nn.Linear(10**10, 10**9)): not exact
  const paramsComplete = (p.paramsComplete ?? true) && p.layers.every((r) => r.paramsKnown) && !unmodelled.some((u) => u.missing.includes('params'))
    && Number.isSafeInteger(p.totalParams);
  // a forward pass that stopped early leaves the MACs of what follows uncounted; one that goes on past a certain
  // shape error (to find the next) counts what follows as if the layer had received what it expects, which the
  // framework never does: not exact either, and no output
  const raised = p.failure !== undefined || raisingError(p.diagnostics) !== undefined;
  const macsComplete = !raised && p.layers.every((r) => r.macsKnown) && !unmodelled.some((u) => u.missing.includes('macs'))
    && Number.isSafeInteger(macs);
  const outputShape = raised ? null : p.outputShape;
  return {
    name: p.id.name,
    framework: p.framework,
    line: p.id.line,
    range: p.id.range,
    ...(p.id.definitionLine !== undefined && p.id.definitionLine !== p.id.line ? { definitionLine: p.id.definitionLine } : {}),
    inputShape: p.input.shape,
    ...(p.input.extra?.length ? { inputShapes: [p.input.shape, ...p.input.extra] } : {}),
    inputShapeSource: p.input.source,
    inputShapeOrigin: p.input.origin,
    outputShape,
    totalParams: p.totalParams,
    trainableParams: p.trainableParams,
    nonTrainableParams: p.nonTrainableParams ?? p.totalParams - p.trainableParams,
    macs,
    flops: 2 * macs,
    complete: paramsComplete && macsComplete && outputShape !== null,
    paramsComplete,
    macsComplete,
    unmodelled,
    layers: p.layers,
    modules: p.modules,
    graph: p.graph,
    statements: p.statements ?? [],
    parameters: p.parameters,
    diagnostics,
  };
}
