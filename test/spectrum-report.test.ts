/**
 * spectrum() and rankReport() on features with a known Gram spectrum, against
 * closed forms computed in plain JS from the target eigenvalues, and fast-check
 * properties against a plain-JS Jacobi eigenvalue reference.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GramAccumulator, rankReport, rankReportAsync, spectrum, spectrumAsync } from '../src/index.js';
import { expectCode, expectRejectCode } from './helpers/expect.js';
import { gramRef, jacobiEigenvalues, maxAbs } from './helpers/linalg.js';
import {
  Rng,
  addRowOffset,
  asInput,
  descending,
  exactRankDeficient,
  geometric,
  knownFeatures,
  measuresRef,
  relErr,
  toF32,
  roughWeights,
  trapezoid,
  caseArb,
} from './helpers-rank/known.js';

/** |got_i − want_i| ≤ abs + rel·want_i for every i, and got has the right length and order. */
function expectSpectrum(got: Float64Array, want: readonly number[], abs: number, rel = 0): void {
  expect(got).toBeInstanceOf(Float64Array);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i]! - want[i]!), `λ_${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(abs + rel * Math.abs(want[i]!));
    if (i > 0) expect(got[i]!).toBeLessThanOrEqual(got[i - 1]!);
  }
}

describe('spectrum() returns the known eigenvalues, descending', () => {
  const N = 140;
  const scale = 2.2;
  const w = trapezoid(N, -2, 1);
  // Out of order on purpose: the construction does not depend on the order.
  const target = [0.3, 7, 1e-6, 2, 5e-3, 1e-9, 0.9, 4e-2, 1e-12, 3e-4, 6, 1e-14];
  const lambda = descending(target);
  const lmax = lambda[0]!;
  const phi = asInput(knownFeatures({ N, lambda: target, weights: w, scale, seed: 1001 }));
  const opts = { weights: w, scale };

  it("float64 via 'gram' (default): absolute error ≤ 1e-12·λ_max", () => {
    expectSpectrum(spectrum(phi, opts), lambda, 1e-12 * lmax);
    expectSpectrum(spectrum(phi, { ...opts, via: 'gram' }), lambda, 1e-12 * lmax);
  });

  it("float64 via 'svd': relative 1e-12 for λ ≥ 1e-3·λ_max, resolves the tiny ones to a few ulps of σ_max", () => {
    const s = spectrum(phi, { ...opts, via: 'svd' });
    expect(s.length).toBe(lambda.length);
    for (let i = 0; i < lambda.length; i++) {
      const l = lambda[i]!;
      // σ error ~ c·eps·σ_max gives a λ error ~ 2·σ·c·eps·σ_max.
      const tol = l >= 1e-3 * lmax ? 1e-12 * l : 1e-12 * l + 1e-14 * Math.sqrt(l * lmax);
      expect(Math.abs(s[i]! - l), `λ_${i}`).toBeLessThanOrEqual(tol);
    }
    // The Gram route cannot see 1e-14 (its noise is ~1e-16·λ_max·n); the SVD route does.
    expect(relErr(s[lambda.length - 1]!, 1e-14)).toBeLessThan(1e-3);
  });

  it('float32 features: the Gram to ~1e-5·λ_max, the SVD to ~1e-5 relative for λ ≥ 1e-6·λ_max', () => {
    const f = toF32(phi);
    expectSpectrum(spectrum(f, opts), lambda, 2e-5 * lmax);
    const s = spectrum(f, { ...opts, via: 'svd' });
    for (let i = 0; i < lambda.length; i++) {
      if (lambda[i]! >= 1e-6 * lmax) expect(relErr(s[i]!, lambda[i]!), `λ_${i}`).toBeLessThan(1e-4);
    }
  });

  it('center: true on Φ0 + 1·bᵀ gives the spectrum of Φ0 (both routes)', () => {
    const lam = geometric(10, 4, 0.25);
    const rw = roughWeights(80, 1004);
    const p0 = knownFeatures({ N: 80, lambda: lam, weights: rw, scale: 0.5, zeroMean: true, seed: 1002 });
    const rng = new Rng(1003);
    const p = asInput(addRowOffset(p0, Array.from({ length: 10 }, () => rng.normal() * maxAbs(p0.data))));
    const o = { weights: rw, scale: 0.5, center: true };
    expectSpectrum(spectrum(p, o), lam, 1e-12 * lam[0]!);
    expectSpectrum(spectrum(p, { ...o, via: 'svd' }), lam, 1e-13 * lam[0]!, 1e-10);
    // Not centred: λ_max grows by the offset's energy, so the spectra differ.
    expect(spectrum(p, { weights: rw, scale: 0.5 })[0]!).toBeGreaterThan(1.5 * lam[0]!);
  });

  it('spectrumAsync equals spectrum', async () => {
    expect(await spectrumAsync(phi, opts)).toEqual(spectrum(phi, opts));
    expect(await spectrumAsync(phi, { ...opts, via: 'svd' })).toEqual(spectrum(phi, { ...opts, via: 'svd' }));
    expect(await spectrumAsync(phi)).toEqual(spectrum(phi));
  });

  it('rejects bad options', async () => {
    for (const via of ['eig', 'SVD', 1]) expectCode(() => spectrum(phi, { via: via as never }), 'ERR_INVALID_ARGUMENT');
    for (const scale of [0, -2, NaN]) expectCode(() => spectrum(phi, { scale }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => spectrum(phi, { weights: new Float64Array(N - 1).fill(1) }), 'ERR_INVALID_ARGUMENT');
    const neg = Float64Array.from(w);
    neg[3] = -1e-3;
    expectCode(() => spectrum(phi, { weights: neg, via: 'svd' }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => spectrumAsync(phi, { via: 'qr' as never }), 'ERR_INVALID_ARGUMENT');
  });
});

describe('rankReport on a known spectrum', () => {
  const N = 100;
  const scale = 1.7;
  const w = trapezoid(N, 0, 5);
  const lambda = [9, 6.5, 3, 2.9, 1.2, 0.5, 0.2, 0.11, 0.04, 0.01, 3e-3, 1e-3];
  const ref = measuresRef(lambda);
  const phi = asInput(knownFeatures({ N, lambda, weights: w, scale, seed: 2001 }));
  const opts = { weights: w, scale };

  it("default: method 'svd', every field, closed forms to 1e-10", () => {
    const r = rankReport(phi, { ...opts, eps: 0.15 });
    expect(Object.keys(r).sort()).toEqual(
      ['N', 'approximateRank', 'dtype', 'eigenvalues', 'entropyRank', 'epsRank', 'lambdaMax', 'method', 'n', 'numericalRank', 'participationRatio', 'side', 'stableRank'].sort(),
    );
    expect(r.method).toBe('svd');
    expect(r.dtype).toBe('float64');
    expect(r.N).toBe(N);
    expect(r.n).toBe(12);
    expect(relErr(r.lambdaMax, 9)).toBeLessThan(1e-12);
    expectSpectrum(r.eigenvalues, lambda, 1e-13 * 9, 1e-11);
    expect(r.epsRank).toBe(7);
    expect(r.numericalRank).toBe(12);
    expect(relErr(r.entropyRank, ref.entropySigma)).toBeLessThan(1e-10);
    expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-10);
    expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-10);
    expect(r.approximateRank).toBe(ref.approximate);
  });

  it("method 'eigen' gives the same closed forms", () => {
    const r = rankReport(phi, { ...opts, eps: [20, 3.5, 0.15, 2e-3], method: 'eigen' });
    expect(r.method).toBe('eigen');
    expect(r.epsRank).toEqual([0, 2, 7, 11]);
    expect(r.numericalRank).toBe(12);
    expect(relErr(r.lambdaMax, 9)).toBeLessThan(1e-12);
    expect(relErr(r.entropyRank, ref.entropySigma)).toBeLessThan(1e-10);
    expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-10);
    expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-10);
    expect(r.approximateRank).toBe(ref.approximate);
  });

  it("p: 'lambda', custom energy, relative ε", () => {
    const energy = 0.9;
    const ref90 = measuresRef(lambda, energy);
    for (const method of ['auto', 'svd', 'eigen'] as const) {
      const r = rankReport(phi, { ...opts, eps: [0.5, 0.01], relative: true, p: 'lambda', energy, method });
      expect(relErr(r.entropyRank, ref90.entropyLambda)).toBeLessThan(1e-10);
      expect(r.approximateRank).toBe(ref90.approximate);
      expect(r.epsRank).toEqual([lambda.filter((l) => l > 4.5).length, lambda.filter((l) => l > 0.09).length]);
    }
    // The reference itself distinguishes the options (so the assertions above can fail).
    expect(ref90.approximate).not.toBe(ref.approximate);
    expect(Math.abs(ref.entropyLambda - ref.entropySigma)).toBeGreaterThan(0.1);
  });

  it('float32 features: dtype float32, closed forms to float32 accuracy', () => {
    const r = rankReport(toF32(phi), { ...opts, eps: 0.15 });
    expect(r.dtype).toBe('float32');
    expect(r.method).toBe('svd');
    expect(r.epsRank).toBe(7);
    expect(r.numericalRank).toBe(12);
    expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-5);
    expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-5);
    expect(relErr(r.entropyRank, ref.entropySigma)).toBeLessThan(1e-5);
  });

  it('center: true reports the measures of the centred features', () => {
    const p0 = knownFeatures({ N, lambda, weights: w, scale, zeroMean: true, seed: 2002 });
    const p = asInput(addRowOffset(p0, Array.from({ length: 12 }, (_, j) => (j % 3) - 1 + 0.25 * j)));
    for (const method of ['svd', 'eigen'] as const) {
      const r = rankReport(p, { ...opts, center: true, eps: 0.15, method });
      expect(relErr(r.lambdaMax, 9)).toBeLessThan(1e-11);
      expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-10);
      expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-10);
      expect(relErr(r.entropyRank, ref.entropySigma)).toBeLessThan(1e-10);
      expect(r.epsRank).toBe(7);
    }
  });

  it('numericalRank counts the exact rank of a rank-deficient weighted feature matrix', () => {
    const a = asInput(exactRankDeficient(60, 20, 7, 2003));
    const ww = trapezoid(60);
    for (const method of ['auto', 'svd', 'eigen'] as const) {
      const r = rankReport(a, { weights: ww, scale: 3, eps: 1e-30, method });
      expect(r.numericalRank, method).toBe(7);
    }
    // float32 copy: still exact rank 7 (power-of-two factors are exact in float32 too).
    expect(rankReport(toF32(a), { weights: ww, eps: 1e-3 }).numericalRank).toBe(7);
    // The SVD route resolves all 20 columns' λ: 7 positive, 13 at rounding level.
    const r = rankReport(a, { weights: ww, eps: 1e-20, relative: true });
    expect(r.epsRank).toBe(7);
  });

  it('on a GramAccumulator: method eigen, N = rows, closed forms', () => {
    const acc = new GramAccumulator(12);
    acc.add(phi, w);
    const r = rankReport(acc, { scale, eps: 0.15 });
    expect(r.method).toBe('eigen');
    expect(r.dtype).toBe('float64');
    expect(r.N).toBe(N);
    expect(r.n).toBe(12);
    expect(relErr(r.lambdaMax, 9)).toBeLessThan(1e-12);
    expect(r.epsRank).toBe(7);
    expect(r.numericalRank).toBe(12);
    expect(relErr(r.entropyRank, ref.entropySigma)).toBeLessThan(1e-10);
    expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-10);
    expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-10);
    expect(r.approximateRank).toBe(ref.approximate);
    expectCode(() => rankReport(acc, { eps: 0.1, method: 'svd' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => rankReport(acc, { eps: 0.1, weights: w }), 'ERR_INVALID_ARGUMENT');
  });

  it('rankReportAsync equals rankReport', async () => {
    for (const method of ['auto', 'svd', 'eigen'] as const) {
      const o = { ...opts, eps: [0.15, 1e-3], method, p: 'lambda' as const };
      expect(await rankReportAsync(phi, o)).toEqual(rankReport(phi, o));
    }
    await expectRejectCode(() => rankReportAsync(phi, { eps: 0 }), 'ERR_INVALID_ARGUMENT');
  });

  it('rejects bad options', () => {
    const bad: Record<string, unknown>[] = [
      { eps: 0 },
      { eps: -1 },
      { eps: NaN },
      { eps: [] as number[] },
      { eps: 'x' },
      { eps: [0.1, -0.1] },
      { eps: 0.1, method: 'inertia' },
      { eps: 0.1, method: 'x' },
      { eps: 0.1, relative: 1 },
      { eps: 0.1, p: 'entropy' },
      { eps: 0.1, energy: 0 },
      { eps: 0.1, energy: 1.5 },
      { eps: 0.1, scale: 0 },
      { eps: 0.1, scale: -1 },
      { eps: 0.1, weights: [1, 2, 3] },
    ];
    for (const o of bad) expectCode(() => rankReport(phi, o as never), 'ERR_INVALID_ARGUMENT');
    expectCode(() => rankReport(phi, undefined as never), 'ERR_INVALID_ARGUMENT');
  });
});

describe('properties', () => {

  function randomFeatures(seed: number, N: number, n: number, weighted: boolean) {
    const rng = new Rng(seed);
    const data = rng.normals(N * n);
    const weights = weighted ? Float64Array.from({ length: N }, () => rng.range(0.05, 2)) : undefined;
    return { f: { data, rows: N, cols: n }, weights };
  }

  it('spectrum (both routes) matches Jacobi eigenvalues of the JS Gram', () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ({ seed, N, n, weighted, scale }, center) => {
        const { f, weights } = randomFeatures(seed, N, n, weighted);
        let src = f;
        if (center) {
          // Plain-JS weighted centring.
          const mu = new Float64Array(n);
          let tw = 0;
          for (let i = 0; i < N; i++) {
            const wi = weights ? weights[i]! : 1;
            tw += wi;
            for (let j = 0; j < n; j++) mu[j]! += wi * f.data[i * n + j]!;
          }
          const c = new Float64Array(N * n);
          for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) c[i * n + j] = f.data[i * n + j]! - mu[j]! / tw;
          src = { data: c, rows: N, cols: n };
        }
        const want = descending(jacobiEigenvalues(gramRef(src, { weights, scale }))).map((x) => Math.max(x, 0));
        // Centring cancels: errors scale with the uncentred Gram's size (its trace).
        const g0 = gramRef(f, { weights, scale });
        let trace = 0;
        for (let i = 0; i < n; i++) trace += g0.data[i * n + i]!;
        const tol = 1e-12 * trace;
        for (const via of ['gram', 'svd'] as const) {
          const got = spectrum(f, { weights, scale, center, via });
          expect(got.length).toBe(n);
          for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rankReport measures match the closed forms of the Jacobi spectrum (well-conditioned cases)', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('sigma', 'lambda'), ({ seed, N, n, weighted, scale }, p) => {
        const rows = Math.max(N, n + 3); // tall Gaussian: smallest λ well away from 0
        const { f, weights } = randomFeatures(seed, rows, n, weighted);
        const lam = descending(jacobiEigenvalues(gramRef(f, { weights, scale })));
        const ref = measuresRef(lam);
        const r = rankReport(f, { weights, scale, eps: lam[0]! / 2, p: p as 'sigma' | 'lambda' });
        expect(relErr(r.lambdaMax, lam[0]!)).toBeLessThan(1e-12);
        expect(relErr(r.stableRank, ref.stable)).toBeLessThan(1e-10);
        expect(relErr(r.participationRatio, ref.participation)).toBeLessThan(1e-10);
        expect(relErr(r.entropyRank, p === 'sigma' ? ref.entropySigma : ref.entropyLambda)).toBeLessThan(1e-9);
        // Orderings implied by the definitions: 1 ≤ stable ≤ participation ≤ exp(H(λ)) ≤ n.
        const eLam = rankReport(f, { weights, scale, eps: 1, p: 'lambda' }).entropyRank;
        expect(r.stableRank).toBeGreaterThanOrEqual(1 - 1e-12);
        expect(r.participationRatio).toBeGreaterThanOrEqual(r.stableRank * (1 - 1e-12));
        expect(eLam).toBeGreaterThanOrEqual(r.participationRatio * (1 - 1e-12));
        expect(eLam).toBeLessThanOrEqual(n * (1 + 1e-12));
        expect(r.numericalRank).toBe(n);
      }),
      { numRuns: 60 },
    );
  });
});
