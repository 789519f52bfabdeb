/**
 * RankTracker on a layer wider than the probe (N < n): the dual N×N route,
 * on the host and on the device path (gram: 'device', exercised here on the
 * cpu backend), against an independent float64 JS computation of M's
 * eigenvalues on the same activations (weighted, scaled, centred).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { RankTracker } from '../src/tfjs/index.js';
import { centerRef } from './helpers-rank/known.js';
import { type Dense, gramRef, jacobiEigenvalues } from './helpers/linalg.js';

const N = 48;
const WIDTH = 160;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function wideModel() {
  const model = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(tf.layers.dense({ units: WIDTH, activation: 'tanh', inputShape: [2], name: 'wide', kernelInitializer: init(11), biasInitializer: 'ones' }));
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(12) }));
  return model;
}

function reference(model: tf.Sequential, probe: tf.Tensor, w: Float64Array, scale: number, center: boolean): number[] {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('wide').output as tf.SymbolicTensor });
  const act = sub.predict(probe) as tf.Tensor;
  let phi: Dense = { data: Float64Array.from(act.dataSync()), rows: N, cols: WIDTH };
  act.dispose();
  if (center) phi = centerRef(phi, w);
  return jacobiEigenvalues(gramRef(phi, { weights: w, scale })).sort((a, b) => b - a);
}

describe('wide layers take the dual route', () => {
  for (const center of [false, true]) {
    it(`host and device paths${center ? ', centred' : ''}: ε-ranks and eigenvalues equal the float64 reference`, async () => {
      const model = wideModel();
      const probe = tf.randomUniform([N, 2], -1, 1, 'float32', 5);
      const w = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 3) / 4);
      const scale = 0.3;
      const ref = reference(model, probe, w, scale, center);
      const eps = [1e-1, 1e-3];
      const before = tf.memory().numTensors;
      const trackers = (['host', 'device'] as const).map(
        (gram) => new RankTracker({ tf, model, probe, layers: ['wide'], eps, weights: w, scale, center, gram, measures: ['stableRank'] }),
      );
      for (const t of trackers) await t.observe({ step: 1 });
      for (const t of trackers) await t.flush();
      expect(tf.memory().numTensors).toBe(before);
      for (const t of trackers) {
        const r = t.records[0]!;
        expect(r.n).toBe(WIDTH);
        expect(r.side).toBe('dual');
        expect(r.epsRank).toEqual(Object.fromEntries(eps.map((e) => [String(e), ref.filter((l) => l > e).length])));
        expect(r.eigenvalues!.length).toBe(WIDTH);
        // float32 activations and a float32 Gram: agreement to float32 rounding of λ_max.
        for (let i = 0; i < WIDTH; i++) expect(Math.abs(r.eigenvalues![i]! - ref[i]!)).toBeLessThanOrEqual(2e-5 * ref[0]!);
        // The n − N eigenvalues the dual kernel does not have are exact zeros.
        expect(r.eigenvalues!.filter((v) => v === 0).length).toBeGreaterThanOrEqual(WIDTH - N);
      }
      probe.dispose();
    }, 60_000);
  }
});

describe('spectrum: { every: K }', () => {
  it('stores eigenvalues every K-th measurement; the others count by inertia, with the same counts; the report renders both', async () => {
    const { renderReport } = await import('../src/report/index.js');
    const model = wideModel();
    const probe = tf.randomUniform([N, 2], -1, 1, 'float32', 8);
    const eps = 1e-2;
    const sparse = new RankTracker({ tf, model, probe, layers: ['wide'], eps, spectrum: { every: 3 }, gram: 'host', queue: { policy: 'wait' } });
    const dense = new RankTracker({ tf, model, probe, layers: ['wide'], eps, gram: 'host', queue: { policy: 'wait' } });
    for (let step = 1; step <= 7; step++) {
      for (const t of [sparse, dense]) await t.observe({ step, loss: 1 / step });
    }
    for (const t of [sparse, dense]) await t.flush();
    const withSpectrum = sparse.records.filter((r) => r.eigenvalues !== undefined).map((r) => r.step);
    expect(withSpectrum).toEqual([1, 4, 7]);
    for (const r of sparse.records) {
      if (r.eigenvalues) {
        expect(r.route).toBe('eigen');
        expect(r.lambdaMax).toBeGreaterThan(0);
      } else {
        expect(r.route).toBe('inertia');
        expect(r.lambdaMax).toBeNull();
      }
    }
    expect(sparse.records.map((r) => r.epsRank)).toEqual(dense.records.map((r) => r.epsRank));
    const html = renderReport(sparse.records, { title: 'sparse spectrum' });
    expect(html).toContain('<svg');
    expect(() => new RankTracker({ tf, model, probe, spectrum: { evrey: 2 } as never })).toThrow(/unknown option 'evrey'/);
    expect(() => new RankTracker({ tf, model, probe, spectrum: { every: 0 } })).toThrow(/spectrum.every must be a positive integer/);
    probe.dispose();
  }, 60_000);
});
