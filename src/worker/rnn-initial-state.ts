/**
 * tfjs-layers' RNN.apply and Bidirectional.apply write `initialState` into the kwargs object they
 * are given. Training and evaluation run the graph with one kwargs object for every layer (its
 * executor), so after the first recurrent layer started from states (`initial_state=` in Keras) the
 * next recurrent layer finds that `initialState` too and throws ("When inputs is an array, neither
 * initialState or constants should be provided"), or would start from the other layer's states.
 * Each call gets its own copy of the kwargs here.
 */
import * as tfl from '@tensorflow/tfjs-layers';

type Apply = (this: unknown, inputs: unknown, kwargs?: Record<string, unknown>) => unknown;

function ownKwargs(proto: { apply: Apply }): void {
  const apply = proto.apply;
  proto.apply = function (this: unknown, inputs: unknown, kwargs?: Record<string, unknown>) {
    return apply.call(this, inputs, kwargs == null ? kwargs : { ...kwargs });
  };
}

ownKwargs(tfl.RNN.prototype as unknown as { apply: Apply });
ownKwargs((tfl.layers.bidirectional({ layer: tfl.layers.simpleRNN({ units: 1 }) }) as unknown as { constructor: { prototype: { apply: Apply } } }).constructor.prototype);
