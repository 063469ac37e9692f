// A trainable network: the model report's dataflow graph with a layer per node. Forward runs the
// nodes in order; backward runs them in reverse, summing the gradients of a value that feeds several
// nodes (residual branches, a module called twice). A ReLU or ReLU6 whose only input is a BatchNorm
// feeding nothing else runs inside that BatchNorm (one pass over memory less each way, and two
// activations fewer), with the same bits, whenever the kernels allow it and no tap watches the
// BatchNorm's output.
import type { Buffer, ForwardContext, Layer, Param } from '../layers/layer';
import { TrainError } from '../layers/layer';
import { Activation } from '../layers/activation';
import { BatchNorm } from '../layers/batchnorm';
import { addArrays } from '../kernels/select';
import { rehome } from '../tensor/floats';
import { GradPool } from '../tensor/grad-pool';
import { shapeText, type Tensor } from '../tensor/tensor';

export interface NetNode {
  id: number;
  type: string;
  line: number;
  /** Module path (`features.0`) of a module call. */
  path?: string;
  /** null for the input node. */
  layer: Layer | null;
  /** Positions in the node list of this node's inputs. */
  inputs: number[];
  /** True when a parameter lies upstream: only then is ∂L/∂output needed. */
  needsGrad: boolean;
}

/** Whether two arrays share any byte of memory. */
function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** A state_dict entry: a parameter or a buffer. */
export type StateEntry = Param | Buffer;

export class Network {
  /** The gradient buffers the layers borrow during backward (grad-pool.ts). */
  readonly pool = new GradPool();
  /** Per node: the position of the activation that may run inside it (a BatchNorm's only consumer), else -1. */
  private readonly actAfter: number[];
  /** Per node: whether the last forward ran this activation inside its BatchNorm. */
  private readonly actTaken: boolean[];

  constructor(
    readonly nodes: NetNode[],
    /** Every parameter, each once (shared modules share them), frozen ones included: what is initialised. */
    readonly params: Param[],
    /** What an optimiser steps: the trainable parameters some layer reads (PyTorch skips those without a gradient). */
    readonly trained: Param[],
    /** Every state_dict entry in PyTorch's order: what is saved. */
    readonly state: StateEntry[],
    /** Input shape without the batch dimension, when the report knows it. */
    readonly inputShape: Array<number | null>,
    private readonly output: number,
    /**
     * Whose training conventions apply: Keras's optimiser formulas, and, when its model's final softmax
     * was left to the loss (`softmaxOutput`), Keras's clipped cross-entropy on the probabilities.
     */
    readonly conventions: { keras: boolean; softmaxOutput: boolean } = { keras: false, softmaxOutput: false },
    /** The first input's shape as traced, batch included: its symbols get their sizes from each batch. */
    private readonly inputSymbols: ReadonlyArray<string | number | null> = [],
  ) {
    this.actAfter = actAfterBatchNorm(nodes, output);
    this.actTaken = nodes.map(() => false);
  }

  /** safetensors' format label of the saved weights: a PyTorch state_dict ('pt'), or Keras weights for safetensors.numpy ('np'). */
  weightsFormat(): 'pt' | 'np' {
    return this.conventions.keras ? 'np' : 'pt';
  }

  /** The loss the model trains with (cross-entropy on the output's logits, Keras's clip where it applies). */
  lossClip(): number {
    return this.conventions.softmaxOutput ? KERAS_PROBABILITY_CLIP : 0;
  }

