import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { svd, svdvals, type SvdResult } from '../src/index.js';
import { Rng } from './helpers/rng.js';
import {
  type AnyDense,
  type Dense,
  bytesOf,
  dominantEntry,
  jacobiSingularValues,
  orthonormalityError,
  reconstructionError,
  sortedDescending,
  toFloat32,
  toNested,
  withSingularValues,
  zeros,
} from './helpers/linalg.js';

const SHAPES: [number, number][] = [
  [30, 12], // tall
  [12, 30], // wide
  [20, 20], // square
  [1, 1],
  [1, 7],
  [7, 1],
];

function randomSpectrum(k: number, rng: Rng): number[] {
  return sortedDescending(Array.from({ length: k }, () => rng.range(0.5, 3)));
}

/** Checks the shapes, reconstruction, orthonormality and sign convention of an SVD of a. */
function checkDecomposition(a: AnyDense, r: SvdResult, mode: 'thin' | 'full', tol: number): void {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  expect(r.s.length).toBe(k);
  const u = r.u!;
  const vt = r.vt!;
  expect(u).toBeDefined();
  expect(vt).toBeDefined();
  const uCols = mode === 'full' ? m : k;
  const vtRows = mode === 'full' ? n : k;
  expect([u.rows, u.cols, u.data.length]).toEqual([m, uCols, m * uCols]);
  expect([vt.rows, vt.cols, vt.data.length]).toEqual([vtRows, n, vtRows * n]);
  expect(reconstructionError(a, u, r.s, vt)).toBeLessThanOrEqual(tol);
  expect(orthonormalityError(u, 'cols')).toBeLessThanOrEqual(tol);
  expect(orthonormalityError(vt, 'rows')).toBeLessThanOrEqual(tol);
  if (mode === 'full') {
    // Square orthogonal: QᵀQ = QQᵀ = I.
    expect(orthonormalityError(u, 'rows')).toBeLessThanOrEqual(tol);
    expect(orthonormalityError(vt, 'cols')).toBeLessThanOrEqual(tol);
  }
  // Sign convention: the largest-|.| entry of each row of vt is positive…
  for (let i = 0; i < vt.rows; i++) expect(dominantEntry(vt.data, i * n, n, 1)).toBeGreaterThan(0);
  // …and the extra columns of a full u follow the same rule on their own.
  for (let j = k; j < u.cols; j++) expect(dominantEntry(u.data, j, m, u.cols)).toBeGreaterThan(0);
}

function checkValues(s: ArrayLike<number>, truth: number[], relTol: number, absTol = 0): void {
  expect(s.length).toBe(truth.length);
  for (let i = 0; i < truth.length; i++) {
    expect(Math.abs(s[i]! - truth[i]!), `s[${i}] = ${s[i]} vs ${truth[i]}`).toBeLessThanOrEqual(
      relTol * truth[i]! + absTol,
    );
  }
}

function checkDescending(s: ArrayLike<number>): void {
  for (let i = 0; i < s.length; i++) {
    expect(s[i]!).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
  }
}

describe('svd on matrices with a known spectrum (float64)', () => {
  for (const [m, n] of SHAPES) {
    it(`${m}×${n}: values to 1e-12 relative, thin and full SVDs reconstruct and are orthonormal`, () => {
      const rng = new Rng(1000 + 31 * m + n);
      const truth = randomSpectrum(Math.min(m, n), rng);
      const a = withSingularValues(m, n, truth, rng);

      const thin = svd(a);
      expect(thin.s).toBeInstanceOf(Float64Array);
      expect(thin.u!.data).toBeInstanceOf(Float64Array);
      expect(thin.vt!.data).toBeInstanceOf(Float64Array);
      checkValues(thin.s, truth, 1e-12);
      checkDecomposition(a, thin, 'thin', 1e-12);

      const full = svd(a, { vectors: 'full' });
      checkValues(full.s, truth, 1e-12);
      checkDecomposition(a, full, 'full', 1e-12);

      const none = svd(a, { vectors: 'none' });
      expect(none.u).toBeUndefined();
      expect(none.vt).toBeUndefined();
      checkValues(none.s, truth, 1e-12);
      checkValues(svdvals(a), truth, 1e-12);
    });
  }
});

describe('svd on matrices with a known spectrum (float32)', () => {
  for (const [m, n] of SHAPES) {
    it(`${m}×${n}: Float32Array in, Float32Array out, values to 1e-5·s_max`, () => {
      const rng = new Rng(2000 + 31 * m + n);
      const truth = randomSpectrum(Math.min(m, n), rng);
      const a = toFloat32(withSingularValues(m, n, truth, rng));
      const sMax = truth[0]!;

      const thin = svd(a);
      expect(thin.s).toBeInstanceOf(Float32Array);
      expect(thin.u!.data).toBeInstanceOf(Float32Array);
      expect(thin.vt!.data).toBeInstanceOf(Float32Array);
      checkValues(thin.s, truth, 0, 1e-5 * sMax);
      checkDecomposition(a, thin, 'thin', 1e-5);

      const full = svd(a, { vectors: 'full' });
      expect(full.u!.data).toBeInstanceOf(Float32Array);
      checkValues(full.s, truth, 0, 1e-5 * sMax);
      checkDecomposition(a, full, 'full', 1e-5);

      const s = svdvals(a);
      expect(s).toBeInstanceOf(Float32Array);
      checkValues(s, truth, 0, 1e-5 * sMax);
    });
  }
});

