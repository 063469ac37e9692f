// Linear: y = x·Wᵀ + b over the last dimension (every leading dimension is a row).
import { mat } from '../kernels/matmul';
import { matmulNN, matmulNT, matmulTN } from '../kernels/select';
import { Scratch, type Tensor } from '../tensor/tensor';
import { GradScratch } from '../tensor/grad-pool';
import { TrainError, type Layer, type Param, type ParamFactory } from './layer';

export class Linear implements Layer {
  private readonly weight: Param;
  private readonly bias: Param | null;
  private x: Tensor | null = null;
  private readonly out = new Scratch();
  private readonly dx = new GradScratch();

  constructor(private readonly inF: number, private readonly outF: number, bias: boolean, params: ParamFactory) {
    if (!Number.isInteger(inF) || !Number.isInteger(outF)) throw new TrainError('Linear needs known in_features and out_features');
    this.weight = params.param('weight', [outF, inF], { kind: 'weight', fanIn: inF, fanOut: outF });
    this.bias = bias ? params.param('bias', [outF], { kind: 'bias', fanIn: inF }) : null;
  }

  forward([x]: Tensor[]): Tensor {
    const last = x.shape[x.shape.length - 1];
    if (x.shape.length < 1 || last !== this.inF) {
      throw new TrainError(`Linear expects ${this.inF} input features, got shape (${x.shape.join(', ')})`);
    }
    this.x = x;
    const R = x.data.length / this.inF;
    const y = this.out.get([...x.shape.slice(0, -1), this.outF]);
    matmulNT(R, this.outF, this.inF, mat(x.data, 0, this.inF), mat(this.weight.value, 0, this.inF), mat(y.data, 0, this.outF), false);
    if (this.bias) {
      const b = this.bias.value;
      for (let r = 0; r < R; r++) for (let j = 0; j < this.outF; j++) y.data[r * this.outF + j] += b[j];
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const x = this.x!, R = x.data.length / this.inF;
    matmulTN(this.outF, this.inF, R, mat(dy.data, 0, this.outF), mat(x.data, 0, this.inF), mat(this.weight.grad, 0, this.inF), true);
    if (this.bias) {
      const gb = this.bias.grad;
      for (let r = 0; r < R; r++) for (let j = 0; j < this.outF; j++) gb[j] += dy.data[r * this.outF + j];
    }
    if (!needInput[0]) return [null];
    const dx = this.dx.get(x.shape);
    matmulNN(R, this.inF, this.outF, mat(dy.data, 0, this.outF), mat(this.weight.value, 0, this.inF), mat(dx.data, 0, this.inF), false);
    return [dx];
  }
}
