// The SIMD kernels on the single-threaded build (its memory is not shared: the module imports it as it is).
import { test } from 'node:test';
import { setupWasm } from './compare';
import { checkSimdConv2D, checkSimdFilterGradient, checkSimdMaxPoolGrad, checkSimdReluGrad } from './simd-cases';

test('Conv2DBackpropFilter by the SIMD loop on one thread matches cpu', async () => {
  await setupWasm();
  checkSimdFilterGradient(1);
});

test('MaxPoolGrad by the SIMD loop on one thread matches cpu', async () => {
  await setupWasm();
  checkSimdMaxPoolGrad(1);
});

test('Conv2D, FusedConv2D and Conv2DBackpropInput by the SIMD loop on one thread match cpu', async () => {
  await setupWasm();
  checkSimdConv2D(1);
});

test('Relu\'s gradient by the SIMD loop on one thread equals TF.js\'s on cpu', async () => {
  await setupWasm();
  checkSimdReluGrad(1);
});
