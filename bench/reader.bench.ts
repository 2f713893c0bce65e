// Reading speed: a generated 300-layer Keras model (Python source and Keras JSON), read many times.
// Prints figures; the target (well under 100 ms per read) is checked by eye, not asserted.
import { performance } from 'node:perf_hooks';
import { readModel } from '../src/core/read-model';

function pythonSource(layers: number): string {
  const lines = ['import tensorflow as tf', 'from tensorflow.keras import layers', '', 'inputs = tf.keras.Input(shape=(32, 32, 3))', "x = layers.Conv2D(16, 3, padding='same')(inputs)"];
  let n = 2;
  while (n + 5 <= layers - 3) {
    lines.push('skip = x');
    lines.push("x = layers.Conv2D(16, 3, padding='same', use_bias=False)(x)");
    lines.push('x = layers.BatchNormalization()(x)');
    lines.push("x = layers.Activation('relu')(x)");
    lines.push("x = layers.Conv2D(16, (3, 3), strides=1, padding='SAME')(x)");
    lines.push('x = layers.Add()([x, skip])');
    n += 5;
  }
  while (n < layers - 3) {
    lines.push('x = layers.Dropout(0.1)(x)');
    n++;
  }
  lines.push('x = layers.GlobalAveragePooling2D()(x)', 'x = layers.Dense(64)(x)', "outputs = layers.Dense(10, activation='softmax')(x)");
  lines.push("model = tf.keras.Model(inputs=inputs, outputs=outputs, name='generated')");
  lines.push("model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])");
  return lines.join('\n') + '\n';
}

function jsonSource(layers: number): string {
  const list: unknown[] = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 64], name: 'in' } }];
  for (let i = 1; i < layers; i++) list.push({ class_name: 'Dense', config: { name: `dense_${i}`, units: 64, activation: 'relu', use_bias: true } });
  return JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { name: 'generated', layers: list } } }, null, 2);
}

function measure(label: string, file: string, text: string, runs = 30, target = ''): void {
  const first = performance.now();
  const r = readModel(file, text);
  const cold = performance.now() - first;
  const m = r.models[0]!;
  const errors = [...r.diagnostics, ...m.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${label}: ${errors[0]!.message}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    readModel(file, text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label}: ${m.layers.length} layers, ${text.length} chars, ${m.totalParams.toLocaleString('en-US')} params — ` +
      `first read ${cold.toFixed(1)} ms, median ${med.toFixed(2)} ms, best ${times[0]!.toFixed(2)} ms, worst ${times[times.length - 1]!.toFixed(2)} ms (${runs} runs${target})`,
  );
}

measure('python 300-layer functional', 'generated.py', pythonSource(300), 30, '; target well under 100 ms');
measure('json   300-layer Sequential', 'generated.json', jsonSource(300), 30, '; target well under 100 ms');
measure('python 3000-layer functional', 'generated.py', pythonSource(3000), 5);
console.log('note: "first read" includes warming up the parser (JIT); the machine may be shared, so figures are noisy.');

// The reader's budget (issue 16): each hostile file must end with its error; target: the worst within 2 s.
const SEQ = 'import keras\nfrom keras.layers import Dense\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(10,)))\n';
const hostile: [string, string][] = [
  ['self-recursive helper in a loop', 'import keras\ndef f(n):\n    for i in range(10):\n        f(n + 1)\nf(0)\n'],
  ['three nested range(1000) loops', SEQ + 'for a in range(1000):\n    for b in range(1000):\n        for c in range(1000):\n            x = a + b + c\n'],
  ["['x'] * 10**8", "import keras\nx = ['x'] * 10**8\n"],
  ['[Dense(10)] * 10**9', 'import keras\nfrom keras.layers import Dense\nmodel = keras.Sequential([Dense(10)] * 10**9)\n'],
  ['100,000 model.add in a loop', SEQ + 'for i in range(100000):\n    model.add(Dense(10))\n'],
  ['string doubling', 's = "ab"\nfor i in range(64):\n    s = s + s\n'],
  ['0.95 MB of model.add lines', SEQ + 'model.add(Dense(10))\n'.repeat(45_000)],
  ['50 MB of a = 1', 'a = 1\n'.repeat(50_000_000 / 6)],
];
let worst = 0;
for (const [label, text] of hostile) {
  const t = performance.now();
  const r = readModel('hostile.py', text);
  const ms = performance.now() - t;
  worst = Math.max(worst, ms);
  const err = [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)].find((d) => d.severity === 'error');
  if (!err) throw new Error(`${label}: no error`);
  console.log(`hostile: ${label}: ${ms.toFixed(0)} ms → line ${err.range.line}: ${err.message.slice(0, 90)}…`);
}
console.log(`hostile: worst ${worst.toFixed(0)} ms (target: under 2000 ms)`);

// keras.applications: Keras's builders run by the evaluator. Target: ResNet152 under 200 ms; the
// largest graphs (EfficientNetB7: 817 layers, NASNetLarge: 1041) are printed for reference.
const APPLICATION_CALLS = [
  'VGG16()', 'ResNet50()', 'ResNet152()', 'ResNet152V2()', 'Xception()', 'InceptionV3()', 'MobileNetV2()', 'MobileNetV3Large()',
  'DenseNet201()', 'EfficientNetB0()', 'EfficientNetB7()', 'NASNetMobile()', 'NASNetLarge()',
];
for (const call of APPLICATION_CALLS) {
  measure(`applications ${call}`, 'app.py', `import keras\nmodel = keras.applications.${call}\n`, 10, call === 'ResNet152()' ? '; target under 200 ms' : '');
}
