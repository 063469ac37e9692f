// A parameter that the forward pass reads as a tensor (`self.layer_scale * x`, `x + self.pos_embed`): the
// graph's `parameter` node; and a constant made in the forward pass (`torch.eye(c)`), the `constant` node. Its forward hands out a copy of the parameter's values (the layers after it
// may reuse their input's buffer); its backward adds the gradient that reaches it (already summed over
// broadcast dimensions by the op that read it) to the parameter's.
import { Scratch, type Tensor } from '../tensor/tensor';
import type { Layer, Param } from './layer';

export class ParameterRead implements Layer {
  private readonly out = new Scratch();

  constructor(private readonly p: Param) {}

  forward(): Tensor {
    const y = this.out.get(this.p.shape);
    y.data.set(this.p.value);
    return y;
  }

  backward(dy: Tensor): Array<Tensor | null> {
    const g = this.p.grad, d = dy.data;
    for (let i = 0; i < d.length; i++) g[i] += d[i];
    return [];
  }
}

/** A tensor of known values the forward pass makes (no gradient: nothing trains in it). */
export class Constant implements Layer {
  private readonly out = new Scratch();

  constructor(private readonly shape: number[], private readonly values: Float32Array) {}

  forward(): Tensor {
    const y = this.out.get(this.shape);
    y.data.set(this.values);
    return y;
  }

  backward(): Array<Tensor | null> {
    return [];
  }
}
