/**
 * The RankTracker's native forward pass (forward: 'auto' | 'native' |
 * 'tfjs', src/tfjs/dense-chain.ts): on dense chains with every kind of layer
 * it covers, each tracked layer's eigenvalues and ε-ranks equal a float64 JS
 * computation on the activations tfjs's own predict() gives; the weights are
 * those at the moment of the measurement; models it cannot compute fall back
 * to tfjs ('auto') or are refused ('native').
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { RankTracker } from '../src/tfjs/index.js';
import { gramRef, jacobiEigenvalues } from './helpers/linalg.js';
import { expectCode } from './helpers/expect.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** Descending eigenvalues of ΦᵀΦ from tfjs's predict() of `layer`, in float64. */
function referenceSpectrum(model: tf.LayersModel, probe: tf.Tensor, layer: string): number[] {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  const out = sub.predict(probe) as tf.Tensor;
  const N = out.shape[0]!;
  const phi = { data: Float64Array.from(out.dataSync()), rows: N, cols: out.size / N };
  out.dispose();
  return jacobiEigenvalues(gramRef(phi)).sort((a, b) => b - a);
}

/** An MLP with every layer kind and activation family the native pass covers. */
function everyKindModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [2, 3], name: 'flat' }));
  m.add(tf.layers.dense({ units: 12, activation: 'tanh', name: 'tanh', kernelInitializer: init(1), biasInitializer: 'ones' }));
  m.add(tf.layers.dropout({ rate: 0.4, name: 'drop' }));
  m.add(tf.layers.dense({ units: 10, activation: 'gelu', useBias: false, name: 'gelu', kernelInitializer: init(2) }));
  m.add(tf.layers.gaussianNoise({ stddev: 0.5, name: 'noise' }));
  m.add(tf.layers.dense({ units: 14, name: 'lin', kernelInitializer: init(3) }));
  m.add(tf.layers.leakyReLU({ alpha: 0.1, name: 'leaky' }));
  m.add(tf.layers.dense({ units: 9, activation: 'selu', name: 'selu', kernelInitializer: init(4) }));
  m.add(tf.layers.elu({ name: 'elu' })); // tfjs supports alpha 1 only
  m.add(tf.layers.reLU({ maxValue: 6, name: 'relu6' }));
  m.add(tf.layers.dense({ units: 8, activation: 'swish', name: 'swish', kernelInitializer: init(5) }));
  m.add(tf.layers.activation({ activation: 'softplus', name: 'softplus' }));
  m.add(tf.layers.dense({ units: 7, activation: 'mish', name: 'mish', kernelInitializer: init(6) }));
  m.add(tf.layers.dense({ units: 7, activation: 'sigmoid', name: 'sigmoid', kernelInitializer: init(7) }));
  m.add(tf.layers.dense({ units: 6, activation: 'hardSigmoid', name: 'hard', kernelInitializer: init(8) }));
  m.add(tf.layers.dense({ units: 6, activation: 'softsign', name: 'softsign', kernelInitializer: init(9) }));
  m.add(tf.layers.dense({ units: 5, activation: 'relu', name: 'relu', kernelInitializer: init(10) }));
  m.add(tf.layers.dense({ units: 5, activation: 'gelu_new', name: 'geluNew', kernelInitializer: init(11) }));
  m.add(tf.layers.dense({ units: 4, activation: 'relu6', name: 'relu6b', kernelInitializer: init(12) }));
  m.add(tf.layers.dense({ units: 4, activation: 'elu', name: 'eluAct', kernelInitializer: init(13) }));
  m.add(tf.layers.softmax({ name: 'softmax' }));
  m.add(tf.layers.dense({ units: 6, name: 'wide', kernelInitializer: init(15) }));
  m.add(tf.layers.batchNormalization({ name: 'bn', epsilon: 0.01 }));
  m.add(tf.layers.batchNormalization({ name: 'bnShift', scale: false }));
  m.add(tf.layers.layerNormalization({ name: 'ln' }));
  m.add(tf.layers.layerNormalization({ name: 'lnPlain', center: false, scale: false, epsilon: 0.1 }));
  m.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(14) }));
  // Moving statistics and affine weights away from their initial 0/1, as after training.
  const vec = (seed: number, lo: number, hi: number) => tf.randomUniform([6], lo, hi, 'float32', seed);
  m.getLayer('bn').setWeights([vec(61, 0.5, 2), vec(62, -1, 1), vec(63, -0.5, 0.5), vec(64, 0.1, 3)]);
  m.getLayer('bnShift').setWeights([vec(65, -1, 1), vec(66, -0.3, 0.3), vec(67, 0.5, 2)]);
  m.getLayer('ln').setWeights([vec(68, 0.5, 2), vec(69, -1, 1)]);
  return m;
}