  /**
   * Runs the graph; with several input nodes, `x` lists their tensors in graph order. `tap` sees each
   * node's output as it is made (a layer reuses that buffer on its next call: copy what you keep).
   */
  forward(x: Tensor | Tensor[], given: ForwardContext, tap?: (node: NetNode, out: Tensor) => void): Tensor {
    const xs = Array.isArray(x) ? x : [x];
    const ctx = this.withSizes(given, xs[0]);
    const outs: Array<Tensor | null> = new Array(this.nodes.length).fill(null);
    let nextInput = 0;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      if (!node.layer) {
        if (nextInput >= xs.length) throw new TrainError(`the model takes more than ${xs.length} input(s)`);
        outs[i] = xs[nextInput++];
        continue;
      }
      if (this.actTaken[i]) { outs[i] = outs[node.inputs[0]]; continue; }
      const ins = node.inputs.map((j) => outs[j]!), a = this.actAfter[i];
      try {
        if (a >= 0) this.actTaken[a] = !tap && (node.layer as BatchNorm).canTakeAct();
        outs[i] = a >= 0 && this.actTaken[a]
          ? (node.layer as BatchNorm).forward(ins, ctx, (this.nodes[a].layer as Activation).kernelAct)
          : node.layer.forward(ins, ctx);
        tap?.(node, outs[i]!);
      } catch (e) {
        if (e instanceof TrainError) throw new TrainError(`${node.type} (line ${node.line}): ${e.message}`);
        throw e;
      }
    }
    return outs[this.output]!;
  }

  /** The context with the sizes of the input's symbols in this batch (the traced batch symbol, `H`, `W`), if any. */
  private withSizes(ctx: ForwardContext, x: Tensor | undefined): ForwardContext {
    if (!x) return ctx;
    if (!this.inputSymbols.some((d) => typeof d === 'string')) return { ...ctx, batch: x.shape[0] };
    const sizes = new Map<string, number>();
    this.inputSymbols.forEach((d, i) => { if (typeof d === 'string' && i < x.shape.length) sizes.set(d, x.shape[i]); });
    return { ...ctx, sizes, batch: x.shape[0] };
  }

  /** Accumulates ∂L/∂parameter into each Param.grad from ∂L/∂output. */
  backward(dOut: Tensor): void {
    this.backwardInputs(dOut);
  }

  /** backward, also returning ∂L/∂input of each input node (null unless that node is marked needsGrad). */
  backwardInputs(dOut: Tensor): Array<Tensor | null> {
    GradPool.active = this.pool;
    try {
      return this.runBackward(dOut);
    } finally {
      GradPool.active = null;
    }
  }

  private runBackward(dOut: Tensor): Array<Tensor | null> {
    const grads: Array<Tensor | null> = new Array(this.nodes.length).fill(null);
    // A gradient handed over by a layer is borrowed (a layer's own buffer, reused next step, or one
    // lent by the pool); the first time a second gradient arrives for the same node, the sum goes
    // into a buffer of the pool.
    const owned: boolean[] = new Array(this.nodes.length).fill(false);
    const pool = this.pool;
    // A lent buffer goes back once no pending gradient refers to it (layers like Flatten hand on
    // their input's buffer, and one gradient may reach several nodes). Resident buffers are all views
    // of the module's one memory, so a reference is an overlap of bytes, not the same ArrayBuffer.
    const release = (t: Tensor, also: Array<Tensor | null>): void => {
      if (!pool.owns(t.data)) return;
      const refers = (h: Tensor | null): boolean => !!h && sameBytes(h.data, t.data);
      if (grads.some(refers) || also.some(refers)) return;
      pool.give(t.data);
    };
    grads[this.output] = dOut;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i], g = grads[i];
      if (!node.layer || !g) continue;
      const need = node.inputs.map((j) => this.nodes[j].needsGrad);
      if (!node.needsGrad) continue;
      if (this.actTaken[i]) {
        // The BatchNorm before it takes the gradient through the activation.
        const j = node.inputs[0];
        grads[j] = g; owned[j] = owned[i]; grads[i] = null;
        continue;
      }
      const dins = node.layer.backward(g, need);
      grads[i] = null;
      node.inputs.forEach((j, k) => {
        const d = dins[k];
        if (!d || !need[k]) return;
        const prev = grads[j];
        if (!prev) { grads[j] = d; return; }
        if (d.data.length !== prev.data.length) {
          throw new Error(`gradient of node ${this.nodes[j].id}: ${shapeText(d.shape)} vs ${shapeText(prev.shape)}`);
        }
        if (owned[j]) { addArrays(prev.data, d.data, prev.data); return; }
        const acc = pool.take(prev.shape);
        addArrays(prev.data, d.data, acc.data);
        grads[j] = acc; owned[j] = true;
        release(prev, dins);
      });
      release(g, dins);
      for (const d of dins) if (d) release(d, []);
    }
    return this.nodes.flatMap((n, i) => (n.layer ? [] : [grads[i]]));
  }

  /**
   * Moves every parameter's values and gradient into the heap of the kernels selected now (tensor/
   * floats.ts), where the kernels and the optimiser read them in place; a no-op without one. Layers
   * read `Param.value` and `.grad` at each call, so they follow.
   */
  placeParams(): void {
    for (const p of this.params) {
      p.value = rehome(p.value);
      p.grad = rehome(p.grad);
    }
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  /** A copy of every state entry's values (for restoring the best weights). */
  snapshot(): Float32Array[] {
    return this.state.map((e) => Float32Array.from(e.value));
  }

  restore(snap: Float32Array[]): void {
    this.state.forEach((e, i) => e.value.set(snap[i]));
  }
}

/**
 * For each node, the position of the ReLU or ReLU6 that is the only consumer of this BatchNorm's
 * output (not the network's output), else -1.
 */
function actAfterBatchNorm(nodes: NetNode[], output: number): number[] {
  const consumers = nodes.map(() => [] as number[]);
  nodes.forEach((n, j) => n.inputs.forEach((i) => consumers[i].push(j)));
  return nodes.map((n, i) => {
    const [j] = consumers[i], next = nodes[j]?.layer;
    const single = consumers[i].length === 1 && nodes[j].inputs.length === 1 && i !== output;
    return single && n.layer instanceof BatchNorm && next instanceof Activation && next.kernelAct !== null ? j : -1;
  });
}

/** Keras's backend epsilon, to which sparse categorical cross-entropy clips probabilities. */
export const KERAS_PROBABILITY_CLIP = 1e-7;
