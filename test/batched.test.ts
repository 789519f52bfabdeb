import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eigvalsh, eigvalshBatched, svdvals, svdvalsBatched } from '../src/index.js';
import { Rng } from './helpers/rng.js';
import {
  type Dense,
  jacobiEigenvalues,
  jacobiSingularValues,
  maxAbs,
  sortedAscending,
  sortedDescending,
  withEigenvalues,
  withSingularValues,
} from './helpers/linalg.js';

interface SvdBatchFixture {
  data: Float64Array;
  truth: number[][];
  matrices: Dense[];
}

/** count m×n matrices with known singular values, stored back to back. */
function svdBatch(count: number, m: number, n: number, seed: number): SvdBatchFixture {
  const rng = new Rng(seed);
  const k = Math.min(m, n);
  const data = new Float64Array(count * m * n);
  const truth: number[][] = [];
  const matrices: Dense[] = [];
  for (let b = 0; b < count; b++) {
    // Each matrix its own scale, so a mix-up between matrices cannot pass.
    const s = sortedDescending(Array.from({ length: k }, () => (b + 1) * rng.range(0.5, 2)));
    const a = withSingularValues(m, n, s, rng);
    data.set(a.data, b * m * n);
    truth.push(s);
    matrices.push(a);
  }
  return { data, truth, matrices };
}

function symBatch(count: number, n: number, seed: number): SvdBatchFixture {
  const rng = new Rng(seed);
  const data = new Float64Array(count * n * n);
  const truth: number[][] = [];
  const matrices: Dense[] = [];
  for (let b = 0; b < count; b++) {
    const lambda = sortedAscending(Array.from({ length: n }, () => (b + 1) * rng.range(-2, 3)));
    const a = withEigenvalues(lambda, rng);
    data.set(a.data, b * n * n);
    truth.push(lambda);
    matrices.push(a);
  }
  return { data, truth, matrices };
}

function checkBlock(out: ArrayLike<number>, offset: number, truth: number[], tol: number): void {
  const scale = Math.max(maxAbs(truth), 1e-300);
  for (let i = 0; i < truth.length; i++) {
    expect(Math.abs(out[offset + i]! - truth[i]!), `entry ${offset + i}`).toBeLessThanOrEqual(tol * scale);
  }
}

describe('svdvalsBatched', () => {
  for (const [count, m, n] of [
    [7, 6, 4],
    [5, 3, 5],
    [1, 8, 8],
    [6, 1, 1],
    [4, 1, 6],
    [4, 6, 1],
    [64, 8, 8], // enough matrices for every worker
  ] as const) {
    it(`${count} × (${m}×${n}), float64 and float32: the known spectra, and the single-call results`, () => {
      const { data, truth, matrices } = svdBatch(count, m, n, count * 100 + m * 10 + n);
      const k = Math.min(m, n);
      const r = svdvalsBatched({ data, count, rows: m, cols: n });
      expect(r.data).toBeInstanceOf(Float64Array);
      expect([r.count, r.k, r.data.length]).toEqual([count, k, count * k]);
      for (let b = 0; b < count; b++) {
        checkBlock(r.data, b * k, truth[b]!, 1e-12);
        checkBlock(r.data, b * k, Array.from(svdvals(matrices[b]!)), 1e-14);
      }

      const data32 = Float32Array.from(data);
      const r32 = svdvalsBatched({ data: data32, count, rows: m, cols: n });
      expect(r32.data).toBeInstanceOf(Float32Array);
      expect([r32.count, r32.k, r32.data.length]).toEqual([count, k, count * k]);
      for (let b = 0; b < count; b++) {
        checkBlock(r32.data, b * k, truth[b]!, 1e-5);
        const single = svdvals({ data: data32.subarray(b * m * n, (b + 1) * m * n), rows: m, cols: n });
        checkBlock(r32.data, b * k, Array.from(single), 1e-6);
      }
    });
  }
});

