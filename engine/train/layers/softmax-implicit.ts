// softmax / log_softmax called without a dim (`F.log_softmax(x)`, `nn.Softmax()`, common in older tutorials):
// PyTorch then picks the dimension from the input's rank (_get_softmax_dim: 0 for 0-, 1- and 3-D inputs,
// 1 otherwise) and warns that this is deprecated; training does the same.
import type { Tensor } from '../tensor/tensor';
import type { Layer } from './layer';
import { Softmax } from './softmax';

export class ImplicitSoftmax implements Layer {
  private inner: Softmax | null = null;
  private rank = -1;

  constructor(private readonly log: boolean) {}

  forward(xs: Tensor[]): Tensor {
    const r = xs[0].shape.length;
    if (r !== this.rank || !this.inner) {
      this.inner = new Softmax(r === 0 || r === 1 || r === 3 ? 0 : 1, this.log);
      this.rank = r;
    }
    return this.inner.forward(xs);
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    return this.inner!.backward(dy, needInput);
  }
}
