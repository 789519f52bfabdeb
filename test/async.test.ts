import { describe, expect, it } from 'vitest';
import {
  backendInfo,
  countEigenvaluesAbove,
  countEigenvaluesAboveAsync,
  eigh,
  eighAsync,
  eigvalsh,
  eigvalshAsync,
  eigvalshBatched,
  eigvalshBatchedAsync,
  gram,
  gramAsync,
  svd,
  svdAsync,
  svdvals,
  svdvalsAsync,
  svdvalsBatched,
  svdvalsBatchedAsync,
} from '../src/index.js';
import { expectRejectCode } from './helpers/expect.js';
import { Rng } from './helpers/rng.js';
import {
  type Dense,
  bytesOf,
  gramRef,
  maxAbs,
  reconstructionError,
  sortedAscending,
  sortedDescending,
  toFloat32,
  toNested,
  withEigenvalues,
  withSingularValues,
} from './helpers/linalg.js';

function expectClose(actual: ArrayLike<number>, truth: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(truth.length);
  const scale = Math.max(maxAbs(truth), 1e-300);
  for (let i = 0; i < truth.length; i++) expect(Math.abs(actual[i]! - truth[i]!), `entry ${i}`).toBeLessThanOrEqual(tol * scale);
}

interface Fixture {
  rect: Dense; // 12×8, singular values s
  s: number[];
  sym: Dense; // 9×9, eigenvalues lambda
  lambda: number[];
  weights: Float64Array; // 12 row weights for rect
}

function fixture(seed: number): Fixture {
  const rng = new Rng(seed);
  const s = sortedDescending(Array.from({ length: 8 }, () => rng.range(0.5, 4)));
  const lambda = sortedAscending(Array.from({ length: 9 }, () => rng.range(-3, 3)));
  return {
    rect: withSingularValues(12, 8, s, rng),
    s,
    sym: withEigenvalues(lambda, rng),
    lambda,
    weights: Float64Array.from({ length: 12 }, () => rng.range(0.1, 1)),
  };
}

/** A threshold in the widest gap of the spectrum and the count above it. */
function gapThreshold(lambda: number[]): { t: number; count: number } {
  let best = 1;
  for (let i = 2; i < lambda.length; i++) if (lambda[i]! - lambda[i - 1]! > lambda[best]! - lambda[best - 1]!) best = i;
  return { t: (lambda[best]! + lambda[best - 1]!) / 2, count: lambda.length - best };
}

