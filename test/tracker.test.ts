/**
 * RankTracker on real tfjs training (cpu backend, deterministic): records,
 * values against an independent float64 JS computation on the same
 * activations, tensor hygiene, the JSONL log, custom loops and bad options.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { EffrankError } from '../src/index.js';
import { RankTracker, type RankRecord } from '../src/tfjs/index.js';
import { gramRef, jacobiEigenvalues } from './helpers/linalg.js';

const N = 256;
const tmp = mkdtempSync(join(tmpdir(), 'effrank-tracker-'));

function trapezoid(n: number, length: number): Float32Array {
  const w = new Float32Array(n).fill(length / (n - 1));
  w[0]! /= 2;
  w[n - 1]! /= 2;
  return w;
}

function problem(width = 64) {
  const x = tf.linspace(-1, 1, N).reshape([N, 1]);
  const y = tf.tidy(() => tf.sin(x.mul(2 * Math.PI)).add(tf.sin(x.mul(10 * Math.PI)).mul(0.5)));
  const model = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(tf.layers.dense({ units: width, activation: 'tanh', inputShape: [1], name: 'h1', kernelInitializer: init(1) }));
  model.add(tf.layers.dense({ units: width, activation: 'tanh', name: 'h2', kernelInitializer: init(2) }));
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(3) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return { x, y, model };
}

/** ε-rank of the activations of `layer`, by a float64 JS Gram and Jacobi eigenvalues. */
function referenceEigenvalues(model: tf.Sequential, layer: string, x: tf.Tensor, w: Float32Array): number[] {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
  const act = sub.predict(x) as tf.Tensor;
  const data = Float64Array.from(act.dataSync());
  const n = act.shape[1]!;
  act.dispose();
  const g = gramRef({ data, rows: N, cols: n }, { weights: Float64Array.from(w) });
  return jacobiEigenvalues(g);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('RankTracker in model.fit', () => {
  it('records every epoch, with ε-ranks equal to an independent float64 computation, and leaks no tensors', async () => {
    const { x, y, model } = problem();
    const w = trapezoid(N, 2);
    const eps = [1e-3, 1e-5];
    const log = join(tmp, 'run.jsonl');
    const tracker = new RankTracker({ tf, model, probe: x, eps, weights: w, log, queue: { policy: 'wait' }, measures: ['stableRank'] });
    const reference = new Map<number, number[]>();
    const tensorCounts: number[] = [];
    const epochs = 200;
    const checker = {
      onEpochEnd: async (epoch: number) => {
        tensorCounts.push(tf.memory().numTensors);
        if ((epoch + 1) % 40 === 0) reference.set(epoch + 1, referenceEigenvalues(model, 'h2', x, w));
        tensorCounts.push(tf.memory().numTensors);
      },
    };
    await model.fit(x, y, { epochs, batchSize: N, shuffle: false, verbose: 0, callbacks: [tracker.callback(), new tf.CustomCallback(checker)] });
    await tracker.flush();

    const steps = tracker.records.map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: epochs + 1 }, (_, i) => i)); // step 0 is before training
    expect(tracker.layers).toEqual(['h2']);
    expect(tracker.skipped).toBe(0);

    let compared = 0;
    for (const [step, lambda] of reference) {
      const rec = tracker.records.find((r) => r.step === step)!;
      const lmax = Math.max(...lambda);
      expect(rec.lambdaMax).toBeCloseTo(lmax, 3);
      for (const e of eps) {
        // An eigenvalue within 1e-4 relative of ε could fall on either side in float32 activations.
        if (lambda.some((l) => Math.abs(l - e) < 1e-4 * e + 1e-9 * lmax)) continue;
        expect(rec.epsRank[String(e)]).toBe(lambda.filter((l) => l > e).length);
        compared++;
      }
      expect(rec.stableRank).toBeCloseTo(lambda.reduce((a, b) => a + Math.max(b, 0), 0) / lmax, 4);
    }
    expect(compared).toBeGreaterThanOrEqual(6);

    // The Adam moments appear in the first epoch; from then on the count is flat.
    expect(new Set(tensorCounts.slice(4)).size).toBe(1);

    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(tracker.records.length);
    const parsed = lines.map((l) => JSON.parse(l) as RankRecord);
    expect(parsed.map((r) => r.step)).toEqual(steps);
    expect(parsed[10]!.epsRank).toEqual(tracker.records[10]!.epsRank);

    // The loss falls and the last hidden layer's ε-rank rises over training.
    const first = tracker.records[1]!;
    const last = tracker.records.at(-1)!;
    expect(last.loss!).toBeLessThan(first.loss!);
    expect(last.epsRank['0.001']!).toBeGreaterThan(tracker.records[0]!.epsRank['0.001']!);
    x.dispose();
    y.dispose();
  }, 120_000);

  it("layers: 'all-hidden' gives one series per hidden layer, measured every K epochs", async () => {
    const { x, y, model } = problem(16);
    const tracker = new RankTracker({ tf, model, probe: x, layers: 'all-hidden', every: { epochs: 5 }, queue: { policy: 'wait' } });
    await model.fit(x, y, { epochs: 20, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.flush();
    expect(tracker.layers).toEqual(['h1', 'h2']);
    for (const layer of ['h1', 'h2']) {
      expect(tracker.records.filter((r) => r.layer === layer).map((r) => r.step)).toEqual([0, 5, 10, 15, 20]);
    }
    const stair = tracker.staircase();
    expect(Object.keys(stair)).toEqual(['h1', 'h2']);
    expect(stair.h1!['0.001']!.stairs.length).toBeGreaterThanOrEqual(1);
    x.dispose();
    y.dispose();
  }, 60_000);

  it('keeps training when onRecord throws, and reports the error once', async () => {
    const { x, y, model } = problem(8);
    const reported: unknown[] = [];
    const tracker = new RankTracker({
      tf, model, probe: x, queue: { policy: 'wait' },
      onRecord: () => {
        throw new Error('user bug');
      },
      onError: (e) => reported.push(e),
    });
    const history = await model.fit(x, y, { epochs: 5, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.flush();
    expect(history.history.loss).toHaveLength(5);
    expect(tracker.records).toHaveLength(6);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe('user bug');
    expect(tracker.errors).toHaveLength(6);
    x.dispose();
    y.dispose();
  }, 60_000);

  it('skips measurements when the queue is full, counting them', async () => {
    const { x, y, model } = problem(8);
    const tracker = new RankTracker({ tf, model, probe: x, queue: { max: 1, policy: 'skip' } });
    await model.fit(x, y, { epochs: 30, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.flush();
    const recordedSkips = tracker.records.reduce((a, r) => a + r.skipped, 0);
    expect(tracker.records.length + tracker.skipped).toBeGreaterThanOrEqual(31);
    expect(recordedSkips).toBeLessThanOrEqual(tracker.skipped);
    const steps = tracker.records.map((r) => r.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(30);
    x.dispose();
    y.dispose();
  }, 60_000);
});

describe('where the Gram is formed', () => {
  it("gram: 'device' (the GPU path, here on the cpu backend) and a chunked probe agree with the host path", async () => {
    const { x, model } = problem(16);
    const w = trapezoid(N, 2);
    const common = { tf, model, probe: x, eps: [1e-2, 1e-4], weights: w, scale: 3, center: true, measures: ['participationRatio'] as const };
    const host = new RankTracker({ ...common, measures: [...common.measures], gram: 'host' });
    const device = new RankTracker({ ...common, measures: [...common.measures], gram: 'device' });
    const chunked = new RankTracker({ ...common, measures: [...common.measures], gram: 'host', probeChunk: 100, center: false });
    const plain = new RankTracker({ ...common, measures: [...common.measures], gram: 'host', center: false });
    const before = tf.memory().numTensors;
    for (const t of [host, device, chunked, plain]) await t.observe({ step: 1 });
    for (const t of [host, device, chunked, plain]) await t.flush();
    expect(tf.memory().numTensors).toBe(before);
    const [h, d, c, p] = [host, device, chunked, plain].map((t) => t.records[0]!);
    expect(h!.method).toBe('gram-host');
    expect(d!.method).toBe('gram-device');
    expect(d!.epsRank).toEqual(h!.epsRank);
    expect(d!.lambdaMax).toBeCloseTo(h!.lambdaMax!, 4);
    expect(d!.participationRatio!).toBeCloseTo(h!.participationRatio!, 3);
    expect(c!.epsRank).toEqual(p!.epsRank);
    // The chunked path sums a float64 Gram; the plain one forms a float32 Gram, since ε is far above its resolution.
    expect(c!.dtype).toBe('float64');
    expect(p!.dtype).toBe('float32');
    expect(Math.abs(c!.lambdaMax! - p!.lambdaMax!)).toBeLessThanOrEqual(1e-6 * c!.lambdaMax!);
    // Independent: scale·Gram of the weighted, uncentred activations.
    const lambda = referenceEigenvalues(model, 'h2', x, w).map((l) => 3 * l);
    expect(p!.lambdaMax).toBeCloseTo(Math.max(...lambda), 4);
    x.dispose();
  });
});

describe('custom loops', () => {
  it('observe() measures from the model and probe at the given step', async () => {
    const { x, y, model } = problem(8);
    const tracker = new RankTracker({ tf, model, probe: x, eps: 1e-4, weights: trapezoid(N, 2), scale: 0.5 });
    const optimizer = tf.train.sgd(0.05);
    for (let step = 1; step <= 3; step++) {
      const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor) as tf.Scalar, true)!;
      const value = (await loss.data())[0]!;
      loss.dispose();
      await tracker.observe({ step, loss: value });
    }
    await tracker.flush();
    expect(tracker.records.map((r) => r.step)).toEqual([1, 2, 3]);
    const lambda = referenceEigenvalues(model, 'h2', x, trapezoid(N, 2)).map((l) => 0.5 * l);
    expect(tracker.records[2]!.epsRank['0.0001']).toBe(lambda.filter((l) => l > 1e-4).length);
    x.dispose();
    y.dispose();
  });

  it('observeFeatures() takes activations the loop already has', async () => {
    const { x, model } = problem(8);
    const tracker = new RankTracker({ tf, model, probe: x, eps: [1e-2, 1e-6] });
    // Rank-2 features with Gram eigenvalues exactly 4 and 1 (orthogonal columns).
    const feats = new Float32Array(N * 3);
    for (let i = 0; i < N; i++) {
      feats[i * 3] = i % 2 === 0 ? 2 / Math.sqrt(N / 2) : 0;
      feats[i * 3 + 1] = i % 2 === 1 ? 1 / Math.sqrt(N / 2) : 0;
    }
    const t = tf.tensor2d(feats, [N, 3]);
    await tracker.observeFeatures({ step: 7, loss: 0.5, features: { h2: t } });
    await tracker.flush();
    t.dispose();
    expect(tracker.records).toHaveLength(1);
    expect(tracker.records[0]!.step).toBe(7);
    expect(tracker.records[0]!.epsRank).toEqual({ '0.01': 2, '0.000001': 2 });
    expect(tracker.records[0]!.lambdaMax).toBeCloseTo(4, 5);
    x.dispose();
  });
});

describe('bad options fail before training', () => {
  const cases: Array<[string, (p: ReturnType<typeof problem>) => object]> = [
    ['an unknown layer name', (p) => ({ layers: ['nope'] })],
    ['a probe of the wrong shape', (p) => ({ probe: tf.zeros([N, 2]) })],
    ['eps ≤ 0', () => ({ eps: 0 })],
    ['a negative eps in a list', () => ({ eps: [1e-3, -1] })],
    ['weights of the wrong length', () => ({ weights: new Float32Array(N - 1) })],
    ['an unknown measure', () => ({ measures: ['rankiness'] })],
    ['every: { epochs: 0 }', () => ({ every: { epochs: 0 } })],
  ];
  for (const [name, extra] of cases) {
    it(name, () => {
      const p = problem(4);
      let error: unknown;
      try {
        new RankTracker({ tf, model: p.model, probe: p.x, ...extra(p) } as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EffrankError);
      expect((error as EffrankError).code).toBe('ERR_INVALID_ARGUMENT');
      p.x.dispose();
      p.y.dispose();
    });
  }
});
