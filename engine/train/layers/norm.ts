// Normalisations over each sample (the same in training and evaluation): GroupNorm, InstanceNorm
// (GroupNorm with one channel per group) and LayerNorm. Each normalises runs of contiguous values
// (a group's channels × positions, a channel's positions, the last dimensions) by their own mean and
// biased variance, then scales and shifts per channel (Group/Instance) or per element (Layer).
import { Scratch, numel, shapeText, type Tensor } from '../tensor/tensor';
import { TrainError, type Layer, type Param, type ParamFactory } from './layer';

type Cfg = Record<string, unknown>;

interface Plan {
  /** Values per normalised run. */
  run: number;
  /** The affine parameters' index for flat position k. */
  affine(k: number): number;
}

/** What a normalisation reads of its scale and shift: their values, and where their gradients add up. */
type Affine = Pick<Param, 'value' | 'grad'>;

abstract class RunNorm implements Layer {
  private x: Tensor | null = null;
  private xhat = new Float32Array(0);
  private invstd = new Float64Array(0);
  private plan: Plan | null = null;
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(protected readonly type: string, private readonly eps: number,
    protected weight: Affine | null, protected bias: Affine | null) {}

  protected abstract planFor(shape: number[]): Plan;

  forward([x]: Tensor[]): Tensor {
    const plan = this.planFor(x.shape), run = plan.run, n = x.data.length, rows = n / run;
    this.plan = plan; this.x = x;
    if (this.xhat.length !== n) this.xhat = new Float32Array(n);
    if (this.invstd.length !== rows) this.invstd = new Float64Array(rows);
    const y = this.out.get(x.shape), xd = x.data, xh = this.xhat, yd = y.data;
    const w = this.weight?.value, b = this.bias?.value;
    for (let r = 0; r < rows; r++) {
      const o = r * run;
      let s = 0;
      for (let i = 0; i < run; i++) s += xd[o + i];
      const mean = s / run;
      let v = 0;
      for (let i = 0; i < run; i++) { const d = xd[o + i] - mean; v += d * d; }
      const inv = 1 / Math.sqrt(v / run + this.eps);
      this.invstd[r] = inv;
      for (let i = 0; i < run; i++) {
        const k = o + i, h = (xd[k] - mean) * inv;
        xh[k] = h;
        const a = w || b ? plan.affine(k) : 0;
        yd[k] = (w ? h * w[a] : h) + (b ? b[a] : 0);
      }
    }
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    const plan = this.plan!, run = plan.run, n = dy.data.length, rows = n / run, g = dy.data, xh = this.xhat;
    const w = this.weight, b = this.bias;
    if (w || b) {
      for (let k = 0; k < n; k++) {
        const a = plan.affine(k);
        if (w) w.grad[a] += g[k] * xh[k];
        if (b) b.grad[a] += g[k];
      }
    }
    if (!needInput[0]) return [null];
    const dx = this.dx.get(this.x!.shape), d = dx.data, wv = w?.value;
    for (let r = 0; r < rows; r++) {
      const o = r * run;
      let sg = 0, sgh = 0;
      for (let i = 0; i < run; i++) {
        const k = o + i, gh = wv ? g[k] * wv[plan.affine(k)] : g[k];
        sg += gh; sgh += gh * xh[k];
      }
      const mg = sg / run, mgh = sgh / run, inv = this.invstd[r];
      for (let i = 0; i < run; i++) {
        const k = o + i, gh = wv ? g[k] * wv[plan.affine(k)] : g[k];
        d[k] = inv * (gh - mg - xh[k] * mgh);
      }
    }
    return [dx];
  }
}

const eps = (cfg: Cfg): number => (typeof cfg.eps === 'number' ? cfg.eps : 1e-5);
const affineParams = (params: ParamFactory, shape: number[], weight: boolean, bias: boolean): [Param | null, Param | null] => [
  weight ? params.param('weight', shape, { kind: 'const', value: 1 }) : null,
  bias ? params.param('bias', shape, { kind: 'const', value: 0 }) : null,
];