describe('every async twin equals its sync function', () => {
  const f = fixture(1);

  it('svdAsync (none, thin, full) and svdvalsAsync, float64 and float32', async () => {
    for (const input of [f.rect, toFloat32(f.rect)]) {
      const tol = input.data instanceof Float32Array ? 1e-5 : 1e-12;
      for (const vectors of ['none', 'thin', 'full'] as const) {
        const a = await svdAsync(input, { vectors });
        const b = svd(input, { vectors });
        expect(a.s).toBeInstanceOf(input.data.constructor as typeof Float64Array);
        expect(bytesOf(a.s)).toEqual(bytesOf(b.s));
        expectClose(a.s, f.s, tol);
        if (vectors === 'none') {
          expect(a.u).toBeUndefined();
        } else {
          expect([a.u!.rows, a.u!.cols, a.vt!.rows, a.vt!.cols]).toEqual([b.u!.rows, b.u!.cols, b.vt!.rows, b.vt!.cols]);
          expect(bytesOf(a.u!.data)).toEqual(bytesOf(b.u!.data));
          expect(bytesOf(a.vt!.data)).toEqual(bytesOf(b.vt!.data));
          expect(reconstructionError(input, a.u!, a.s, a.vt!)).toBeLessThanOrEqual(tol);
        }
      }
      const v = await svdvalsAsync(input);
      expect(bytesOf(v)).toEqual(bytesOf(svdvals(input)));
      expectClose(v, f.s, tol);
    }
    const nested = await svdvalsAsync(toNested(f.rect));
    expect(nested).toBeInstanceOf(Float64Array);
    expectClose(nested, f.s, 1e-12);
  });

  it('eighAsync and eigvalshAsync, float64 and float32', async () => {
    for (const input of [f.sym, toFloat32(f.sym)]) {
      const tol = input.data instanceof Float32Array ? 1e-5 : 1e-12;
      const a = await eighAsync(input);
      const b = eigh(input);
      expect(bytesOf(a.values)).toEqual(bytesOf(b.values));
      expect(bytesOf(a.vectors!.data)).toEqual(bytesOf(b.vectors!.data));
      expectClose(a.values, f.lambda, tol);
      const v = await eigvalshAsync(input);
      expect(bytesOf(v)).toEqual(bytesOf(eigvalsh(input)));
      expectClose(v, f.lambda, tol);
      expect((await eighAsync(input, { vectors: false })).vectors).toBeUndefined();
    }
  });

  it('gramAsync, all options', async () => {
    for (const opts of [
      {},
      { side: 'rows' as const, scale: 0.5 },
      { weights: f.weights, scale: 3 },
      { weights: f.weights, accumulate: 'float64' as const },
    ]) {
      for (const input of [f.rect, toFloat32(f.rect)]) {
        const a = await gramAsync(input, opts);
        const b = gram(input, opts);
        expect(a.data.constructor).toBe(b.data.constructor);
        expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
        expect(bytesOf(a.data)).toEqual(bytesOf(b.data));
        expectClose(a.data, gramRef(input, opts).data, input.data instanceof Float32Array && !('accumulate' in opts) ? 1e-5 : 1e-12);
      }
    }
  });

  it('countEigenvaluesAboveAsync', async () => {
    for (const input of [f.sym, toFloat32(f.sym)]) {
      for (const t of [-10, ...f.lambda.slice(1).map((x, i) => (x + f.lambda[i]!) / 2), 10]) {
        const expected = f.lambda.filter((x) => x > t).length;
        const c = await countEigenvaluesAboveAsync(input, t);
        expect(c).toBe(countEigenvaluesAbove(input, t));
        if (input.data instanceof Float64Array || Math.min(...f.lambda.map((x) => Math.abs(x - t))) > 1e-3) expect(c).toBe(expected);
      }
    }
  });

  it('svdvalsBatchedAsync and eigvalshBatchedAsync', async () => {
    const g = fixture(2);
    const rects = new Float64Array([...f.rect.data, ...g.rect.data]);
    const syms = new Float64Array([...f.sym.data, ...g.sym.data]);
    for (const [r, s] of [
      [rects, syms],
      [Float32Array.from(rects), Float32Array.from(syms)],
    ] as const) {
      const tol = r instanceof Float32Array ? 1e-5 : 1e-12;
      const a = await svdvalsBatchedAsync({ data: r, count: 2, rows: 12, cols: 8 });
      const b = svdvalsBatched({ data: r, count: 2, rows: 12, cols: 8 });
      expect([a.count, a.k]).toEqual([2, 8]);
      expect(bytesOf(a.data)).toEqual(bytesOf(b.data));
      expectClose(a.data.subarray(0, 8), f.s, tol);
      expectClose(a.data.subarray(8), g.s, tol);
      const e = await eigvalshBatchedAsync({ data: s, count: 2, n: 9 });
      expect(bytesOf(e.data)).toEqual(bytesOf(eigvalshBatched({ data: s, count: 2, n: 9 }).data));
      expectClose(e.data.subarray(0, 9), f.lambda, tol);
      expectClose(e.data.subarray(9), g.lambda, tol);
    }
  });
});

