/**
 * RankTracker inside real tfjs training setups: beside earlyStopping (both
 * orders, fit and fitDataset), several fits in a row, stopTraining, batch
 * mode, and the tensor count staying flat throughout.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { RankTracker } from '../src/tfjs/index.js';
import { N, mlpProblem, recorder } from './helpers-tracker/problem.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** Never improves after the first epoch by minDelta, so it stops training after epoch 2 of any run. */
const stopper = () => tf.callbacks.earlyStopping({ monitor: 'loss', minDelta: 1e9, patience: 0 });

function dataset(x: tf.Tensor, y: tf.Tensor, batch: number) {
  return tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(batch);
}

describe('tracker.callback() beside tf.callbacks.earlyStopping', () => {
  for (const order of ['tracker first', 'early stopping first'] as const) {
    for (const how of ['fit', 'fitDataset'] as const) {
      it(`${how}, ${order}: early stopping stops the run and the tracker records every epoch it saw`, async () => {
        const p = mlpProblem();
        const tracker = new RankTracker({ tf, model: p.model, probe: p.x, queue: { policy: 'wait' } });
        const seen = recorder();
        const list = order === 'tracker first' ? [tracker.callback(), stopper(), seen.callback] : [stopper(), tracker.callback(), seen.callback];
        const before = tf.memory().numTensors;
        const history = how === 'fit'
          ? await p.model.fit(p.x, p.y, { epochs: 20, batchSize: N, verbose: 0, callbacks: list })
          : await p.model.fitDataset(dataset(p.x, p.y, N), { epochs: 20, verbose: 0, callbacks: list });
        await tracker.close();
        expect(history.epoch.length).toBe(2); // stopped long before 20
        expect(tracker.records.map((r) => r.step)).toEqual([0, 1, 2]);
        expect(tracker.records.map((r) => r.epoch)).toEqual([0, 1, 2]);
        expect(tracker.records.slice(1).map((r) => r.loss)).toEqual(seen.epochLosses);
        expect(tracker.records.every((r) => Number.isInteger(r.epsRank['0.001']) && r.epsRank['0.001']! >= 1)).toBe(true);
        expect(tracker.errors).toEqual([]);
        // sgd has no slots: nothing of the run stays behind but what fitDataset's iterator holds.
        if (how === 'fit') expect(tf.memory().numTensors).toBe(before);
        expect(new Set(seen.tensors).size).toBe(1);
        p.dispose();
      }, 60_000);
    }
  }

  it('also works when a plain callback object comes first (tfjs then wraps every entry)', async () => {
    const p = mlpProblem();
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, queue: { policy: 'wait' } });
    const losses: number[] = [];
    const plain = { onEpochEnd: async (_e: number, logs?: tf.Logs) => void losses.push(logs!.loss as number) };
    await p.model.fit(p.x, p.y, { epochs: 3, batchSize: N, verbose: 0, callbacks: [plain, tracker.callback()] });
    await tracker.close();
    expect(tracker.records.map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(tracker.records.slice(1).map((r) => r.loss)).toEqual(losses);
    p.dispose();
  }, 60_000);
});

describe('steps are the tracker’s own', () => {
  it('increase across fits without initialEpoch, keeping tfjs’s epoch in each record', async () => {
    const p = mlpProblem();
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, queue: { policy: 'wait' } });
    const cb = tracker.callback();
    await p.model.fit(p.x, p.y, { epochs: 3, batchSize: N, verbose: 0, callbacks: [cb] });
    await p.model.fit(p.x, p.y, { epochs: 2, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.close();
    expect(tracker.records.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tracker.records.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 1, 2]);
    expect(() => tracker.staircase()).not.toThrow();
    expect(tracker.staircase().h2!['0.001']!.plateauLengths.reduce((a, b) => a + b, 0)).toBe(6);
    p.dispose();
  }, 60_000);

  it('increase across fits with initialEpoch, and epoch follows initialEpoch', async () => {
    const p = mlpProblem();
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, queue: { policy: 'wait' }, every: { epochs: 2 } });
    await p.model.fit(p.x, p.y, { epochs: 4, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await p.model.fit(p.x, p.y, { epochs: 7, initialEpoch: 4, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.close();
    // Steps 2, 4 from the first fit; 6 in the second, then its closing record at step 7.
    expect(tracker.records.map((r) => r.step)).toEqual([0, 2, 4, 6, 7]);
    expect(tracker.records.map((r) => r.epoch)).toEqual([0, 2, 4, 6, 7]);
    p.dispose();
  }, 60_000);
});

describe('the closing record carries the last loss seen', () => {
  it('after model.stopTraining = true', async () => {
    const p = mlpProblem();
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, every: { epochs: 10 }, queue: { policy: 'wait' } });
    const seen = recorder();
    const stop = new tf.CustomCallback({
      onEpochEnd: async (epoch: number) => {
        if (epoch === 3) p.model.stopTraining = true;
      },
    });
    await p.model.fit(p.x, p.y, { epochs: 50, batchSize: N, verbose: 0, callbacks: [tracker.callback(), seen.callback, stop] });
    await tracker.close();
    expect(tracker.records.map((r) => r.step)).toEqual([0, 4]);
    expect(seen.epochLosses).toHaveLength(4);
    expect(tracker.records[1]!.loss).toBe(seen.epochLosses[3]);
    p.dispose();
  }, 60_000);

  it('in batch mode, across epochs', async () => {
    const p = mlpProblem();
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, every: { batches: 3 }, queue: { policy: 'wait' } });
    const seen = recorder();
    // 4 batches per epoch, 2 epochs: measured after batches 3 and 6, closed after 8.
    await p.model.fit(p.x, p.y, { epochs: 2, batchSize: N / 4, shuffle: false, verbose: 0, callbacks: [tracker.callback(), seen.callback] });
    await tracker.close();
    expect(tracker.records.map((r) => r.step)).toEqual([0, 3, 6, 8]);
    expect(tracker.records.map((r) => r.batch)).toEqual([undefined, 2, 1, undefined]);
    expect(tracker.records.map((r) => r.epoch)).toEqual([0, 0, 1, 2]);
    expect(seen.batchLosses).toHaveLength(8);
    expect(tracker.records.map((r) => r.loss)).toEqual([null, seen.batchLosses[2], seen.batchLosses[5], seen.batchLosses[7]]);
    p.dispose();
  }, 60_000);
});

describe('measurements get event-loop turns while fit runs', () => {
  it('BaseCallbacks only, heavy batches, queue max 1: every epoch is measured, none skipped', async () => {
    // fit never yields when all callbacks are BaseCallbacks; each measurement
    // here is two native jobs (forward pass, spectrum), each needing a turn.
    const p = mlpProblem(16);
    const tracker = new RankTracker({ tf, model: p.model, probe: p.x, queue: { max: 1 } });
    expect(tracker.layers).toEqual(['h2']);
    // Training that keeps the thread busy, as a large model's batches do (no yield here).
    // 8 batches of 30 ms per epoch: a measurement (about 1 ms of native work) has 8 turns to finish in.
    const heavy = new tf.CustomCallback({
      onBatchEnd: async () => {
        const until = performance.now() + 30;
        while (performance.now() < until);
      },
    }, 'never');
    await p.model.fit(p.x, p.y, { epochs: 5, batchSize: N / 8, verbose: 0, callbacks: [tracker.callback(), heavy] });
    await tracker.close();
    expect(tracker.skipped).toBe(0);
    expect(tracker.records.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tracker.records.every((r) => r.forward === 'native' && r.skipped === 0)).toBe(true);
    p.dispose();
  }, 60_000);
});
