/**
 * The matrix-level measures (numericalRank, entropyRank, stableRank,
 * participationRatio, approximateRank) on a plain matrix (σ of the matrix
 * itself, λ = σ²), on a GramAccumulator, and on tagged spectra, against
 * closed forms of spectra known by construction.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GramAccumulator,
  approximateRank,
  eigenvalues,
  entropyRank,
  numericalRank,
  participationRatio,
  rankReport,
  singularValues,
  stableRank,
} from '../src/index.js';
import { expectCode } from './helpers/expect.js';
import { jacobiSingularValues, toNested, transpose } from './helpers/linalg.js';
import {
  Rng,
  asInput,
  exactRankDeficient,
  knownFeatures,
  measuresRef,
  relErr,
  toF32,
  trapezoid,
  withSingularValuesThin,
} from './helpers-rank/known.js';

const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;

/** Checks the four continuous measures and approximateRank of x against the closed forms of λ. */
function expectMeasures(x: Parameters<typeof stableRank>[0], lambda: number[], rel: number): void {
  const ref = measuresRef(lambda);
  const ref90 = measuresRef(lambda, 0.9);
  expect(relErr(entropyRank(x), ref.entropySigma), 'entropyRank σ').toBeLessThan(rel);
  expect(relErr(entropyRank(x, { p: 'sigma' }), ref.entropySigma)).toBeLessThan(rel);
  expect(relErr(entropyRank(x, { p: 'lambda' }), ref.entropyLambda), 'entropyRank λ').toBeLessThan(rel);
  expect(relErr(stableRank(x), ref.stable), 'stableRank').toBeLessThan(rel);
  expect(relErr(participationRatio(x), ref.participation), 'participationRatio').toBeLessThan(rel);
  expect(approximateRank(x)).toBe(ref.approximate);
  expect(approximateRank(x, { energy: 0.9 })).toBe(ref90.approximate);
}

describe('on a plain matrix: the spectrum is σ of the matrix itself', () => {
  // Singular values chosen so that approximateRank at 0.99 and 0.9 are unambiguous (checked below).
  const s = [3, 2.2, 1.9, 1, 0.7, 0.45, 0.2, 0.1, 0.05, 0.02, 0.01, 0.003];
  const lambda = s.map((x) => x * x);
  const a = asInput(withSingularValuesThin(50, s, 3001));

  it('the approximateRank references are not borderline', () => {
    const S = lambda.reduce((p, q) => p + q, 0);
    for (const e of [0.99, 0.9]) {
      let acc = 0;
      for (const l of lambda) {
        acc += l;
        expect(Math.abs(acc - e * S)).toBeGreaterThan(1e-6 * S);
      }
    }
  });

  it('float64 matrix: closed forms to 1e-10', () => {
    expectMeasures(a, lambda, 1e-10);
    expect(numericalRank(a)).toBe(12);
  });

  it('nested number[][] and the transpose (wide) give the same values', () => {
    expectMeasures(toNested(a), lambda, 1e-10);
    const t = asInput(transpose(a));
    expect(t.rows).toBe(12);
    expectMeasures(t, lambda, 1e-10);
    expect(numericalRank(t)).toBe(12);
  });

  it('float32 matrix: closed forms to float32 accuracy', () => {
    expectMeasures(toF32(a), lambda, 2e-5);
    expect(numericalRank(toF32(a))).toBe(12);
  });

  it('scaling the matrix by c scales λ by c² (scale-free measures unchanged)', () => {
    // diag(c)·A with a constant c scales σ by |c|: scale-free measures unchanged.
    const c = -3.5;
    const b = { ...a, data: a.data.map((x) => c * x) };
    expectMeasures(b, lambda.map((l) => l * c * c), 1e-10);
  });
});