describe('concurrency and copy semantics', () => {
  it('100 concurrent async calls of mixed functions all resolve to the right values', async () => {
    const fixtures = [0, 1, 2, 3, 4].map((i) => fixture(100 + i));
    const kinds = 8;
    const started: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const f = fixtures[i % fixtures.length]!;
      const { t, count } = gapThreshold(f.lambda);
      switch (i % kinds) {
        case 0:
          started.push(svdAsync(f.rect).then((r) => {
            expectClose(r.s, f.s, 1e-12);
            expect(reconstructionError(f.rect, r.u!, r.s, r.vt!)).toBeLessThanOrEqual(1e-12);
          }));
          break;
        case 1:
          started.push(svdvalsAsync(f.rect).then((s) => expectClose(s, f.s, 1e-12)));
          break;
        case 2:
          started.push(eighAsync(f.sym).then((r) => expectClose(r.values, f.lambda, 1e-12)));
          break;
        case 3:
          started.push(eigvalshAsync(toFloat32(f.sym)).then((v) => expectClose(v, f.lambda, 1e-5)));
          break;
        case 4:
          started.push(gramAsync(f.rect, { weights: f.weights }).then((g) => expectClose(g.data, gramRef(f.rect, { weights: f.weights }).data, 1e-12)));
          break;
        case 5:
          started.push(countEigenvaluesAboveAsync(f.sym, t).then((c) => expect(c).toBe(count)));
          break;
        case 6:
          started.push(
            svdvalsBatchedAsync({ data: f.rect.data, count: 1, rows: 12, cols: 8 }).then((r) => expectClose(r.data, f.s, 1e-12)),
          );
          break;
        default:
          started.push(eigvalshBatchedAsync({ data: f.sym.data, count: 1, n: 9 }).then((r) => expectClose(r.data, f.lambda, 1e-12)));
      }
    }
    expect(started.length).toBe(100);
    const settled = await Promise.allSettled(started);
    const failures = settled.filter((x) => x.status === 'rejected');
    expect(failures).toEqual([]);
    expect(backendInfo().queuedJobs).toBe(0);
  });

  it('mutating the input right after starting an async call does not change its result', async () => {
    const f = fixture(7);
    const { t, count } = gapThreshold(f.lambda);
    const mutate = (d: Float64Array): void => {
      for (let i = 0; i < d.length; i++) d[i] = 1000 * Math.sin(i); // finite, very different
    };
    const copy = (d: Dense): Dense => ({ data: d.data.slice(), rows: d.rows, cols: d.cols });

    const a1 = copy(f.rect);
    const p1 = svdAsync(a1, { vectors: 'full' });
    mutate(a1.data);
    const r1 = await p1;
    expectClose(r1.s, f.s, 1e-12);
    expect(reconstructionError(f.rect, r1.u!, r1.s, r1.vt!)).toBeLessThanOrEqual(1e-12);
    expect(bytesOf(r1.u!.data)).toEqual(bytesOf(svd(f.rect, { vectors: 'full' }).u!.data));

    const a2 = copy(f.sym);
    const p2 = eighAsync(a2);
    mutate(a2.data);
    expectClose((await p2).values, f.lambda, 1e-12);

    const a3 = copy(f.rect);
    const w = f.weights.slice();
    const p3 = gramAsync(a3, { weights: w, side: 'cols' });
    mutate(a3.data);
    w.fill(7); // weights are copied at the call too
    expectClose((await p3).data, gramRef(f.rect, { weights: f.weights }).data, 1e-12);

    const a4 = copy(f.sym);
    const p4 = countEigenvaluesAboveAsync(a4, t);
    mutate(a4.data);
    expect(await p4).toBe(count);

    const b5 = f.rect.data.slice();
    const p5 = svdvalsBatchedAsync({ data: b5, count: 1, rows: 12, cols: 8 });
    b5.fill(Number.NaN); // would be ERR_NON_FINITE if it were read later
    expectClose((await p5).data, f.s, 1e-12);

    const b6 = f.sym.data.slice();
    const p6 = eigvalshBatchedAsync({ data: b6, count: 1, n: 9 });
    b6.fill(Number.POSITIVE_INFINITY);
    expectClose((await p6).data, f.lambda, 1e-12);

    const a7 = toFloat32(f.rect);
    const p7 = svdvalsAsync(a7);
    a7.data.fill(0);
    expectClose(await p7, f.s, 1e-5);
  });

  it('detaching the input buffer right after an async call: no crash, correct result', async () => {
    const f = fixture(8);

    const a1 = { data: f.rect.data.slice(), rows: 12, cols: 8 };
    const p1 = svdAsync(a1);
    const moved = structuredClone(a1.data.buffer, { transfer: [a1.data.buffer] });
    expect(a1.data.length).toBe(0); // really detached
    expect(moved.byteLength).toBe(12 * 8 * 8);
    const r1 = await p1;
    expectClose(r1.s, f.s, 1e-12);
    expect(reconstructionError(f.rect, r1.u!, r1.s, r1.vt!)).toBeLessThanOrEqual(1e-12);

    const a2 = { data: f.sym.data.slice(), rows: 9, cols: 9 };
    const p2 = eigvalshAsync(a2);
    const channel = new MessageChannel();
    try {
      channel.port1.postMessage(a2.data, [a2.data.buffer]);
      expect(a2.data.length).toBe(0);
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
    expectClose(await p2, f.lambda, 1e-12);

    const a3 = toFloat32(f.rect);
    const w = f.weights.slice();
    const p3 = gramAsync(a3, { weights: w, accumulate: 'float64' });
    structuredClone(a3.data.buffer, { transfer: [a3.data.buffer as ArrayBuffer] });
    structuredClone(w.buffer, { transfer: [w.buffer] });
    expect([a3.data.length, w.length]).toEqual([0, 0]);
    expectClose((await p3).data, gramRef(toFloat32(f.rect), { weights: f.weights }).data, 1e-12);

    const b4 = f.sym.data.slice();
    const p4 = eigvalshBatchedAsync({ data: b4, count: 1, n: 9 });
    structuredClone(b4.buffer, { transfer: [b4.buffer] });
    expectClose((await p4).data, f.lambda, 1e-12);
  });
});