describe("forward: 'native' on dense chains", () => {
  it('every layer kind and activation: eigenvalues and ε-ranks equal float64 JS on predict()’s activations', async () => {
    const model = everyKindModel();
    const probe = tf.randomNormal([40, 2, 3], 0, 1.5, 'float32', 3);
    const before = tf.memory().numTensors;
    const tracker = new RankTracker({ tf, model, probe, layers: 'all-hidden', forward: 'native', eps: [1e-1, 1e-3] });
    await tracker.observe({ step: 0 });
    await tracker.close();
    expect(tf.memory().numTensors).toBe(before);
    expect(tracker.errors).toEqual([]);
    const names = model.layers.slice(0, -1).map((l) => l.name);
    expect(tracker.records.map((r) => r.layer)).toEqual(names);
    for (const r of tracker.records) {
      const ref = referenceSpectrum(model, probe, r.layer);
      expect(r.forward, r.layer).toBe('native');
      expect(r.n, r.layer).toBe(ref.length);
      const top = ref[0]!;
      expect(Math.abs(r.lambdaMax! - top) / top, r.layer).toBeLessThan(1e-5);
      r.eigenvalues!.forEach((l, k) => expect(Math.abs(l - ref[k]!), `${r.layer} λ${k}`).toBeLessThan(1e-5 * top));
      for (const eps of [1e-1, 1e-3]) {
        // Counts agree unless an eigenvalue lies within float32 rounding of ε.
        const near = ref.some((l) => Math.abs(l - eps) < 1e-5 * top);
        if (!near) expect(r.epsRank[String(eps)], `${r.layer} ε=${eps}`).toBe(ref.filter((l) => l > eps).length);
      }
    }
    model.dispose();
    probe.dispose();
  });

  it("measures the weights of the moment it was called, although the pass runs later ('auto' takes the native pass)", async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 16, activation: 'tanh', inputShape: [2], name: 'h', kernelInitializer: init(21) }));
    model.add(tf.layers.dense({ units: 1, name: 'out' }));
    const probe = tf.randomUniform([64, 2], -1, 1, 'float32', 4);
    const ref = referenceSpectrum(model, probe, 'h');
    const tracker = new RankTracker({ tf, model, probe, eps: 1e-3 });
    await tracker.observe({ step: 1 });
    // Overwrite the weights before the queued pass can have run.
    model.getLayer('h').setWeights([tf.zeros([2, 16]), tf.zeros([16])]);
    await tracker.close();
    const r = tracker.records[0]!;
    expect(r.forward).toBe('native');
    expect(Math.abs(r.lambdaMax! - ref[0]!) / ref[0]!).toBeLessThan(1e-5);
    expect(r.epsRank['0.001']).toBe(ref.filter((l) => l > 1e-3).length);
    model.dispose();
    probe.dispose();
  });

  it('tracked during fit: every record native, training unchanged, numTensors flat', async () => {
    const build = () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 24, activation: 'relu', inputShape: [1], name: 'a', kernelInitializer: init(31) }));
      m.add(tf.layers.dense({ units: 24, activation: 'tanh', name: 'b', kernelInitializer: init(32) }));
      m.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(33) }));
      m.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
      return m;
    };
    const x = tf.linspace(-1, 1, 64).reshape([64, 1]);
    const y = tf.sin(tf.mul(x, 3));
    const plain = build();
    const h0 = await plain.fit(x, y, { epochs: 6, batchSize: 64, shuffle: false, verbose: 0 });
    const model = build();
    // 'wait': the record count must not depend on the machine's load.
    const tracker = new RankTracker({ tf, model, probe: x, layers: 'all-hidden', eps: [1e-2], queue: { policy: 'wait' } });
    const before = tf.memory().numTensors;
    const h1 = await model.fit(x, y, { epochs: 6, batchSize: 64, shuffle: false, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.close();
    expect(tf.memory().numTensors).toBe(before);
    expect(h1.history.loss).toEqual(h0.history.loss);
    expect(tracker.records.length).toBe(2 * 7); // step 0 and 6 epochs, two layers
    expect(tracker.records.every((r) => r.forward === 'native')).toBe(true);
    // The last record is of the trained model: compare with predict() now.
    for (const layer of ['a', 'b']) {
      const last = tracker.records.filter((r) => r.layer === layer).at(-1)!;
      const ref = referenceSpectrum(model, x, layer);
      expect(Math.abs(last.lambdaMax! - ref[0]!) / ref[0]!).toBeLessThan(1e-5);
    }
    for (const t of [x, y]) t.dispose();
    plain.dispose();
    model.dispose();
  });
});

