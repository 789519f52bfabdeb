/**
 * Feature modes of a conv layer ([N, H, W, C]) against a float64 plain-JS
 * computation on the same activations: 'flatten' (N × H·W·C), 'channels'
 * (N·H·W × C, each sample's weight spread over its positions) and 'pool'
 * (N × C of means over positions). Host, chunked and device Gram paths agree.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { type FeatureMode, RankTracker, type RankRecord, rankAt } from '../src/tfjs/index.js';
import { gramRef, jacobiEigenvalues } from './helpers/linalg.js';
import { mulberry32 } from './helpers/rng.js';

const N = 48;
const EPS = [1e-2, 1e-4];

beforeAll(async () => {
  await tf.setBackend('cpu'); // wasm has no Conv2DBackpropFilter
  await tf.ready();
});

function cnn() {
  const rng = mulberry32(7);
  const x = tf.tensor4d(Float32Array.from({ length: N * 36 }, () => 2 * rng() - 1), [N, 6, 6, 1]);
  const y = tf.tensor2d(Float32Array.from({ length: N }, () => rng()), [N, 1]);
  const model = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'c1', kernelInitializer: init(1) }));
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'tanh', name: 'c2', kernelInitializer: init(2) }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(3) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const w = Float64Array.from({ length: N }, () => 0.5 + rng());
  return { x, y, model, w };
}

/** Eigenvalues of the Gram of `layer`'s activations in `mode`, all in float64 JS. */
function reference(model: tf.LayersModel, layer: string, x: tf.Tensor, w: Float64Array, mode: FeatureMode): number[] {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  const act = sub.predict(x) as tf.Tensor;
  const values = Float64Array.from(act.dataSync());
  const [, h, wd, c] = act.shape as number[];
  act.dispose();
  const positions = h! * wd!;
  if (mode === 'flatten') return jacobiEigenvalues(gramRef({ data: values, rows: N, cols: positions * c! }, { weights: w }));
  if (mode === 'channels') {
    const rowWeights = Float64Array.from({ length: N * positions }, (_, r) => w[Math.floor(r / positions)]! / positions);
    return jacobiEigenvalues(gramRef({ data: values, rows: N * positions, cols: c! }, { weights: rowWeights }));
  }
  const pooled = new Float64Array(N * c!);
  for (let i = 0; i < N; i++) {
    for (let p = 0; p < positions; p++) for (let k = 0; k < c!; k++) pooled[i * c! + k]! += values[(i * positions + p) * c! + k]! / positions;
  }
  return jacobiEigenvalues(gramRef({ data: pooled, rows: N, cols: c! }, { weights: w }));
}

/** Checks the record against the reference; returns how many ε were far enough from an eigenvalue to compare. */
function expectMatches(rec: RankRecord, lambda: number[]): number {
  let compared = 0;
  const lmax = Math.max(...lambda);
  expect(rec.lambdaMax).toBeCloseTo(lmax, 4);
  for (const e of EPS) {
    if (lambda.some((l) => Math.abs(l - e) < 1e-4 * e + 1e-8 * lmax)) continue; // too close to ε to call in float32
    expect(rankAt(rec, e)).toBe(lambda.filter((l) => l > e).length);
    compared++;
  }
  return compared;
}

