// The export of a run as its hosts know it (the CLI's options, the panel's settings): the network
// ConvLens built gives the parameters, their first values' rules and the validation split's state.
import { initRule } from '../init/init';
import type { Network } from '../graph/network';
import { splitState } from './script-rng';
import type { ExportConfig, ExportData, ExportOptions } from './settings';

export interface RunToExport {
  net: Pick<Network, 'params' | 'trained' | 'inputShape'>;
  /** The report's model name and what the run built it from (a class, a variable, an --entry expression). */
  name: string;
  entry: string;
  /** The model's file and the weights file the script writes, absolute or relative to the script's folder. */
  file: string;
  save: string;
  options: ExportOptions;
  data: ExportData;
  madeBy: string;
}

export function exportConfig(r: RunToExport): ExportConfig {
  const trained = new Set(r.net.trained);
  return {
    model: {
      file: r.file, entry: r.entry, name: r.name, inputShape: [...r.net.inputShape],
      params: r.net.params.map((p) => ({ name: p.name, shape: p.shape, init: initRule(p.role, r.options.init), trainable: p.trainable })),
      unusedTrainable: r.net.params.some((p) => p.trainable && !trained.has(p)),
    },
    data: r.data, options: r.options, save: r.save, madeBy: r.madeBy,
    splitState: splitState(r.net.params, r.options.init, r.options.seed),
  };
}