describe('svd on rank-deficient matrices', () => {
  it('a 10×6 matrix of rank 3: zero singular values ≈ 0, reconstruction and orthonormality still hold', () => {
    const rng = new Rng(77);
    const truth = [4, 2, 1, 0, 0, 0];
    const a = withSingularValues(10, 6, truth, rng);
    for (const mode of ['thin', 'full'] as const) {
      const r = svd(a, { vectors: mode });
      checkValues(r.s.subarray(0, 3), truth.slice(0, 3), 1e-12);
      for (let i = 3; i < 6; i++) expect(Math.abs(r.s[i]!)).toBeLessThanOrEqual(1e-14 * truth[0]!);
      checkDecomposition(a, r, mode, 1e-12);
    }
  });

  it('a wide 4×9 matrix of rank 2 in float32', () => {
    const rng = new Rng(78);
    const truth = [5, 3, 0, 0];
    const a = toFloat32(withSingularValues(4, 9, truth, rng));
    const r = svd(a, { vectors: 'full' });
    checkValues(r.s, truth, 0, 1e-5 * 5);
    checkDecomposition(a, r, 'full', 1e-5);
  });

  it('an exact rank-1 integer matrix: s = (√70, 0)', () => {
    // [1 2 3; 2 4 6] = (1,2)ᵀ(1,2,3): s₁ = ‖(1,2)‖·‖(1,2,3)‖ = √5·√14.
    const a = [
      [1, 2, 3],
      [2, 4, 6],
    ];
    const r = svd(a);
    expect(r.s[0]!).toBeCloseTo(Math.sqrt(70), 13);
    expect(Math.abs(r.s[1]!)).toBeLessThanOrEqual(1e-14 * Math.sqrt(70));
    // The right singular vector is (1,2,3)/√14, positive by the sign convention.
    const v = [1, 2, 3].map((x) => x / Math.sqrt(14));
    for (let j = 0; j < 3; j++) expect(r.vt!.data[j]!).toBeCloseTo(v[j]!, 13);
    checkDecomposition({ data: new Float64Array(a.flat()), rows: 2, cols: 3 }, r, 'thin', 1e-13);
  });

  it('the zero matrix: all singular values 0, vectors still orthonormal', () => {
    const a = zeros(5, 3);
    const r = svd(a, { vectors: 'full' });
    expect(Array.from(r.s)).toEqual([0, 0, 0]);
    checkDecomposition(a, r, 'full', 1e-14);
  });
});