describe('models the native pass does not cover', () => {
  function convModel() {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 3, kernelSize: 2, name: 'conv', kernelInitializer: init(41) }));
    m.add(tf.layers.flatten({ name: 'flat' }));
    m.add(tf.layers.dense({ units: 6, activation: 'tanh', name: 'd', kernelInitializer: init(42) }));
    m.add(tf.layers.dense({ units: 1, name: 'out' }));
    return m;
  }

  it("'auto' falls back to predict() (records say forward 'tfjs') and still equals the reference", async () => {
    const model = convModel();
    const probe = tf.randomNormal([20, 4, 4, 1], 0, 1, 'float32', 5);
    const tracker = new RankTracker({ tf, model, probe, layers: ['d'] });
    await tracker.observe({ step: 0 });
    await tracker.close();
    const r = tracker.records[0]!;
    expect(r.forward).toBe('tfjs');
    const ref = referenceSpectrum(model, probe, 'd');
    expect(Math.abs(r.lambdaMax! - ref[0]!) / ref[0]!).toBeLessThan(1e-5);
    model.dispose();
    probe.dispose();
  });

  it("'native' refuses them with ERR_INVALID_ARGUMENT naming the layer and why", () => {
    const model = convModel();
    const probe = tf.zeros([5, 4, 4, 1]);
    const e = expectCode(() => new RankTracker({ tf, model, probe, layers: ['d'], forward: 'native' }), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(/layer 'd'.*conv/);
    // A branch: two dense layers added together.
    const input = tf.input({ shape: [3] });
    const a = tf.layers.dense({ units: 4, name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 4, name: 'b' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, name: 'out' }).apply(sum) as tf.SymbolicTensor;
    const branchy = tf.model({ inputs: input, outputs: out });
    const p3 = tf.zeros([5, 3]);
    expect(expectCode(() => new RankTracker({ tf, model: branchy, probe: p3, layers: ['sum'], forward: 'native' }), 'ERR_INVALID_ARGUMENT').message).toMatch(/sum/);
    // Branch layers 'a' and 'b' are each a chain, but not one chain: only one pass can be shared.
    expect(expectCode(() => new RankTracker({ tf, model: branchy, probe: p3, layers: ['a', 'b'], forward: 'native' }), 'ERR_INVALID_ARGUMENT').message).toMatch(/branch/);
    // Options that need predict().
    const mlp = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], name: 'h' }), tf.layers.dense({ units: 1 })] });
    expectCode(() => new RankTracker({ tf, model: mlp, probe: p3, forward: 'native', probeChunk: 2 }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => new RankTracker({ tf, model: mlp, probe: p3, forward: 'native', gram: 'device' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => new RankTracker({ tf, model: mlp, probe: p3, forward: 'nativ' as 'native' }), 'ERR_INVALID_ARGUMENT');
    for (const t of [probe, p3]) t.dispose();
    for (const m of [model, branchy, mlp]) m.dispose();
  });

  it('a shared layer (applied twice) and a custom layer: the layers after them are measured by predict(); the shared one itself is refused', async () => {
    const input = tf.input({ shape: [4] });
    const shared = tf.layers.dense({ units: 4, activation: 'tanh', name: 'shared', kernelInitializer: init(71) });
    const twice = shared.apply(shared.apply(input)) as tf.SymbolicTensor;
    const after = tf.layers.dense({ units: 5, activation: 'relu', name: 'after', kernelInitializer: init(72) }).apply(twice) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, name: 'o' }).apply(after) as tf.SymbolicTensor });
    const probe = tf.randomNormal([24, 4], 0, 1, 'float32', 8);
    const tracker = new RankTracker({ tf, model, probe, layers: 'all-hidden' });
    expect(tracker.layers).toEqual(['after']); // the shared layer has no single output
    await tracker.observe({ step: 0 });
    await tracker.close();
    expect(tracker.records[0]!.forward).toBe('tfjs');
    const ref = referenceSpectrum(model, probe, 'after');
    expect(Math.abs(tracker.records[0]!.lambdaMax! - ref[0]!) / ref[0]!).toBeLessThan(1e-5);
    expect(expectCode(() => new RankTracker({ tf, model, probe, layers: ['shared'] }), 'ERR_INVALID_ARGUMENT').message).toMatch(/'shared' is applied 2 times/);
    expect(expectCode(() => new RankTracker({ tf, model, probe, layers: [1] }), 'ERR_INVALID_ARGUMENT').message).toMatch(/'shared' is applied 2 times/);
    expect(expectCode(() => new RankTracker({ tf, model, probe, layers: ['after'], forward: 'native' }), 'ERR_INVALID_ARGUMENT').message).toMatch(/'shared' is applied 2 times/);

    class Doubling extends tf.layers.Layer {
      static className = 'Doubling';
      override call(x: tf.Tensor | tf.Tensor[]) {
        return tf.tidy(() => tf.mul(Array.isArray(x) ? x[0]! : x, 2));
      }
    }
    const custom = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [4], name: 'd0', kernelInitializer: init(73) }), new Doubling({ name: 'doubling' }), tf.layers.dense({ units: 3, name: 'd1', kernelInitializer: init(74) }), tf.layers.dense({ units: 1 })] });
    const t2 = new RankTracker({ tf, model: custom, probe, layers: ['d0', 'd1'] });
    await t2.observe({ step: 0 });
    await t2.close();
    expect(t2.records.map((r) => r.forward)).toEqual(['native', 'tfjs']);
    for (const r of t2.records) {
      const want = referenceSpectrum(custom, probe, r.layer);
      expect(Math.abs(r.lambdaMax! - want[0]!) / want[0]!).toBeLessThan(1e-5);
    }
    for (const m of [model, custom]) m.dispose();
    probe.dispose();
  });

  it('identity layers with outputs of rank 3 go through predict() in their feature mode; the chain after them stays native', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dropout({ rate: 0.5, inputShape: [2, 3], name: 'drop' }));
    model.add(tf.layers.gaussianNoise({ stddev: 1, name: 'noise' }));
    model.add(tf.layers.flatten({ name: 'flat' }));
    model.add(tf.layers.dense({ units: 4, activation: 'tanh', name: 'd', kernelInitializer: init(81) }));
    model.add(tf.layers.dense({ units: 1, name: 'o' }));
    const probe = tf.randomNormal([20, 2, 3], 0, 1, 'float32', 9);
    const tracker = new RankTracker({ tf, model, probe, layers: ['drop', { layer: 'noise', features: 'channels' }, 'flat', 'd'] });
    await tracker.observe({ step: 0 });
    await tracker.close();
    expect(tracker.errors).toEqual([]);
    expect(tracker.records.map((r) => [r.layer, r.forward, r.N, r.n])).toEqual([
      ['drop', 'tfjs', 20, 6], ['noise', 'tfjs', 40, 3], ['flat', 'native', 20, 6], ['d', 'native', 20, 4],
    ]);
    for (const r of tracker.records.filter((x) => x.layer !== 'noise')) {
      const ref = referenceSpectrum(model, probe, r.layer);
      expect(Math.abs(r.lambdaMax! - ref[0]!) / ref[0]!, r.layer).toBeLessThan(1e-5);
    }
    expect(expectCode(() => new RankTracker({ tf, model, probe, layers: ['drop'], forward: 'native' }), 'ERR_INVALID_ARGUMENT').message).toMatch(/rank 3/);
    model.dispose();
    probe.dispose();
  });

  it("chunked probes and the device Gram use predict(); forward: 'tfjs' always does", async () => {
    const mlp = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [3], activation: 'tanh', name: 'h', kernelInitializer: init(51) }), tf.layers.dense({ units: 1 })] });
    const probe = tf.randomNormal([30, 3], 0, 1, 'float32', 6);
    const ref = referenceSpectrum(mlp, probe, 'h');
    const trackers = [
      new RankTracker({ tf, model: mlp, probe, probeChunk: 7 }),
      new RankTracker({ tf, model: mlp, probe, gram: 'device' }),
      new RankTracker({ tf, model: mlp, probe, forward: 'tfjs' }),
    ];
    for (const t of trackers) {
      await t.observe({ step: 0 });
      await t.close();
      const r = t.records[0]!;
      expect(r.forward).toBe('tfjs');
      expect(Math.abs(r.lambdaMax! - ref[0]!) / ref[0]!).toBeLessThan(1e-5);
    }
    mlp.dispose();
    probe.dispose();
  });
});