function checkGroups(groups: number, channels: number, type: string): number {
  if (!Number.isInteger(groups) || !Number.isInteger(channels) || groups < 1 || channels % groups) {
    throw new TrainError(`${type}: ${channels} channels cannot be split into ${groups} groups`);
  }
  return channels;
}

/** GroupNorm(num_groups, num_channels), and InstanceNorm1d/2d/3d as one group per channel. */
export class GroupNorm extends RunNorm {
  /** `rank`: the input rank InstanceNorm expects (0: any rank from 2 up, as GroupNorm takes). */
  private constructor(private readonly groups: number, private readonly channels: number, cfg: Cfg, type: string,
    params: ParamFactory, affine: boolean, private readonly rank = 0) {
    super(type, eps(cfg), ...affineParams(params, [checkGroups(groups, channels, type)], affine, affine));
  }

  static group(cfg: Cfg, params: ParamFactory, type: string): GroupNorm {
    return new GroupNorm(Number(cfg.num_groups), Number(cfg.num_channels), cfg, type, params, cfg.affine !== false);
  }

  static instance(cfg: Cfg, params: ParamFactory, type: string): GroupNorm {
    if (cfg.track_running_stats === true) throw new TrainError(`${type} with track_running_stats=True is not supported`);
    const c = Number(cfg.num_features);
    return new GroupNorm(c, c, cfg, type, params, cfg.affine === true, Number(/([123])d$/.exec(type)?.[1] ?? 2) + 2);
  }

  protected planFor(shape: number[]): Plan {
    if (this.rank && shape.length !== this.rank) throw new TrainError(`${this.type} expects a ${this.rank}-D input, got ${shapeText(shape)}`);
    if (shape.length < 2 || shape[1] !== this.channels) throw new TrainError(`${this.type} expects ${this.channels} channels, got ${shapeText(shape)}`);
    const L = numel(shape.slice(2)), C = this.channels;
    return { run: (C / this.groups) * L, affine: (k) => Math.floor(k / L) % C };
  }
}

/** LayerNorm(normalized_shape): over the last dimensions, with an element-wise scale and shift. */
export class LayerNorm extends RunNorm {
  private readonly shape: number[];

  constructor(cfg: Cfg, params: ParamFactory, type: string) {
    const raw = Array.isArray(cfg.normalized_shape) ? cfg.normalized_shape : [cfg.normalized_shape];
    if (!raw.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) throw new TrainError(`${type} needs a known normalized_shape`);
    const shape = raw as number[], affine = cfg.elementwise_affine !== false;
    super(type, eps(cfg), ...affineParams(params, shape, affine, affine && cfg.bias !== false));
    this.shape = shape;
  }

  protected planFor(shape: number[]): Plan {
    const tail = shape.slice(shape.length - this.shape.length);
    if (tail.length !== this.shape.length || tail.some((d, i) => d !== this.shape[i])) {
      throw new TrainError(`${this.type}(${this.shape.join(', ')}) does not match the input's last dimensions ${shapeText(shape)}`);
    }
    const M = numel(this.shape);
    return { run: M, affine: (k) => k % M };
  }
}

/**
 * F.layer_norm(x, normalized_shape, weight, bias, eps) (ConvNeXt's LayerNorm2d): LayerNorm whose scale and shift
 * are the node's other inputs (parameters read as tensors), so their gradients go back as input gradients.
 */
export class LayerNormFn extends LayerNorm {
  private readonly inputs: Array<'weight' | 'bias'>;
  private readonly grads = [new Scratch(), new Scratch()];
  private affineGrads: Tensor[] = [];

  constructor(cfg: Cfg, type: string) {
    if (cfg.weight === null || cfg.bias === null) throw new TrainError(`${type} with a weight or bias ConvLens cannot know`);
    const none: ParamFactory = { param: () => { throw new TrainError(`${type} reads no parameter of its own`); }, buffer: () => { throw new TrainError(`${type} has no buffers`); } };
    super({ ...cfg, elementwise_affine: false }, none, type);
    this.inputs = (['weight', 'bias'] as const).filter((n) => cfg[n] === true);
  }

