import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ERROR_CODES,
  EffrankError,
  type EffrankErrorCode,
  countEigenvaluesAbove,
  countEigenvaluesAboveAsync,
  eigh,
  eighAsync,
  eigvalsh,
  eigvalshBatched,
  eigvalshBatchedAsync,
  getLimits,
  getNumThreads,
  gram,
  gramAsync,
  isEffrankError,
  setLimits,
  setNumThreads,
  svd,
  svdAsync,
  svdvals,
  svdvalsBatched,
  svdvalsBatchedAsync,
} from '../src/index.js';
import { expectCode, expectRejectCode } from './helpers/expect.js';
import { Rng } from './helpers/rng.js';
import {
  type Dense,
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

// ERR_NO_CONVERGENCE is raised only when both ?gesdd and ?gesvd (or ?syevd and
// ?syev) report non-convergence. On finite input a healthy LAPACK always
// converges, so no real input can trigger it and it is deliberately not faked
// here. ERR_INTERNAL likewise has no real trigger (it wraps unexpected errors).

const rng = new Rng(2024);
const S = sortedDescending([3, 2, 1.5, 1]);
const RECT = withSingularValues(6, 4, S, rng); // 6×4
const LAMBDA = sortedAscending([-2, -0.5, 1, 4]);
const SYM = withEigenvalues(LAMBDA, rng); // 4×4

type Entry = { name: string; call: (a: unknown) => unknown };

/** Every sync entry point that takes a (possibly square) matrix as its first argument. */
const MATRIX_ENTRIES: Entry[] = [
  { name: 'svd', call: (a) => svd(a as never) },
  { name: 'svd full', call: (a) => svd(a as never, { vectors: 'full' }) },
  { name: 'svdvals', call: (a) => svdvals(a as never) },
  { name: 'gram', call: (a) => gram(a as never) },
  { name: 'gram rows', call: (a) => gram(a as never, { side: 'rows' }) },
];
const SQUARE_ENTRIES: Entry[] = [
  { name: 'eigh', call: (a) => eigh(a as never) },
  { name: 'eigvalsh', call: (a) => eigvalsh(a as never) },
  { name: 'eigh check', call: (a) => eigh(a as never, { check: true }) },
  { name: 'countEigenvaluesAbove', call: (a) => countEigenvaluesAbove(a as never, 0) },
];
const ALL_ENTRIES = [...MATRIX_ENTRIES, ...SQUARE_ENTRIES];

describe('EffrankError', () => {
  it('is an Error subclass with a stable code from ERROR_CODES', () => {
    const err = expectCode(() => svd([]), 'ERR_INVALID_SHAPE');
    expect(err).toBeInstanceOf(Error);
    expect(isEffrankError(err)).toBe(true);
    expect(isEffrankError(new Error('x'))).toBe(false);
    expect(ERROR_CODES).toContain(err.code);
    expect([...ERROR_CODES].sort()).toEqual(
      ['ERR_INVALID_ARGUMENT', 'ERR_INVALID_SHAPE', 'ERR_INTERNAL', 'ERR_IO', 'ERR_NON_FINITE', 'ERR_NO_CONVERGENCE', 'ERR_OUT_OF_MEMORY', 'ERR_THREAD_LIMIT', 'ERR_LOG_IN_USE'].sort(),
    );
  });
});

describe('ERR_INVALID_SHAPE', () => {
  it('data length does not match rows×cols', () => {
    for (const e of ALL_ENTRIES) {
      expectCode(() => e.call({ data: new Float64Array(5), rows: 2, cols: 2 }), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call({ data: new Float32Array(16), rows: 3, cols: 3 }), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call({ data: new Float64Array(0), rows: 1, cols: 1 }), 'ERR_INVALID_SHAPE');
    }
    expectCode(() => svd({ data: new Float64Array(25), rows: 6, cols: 4 }), 'ERR_INVALID_SHAPE');
  });

  it('zero, negative, non-integer, NaN, infinite or non-number dimensions', () => {
    const bad: unknown[] = [0, -1, -4, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '2', null, undefined, 2n];
    for (const e of ALL_ENTRIES) {
      for (const d of bad) {
        expectCode(() => e.call({ data: new Float64Array(4), rows: d, cols: 2 }), 'ERR_INVALID_SHAPE');
        expectCode(() => e.call({ data: new Float64Array(4), rows: 2, cols: d }), 'ERR_INVALID_SHAPE');
      }
    }
  });

  it('rows×cols beyond LAPACK’s 32-bit range', () => {
    for (const e of ALL_ENTRIES) {
      expectCode(() => e.call({ data: new Float64Array(16), rows: 2 ** 40, cols: 2 ** 40 }), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call({ data: new Float64Array(16), rows: 2 ** 20, cols: 2 ** 20 }), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call({ data: new Float64Array(16), rows: 2 ** 31, cols: 2 ** 31 }), 'ERR_INVALID_SHAPE');
    }
  });

  it('non-square input to eigh, eigvalsh and countEigenvaluesAbove', () => {
    for (const e of SQUARE_ENTRIES) {
      expectCode(() => e.call(RECT), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call([[1, 2, 3]]), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call(toFloat32(RECT)), 'ERR_INVALID_SHAPE');
    }
  });

  it('ragged, empty [] and [[]] nested arrays', () => {
    for (const e of ALL_ENTRIES) {
      expectCode(() => e.call([[1, 2], [3]]), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call([[1], [2, 3]]), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call([]), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call([[]]), 'ERR_INVALID_SHAPE');
      expectCode(() => e.call([[], []]), 'ERR_INVALID_SHAPE');
    }
  });

  it('batched: bad count, dims or data length', () => {
    const d = new Float64Array(24);
    for (const count of [0, -1, 1.5, Number.NaN, '3']) {
      expectCode(() => svdvalsBatched({ data: d, count: count as never, rows: 2, cols: 4 }), 'ERR_INVALID_SHAPE');
      expectCode(() => eigvalshBatched({ data: d, count: count as never, n: 2 }), 'ERR_INVALID_SHAPE');
    }
    expectCode(() => svdvalsBatched({ data: d, count: 3, rows: 2, cols: 3 }), 'ERR_INVALID_SHAPE');
    expectCode(() => svdvalsBatched({ data: d, count: 3, rows: 0, cols: 8 }), 'ERR_INVALID_SHAPE');
    expectCode(() => eigvalshBatched({ data: d, count: 4, n: 2 }), 'ERR_INVALID_SHAPE');
    expectCode(() => eigvalshBatched({ data: d, count: 6, n: -2 }), 'ERR_INVALID_SHAPE');
    expectCode(() => svdvalsBatched({ data: d, count: 2 ** 30, rows: 2 ** 30, cols: 2 ** 30 }), 'ERR_INVALID_SHAPE');
    expectCode(() => eigvalshBatched({ data: d, count: 1, n: 2 ** 16 }), 'ERR_INVALID_SHAPE');
  });
});

describe('ERR_INVALID_ARGUMENT', () => {
  it('data that is not a Float32Array/Float64Array, and inputs that are not matrices', () => {
    const bad: unknown[] = [
      { data: new Int32Array(4), rows: 2, cols: 2 },
      { data: new Uint8Array(4), rows: 2, cols: 2 },
      { data: new BigInt64Array(4), rows: 2, cols: 2 },
      { data: [1, 2, 3, 4], rows: 2, cols: 2 }, // plain array as data
      { data: new ArrayBuffer(32), rows: 2, cols: 2 },
      { data: new DataView(new ArrayBuffer(32)), rows: 2, cols: 2 },
      { rows: 2, cols: 2 }, // no data
      {},
      null,
      undefined,
      5,
      'matrix',
      true,
      Symbol('m'),
      () => 1,
      [1, 2, 3], // a flat array is not number[][]
      [[1, 2], 3],
      [[1, 'x']],
      [[1, null]],
      [[1, undefined]],
      [[1n, 2n]],
      [new Int32Array(2), new Int32Array(2)],
    ];
    for (const e of ALL_ENTRIES) {
      for (const x of bad) expectCode(() => e.call(x), 'ERR_INVALID_ARGUMENT');
    }
    for (const x of [null, 3, {}, { data: new Int32Array(4), count: 1, n: 2 }, { data: [1, 2, 3, 4], count: 1, n: 2 }]) {
      expectCode(() => eigvalshBatched(x as never), 'ERR_INVALID_ARGUMENT');
      expectCode(() => svdvalsBatched({ rows: 2, cols: 2, count: 1, ...(x as object) } as never), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('a bad vectors option for svd', () => {
    for (const v of ['both', 'Thin', '', true, 1, 0, 'toString', {}]) {
      expectCode(() => svd(RECT, { vectors: v as never }), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('gram: weights of the wrong length, negative, NaN, infinite or not numbers; bad side or accumulate', () => {
    const bad: unknown[] = [
      [1, 2, 3], // 6 rows → 6 weights for side 'cols'
      new Float64Array(7),
      [1, 1, 1, -1, 1, 1],
      [1, 1, Number.NaN, 1, 1, 1],
      [1, 1, 1, 1, 1, Number.POSITIVE_INFINITY],
      Float32Array.of(1, 1, 1, 1, 1, -0.5),
      [1, 1, 1, '1', 1, 1],
      'weights',
      5,
      new Int32Array(6),
      {},
    ];
    for (const w of bad) {
      expectCode(() => gram(RECT, { weights: w as never }), 'ERR_INVALID_ARGUMENT');
      expectCode(() => gram(toFloat32(RECT), { weights: w as never, accumulate: 'float64' }), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => gram(RECT, { side: 'rows', weights: new Float64Array(6) }), 'ERR_INVALID_ARGUMENT'); // needs 4
    expectCode(() => gram(RECT, { side: 'both' as never }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => gram(RECT, { accumulate: 'float16' as never }), 'ERR_INVALID_ARGUMENT');
  });

  it('non-finite or non-number threshold and scale', () => {
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', null, undefined, {}]) {
      expectCode(() => countEigenvaluesAbove(SYM, x as never), 'ERR_INVALID_ARGUMENT');
      if (x !== undefined) expectCode(() => gram(RECT, { scale: x as never }), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('a detached buffer passed to a sync call', () => {
    const data = SYM.data.slice();
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expect(data.length).toBe(0);
    for (const e of ALL_ENTRIES) expectCode(() => e.call({ data, rows: 4, cols: 4 }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => eigvalshBatched({ data, count: 1, n: 4 }), 'ERR_INVALID_ARGUMENT');
  });

  it('setNumThreads and setLimits reject bad values and leave the settings unchanged', () => {
    const threads = getNumThreads();
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null]) {
      expectCode(() => setNumThreads(n as never), 'ERR_INVALID_ARGUMENT');
    }
    expect(getNumThreads()).toBe(threads);
    const limits = getLimits();
    for (const m of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expectCode(() => setLimits({ maxElements: m as never }), 'ERR_INVALID_ARGUMENT');
    }
    expect(getLimits()).toEqual(limits);
  });
});

describe('ERR_NON_FINITE', () => {
  const POISON = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

  function poisoned(a: Dense, index: number, value: number): Dense {
    const d = a.data.slice();
    d[index] = value;
    return { data: d, rows: a.rows, cols: a.cols };
  }

  it('NaN, +Inf and -Inf in float64, float32 and nested input, for every entry point', () => {
    for (const value of POISON) {
      for (const [entries, base] of [
        [MATRIX_ENTRIES, RECT],
        [SQUARE_ENTRIES, SYM],
      ] as const) {
        // First, last, and a lower-triangle entry (row 3, col 1).
        for (const index of [0, base.data.length - 1, 3 * base.cols + 1]) {
          const p = poisoned(base, index, value);
          for (const e of entries) {
            expectCode(() => e.call(p), 'ERR_NON_FINITE');
            expectCode(() => e.call(toFloat32(p)), 'ERR_NON_FINITE');
            expectCode(() => e.call(toNested(p)), 'ERR_NON_FINITE');
          }
        }
      }
      // gram with float64 accumulation of float32 data, and with weights.
      expectCode(() => gram(toFloat32(poisoned(RECT, 5, value)), { accumulate: 'float64' }), 'ERR_NON_FINITE');
      expectCode(() => gram(poisoned(RECT, 5, value), { weights: new Float64Array(6).fill(1) }), 'ERR_NON_FINITE');
      // eigh rejects non-finite values anywhere, the upper triangle included.
      expectCode(() => eigh(poisoned(SYM, 1, value)), 'ERR_NON_FINITE');
      expectCode(() => eigvalsh(toFloat32(poisoned(SYM, 2, value))), 'ERR_NON_FINITE');
      // Batched: a bad value in the last matrix of the batch.
      const batch = new Float64Array(3 * 16);
      for (let b = 0; b < 3; b++) batch.set(SYM.data, b * 16);
      batch[2 * 16 + 9] = value;
      expectCode(() => svdvalsBatched({ data: batch, count: 3, rows: 4, cols: 4 }), 'ERR_NON_FINITE');
      expectCode(() => eigvalshBatched({ data: batch, count: 3, n: 4 }), 'ERR_NON_FINITE');
      expectCode(() => svdvalsBatched({ data: Float32Array.from(batch), count: 3, rows: 4, cols: 4 }), 'ERR_NON_FINITE');
      expectCode(() => eigvalshBatched({ data: Float32Array.from(batch), count: 3, n: 4 }), 'ERR_NON_FINITE');
    }
  });

  it('large but finite values are not mistaken for non-finite ones', () => {
    const big = poisoned(RECT, 0, 1e300);
    const s = svdvals(big);
    // ‖A‖₂ ≥ |a₀₀| = 1e300, and ‖A‖₂ ≤ ‖A‖_F ≈ 1e300 since the other entries are O(1).
    expect(Number.isFinite(s[0]!)).toBe(true);
    expect(Math.abs(s[0]! - 1e300) / 1e300).toBeLessThanOrEqual(1e-14);
    expect(eigvalsh(poisoned(SYM, 0, -1e300))[0]!).toBeCloseTo(-1e300, -286);
  });
});

describe('ERR_OUT_OF_MEMORY', () => {
  it('a 200×200 SVD under setLimits({ maxElements: 1000 }), sync and async; small jobs still run', async () => {
    const big: Dense = { data: new Rng(3).normals(200 * 200), rows: 200, cols: 200 };
    try {
      setLimits({ maxElements: 1000 });
      expect(getLimits().maxElements).toBe(1000);
      expectCode(() => svd(big), 'ERR_OUT_OF_MEMORY');
      expectCode(() => svdvals(big), 'ERR_OUT_OF_MEMORY');
      expectCode(() => eigvalsh(big), 'ERR_OUT_OF_MEMORY');
      expectCode(() => gram(big), 'ERR_OUT_OF_MEMORY');
      expectCode(() => countEigenvaluesAbove(big, 0), 'ERR_OUT_OF_MEMORY');
      expectCode(() => svdvalsBatched({ data: big.data, count: 1, rows: 200, cols: 200 }), 'ERR_OUT_OF_MEMORY');
      await expectRejectCode(() => svdAsync(big), 'ERR_OUT_OF_MEMORY');
      const small = svdvals([
        [3, 0],
        [0, 4],
      ]);
      expect(Array.from(small)).toEqual([4, 3]);
    } finally {
      setLimits({ maxElements: 0 });
    }
    expect(getLimits().maxElements).toBe(0);
    const s = svdvals(big);
    expect(s.length).toBe(200);
  });
});

describe('unusual but valid backing stores', () => {
  /** A Float64Array view at byte offset 16 into a larger buffer whose other slots hold NaN. */
  function offsetView64(src: ArrayLike<number>): Float64Array {
    const buf = new ArrayBuffer(16 + src.length * 8 + 24);
    new Float64Array(buf).fill(Number.NaN);
    const view = new Float64Array(buf, 16, src.length);
    view.set(src);
    return view;
  }
  function offsetView32(src: ArrayLike<number>): Float32Array {
    const buf = new ArrayBuffer(12 + src.length * 4 + 20);
    new Float32Array(buf).fill(Number.NaN);
    const view = new Float32Array(buf, 12, src.length);
    view.set(src);
    return view;
  }

  it('typed-array views with a byteOffset into a larger buffer (NaN around them) are read correctly', async () => {
    const rect = { data: offsetView64(RECT.data), rows: 6, cols: 4 };
    const sym = { data: offsetView64(SYM.data), rows: 4, cols: 4 };
    expect(rect.data.byteOffset).toBe(16);
    const r = svd(rect);
    for (let i = 0; i < 4; i++) expect(Math.abs(r.s[i]! - S[i]!)).toBeLessThanOrEqual(1e-12 * S[i]!);
    expect(reconstructionError(RECT, r.u!, r.s, r.vt!)).toBeLessThanOrEqual(1e-12);
    const ev = eigvalsh(sym);
    for (let i = 0; i < 4; i++) expect(Math.abs(ev[i]! - LAMBDA[i]!)).toBeLessThanOrEqual(1e-12 * 4);
    const g = gram(rect, { side: 'rows' });
    const ref = gramRef(RECT, { side: 'rows' }).data;
    for (let i = 0; i < ref.length; i++) expect(Math.abs(g.data[i]! - ref[i]!)).toBeLessThanOrEqual(1e-12 * maxAbs(ref));
    expect(countEigenvaluesAbove(sym, 0)).toBe(2);
    const sb = svdvalsBatched({ data: rect.data, count: 2, rows: 3, cols: 4 });
    expect(sb.data.length).toBe(6);
    expect(Array.from(sb.data).every(Number.isFinite)).toBe(true);
    const eb = eigvalshBatched({ data: sym.data, count: 1, n: 4 }).data;
    for (let i = 0; i < 4; i++) expect(Math.abs(eb[i]! - LAMBDA[i]!)).toBeLessThanOrEqual(1e-12 * 4);
    const ra = await svdAsync(rect);
    expect(Array.from(ra.s)).toEqual(Array.from(r.s));
    expect(Array.from((await eighAsync(sym)).values)).toEqual(Array.from(eigh(sym).values));

    // float32 at offset 12, and a subarray of a larger array.
    const rect32 = { data: offsetView32(RECT.data), rows: 6, cols: 4 };
    const s32 = svdvals(rect32);
    for (let i = 0; i < 4; i++) expect(Math.abs(s32[i]! - S[i]!)).toBeLessThanOrEqual(1e-5 * S[0]!);
    const big = new Float64Array(100).fill(Number.POSITIVE_INFINITY);
    big.set(SYM.data, 37);
    const sub = big.subarray(37, 37 + 16);
    const evSub = eigvalsh({ data: sub, rows: 4, cols: 4 });
    for (let i = 0; i < 4; i++) expect(Math.abs(evSub[i]! - LAMBDA[i]!)).toBeLessThanOrEqual(1e-12 * 4);
    expect(await countEigenvaluesAboveAsync({ data: sub, rows: 4, cols: 4 }, -1)).toBe(3);
  });

  it('SharedArrayBuffer-backed input computes correct values, sync and async', async () => {
    const shared = new Float64Array(new SharedArrayBuffer(RECT.data.length * 8));
    shared.set(RECT.data);
    const rect = { data: shared, rows: 6, cols: 4 };
    const symShared = new Float64Array(new SharedArrayBuffer(16 * 8));
    symShared.set(SYM.data);
    const sym = { data: symShared, rows: 4, cols: 4 };

    const r = svd(rect, { vectors: 'full' });
    for (let i = 0; i < 4; i++) expect(Math.abs(r.s[i]! - S[i]!)).toBeLessThanOrEqual(1e-12 * S[i]!);
    expect(reconstructionError(RECT, r.u!, r.s, r.vt!)).toBeLessThanOrEqual(1e-12);
    const e = eigh(sym);
    for (let i = 0; i < 4; i++) expect(Math.abs(e.values[i]! - LAMBDA[i]!)).toBeLessThanOrEqual(1e-12 * 4);
    const g = gram(rect, { weights: [1, 2, 3, 4, 5, 6] });
    const ref = gramRef(RECT, { weights: [1, 2, 3, 4, 5, 6] }).data;
    for (let i = 0; i < ref.length; i++) expect(Math.abs(g.data[i]! - ref[i]!)).toBeLessThanOrEqual(1e-12 * maxAbs(ref));
    expect(countEigenvaluesAbove(sym, 2)).toBe(1);
    const ra = await svdAsync(rect);
    for (let i = 0; i < 4; i++) expect(Math.abs(ra.s[i]! - S[i]!)).toBeLessThanOrEqual(1e-12 * S[i]!);
    const ga = await gramAsync(rect);
    const ref2 = gramRef(RECT).data;
    for (let i = 0; i < ref2.length; i++) expect(Math.abs(ga.data[i]! - ref2[i]!)).toBeLessThanOrEqual(1e-12 * maxAbs(ref2));
    const b = await svdvalsBatchedAsync({ data: shared, count: 1, rows: 6, cols: 4 });
    for (let i = 0; i < 4; i++) expect(Math.abs(b.data[i]! - S[i]!)).toBeLessThanOrEqual(1e-12 * S[i]!);
    const f32 = new Float32Array(new SharedArrayBuffer(16 * 4));
    f32.set(SYM.data);
    const e32 = (await eigvalshBatchedAsync({ data: f32, count: 1, n: 4 })).data;
    expect(e32).toBeInstanceOf(Float32Array);
    for (let i = 0; i < 4; i++) expect(Math.abs(e32[i]! - LAMBDA[i]!)).toBeLessThanOrEqual(1e-5 * 4);
  });
});

describe('junk input (fast-check)', () => {
  const DOCUMENTED: EffrankErrorCode[] = ['ERR_INVALID_SHAPE', 'ERR_INVALID_ARGUMENT', 'ERR_NON_FINITE'];
  const junk = fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    withNullPrototype: true,
    withDate: true,
    withBigInt: true,
    maxDepth: 3,
  });
  const dim = fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double(), junk);
  const dataLike = fc.oneof(
    fc.float64Array({ maxLength: 30 }),
    fc.float32Array({ maxLength: 30 }),
    fc.int32Array({ maxLength: 30 }),
    fc.array(fc.double(), { maxLength: 30 }),
    junk,
  );
  // Structured junk gets past the first checks more often than fc.anything() alone.
  const matrixish = fc.oneof(
    junk,
    fc.record({ data: dataLike, rows: dim, cols: dim }),
    fc.array(fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), junk), { maxLength: 4 }), { maxLength: 4 }),
  );
  const batchish = fc.oneof(junk, fc.record({ data: dataLike, count: dim, rows: dim, cols: dim, n: dim }));

  function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: f() };
    } catch (e) {
      expect(e, `not an EffrankError: ${String(e)}`).toBeInstanceOf(EffrankError);
      expect(DOCUMENTED).toContain((e as EffrankError).code);
      return { ok: false };
    }
  }

  it('every sync entry point returns a valid result or throws an EffrankError with a documented code', () => {
    fc.assert(
      fc.property(matrixish, fc.oneof(fc.double(), junk), (a, t) => {
        const r = outcome(() => svd(a as never));
        if (r.ok) {
          const { s, u, vt } = r.value as ReturnType<typeof svd>;
          for (let i = 0; i < s.length; i++) {
            expect(s[i]!).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
          }
          expect(u!.cols).toBe(s.length);
          expect(vt!.rows).toBe(s.length);
        }
        outcome(() => svdvals(a as never));
        const e = outcome(() => eigvalsh(a as never));
        if (e.ok) {
          const v = e.value as Float64Array;
          for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
        }
        outcome(() => eigh(a as never));
        const g = outcome(() => gram(a as never));
        if (g.ok) {
          const m = g.value as ReturnType<typeof gram>;
          expect(m.data.length).toBe(m.rows * m.cols);
        }
        const c = outcome(() => countEigenvaluesAbove(a as never, t as never));
        if (c.ok) expect(Number.isInteger(c.value)).toBe(true);
      }),
      { numRuns: 400, seed: 555 },
    );
  });

  it('the batched entry points too', () => {
    fc.assert(
      fc.property(batchish, (b) => {
        const r = outcome(() => svdvalsBatched(b as never));
        if (r.ok) expect((r.value as { data: ArrayLike<number> }).data.length).toBeGreaterThan(0);
        const e = outcome(() => eigvalshBatched(b as never));
        if (e.ok) expect((e.value as { data: ArrayLike<number> }).data.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 556 },
    );
  });

  it('async entry points reject (never throw synchronously) with a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(matrixish, async (a) => {
        for (const start of [
          () => svdAsync(a as never),
          () => eighAsync(a as never),
          () => gramAsync(a as never),
          () => countEigenvaluesAboveAsync(a as never, 0),
          () => svdvalsBatchedAsync(a as never),
          () => eigvalshBatchedAsync(a as never),
        ]) {
          let p: Promise<unknown> | undefined;
          expect(() => {
            p = start();
          }).not.toThrow();
          try {
            await p;
          } catch (err) {
            expect(err).toBeInstanceOf(EffrankError);
            expect(DOCUMENTED).toContain((err as EffrankError).code);
          }
        }
      }),
      { numRuns: 150, seed: 557 },
    );
  });
});
