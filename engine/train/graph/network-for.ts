// The trainable network of a model report, whichever framework the model is written in.
import type { ModelReport } from '../../report/types';
import { formatShape } from '../../shapes/dim';
import { TrainError } from '../layers/layer';
import { buildNetwork, outputNode, UnsupportedModel } from './build';
import { buildKerasNetwork } from './build-keras';
import type { Network } from './network';

export function networkFor(report: Pick<ModelReport, 'graph' | 'parameters'> & Partial<Pick<ModelReport, 'framework' | 'graphOutput'>>): Network {
  oneInput(report);
  return report.framework === 'keras' ? buildKerasNetwork(report) : buildNetwork(report);
}

/**
 * The network a run (or an exported script) trains: training fits class scores, (N, classes), by cross-entropy, so
 * an output of another rank (a generator's image, a discriminator's (N,)) is refused before it starts, not at its
 * first batch. (`networkFor` alone builds any graph: the layer tests run single layers through it.)
 */
export function trainingNetworkFor(report: Parameters<typeof networkFor>[0]): Network {
  const shape = outputNode(report.graph, report.graphOutput)?.outputShape;
  if (shape && shape.length !== 2) {
    throw new TrainError(`the model's output is ${formatShape(shape, 'N')}: training fits class scores, (N, classes), by cross-entropy, `
      + 'so a model whose output is an image or one value per sample does not train here');
  }
  return networkFor(report);
}

/** The data pipeline feeds one image per sample: a model of several inputs is named, never half-fed. */
export function oneInput(report: Pick<ModelReport, 'graph'>): void {
  const inputs = report.graph.filter((g) => g.kind === 'input');
  if (inputs.length <= 1) return;
  throw new UnsupportedModel([{ type: 'input', line: inputs[1].line, why: `the model takes ${inputs.length} inputs; training feeds one` }]);
}
