// The trainable network of a model report, whichever framework the model is written in.
import type { ModelReport } from '../../report/types';
import { buildNetwork, UnsupportedModel } from './build';
import { buildKerasNetwork } from './build-keras';
import type { Network } from './network';

export function networkFor(report: Pick<ModelReport, 'graph' | 'parameters'> & Partial<Pick<ModelReport, 'framework' | 'graphOutput'>>): Network {
  oneInput(report);
  return report.framework === 'keras' ? buildKerasNetwork(report) : buildNetwork(report);
}

/** The data pipeline feeds one image per sample: a model of several inputs is named, never half-fed. */
export function oneInput(report: Pick<ModelReport, 'graph'>): void {
  const inputs = report.graph.filter((g) => g.kind === 'input');
  if (inputs.length <= 1) return;
  throw new UnsupportedModel([{ type: 'input', line: inputs[1].line, why: `the model takes ${inputs.length} inputs; training feeds one` }]);
}
