// The training step the engine benchmarks time: SGD momentum 0.9, lr 0.01, cross-entropy, a fixed random batch
// (the same work as torch_train_bench.py), on a network whose kernels are already selected.
import type { Network } from '../../engine/train/graph/network';
import { initParams } from '../../engine/train/init/init';
import { CrossEntropy } from '../../engine/train/loss/cross-entropy';
import { makeOptimizer } from '../../engine/train/optim/optimizer';
import { Rng } from '../../engine/train/tensor/rng';
import { tensor } from '../../engine/train/tensor/tensor';

/** Places and initialises the parameters, and returns one step (forward, backward, optimiser) on a batch of `batch`. */
export function benchStep(net: Network, batch: number): () => void {
  net.placeParams();
  const rng = new Rng(0);
  initParams(net.params, 'default', rng);
  const shape = net.inputShape.map((d) => d ?? 1);
  const x = tensor([batch, ...shape], Float32Array.from({ length: batch * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
  const labels = Int32Array.from({ length: batch }, () => rng.int(10));
  const opt = makeOptimizer(net.trained, { name: 'sgd', lr: 0.01, momentum: 0.9 });
  const ce = new CrossEntropy(), ctx = { training: true, rng };
  return () => {
    net.zeroGrad();
    net.backward(ce.compute(net.forward(x, ctx), labels).grad);
    opt.step();
  };
}
