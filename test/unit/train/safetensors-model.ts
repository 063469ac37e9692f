// The small CNN of optim.json, trained three SGD steps by the engine and saved as safetensors:
// shared by the fixture exporter and the test that checks the committed export.
import type { GraphNode, ModelReport } from '../../../engine/report/types';
import { buildNetwork } from '../../../engine/train/graph/build';
import { CrossEntropy } from '../../../engine/train/loss/cross-entropy';
import { makeOptimizer } from '../../../engine/train/optim/optimizer';
import { writeSafetensors } from '../../../engine/train/save/safetensors';
import { Rng } from '../../../engine/train/tensor/rng';
import { fixture, fromFixture, type FixtureTensor } from './helpers';

interface Optim { graph: GraphNode[]; parameters: ModelReport['parameters']; input: FixtureTensor; labels: number[]; init: Record<string, FixtureTensor> }

export function smallCnnExport(): { bytes: Uint8Array; input: FixtureTensor; output: FixtureTensor } {
  const fx = fixture<Optim>('optim.json');
  const net = buildNetwork(fx);
  for (const e of net.state) e.value.set(fx.init[e.name].data);
  const opt = makeOptimizer(net.params, { name: 'sgd', lr: 0.1, momentum: 0.9 }), ce = new CrossEntropy(), x = fromFixture(fx.input);
  for (let i = 0; i < 3; i++) {
    net.zeroGrad();
    net.backward(ce.compute(net.forward(x, { training: true, rng: new Rng(0) }), fx.labels).grad);
    opt.step();
  }
  const y = net.forward(x, { training: false, rng: new Rng(0) });
  return {
    bytes: writeSafetensors(net.state, { format: 'pt' }),
    input: fx.input,
    output: { shape: y.shape, data: Array.from(y.data) },
  };
}
