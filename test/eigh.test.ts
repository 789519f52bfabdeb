import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eigh, eigvalsh, type EighResult } from '../src/index.js';
import { expectCode } from './helpers/expect.js';
import { Rng } from './helpers/rng.js';
import {
  type AnyDense,
  type Dense,
  bytesOf,
  dominantEntry,
  eigenResidual,
  jacobiEigenvalues,
  maxAbs,
  orthonormalityError,
  sortedAscending,
  symmetrizeFromLower,
  toFloat32,
  toNested,
  withEigenvalues,
} from './helpers/linalg.js';

/** Checks eigh's output against the known spectrum: values, A·V = V·Λ, V orthonormal, sign convention. */
function checkEigh(a: AnyDense, r: EighResult, truth: number[], tol: number): void {
  const n = a.rows;
  const scale = Math.max(...truth.map(Math.abs), 1e-300);
  expect(r.values.length).toBe(n);
  for (let i = 0; i < n; i++) {
    expect(Math.abs(r.values[i]! - truth[i]!), `λ[${i}] = ${r.values[i]} vs ${truth[i]}`).toBeLessThanOrEqual(tol * scale);
    if (i > 0) expect(r.values[i]!).toBeGreaterThanOrEqual(r.values[i - 1]!);
  }
  const v = r.vectors!;
  expect(v).toBeDefined();
  expect([v.rows, v.cols, v.data.length]).toEqual([n, n, n * n]);
  expect(eigenResidual(symmetrizeFromLower(a), r.values, v)).toBeLessThanOrEqual(tol * scale);
  expect(orthonormalityError(v, 'cols')).toBeLessThanOrEqual(tol);
  expect(orthonormalityError(v, 'rows')).toBeLessThanOrEqual(tol);
  for (let c = 0; c < n; c++) expect(dominantEntry(v.data, c, n, n), `column ${c}`).toBeGreaterThan(0);
}

const SPECTRA: [string, number[]][] = [
  ['1×1', [-2.5]],
  ['2×2 indefinite', [-1, 3]],
  ['5×5 positive', [0.5, 1, 2, 4, 8]],
  ['8×8 negative definite', [-9, -7, -5, -4, -3, -2, -1.5, -1]],
  ['9×9 repeated eigenvalues', [-2, -2, -2, 0, 0, 1, 1, 1, 4]],
  ['6×6 singular PSD', [0, 0, 0, 1, 2, 3]],
];

function randomSpectrum(n: number, rng: Rng): number[] {
  return sortedAscending(Array.from({ length: n }, () => rng.range(-3, 5)));
}

describe('eigh on symmetric matrices with a known spectrum (float64)', () => {
  const cases: [string, number[]][] = [...SPECTRA, ['30×30 random', randomSpectrum(30, new Rng(30))]];
  for (const [name, truth] of cases) {
    it(`${name}: ascending values to 1e-12·|λ|max, A·V = V·Λ, V orthonormal`, () => {
      const a = withEigenvalues(truth, new Rng(truth.length * 7 + 1));
      const r = eigh(a);
      expect(r.values).toBeInstanceOf(Float64Array);
      expect(r.vectors!.data).toBeInstanceOf(Float64Array);
      checkEigh(a, r, truth, 1e-12);
      const values = eigvalsh(a);
      expect(values).toBeInstanceOf(Float64Array);
      const scale = maxAbs(truth);
      for (let i = 0; i < truth.length; i++) expect(Math.abs(values[i]! - truth[i]!)).toBeLessThanOrEqual(1e-12 * scale);
      expect(eigh(a, { vectors: false }).vectors).toBeUndefined();
    });
  }
});