describe('svd on a spectrum spanning 1e-12 … 1', () => {
  it('small values to ~eps·s_max absolute, values ≥ 1e-3 to 1e-12 relative', () => {
    const rng = new Rng(4242);
    const truth = Array.from({ length: 13 }, (_, i) => 10 ** -i); // 1, 0.1, …, 1e-12
    const a = withSingularValues(16, 13, truth, rng);
    for (const r of [svd(a), svd(a, { vectors: 'full' })]) {
      const s = r.s;
      for (let i = 0; i < truth.length; i++) {
        expect(Math.abs(s[i]! - truth[i]!), `s[${i}]`).toBeLessThanOrEqual(1e-14 * truth[0]!);
        if (truth[i]! >= 1e-3) expect(Math.abs(s[i]! - truth[i]!) / truth[i]!).toBeLessThanOrEqual(1e-12);
      }
      checkDescending(s);
      expect(reconstructionError(a, r.u!, s, r.vt!)).toBeLessThanOrEqual(1e-12);
      expect(orthonormalityError(r.u!, 'cols')).toBeLessThanOrEqual(1e-12);
      expect(orthonormalityError(r.vt!, 'rows')).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe('svd input forms, sign convention and determinism', () => {
  it('nested number[][] input gives Float64Array outputs with the right values', () => {
    const r = svd([
      [3, 0, 0],
      [0, -4, 0],
    ]);
    expect(r.s).toBeInstanceOf(Float64Array);
    expect(r.u!.data).toBeInstanceOf(Float64Array);
    expect(r.vt!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(r.s)).toEqual([4, 3]);
    // vt rows are ±e₂, ±e₁ with the dominant (only) entry positive; u absorbs the −.
    expect(Array.from(r.vt!.data, (x) => x + 0)).toEqual([0, 1, 0, 1, 0, 0]); // + 0 folds −0 into 0
    expect(Array.from(r.u!.data, (x) => x + 0)).toEqual([0, 1, -1, 0]);

    const rng = new Rng(5);
    const truth = randomSpectrum(4, rng);
    const a = withSingularValues(6, 4, truth, rng);
    const nested = svd(toNested(a));
    expect(nested.s).toBeInstanceOf(Float64Array);
    checkValues(nested.s, truth, 1e-12);
    checkDecomposition(a, nested, 'thin', 1e-12);
  });

  it('rows of typed arrays are accepted as nested input', () => {
    const r = svdvals([Float64Array.of(0, 2), Float64Array.of(1, 0)]);
    expect(Array.from(r)).toEqual([2, 1]);
  });

  it('the largest-|.| entry of each row of vt is positive, with u flipped to match', () => {
    const rng = new Rng(99);
    for (const [m, n] of [
      [9, 5],
      [5, 9],
      [6, 6],
    ] as const) {
      const a = withSingularValues(m, n, randomSpectrum(Math.min(m, n), rng), rng);
      // Negating the input must negate u and keep vt (the convention pins vt).
      const neg: Dense = { data: a.data.map((x) => -x), rows: m, cols: n };
      const r1 = svd(a, { vectors: 'full' });
      const r2 = svd(neg, { vectors: 'full' });
      checkDecomposition(a, r1, 'full', 1e-12);
      checkDecomposition(neg, r2, 'full', 1e-12);
      const k = Math.min(m, n);
      for (let i = 0; i < k * n; i++) expect(r2.vt!.data[i]!).toBeCloseTo(r1.vt!.data[i]!, 12);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < k; j++) expect(r2.u!.data[i * m + j]!).toBeCloseTo(-r1.u!.data[i * m + j]!, 12);
      }
    }
  });

  it('two calls give identical bits', () => {
    const rng = new Rng(123);
    const a = withSingularValues(40, 25, randomSpectrum(25, rng), rng);
    for (const input of [a, toFloat32(a)]) {
      for (const vectors of ['none', 'thin', 'full'] as const) {
        const r1 = svd(input, { vectors });
        const r2 = svd(input, { vectors });
        expect(bytesOf(r2.s)).toEqual(bytesOf(r1.s));
        if (vectors !== 'none') {
          expect(bytesOf(r2.u!.data)).toEqual(bytesOf(r1.u!.data));
          expect(bytesOf(r2.vt!.data)).toEqual(bytesOf(r1.vt!.data));
        }
      }
    }
  });

  it('does not modify its input', () => {
    const rng = new Rng(124);
    const a = withSingularValues(7, 5, randomSpectrum(5, rng), rng);
    const copy = a.data.slice();
    svd(a, { vectors: 'full' });
    expect(bytesOf(a.data)).toEqual(bytesOf(copy));
  });
});

describe('svd properties (fast-check)', () => {
  const entry = fc.oneof(
    fc.double({ min: -10, max: 10, noNaN: true }),
    fc.integer({ min: -3, max: 3 }), // exact zeros, repeats and rank deficiency
  );
  const matrix = fc
    .record({ m: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 1, max: 12 }) })
    .chain(({ m, n }) =>
      fc.record({
        m: fc.constant(m),
        n: fc.constant(n),
        values: fc.array(entry, { minLength: m * n, maxLength: m * n }),
        mode: fc.constantFrom('thin' as const, 'full' as const),
      }),
    );

  it('float64: finite, descending, the Jacobi singular values, reconstruction and orthonormality', () => {
    fc.assert(
      fc.property(matrix, ({ m, n, values, mode }) => {
        const a: Dense = { data: Float64Array.from(values), rows: m, cols: n };
        const r = svd(a, { vectors: mode });
        expect(r.s).toBeInstanceOf(Float64Array);
        checkDescending(r.s);
        for (const x of [...r.s, ...r.u!.data, ...r.vt!.data]) expect(Number.isFinite(x)).toBe(true);
        const ref = jacobiSingularValues(a);
        const sMax = ref[0]!;
        for (let i = 0; i < ref.length; i++) {
          expect(Math.abs(r.s[i]! - ref[i]!)).toBeLessThanOrEqual(1e-13 * sMax + 1e-300);
        }
        checkDecomposition(a, r, mode, 1e-12);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('float32: Float32Array results within 1e-5·s_max of the float64 Jacobi values of the float32 data', () => {
    fc.assert(
      fc.property(matrix, ({ m, n, values, mode }) => {
        const a = toFloat32({ data: values, rows: m, cols: n });
        const r = svd(a, { vectors: mode });
        expect(r.s).toBeInstanceOf(Float32Array);
        checkDescending(r.s);
        const ref = jacobiSingularValues(a);
        const sMax = ref[0]!;
        for (let i = 0; i < ref.length; i++) expect(Math.abs(r.s[i]! - ref[i]!)).toBeLessThanOrEqual(1e-5 * sMax + 1e-30);
        checkDecomposition(a, r, mode, 1e-5);
      }),
      { numRuns: 100, seed: 20240602 },
    );
  });
});