describe('async bad input rejects instead of throwing', () => {
  const good = fixture(9);
  const nan: Dense = { data: good.rect.data.slice(), rows: 12, cols: 8 };
  nan.data[17] = Number.NaN;
  const nanSym: Dense = { data: good.sym.data.slice(), rows: 9, cols: 9 };
  nanSym.data[80] = Number.NEGATIVE_INFINITY;

  it('validation errors (shape, argument) reject with EffrankError', async () => {
    await expectRejectCode(() => svdAsync({ data: new Float64Array(5), rows: 2, cols: 3 }), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => svdAsync(good.rect, { vectors: 'some' as never }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => svdvalsAsync(null as never), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => eighAsync(good.rect), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => eigvalshAsync([[1, 2], [3]]), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => eighAsync([[1, 2], [3, 4]], { check: true }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => gramAsync(good.rect, { weights: [1, 2] }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => gramAsync(good.rect, { scale: Number.NaN }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => countEigenvaluesAboveAsync(good.sym, Number.POSITIVE_INFINITY), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => countEigenvaluesAboveAsync({ data: new Int32Array(4) as never, rows: 2, cols: 2 }, 0), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => svdvalsBatchedAsync({ data: new Float64Array(7), count: 2, rows: 2, cols: 2 }), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => eigvalshBatchedAsync({ data: new Float64Array(8), count: 0, n: 2 }), 'ERR_INVALID_SHAPE');
  });

  it('non-finite input (found on the worker thread) rejects with ERR_NON_FINITE', async () => {
    await expectRejectCode(() => svdAsync(nan), 'ERR_NON_FINITE');
    await expectRejectCode(() => svdvalsAsync(toFloat32(nan)), 'ERR_NON_FINITE');
    await expectRejectCode(() => eighAsync(nanSym), 'ERR_NON_FINITE');
    await expectRejectCode(() => eigvalshAsync(toNested(nanSym)), 'ERR_NON_FINITE');
    await expectRejectCode(() => gramAsync(nan, { side: 'rows' }), 'ERR_NON_FINITE');
    await expectRejectCode(() => countEigenvaluesAboveAsync(nanSym, 0), 'ERR_NON_FINITE');
    await expectRejectCode(() => svdvalsBatchedAsync({ data: nan.data, count: 2, rows: 6, cols: 8 }), 'ERR_NON_FINITE');
    await expectRejectCode(() => eigvalshBatchedAsync({ data: nanSym.data, count: 1, n: 9 }), 'ERR_NON_FINITE');
    // The queue keeps working after failures.
    expectClose(await svdvalsAsync(good.rect), good.s, 1e-12);
  });
});