describe('eigh on symmetric matrices with a known spectrum (float32)', () => {
  const cases: [string, number[]][] = [...SPECTRA, ['20×20 random', randomSpectrum(20, new Rng(20))]];
  for (const [name, truth] of cases) {
    it(`${name}: Float32Array in and out, values to 1e-5·|λ|max`, () => {
      const a = toFloat32(withEigenvalues(truth, new Rng(truth.length * 7 + 2)));
      const r = eigh(a);
      expect(r.values).toBeInstanceOf(Float32Array);
      expect(r.vectors!.data).toBeInstanceOf(Float32Array);
      checkEigh(a, r, truth, 1e-5);
      const values = eigvalsh(a);
      expect(values).toBeInstanceOf(Float32Array);
      for (let i = 0; i < truth.length; i++) expect(Math.abs(values[i]! - truth[i]!)).toBeLessThanOrEqual(1e-5 * maxAbs(truth));
    });
  }
});

describe('eigh details', () => {
  it('nested number[][] input gives Float64Array outputs', () => {
    const truth = [-1, 0.5, 2, 6];
    const a = withEigenvalues(truth, new Rng(41));
    const r = eigh(toNested(a));
    expect(r.values).toBeInstanceOf(Float64Array);
    expect(r.vectors!.data).toBeInstanceOf(Float64Array);
    checkEigh(a, r, truth, 1e-12);
  });

  it('a diagonal matrix: sorted diagonal, unit eigenvectors with positive signs', () => {
    const r = eigh([
      [3, 0, 0],
      [0, -1, 0],
      [0, 0, 2],
    ]);
    expect(Array.from(r.values)).toEqual([-1, 2, 3]);
    // Column c is e_{index of values[c]}: values −1, 2, 3 sit at diagonal positions 1, 2, 0.
    expect(Array.from(r.vectors!.data, (x) => x + 0)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('a 2×2 with a closed form: [[2, 1], [1, 2]] has λ = 1, 3 and vectors (1, ∓1)/√2 with positive dominant entries', () => {
    const r = eigh([
      [2, 1],
      [1, 2],
    ]);
    expect(r.values[0]!).toBeCloseTo(1, 14);
    expect(r.values[1]!).toBeCloseTo(3, 14);
    const h = Math.SQRT1_2;
    const v = r.vectors!.data;
    // λ = 3: (1, 1)/√2. λ = 1: ±(1, −1)/√2, whose dominant entry (the first, on a tie up to rounding) is positive.
    expect(v[1]!).toBeCloseTo(h, 14);
    expect(v[3]!).toBeCloseTo(h, 14);
    expect(Math.abs(v[0]!)).toBeCloseTo(h, 14);
    expect(v[2]!).toBeCloseTo(-v[0]!, 14);
    expect(dominantEntry(v, 0, 2, 2)).toBeGreaterThan(0);
  });

  it('only the lower triangle is read: a garbage (finite) upper triangle gives the same result', () => {
    const truth = [-4, -1, 0.25, 1, 2.5, 7, 9];
    const rng = new Rng(55);
    const clean = withEigenvalues(truth, rng);
    const n = truth.length;
    const dirty: Dense = { data: clean.data.slice(), rows: n, cols: n };
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dirty.data[i * n + j] = rng.range(-1e6, 1e6);
    const rc = eigh(clean);
    const rd = eigh(dirty);
    checkEigh(dirty, rd, truth, 1e-12); // residual against the symmetrised lower triangle
    expect(bytesOf(rd.values)).toEqual(bytesOf(rc.values));
    expect(bytesOf(rd.vectors!.data)).toEqual(bytesOf(rc.vectors!.data));
    expect(bytesOf(eigvalsh(dirty))).toEqual(bytesOf(eigvalsh(clean)));

    const rf = eigh(toFloat32(dirty));
    checkEigh(toFloat32(dirty), rf, truth, 1e-5);
    expect(bytesOf(rf.values)).toEqual(bytesOf(eigh(toFloat32(clean)).values));
  });

  it('{ check: true } rejects an asymmetric matrix with ERR_INVALID_ARGUMENT', () => {
    const truth = [1, 2, 3, 4];
    const a = withEigenvalues(truth, new Rng(66));
    const bad: Dense = { data: a.data.slice(), rows: 4, cols: 4 };
    bad.data[0 * 4 + 3]! += 0.01; // upper (0, 3) differs from lower (3, 0)
    expectCode(() => eigh(bad, { check: true }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => eigvalsh(bad, { check: true }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => eigh(toFloat32(bad), { check: true }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => eigh([[1, 2], [3, 4]], { check: true }), 'ERR_INVALID_ARGUMENT');
    // Without check, the lower triangle is used, as documented.
    checkEigh(bad, eigh(bad), truth, 1e-12);
    // A symmetric matrix, or one asymmetric only at rounding level, passes the check.
    checkEigh(a, eigh(a, { check: true }), truth, 1e-12);
    const rounding: Dense = { data: a.data.slice(), rows: 4, cols: 4 };
    rounding.data[1]! *= 1 + 2 ** -50;
    checkEigh(rounding, eigh(rounding, { check: true }), truth, 1e-12);
  });

  it('sign convention pins the vectors: S and −S, and S + c·I, share eigenvectors exactly up to rounding', () => {
    const truth = [-3, -1, 0.5, 2, 4.5];
    const a = withEigenvalues(truth, new Rng(88));
    const n = truth.length;
    const neg: Dense = { data: a.data.map((x) => -x), rows: n, cols: n };
    const shifted: Dense = { data: a.data.slice(), rows: n, cols: n };
    for (let i = 0; i < n; i++) shifted.data[i * n + i]! += 10;
    const r = eigh(a);
    const rn = eigh(neg);
    const rs = eigh(shifted);
    checkEigh(neg, rn, truth.map((x) => -x).reverse(), 1e-12);
    checkEigh(shifted, rs, truth.map((x) => x + 10), 1e-12);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < n; c++) {
        expect(rn.vectors!.data[i * n + (n - 1 - c)]!).toBeCloseTo(r.vectors!.data[i * n + c]!, 11);
        expect(rs.vectors!.data[i * n + c]!).toBeCloseTo(r.vectors!.data[i * n + c]!, 11);
      }
    }
  });

  it('two calls give identical bits, and the input is not modified', () => {
    const a = withEigenvalues(randomSpectrum(40, new Rng(9)), new Rng(10));
    const copy = a.data.slice();
    const r1 = eigh(a);
    const r2 = eigh(a);
    expect(bytesOf(r2.values)).toEqual(bytesOf(r1.values));
    expect(bytesOf(r2.vectors!.data)).toEqual(bytesOf(r1.vectors!.data));
    expect(bytesOf(a.data)).toEqual(bytesOf(copy));
  });
});

describe('eigh properties (fast-check)', () => {
  const entry = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -3, max: 3 }));
  // Arbitrary square data: eigh must treat it as the symmetric matrix of its lower triangle.
  const square = fc
    .integer({ min: 1, max: 12 })
    .chain((n) => fc.record({ n: fc.constant(n), values: fc.array(entry, { minLength: n * n, maxLength: n * n }) }));

  it('float64: ascending, the Jacobi eigenvalues of the lower triangle, A·V = V·Λ, V orthonormal', () => {
    fc.assert(
      fc.property(square, ({ n, values }) => {
        const a: Dense = { data: Float64Array.from(values), rows: n, cols: n };
        const r = eigh(a);
        expect(r.values).toBeInstanceOf(Float64Array);
        for (const x of [...r.values, ...r.vectors!.data]) expect(Number.isFinite(x)).toBe(true);
        const ref = jacobiEigenvalues(a);
        checkEigh(a, r, ref, 1e-12);
        // Scale-free residual bound: ‖A‖ can exceed |λ|max only by rounding, so reuse the same tolerance.
        const vals = eigvalsh(a);
        for (let i = 0; i < n; i++) expect(Math.abs(vals[i]! - ref[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(maxAbs(ref), 1e-300));
      }),
      { numRuns: 150, seed: 777 },
    );
  });

  it('float32: within 1e-5·|λ|max of the float64 Jacobi eigenvalues of the float32 data', () => {
    fc.assert(
      fc.property(square, ({ n, values }) => {
        const a = toFloat32({ data: values, rows: n, cols: n });
        const r = eigh(a);
        expect(r.values).toBeInstanceOf(Float32Array);
        checkEigh(a, r, jacobiEigenvalues(a), 1e-5);
      }),
      { numRuns: 100, seed: 778 },
    );
  });
});
