// Ops shaped by another tensor of the graph (`y.expand_as(x)` in SE blocks, `view_as`, `reshape_as`): that tensor
// is their second input, read for its shape at the batch being trained, never for its values (no gradient).
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer } from './layer';
import { broadcastIndex, broadcastShape } from './shape-ops';

/** `a.expand_as(b)`: a broadcast to b's shape; no gradient reaches b, whose values it never reads. */
export class ExpandAs implements Layer {
  private inShape: number[] = [];
  private map: Int32Array = new Int32Array(0);
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  forward([a, like]: Tensor[]): Tensor {
    const shape = broadcastShape(a.shape, like.shape, 'expand_as');
    if (shape.length !== like.shape.length || shape.some((d, i) => d !== like.shape[i])) {
      throw new TrainError(`expand_as: (${a.shape.join(', ')}) cannot be expanded to (${like.shape.join(', ')})`);
    }
    this.inShape = a.shape;
    this.map = broadcastIndex(a.shape, shape);
    const y = this.out.get(shape), m = this.map;
    for (let i = 0; i < y.data.length; i++) y.data[i] = a.data[m[i]];
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null, null];
    const dx = this.dx.zeros(this.inShape), m = this.map;
    for (let i = 0; i < dy.data.length; i++) dx.data[m[i]] += dy.data[i];
    return [dx, null];
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
