// The trainable network of a model report, whichever framework the model is written in.
import type { ModelReport } from '../../report/types';
import { buildNetwork } from './build';
import { buildKerasNetwork } from './build-keras';
import type { Network } from './network';

export function networkFor(report: Pick<ModelReport, 'graph' | 'parameters'> & Partial<Pick<ModelReport, 'framework'>>): Network {
  return report.framework === 'keras' ? buildKerasNetwork(report) : buildNetwork(report);
}