describe('numericalRank: numpy default tolerance σ_max·max(N, n)·eps_dtype', () => {
  it('exact rank r (stored matrix exactly rank-deficient), tall and wide, float64 and float32', () => {
    for (const [N, n, r] of [
      [40, 12, 5],
      [30, 30, 29],
      [9, 25, 3],
      [64, 16, 1],
    ] as const) {
      const a = exactRankDeficient(N, n, r, 3100 + N + n + r);
      expect(numericalRank(asInput(a)), `${N}×${n} rank ${r}`).toBe(r);
      expect(numericalRank(asInput(transpose(a)))).toBe(r);
      expect(numericalRank(toF32(a))).toBe(r);
      expect(numericalRank(toNested(a))).toBe(r);
    }
  });

  it('float64: σ at 8× and 1/8× the default tolerance fall on the expected sides', () => {
    const N = 64;
    const tol = N * EPS64; // σ_max = 1
    const s = [1, 0.5, 0.25, 8 * tol, tol / 8, 0, 0, 0];
    const a = asInput(withSingularValuesThin(N, s, 3201));
    expect(numericalRank(a)).toBe(4);
  });

  it('float32: the tolerance uses eps_float32 and max(N, n)', () => {
    const N = 64;
    const tol = N * EPS32; // 7.6e-6 for σ_max = 1
    const s = [1, 0.6, 0.3, 4 * tol, tol / 4, 0];
    const a = withSingularValuesThin(N, s, 3202);
    expect(numericalRank(toF32(a))).toBe(4);
    // The same values in float64 keep σ = tol/4 (it is far above 64·eps64).
    expect(numericalRank(asInput(a))).toBe(5);
    // Wide: max(N, n) is still 64.
    expect(numericalRank(toF32(transpose(a)))).toBe(4);
  });

  it('rtol / atol follow torch: max(atol, rtol·σ_max)', () => {
    const s = [2, 1, 0.5, 0.1, 0.01];
    const a = asInput(withSingularValuesThin(20, s, 3203));
    expect(numericalRank(a, { rtol: 0.2 })).toBe(3); // tol 0.4
    expect(numericalRank(a, { rtol: 0.04 })).toBe(4); // tol 0.08
    expect(numericalRank(a, { atol: 0.75 })).toBe(2);
    expect(numericalRank(a, { atol: 0.05, rtol: 0.2 })).toBe(3); // max(0.05, 0.4)
    expect(numericalRank(a, { atol: 0.6, rtol: 0.01 })).toBe(2); // max(0.6, 0.02)
    expect(numericalRank(a, { atol: 5 })).toBe(0);
  });

  it('rejects bad tolerances', () => {
    const a = [[1, 0], [0, 1]];
    for (const bad of [-1, NaN, Infinity, '0.1']) {
      expectCode(() => numericalRank(a, { rtol: bad as number }), 'ERR_INVALID_ARGUMENT');
      expectCode(() => numericalRank(a, { atol: bad as number }), 'ERR_INVALID_ARGUMENT');
    }
  });
});

describe('on a GramAccumulator: λ = eigenvalues of its (weighted) Gram', () => {
  const lambda = [5, 3.5, 2, 1.1, 0.6, 0.33, 0.1, 0.05, 0.01];
  const w = trapezoid(80, 0, 2);
  const phi = asInput(knownFeatures({ N: 80, lambda, weights: w, seed: 3301 }));
  const acc = new GramAccumulator(9).add(phi, w);

  it('closed forms to 1e-10, and full numerical rank', () => {
    expectMeasures(acc, lambda, 1e-10);
    expect(numericalRank(acc)).toBe(9);
  });

  it('numericalRank agrees with rankReport(acc) and with the SVD of the weighted features on exact-rank data', () => {
    const a = exactRankDeficient(60, 20, 7, 3302);
    const ww = trapezoid(60);
    const g = new GramAccumulator(20).add(a, ww);
    // Reference: the weighted matrix diag(√w)·A has exact rank 7.
    const weighted = a.data.map((x, k) => Math.sqrt(ww[Math.floor(k / 20)]!) * x);
    expect(numericalRank({ data: weighted, rows: 60, cols: 20 })).toBe(7);
    expect(rankReport(g, { eps: 1 }).numericalRank).toBe(7);
    // The Gram's rounding noise (~1e-16·λ_max, i.e. σ ~ 1e-8·σ_max) must not count as rank.
    expect(numericalRank(g)).toBe(7);
    expect(numericalRank(new GramAccumulator(20).add(a))).toBe(7);
  });
});

