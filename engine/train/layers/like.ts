// Broadcasts to a target shape (`y.expand_as(x)` in SE blocks, a class token's `expand(B, -1, -1)`), and ops shaped
// by another tensor of the graph (`view_as`, `reshape_as`): that tensor is their second input, read for its shape at
// the batch being trained, never for its values (no gradient).
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, sizeAt, type ForwardContext, type Layer } from './layer';
import { broadcastIndex, broadcastShape } from './shape-ops';

/** A broadcast of its first input to a shape; the gradient sums over the copies. */
abstract class Broadcast implements Layer {
  private inShape: number[] = [];
  private map: Int32Array = new Int32Array(0);
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  protected abstract target(inputs: Tensor[], ctx?: ForwardContext): number[];

  forward(inputs: Tensor[], ctx?: ForwardContext): Tensor {
    const a = inputs[0], target = this.target(inputs, ctx), shape = broadcastShape(a.shape, target, 'expand');
    if (shape.length !== target.length || shape.some((d, i) => d !== target[i])) {
      throw new TrainError(`expand: ${shapeText(a.shape)} cannot be expanded to ${shapeText(target)}`);
    }
    this.inShape = a.shape;
    this.map = broadcastIndex(a.shape, shape);
    const y = this.out.get(shape), m = this.map;
    for (let i = 0; i < y.data.length; i++) y.data[i] = a.data[m[i]];
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const rest = needInput.slice(1).map(() => null);
    if (!needInput[0]) return [null, ...rest];
    const dx = this.dx.zeros(this.inShape), m = this.map;
    for (let i = 0; i < dy.data.length; i++) dx.data[m[i]] += dy.data[i];
    return [dx, ...rest];
  }
}

/** `a.expand_as(b)`: a broadcast to b's shape; no gradient reaches b, whose values it never reads. */
export class ExpandAs extends Broadcast {
  protected target([, like]: Tensor[]): number[] {
    return like.shape;
  }
}

/** `x.expand(sizes)` (-1 keeps a size), with the sizes a symbolic batch traced (`batchShape`) when there are some. */
export class Expand extends Broadcast {
  constructor(private readonly sizes: unknown[], private readonly batchSymbol: unknown) {
    super();
  }

  protected target([a]: Tensor[], ctx?: ForwardContext): number[] {
    const off = this.sizes.length - a.shape.length;
    return this.sizes.map((d, i) => {
      const v = d === -1 && i >= off ? a.shape[i - off] : sizeAt(d, ctx, this.batchSymbol);
      if (v === null || v < 0) throw new TrainError(`expand to (${this.sizes.join(', ')}): size ${String(d)} is not known at this batch`);
      return v;
    });
  }
}

/** `a.view_as(b)` / `a.reshape_as(b)`: a's values in b's shape. */
export class ViewAs implements Layer {
  private inShape: number[] = [];

  forward([a, like]: Tensor[]): Tensor {
    if (numel(like.shape) !== a.data.length) throw new TrainError(`cannot view ${shapeText(a.shape)} as ${shapeText(like.shape)}`);
    this.inShape = a.shape;
    return { shape: like.shape, data: a.data };
  }

  backward(dy: Tensor): Array<Tensor | null> {
    return [{ shape: this.inShape, data: dy.data }, null];
  }
}