describe("features: 'flatten' | 'channels' | 'pool' on a small CNN", () => {
  it('each mode equals the float64 reference after training, on the host, chunked and device paths', async () => {
    const { x, y, model, w } = cnn();
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    const shapes: Record<FeatureMode, { N: number; n: number }> = {
      flatten: { N, n: 108 },
      channels: { N: N * 36, n: 3 },
      pool: { N, n: 3 },
    };
    const before = tf.memory().numTensors;
    let compared = 0;
    for (const mode of ['flatten', 'channels', 'pool'] as const) {
      const lambda = reference(model, 'c1', x, w, mode);
      for (const path of [{ gram: 'host' }, { gram: 'host', probeChunk: 20 }, { gram: 'device' }] as const) {
        const tracker = new RankTracker({ tf, model, probe: x, layers: ['c1'], features: mode, eps: EPS, weights: w, ...path });
        await tracker.observe({ step: 1 });
        await tracker.close();
        const rec = tracker.records[0]!;
        expect({ N: rec.N, n: rec.n, features: rec.features }).toEqual({ ...shapes[mode], features: mode });
        compared += expectMatches(rec, lambda);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(15); // of 18
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    y.dispose();
    model.dispose();
  }, 120_000);

  it('takes a mode per layer, and measures during fit with a flat tensor count', async () => {
    const { x, y, model, w } = cnn();
    const tracker = new RankTracker({
      tf, model, probe: x, eps: EPS, weights: w, queue: { policy: 'wait' },
      layers: [{ layer: 'c1', features: 'channels' }, { layer: 'c2', features: 'pool' }, 'flat'],
      features: 'flatten',
    });
    const counts: number[] = [];
    const probe = new tf.CustomCallback({ onEpochEnd: async () => void counts.push(tf.memory().numTensors) });
    await model.fit(x, y, { epochs: 4, batchSize: N, verbose: 0, callbacks: [tracker.callback(), probe] });
    await tracker.close();
    expect(new Set(counts.slice(1)).size).toBe(1); // Adam's moments appear in the first epoch
    const last = (layer: string) => tracker.records.filter((r) => r.layer === layer).at(-1)!;
    expect(last('c1')).toMatchObject({ step: 4, features: 'channels', N: N * 36, n: 3 });
    expect(last('c2')).toMatchObject({ step: 4, features: 'pool', N, n: 4 });
    expect(last('flat')).toMatchObject({ step: 4, features: 'flatten', N, n: 64 });
    const compared =
      expectMatches(last('c1'), reference(model, 'c1', x, w, 'channels')) +
      expectMatches(last('c2'), reference(model, 'c2', x, w, 'pool')) +
      expectMatches(last('flat'), reference(model, 'c2', x, w, 'flatten')); // Flatten of c2 is c2 flattened
    expect(compared).toBeGreaterThanOrEqual(5);
    x.dispose();
    y.dispose();
    model.dispose();
  }, 120_000);

  it('a dense layer is the same in every mode', async () => {
    const { x, model, w } = cnn();
    const records = [];
    for (const features of ['flatten', 'channels', 'pool'] as const) {
      const tracker = new RankTracker({ tf, model, probe: x, layers: ['out'], features, eps: EPS, weights: w });
      await tracker.observe({ step: 0 });
      await tracker.close();
      records.push(tracker.records[0]!);
    }
    expect(records.map((r) => [r.N, r.n, r.epsRank])).toEqual(Array(3).fill([N, 1, records[0]!.epsRank]));
    x.dispose();
    model.dispose();
  }, 60_000);

  it('observeFeatures reads [N, H, W, C] activations in each layer\'s mode, as observe() does', async () => {
    const { x, model, w } = cnn();
    const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('c1').output as tf.SymbolicTensor });
    const act = sub.predict(x) as tf.Tensor;
    for (const features of ['flatten', 'channels', 'pool'] as const) {
      const fromModel = new RankTracker({ tf, model, probe: x, layers: ['c1'], features, eps: EPS, weights: w });
      const fromLoop = new RankTracker({ tf, model, probe: x, layers: ['c1'], features, eps: EPS, weights: w });
      await fromModel.observe({ step: 1 });
      await fromLoop.observeFeatures({ step: 1, features: { c1: act } });
      await Promise.all([fromModel.close(), fromLoop.close()]);
      const [a, b] = [fromModel.records[0]!, fromLoop.records[0]!];
      expect([b.N, b.n, b.features, b.epsRank]).toEqual([a.N, a.n, a.features, a.epsRank]);
      expect(b.lambdaMax).toBeCloseTo(a.lambdaMax!, 5);
    }
    act.dispose();
    x.dispose();
    model.dispose();
  }, 60_000);
});