  override forward(inputs: Tensor[]): Tensor {
    const [x, ...affine] = inputs;
    if (affine.length !== this.inputs.length) throw new TrainError(`${this.type} expects ${this.inputs.length} affine tensors`);
    const M = numel(x.shape.slice(x.shape.length - (affine[0]?.shape.length ?? 0)));
    this.affineGrads = affine.map((t, i) => {
      if (t.data.length !== M) throw new TrainError(`${this.type}: ${this.inputs[i]} ${shapeText(t.shape)} does not match the normalised shape`);
      const grad = this.grads[i].get(t.shape);
      if (this.inputs[i] === 'weight') this.weight = { value: t.data, grad: grad.data };
      else this.bias = { value: t.data, grad: grad.data };
      return grad;
    });
    return super.forward([x]);
  }

  override backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    for (const g of this.affineGrads) g.data.fill(0);
    const [dx] = super.backward(dy, needInput);
    return [dx, ...this.affineGrads.map((g, i) => (needInput[i + 1] ? g : null))];
  }
}

/** F.normalize(x, p=2, dim, eps): each vector along `dim` divided by max(‖x‖₂, eps). */
export class Normalize implements Layer {
  private readonly dim: number;
  private readonly eps: number;
  private y: Tensor | null = null;
  private norms = new Float64Array(0);
  private readonly out = new Scratch();
  private readonly dx = new Scratch();

  constructor(cfg: Cfg, private readonly type: string) {
    if (cfg.p !== 2) throw new TrainError(`${type} with p=${JSON.stringify(cfg.p)} is not supported (p=2 is)`);
    if (typeof cfg.dim !== 'number' || typeof cfg.eps !== 'number') throw new TrainError(`${type} needs a known dim and eps`);
    this.dim = cfg.dim; this.eps = cfg.eps;
  }

  /** (outer, length, inner) of the input around the normalised dimension. */
  private layout(shape: number[]): [number, number, number] {
    const d = this.dim < 0 ? this.dim + shape.length : this.dim;
    if (d < 0 || d >= shape.length) throw new TrainError(`${this.type}: dim ${this.dim} is out of range for ${shapeText(shape)}`);
    return [numel(shape.slice(0, d)), shape[d], numel(shape.slice(d + 1))];
  }

  forward([x]: Tensor[]): Tensor {
    const [outer, L, inner] = this.layout(x.shape), y = this.out.get(x.shape), xd = x.data, yd = y.data;
    if (this.norms.length !== outer * inner) this.norms = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      const base = o * L * inner + i;
      let s = 0;
      for (let l = 0; l < L; l++) { const v = xd[base + l * inner]; s += v * v; }
      const n = Math.sqrt(s), den = Math.max(n, this.eps);
      this.norms[o * inner + i] = n;
      for (let l = 0; l < L; l++) yd[base + l * inner] = xd[base + l * inner] / den;
    }
    this.y = y;
    return y;
  }

  backward(dy: Tensor, needInput: boolean[]): Array<Tensor | null> {
    if (!needInput[0]) return [null];
    const y = this.y!, [outer, L, inner] = this.layout(y.shape), dx = this.dx.get(y.shape), g = dy.data, yd = y.data, d = dx.data;
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      const base = o * L * inner + i, n = this.norms[o * inner + i];
      // below eps the divisor is the constant eps; above, y = x/‖x‖ and dx = (g − y·(y·g)) / ‖x‖
      let dot = 0;
      if (n > this.eps) for (let l = 0; l < L; l++) dot += g[base + l * inner] * yd[base + l * inner];
      const den = Math.max(n, this.eps);
      for (let l = 0; l < L; l++) { const k = base + l * inner; d[k] = (g[k] - yd[k] * dot) / den; }
    }
    return [dx];
  }
}
