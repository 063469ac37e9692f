// A layer that computes with PyTorch-shaped weights (Conv's (cout, cin, kh, kw), Linear's (out, in))
// around parameters stored in another layout (Keras's kernel (kh, kw, cin, cout), Dense's (in, out)):
// the values are copied in before each forward pass and the gradients added back after each backward
// pass, through an index map made once. So what is initialised, stepped and saved is the Keras weight.
import type { Tensor } from '../tensor/tensor';
import type { ForwardContext, Layer, Param } from './layer';

export interface Relayout {
  /** The parameter the network owns, in its framework's layout. */
  outer: Param;
  /** The layer's own copy, in the layout it computes with. */
  inner: Param;
  /** inner.value[i] = outer.value[index[i]]. */
  index: Int32Array;
}

export class Relaid implements Layer {
  constructor(private readonly layer: Layer, private readonly maps: Relayout[]) {}

  forward(inputs: Tensor[], ctx: ForwardContext): Tensor {
    for (const { outer, inner, index } of this.maps) {
      const v = inner.value, o = outer.value;
      for (let i = 0; i < index.length; i++) v[i] = o[index[i]];
    }
    return this.layer.forward(inputs, ctx);
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    for (const m of this.maps) m.inner.grad.fill(0);
    const dx = this.layer.backward(dy, needInput);
    for (const { outer, inner, index } of this.maps) {
      const g = inner.grad, o = outer.grad;
      for (let i = 0; i < index.length; i++) o[index[i]] += g[i];
    }
    return dx;
  }
}
