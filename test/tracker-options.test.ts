/**
 * RankTracker's option vocabulary (unknown keys, per-layer options, every,
 * queue), the queue limits of observeFeatures, and rankAt.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { EffrankError } from '../src/index.js';
import { RankTracker, epsKey, rankAt } from '../src/tfjs/index.js';
import { codeOf } from './helpers/expect.js';
import { N, mlpProblem } from './helpers-tracker/problem.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function errorOf(f: () => unknown): EffrankError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EffrankError);
    return e as EffrankError;
  }
  throw new Error('expected an EffrankError');
}

describe('unknown options are ERR_INVALID_ARGUMENT naming the key and a close match', () => {
  const cases: Array<[string, object, RegExp]> = [
    ['a top-level key from another library', { channelsAsNeurons: true }, /RankTracker: unknown option 'channelsAsNeurons'/],
    ['a misspelt top-level key', { probeChunks: 10 }, /unknown option 'probeChunks' \(did you mean 'probeChunk'\?\)/],
    ['a misspelt feature mode key', { feature: 'pool' }, /did you mean 'features'/],
    ['a misspelt key of every', { every: { epoch: 2 } }, /RankTracker every: unknown option 'epoch' \(did you mean 'epochs'\?\)/],
    ['a misspelt key of queue', { queue: { maxx: 2 } }, /RankTracker queue: unknown option 'maxx' \(did you mean 'max'\?\)/],
    ['a misspelt per-layer key', { layers: [{ layer: 'h1', feature: 'pool' }] }, /RankTracker layers\[0\]: unknown option 'feature' \(did you mean 'features'\?\)/],
  ];
  for (const [name, extra, message] of cases) {
    it(name, () => {
      const p = mlpProblem(4);
      const e = errorOf(() => new RankTracker({ tf, model: p.model, probe: p.x, ...extra } as never));
      expect(e.code).toBe('ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(message);
      p.dispose();
    });
  }

  const badValues: Array<[string, object]> = [
    ['an unknown feature mode', { features: 'spatial' }],
    ['an unknown per-layer feature mode', { layers: [{ layer: 'h1', features: 'mean' }] }],
    ['a per-layer spec without a layer', { layers: [{ features: 'pool' }] }],
    ['a layer listed twice', { layers: ['h1', { layer: 'h1', features: 'pool' }] }],
    ['every with both units', { every: { epochs: 1, batches: 2 } }],
    ['every with neither unit', { every: {} }],
    ['a non-boolean center', { center: 'yes' }],
    ['a non-boolean appendLog', { appendLog: 1 }],
    ['queue.max 0', { queue: { max: 0 } }],
    ['queue null', { queue: null }],
    ['measures not an array', { measures: 'stableRank' }],
    ['options null', null as never],
  ];
  for (const [name, extra] of badValues) {
    it(`refuses ${name}`, () => {
      const p = mlpProblem(4);
      const options = extra === null ? null : { tf, model: p.model, probe: p.x, ...extra };
      expect(codeOf(() => new RankTracker(options as never))).toBe('ERR_INVALID_ARGUMENT');
      p.dispose();
    });
  }

  it('property: any key outside the vocabulary is refused, naming it', () => {
    const p = mlpProblem(4);
    const known = new Set(['tf', 'model', 'probe', 'layers', 'features', 'eps', 'relative', 'weights', 'scale', 'center', 'every', 'measures', 'log', 'appendLog', 'onRecord', 'onError', 'queue', 'gram', 'probeChunk', 'atStart', 'spectrum']);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== '__proto__'), (key) => {
        const e = errorOf(() => new RankTracker({ tf, model: p.model, probe: p.x, [key]: 1 } as never));
        expect(e.code).toBe('ERR_INVALID_ARGUMENT');
        expect(e.message).toContain(`'${key}'`);
      }),
      { numRuns: 50 },
    );
    p.dispose();
  });
});

describe('observeFeatures honours queue.max and policy', () => {
  function features(n: number, scale: number) {
    // Orthogonal columns with Gram eigenvalues scale²·(1, 1/4, …): exact counts.
    const data = new Float32Array(N * n);
    for (let i = 0; i < N; i++) data[i * n + (i % n)] = (scale / (1 + (i % n))) * Math.sqrt(n / N);
    return tf.tensor2d(data, [N, n]);
  }

  it("'skip': calls beyond queue.max are skipped and counted, none queued", async () => {
    const p = mlpProblem(4);
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, eps: 1e-3, queue: { max: 2, policy: 'skip' } });
    const t = features(64, 1);
    const before = tf.memory().numTensors;
    // 8 calls at once: the first two take the queue's slots before any await, the other six are skipped.
    await Promise.all(Array.from({ length: 8 }, (_, k) => tracker.observeFeatures({ step: k + 1, features: { h2: t } })));
    await tracker.flush();
    expect(tracker.records.map((r) => r.step)).toEqual([1, 2]);
    expect(tracker.skipped).toBe(6);
    // Skips are reported in the next record.
    await tracker.observeFeatures({ step: 9, features: { h2: t } });
    await tracker.flush();
    expect(tracker.records.map((r) => [r.step, r.skipped])).toEqual([[1, 0], [2, 0], [9, 6]]);
    expect(tracker.records[2]!.epsRank).toEqual({ '0.001': 31 }); // 1/k² > 1e-3 for k ≤ 31
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    p.dispose();
  });

  it("'wait': every call is measured, at most queue.max at a time", async () => {
    const p = mlpProblem(4);
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, eps: [2e-2, 3e-3], queue: { max: 1, policy: 'wait' } });
    const ts = [1, 2, 4, 8].map((s) => features(32, s));
    await Promise.all(ts.map((t, k) => tracker.observeFeatures({ step: k + 1, features: { h2: t } })));
    await tracker.flush();
    expect(tracker.skipped).toBe(0);
    expect(tracker.records.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    // Eigenvalues s²/j², j = 1…32; no s²/ε is a square, so no eigenvalue sits at ε.
    const count = (s: number, e: number) => Array.from({ length: 32 }, (_, j) => (s * s) / ((j + 1) * (j + 1))).filter((l) => l > e).length;
    const expected = [1, 2, 4, 8].map((s) => ({ '0.02': count(s, 2e-2), '0.003': count(s, 3e-3) }));
    expect(expected.map((e) => e['0.02'])).toEqual([7, 14, 28, 32]);
    expect(tracker.records.map((r) => r.epsRank)).toEqual(expected);
    ts.forEach((t) => t.dispose());
    p.dispose();
  });
});

describe('rankAt(record, eps) and epsKey', () => {
  const record = { epsRank: { '0.000001': 5, '0.001': 3, '1e-7': 9 } };

  it('finds a count by any spelling of ε', () => {
    expect(rankAt(record, 1e-6)).toBe(5);
    expect(rankAt(record, 0.000001)).toBe(5);
    expect(rankAt(record, '1e-6')).toBe(5);
    expect(rankAt(record, '0.0000010')).toBe(5);
    expect(rankAt(record, 1e-3)).toBe(3);
    expect(rankAt(record, 0.0000001)).toBe(9);
    expect(rankAt(record, 1e-5)).toBeUndefined();
    expect(rankAt({ epsRank: { '1e-6': 4 } }, 0.000001)).toBe(4); // a log spelt by another tool
  });

  it('epsKey is the key a record uses: String of the number', () => {
    expect(epsKey(1e-6)).toBe('0.000001');
    expect(epsKey('1e-6')).toBe('0.000001');
    expect(epsKey(1e-7)).toBe('1e-7');
    fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (e) => epsKey(e) === String(e) && epsKey(String(e)) === String(e)));
  });

  it('refuses what is not an ε or not a record', () => {
    for (const bad of [0, -1, NaN, Infinity, '', 'abc', null, {}]) expect(codeOf(() => rankAt(record, bad as never))).toBe('ERR_INVALID_ARGUMENT');
    for (const bad of [null, 3, {}, { epsRank: null }]) expect(codeOf(() => rankAt(bad as never, 1e-3))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('reads the counts of a real record by the ε the user wrote', async () => {
    const p = mlpProblem(8);
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, eps: [1e-6, 0.001] });
    await tracker.observe({ step: 1 });
    await tracker.close();
    const rec = tracker.records[0]!;
    expect(Object.keys(rec.epsRank)).toEqual(['0.000001', '0.001']);
    expect(rankAt(rec, 1e-6)).toBe(rec.epsRank['0.000001']);
    expect(rankAt(rec, '1e-3')).toBe(rec.epsRank['0.001']);
    p.dispose();
  });
});