describe('eigvalshBatched', () => {
  for (const [count, n] of [
    [9, 5],
    [1, 7],
    [5, 1],
    [64, 6],
  ] as const) {
    it(`${count} × (${n}×${n}), float64 and float32: the known spectra, and the single-call results`, () => {
      const { data, truth, matrices } = symBatch(count, n, count * 10 + n);
      const r = eigvalshBatched({ data, count, n });
      expect(r.data).toBeInstanceOf(Float64Array);
      expect([r.count, r.n, r.data.length]).toEqual([count, n, count * n]);
      for (let b = 0; b < count; b++) {
        checkBlock(r.data, b * n, truth[b]!, 1e-12);
        checkBlock(r.data, b * n, Array.from(eigvalsh(matrices[b]!)), 1e-14);
      }

      const data32 = Float32Array.from(data);
      const r32 = eigvalshBatched({ data: data32, count, n });
      expect(r32.data).toBeInstanceOf(Float32Array);
      for (let b = 0; b < count; b++) {
        checkBlock(r32.data, b * n, truth[b]!, 1e-5);
        const single = eigvalsh({ data: data32.subarray(b * n * n, (b + 1) * n * n), rows: n, cols: n });
        checkBlock(r32.data, b * n, Array.from(single), 1e-6);
      }
    });
  }

  it('reads only the lower triangle of each matrix', () => {
    const count = 6;
    const n = 5;
    const { data, truth } = symBatch(count, n, 31);
    const rng = new Rng(32);
    const dirty = data.slice();
    for (let b = 0; b < count; b++) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dirty[b * n * n + i * n + j] = rng.range(-1e4, 1e4);
    }
    const r = eigvalshBatched({ data: dirty, count, n });
    for (let b = 0; b < count; b++) checkBlock(r.data, b * n, truth[b]!, 1e-12);
    expect(Array.from(r.data)).toEqual(Array.from(eigvalshBatched({ data, count, n }).data));
  });

  it('does not modify its input', () => {
    const { data } = symBatch(4, 4, 41);
    const copy = data.slice();
    eigvalshBatched({ data, count: 4, n: 4 });
    svdvalsBatched({ data, count: 4, rows: 4, cols: 4 });
    expect(data).toEqual(copy);
  });
});

describe('batched properties (fast-check)', () => {
  const entry = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -3, max: 3 }));

  it('svdvalsBatched: per matrix, descending, non-negative, the Jacobi singular values', () => {
    const input = fc
      .record({ count: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 1, max: 8 }) })
      .chain((d) =>
        fc.record({
          d: fc.constant(d),
          values: fc.array(entry, { minLength: d.count * d.m * d.n, maxLength: d.count * d.m * d.n }),
          float32: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(input, ({ d, values, float32 }) => {
        const { count, m, n } = d;
        const data = float32 ? Float32Array.from(values) : Float64Array.from(values);
        const r = svdvalsBatched({ data, count, rows: m, cols: n });
        const k = Math.min(m, n);
        expect(r.data).toBeInstanceOf(float32 ? Float32Array : Float64Array);
        expect(r.data.length).toBe(count * k);
        for (let b = 0; b < count; b++) {
          const block = Array.from(r.data.subarray(b * k, (b + 1) * k));
          for (let i = 0; i < k; i++) {
            expect(Number.isFinite(block[i]!)).toBe(true);
            expect(block[i]!).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(block[i]!).toBeLessThanOrEqual(block[i - 1]!);
          }
          const ref = jacobiSingularValues({ data: data.subarray(b * m * n, (b + 1) * m * n), rows: m, cols: n });
          checkBlock(block, 0, ref, float32 ? 1e-5 : 1e-13);
        }
      }),
      { numRuns: 120, seed: 31337 },
    );
  });

  it('eigvalshBatched: per matrix, ascending, the Jacobi eigenvalues of its lower triangle', () => {
    const input = fc
      .record({ count: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 8 }) })
      .chain((d) =>
        fc.record({
          d: fc.constant(d),
          values: fc.array(entry, { minLength: d.count * d.n * d.n, maxLength: d.count * d.n * d.n }),
          float32: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(input, ({ d, values, float32 }) => {
        const { count, n } = d;
        const data = float32 ? Float32Array.from(values) : Float64Array.from(values);
        const r = eigvalshBatched({ data, count, n });
        expect(r.data).toBeInstanceOf(float32 ? Float32Array : Float64Array);
        expect(r.data.length).toBe(count * n);
        for (let b = 0; b < count; b++) {
          const block = Array.from(r.data.subarray(b * n, (b + 1) * n));
          for (let i = 1; i < n; i++) expect(block[i]!).toBeGreaterThanOrEqual(block[i - 1]!);
          const ref = jacobiEigenvalues({ data: data.subarray(b * n * n, (b + 1) * n * n), rows: n, cols: n });
          checkBlock(block, 0, ref, float32 ? 1e-5 : 1e-12);
        }
      }),
      { numRuns: 120, seed: 31338 },
    );
  });
});
