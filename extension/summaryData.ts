// What the summary webview is sent for a file: each model with its module tree, shapes printed the
// user's way. Pure (no vscode import).
import type { FileReport, ModelReport } from '../engine/report/types';
import { frozenMarks } from '../engine/report/frozen';
import type { SummaryModel } from '../webview/protocol';
import { type DisplayOptions, inputSourceShort, inputText, shapeText } from './format';
import { unmodelledNote } from '../engine/report/format';
import { savedUnder } from '../engine/report/summary-rows';
import { DEFAULT_MEMORY_OPTIONS, withMemory, type MemoryOptions } from '../engine/memory/estimate';

export function summaryModels(report: FileReport, o: DisplayOptions, memory: MemoryOptions = DEFAULT_MEMORY_OPTIONS): SummaryModel[] {
  return report.models.map((m) => summaryModel(withMemory(m, memory), o));
}

function summaryModel(m: ModelReport, o: DisplayOptions): SummaryModel {
  const marks = frozenMarks(m);
  const mem = m.memory;
  return {
    name: m.name,
    framework: m.framework,
    line: m.line,
    input: inputText(m, o),
    inputOrigin: inputSourceShort(m),
    output: shapeText(m.outputShape, m.framework, o),
    totalParams: m.totalParams,
    trainableParams: m.trainableParams,
    nonTrainableParams: m.nonTrainableParams,
    macs: m.macs,
    paramsComplete: m.paramsComplete,
    macsComplete: m.macsComplete,
    bound: unmodelledNote(m) ?? '',
    rows: m.modules.map((n) => ({
      path: n.path,
      type: n.type,
      depth: n.depth,
      line: n.line,
      params: n.params,
      macs: n.macs,
      paramsKnown: n.paramsKnown,
      macsKnown: n.macsKnown,
      output: shapeText(n.outputShape, m.framework, o),
      isLeaf: n.isLeaf,
      ...(marks.has(n.path) && n.path ? { frozen: marks.get(n.path) } : {}),
      ...(mem ? { savedBytes: savedUnder(m, n.path) } : {}),
    })),
    ...(mem ? {
      memory: {
        batchSize: mem.batchSize, optimizer: mem.optimizer, dtype: mem.dtype, paramsBytes: mem.paramsBytes,
        gradientsBytes: mem.gradientsBytes, optimizerStateBytes: mem.optimizerStateBytes,
        savedActivationsBytes: mem.savedActivationsBytes, trainingPeakBytes: mem.trainingPeakBytes,
        inferencePeakBytes: mem.inferencePeakBytes, complete: mem.memoryComplete, warnings: mem.warnings,
      },
    } : {}),
  };
}