describe('on tagged spectra', () => {
  const s = [4, 2, 2, 1, 0.5, 0.1];
  const lambda = s.map((x) => x * x);

  it('eigenvalues(λ) and singularValues(σ) give the same closed forms, in any order', () => {
    expectMeasures(eigenvalues(lambda), lambda, 1e-12);
    expectMeasures(singularValues(s), lambda, 1e-12);
    expectMeasures(eigenvalues([...lambda].reverse()), lambda, 1e-12);
    expectMeasures(singularValues(Float32Array.from([0.5, 4, 0.1, 2, 1, 2])), lambda, 1e-7);
  });

  it('a bare array is read as eigenvalues λ (as documented), for every measure', () => {
    expectMeasures(lambda, lambda, 1e-12);
    expectMeasures(Float64Array.from(lambda), lambda, 1e-12);
    // λ = [1, 1e-20] is σ = [1, 1e-10]: both above the default tolerance 2·eps.
    expect(numericalRank(eigenvalues([1, 1e-20]))).toBe(2);
    expect(numericalRank([1, 1e-20])).toBe(2);
  });

  it('numericalRank on spectra: exact zeros never count; shape and dtype set the default tolerance', () => {
    const sig = singularValues([1, 0.3, 1e-5, 0, 0]);
    expect(numericalRank(sig)).toBe(3); // tol = 1·5·eps64
    expect(numericalRank(sig, { dtype: 'float32' })).toBe(3); // tol = 5·eps32 = 6e-7
    expect(numericalRank(sig, { rows: 1000, dtype: 'float32' })).toBe(2); // tol = 1000·eps32 = 1.2e-4
    expect(numericalRank(sig, { atol: 0.5 })).toBe(1);
    expect(numericalRank(eigenvalues([4, 0.09, 0, 0]))).toBe(2);
    expect(numericalRank(singularValues([0, 0, 0]))).toBe(0);
  });

  it('all-zero and single-value spectra', () => {
    for (const z of [eigenvalues([0, 0]), singularValues([0])]) {
      expect(stableRank(z)).toBe(0);
      expect(participationRatio(z)).toBe(0);
      expect(entropyRank(z)).toBe(0);
      expect(approximateRank(z)).toBe(0);
    }
    expect(stableRank(singularValues([0, 3, 0]))).toBe(1);
    expect(entropyRank(eigenvalues([0, 3, 0]), { p: 'lambda' })).toBe(1);
  });

  it('rejects bad options and inputs', () => {
    expectCode(() => entropyRank(eigenvalues([1, 2]), { p: 'x' as never }), 'ERR_INVALID_ARGUMENT');
    for (const energy of [0, -0.5, 1.01, NaN]) {
      expectCode(() => approximateRank(singularValues([1, 2]), { energy }), 'ERR_INVALID_ARGUMENT');
      expectCode(() => approximateRank([[1, 0], [0, 2]], { energy }), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => stableRank({ data: [1, 2] as never, rows: 1, cols: 2 }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => stableRank({ data: new Float64Array(3), rows: 2, cols: 2 }), 'ERR_INVALID_SHAPE');
    expectCode(() => stableRank([[1, 2], [3]]), 'ERR_INVALID_SHAPE');
    for (const fn of [numericalRank, entropyRank, stableRank, participationRatio, approximateRank]) {
      for (const x of [null, undefined, 5, 'abc', {}, true]) expectCode(() => fn(x as never), 'ERR_INVALID_ARGUMENT');
    }
  });
});

describe('properties', () => {
  const matArb = fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    N: fc.integer({ min: 1, max: 20 }),
    n: fc.integer({ min: 1, max: 10 }),
  });

  it('measures on a random matrix equal the closed forms of its one-sided-Jacobi singular values', () => {
    fc.assert(
      fc.property(matArb, ({ seed, N, n }) => {
        const rng = new Rng(seed);
        const a = { data: rng.normals(N * n), rows: N, cols: n };
        const sig = jacobiSingularValues(a);
        const lambda = sig.map((x) => x * x);
        const ref = measuresRef(lambda);
        // Gaussian matrices are well conditioned enough for 1e-9 on every measure.
        expect(relErr(stableRank(a), ref.stable)).toBeLessThan(1e-10);
        expect(relErr(participationRatio(a), ref.participation)).toBeLessThan(1e-10);
        expect(relErr(entropyRank(a, { p: 'lambda' }), ref.entropyLambda)).toBeLessThan(1e-10);
        expect(relErr(entropyRank(a), ref.entropySigma)).toBeLessThan(1e-9);
        expect(numericalRank(a)).toBe(Math.min(N, n));
        // The same via the tagged spectrum of the reference values.
        expect(relErr(stableRank(singularValues(sig)), ref.stable)).toBeLessThan(1e-12);
      }),
      { numRuns: 80 },
    );
  });

  it('numericalRank of an exactly rank-r matrix is r; scale-free measures ignore a scalar factor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (seed, N, n, r0, c) => {
          const r = Math.min(r0, n, N);
          const a = exactRankDeficient(N, n, r, seed);
          expect(numericalRank(asInput(a))).toBe(r);
          expect(numericalRank(toF32(a))).toBe(r);
          const ca = { ...a, data: a.data.map((x) => c * x) };
          expect(numericalRank(ca)).toBe(r);
          expect(relErr(stableRank(ca), stableRank(asInput(a)))).toBeLessThan(1e-10);
          expect(relErr(participationRatio(ca), participationRatio(asInput(a)))).toBeLessThan(1e-10);
          expect(approximateRank(ca)).toBeLessThanOrEqual(r);
        },
      ),
      { numRuns: 60 },
    );
  });
});
