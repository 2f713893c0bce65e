/**
 * Conv2D that, when it reads a model's input directly, runs as separate convolution, bias and
 * activation ops instead of TF.js's fused convolution. The fused op's gradient always computes
 * the input's gradient too (it is one custom gradient for all its inputs); separate ops let
 * TF.js's tape skip it when nothing upstream needs it — the data is no weight. For the reference
 * CNN that is a whole Conv2DBackpropInput per step left out (~5 ms at batch 64). The result and
 * the weights' gradients are the same; where the input does need its gradient (a model nested
 * in another, after trainable layers), the tape still computes it.
 *
 * Registered under Keras's class name, so models built from a Keras config use it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Tensor = tfc.Tensor;
type Weight = { read(): Tensor };
type TfConv2D = tfl.layers.Layer & {
  kernel: Weight;
  bias: Weight | null;
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: string;
  dilationRate: number[];
  activation: { apply(t: Tensor): Tensor } | null;
};
type Node = { inboundLayers: { getClassName(): string }[] };

const TfConv2DClass = Object.getPrototypeOf(tfl.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (args: object) => TfConv2D;

export class Conv2D extends TfConv2DClass {
  static readonly className = 'Conv2D';

  /** Every call of this layer reads an InputLayer (the data, or a nested model's input). */
  readsInputLayer(): boolean {
    const nodes = (this as unknown as { inboundNodes: Node[] }).inboundNodes;
    return nodes.length > 0 && nodes.every((n) => n.inboundLayers.length > 0 && n.inboundLayers.every((l) => l.getClassName() === 'InputLayer'));
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
    if (this.dataFormat !== 'channelsLast' || this.padding === 'causal' || this.dilationRate.some((d) => d !== 1) || !this.readsInputLayer()) return super.call(inputs, kwargs);
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D;
      let y: Tensor = tfc.conv2d(x, this.kernel.read() as tfc.Tensor4D, this.strides as [number, number], this.padding as 'valid' | 'same', 'NHWC', this.dilationRate as [number, number]);
      if (this.bias) y = tfc.add(y, this.bias.read());
      return this.activation ? this.activation.apply(y) : y;
    });
  }
}

tfc.serialization.registerClass(Conv2D as never);
