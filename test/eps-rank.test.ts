/**
 * epsRank / epsRankDetailed on features whose Gram spectrum is known by
 * construction (see test/helpers-rank/known.ts), for every method, dtype,
 * single and multiple ε, absolute and relative thresholds, centring,
 * async twins, option validation, and fast-check properties against a
 * plain-JS Jacobi eigenvalue reference.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type EpsRankMethod,
  epsRank,
  epsRankAsync,
  epsRankDetailed,
  epsRankDetailedAsync,
} from '../src/index.js';
import { expectCode, expectRejectCode } from './helpers/expect.js';
import { gramRef, jacobiEigenvalues, jacobiSingularValues, maxAbs, toNested } from './helpers/linalg.js';
import {
  Rng,
  addRowOffset,
  asInput,
  descending,
  epsBetween,
  geometric,
  knownFeatures,
  relErr,
  toF32,
  roughWeights,
  trapezoid,
  caseArb,
} from './helpers-rank/known.js';

const METHODS: EpsRankMethod[] = ['auto', 'inertia', 'eigen', 'svd'];

describe('reference construction (plain JS, no library)', () => {
  it('knownFeatures gives M = scale·Φᵀdiag(w)Φ with the target eigenvalues', () => {
    const lambda = [4, 2.5, 1, 0.3, 0.05, 1e-3];
    const w = trapezoid(40);
    const phi = knownFeatures({ N: 40, lambda, weights: w, scale: 2.5, seed: 11 });
    const ev = descending(jacobiEigenvalues(gramRef(phi, { weights: w, scale: 2.5 })));
    for (let i = 0; i < lambda.length; i++) expect(Math.abs(ev[i]! - lambda[i]!)).toBeLessThan(1e-13 * 4);
  });

  it('zeroMean features have zero weighted column means', () => {
    const w = trapezoid(30);
    const phi = knownFeatures({ N: 30, lambda: [3, 1, 0.5], weights: w, zeroMean: true, seed: 3 });
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let i = 0; i < 30; i++) m += w[i]! * phi.data[i * 3 + j]!;
      expect(Math.abs(m)).toBeLessThan(1e-14);
    }
  });
});

describe('epsRank on float64 features with a known spectrum (rough weights, scale ≠ 1)', () => {
  const N = 120;
  const scale = 3.7;
  const w = roughWeights(N, 100, -1, 2);
  const lambda = geometric(24, 5.3, 0.35); // 5.3 … 1.7e-10 (3e-11·λ_max)
  const lmax = lambda[0]!;
  const phi = asInput(knownFeatures({ N, lambda, weights: w, scale, seed: 101 }));
  const { eps, counts } = epsBetween(lambda);
  const opts = { weights: w, scale };

  for (const method of METHODS) {
    it(`method '${method}': every single absolute ε`, () => {
      for (let k = 0; k < eps.length; k++) {
        expect(epsRank(phi, { ...opts, eps: eps[k]!, method }), `ε = ${eps[k]}`).toBe(counts[k]);
      }
    });

    it(`method '${method}': all absolute ε at once, with details`, () => {
      const d = epsRankDetailed(phi, { ...opts, eps, method });
      expect(d.counts).toEqual(counts);
      expect(epsRank(phi, { ...opts, eps, method })).toEqual(counts);
      expect(d.thresholds).toEqual(eps);
      expect(d.N).toBe(N);
      expect(d.n).toBe(24);
      expect(d.dtype).toBe('float64');
      if (method !== 'auto') expect(d.method).toBe(method);
      if (d.method === 'inertia') {
        expect(d.lambdaMax).toBeNull();
        expect(d.eigenvalues).toBeNull();
      } else {
        expect(relErr(d.lambdaMax!, lmax)).toBeLessThan(1e-12);
        expect(d.eigenvalues!.length).toBe(24);
        for (let i = 0; i < 24; i++) expect(Math.abs(d.eigenvalues![i]! - lambda[i]!)).toBeLessThan(1e-12 * lmax);
      }
    });

    if (method === 'inertia') {
      it("method 'inertia' refuses a relative ε", () => {
        expectCode(() => epsRank(phi, { ...opts, eps: 1e-3, relative: true, method }), 'ERR_INVALID_ARGUMENT');
      });
      continue;
    }

    it(`method '${method}': relative ε, single and as an array`, () => {
      const rel = eps.map((e) => e / lmax);
      for (let k = 0; k < rel.length; k++) {
        expect(epsRank(phi, { ...opts, eps: rel[k]!, relative: true, method }), `ε_rel = ${rel[k]}`).toBe(counts[k]);
      }
      const d = epsRankDetailed(phi, { ...opts, eps: rel, relative: true, method });
      expect(d.counts).toEqual(counts);
      for (let k = 0; k < rel.length; k++) expect(relErr(d.thresholds[k]!, eps[k]!)).toBeLessThan(1e-12);
      expect(relErr(d.lambdaMax!, lmax)).toBeLessThan(1e-12);
    });
  }

  it('takes nested number[][] features and a Float64Array of ε', () => {
    const nested = toNested(phi);
    expect(epsRank(nested, { ...opts, eps: eps[5]! })).toBe(counts[5]);
    expect(epsRankDetailed(nested, { ...opts, eps: Float64Array.from(eps) as unknown as number[] }).counts).toEqual(counts);
  });

  it('ε within 1e-6 relative above / below an eigenvalue lands on the right side', () => {
    const l3 = lambda[3]!;
    for (const method of METHODS) {
      expect(epsRank(phi, { ...opts, eps: l3 * (1 + 1e-6), method })).toBe(3);
      expect(epsRank(phi, { ...opts, eps: l3 * (1 - 1e-6), method })).toBe(4);
    }
  });
});

describe('epsRank on float32 features with a known spectrum', () => {
  const N = 150;
  const scale = 0.6;
  const w = trapezoid(N, 0, 3);
  const lambda = geometric(16, 2, 0.4); // 2 … 2.1e-6
  const lmax = lambda[0]!;
  const phi = toF32(knownFeatures({ N, lambda, weights: w, scale, seed: 202 }));
  const gramSafe = epsBetween(lambda, 1e-4); // the Gram methods resolve ε ≥ ~1e-4·λ_max in float32
  const all = epsBetween(lambda);
  const opts = { weights: w, scale };

  for (const method of METHODS) {
    const { eps, counts } = method === 'svd' ? all : gramSafe;
    it(`method '${method}': single and arrays of ε (ε ≥ ${method === 'svd' ? 'λ_min/2' : '1e-4·λ_max'})`, () => {
      expect(eps.length).toBeGreaterThanOrEqual(method === 'svd' ? 17 : 10);
      for (let k = 0; k < eps.length; k++) {
        expect(epsRank(phi, { ...opts, eps: eps[k]!, method }), `ε = ${eps[k]}`).toBe(counts[k]);
      }
      const d = epsRankDetailed(phi, { ...opts, eps, method });
      expect(d.counts).toEqual(counts);
      expect(d.dtype).toBe('float32');
      if (method !== 'auto') expect(d.method).toBe(method);
      if (method !== 'inertia') {
        const rel = eps.map((e) => e / lmax);
        expect(epsRank(phi, { ...opts, eps: rel, relative: true, method })).toEqual(counts);
        const one = Math.floor(rel.length / 2);
        expect(epsRank(phi, { ...opts, eps: rel[one]!, relative: true, method })).toBe(counts[one]);
      }
    });
  }

  it("'auto' with a moderate ε stays on the float32 Gram", () => {
    const d = epsRankDetailed(phi, { ...opts, eps: 1e-3, relative: true });
    expect(d.method).not.toBe('svd');
    expect(d.counts).toEqual([lambda.filter((l) => l > 1e-3 * lmax).length]);
  });
});

describe("'auto' does not trust the Gram below its resolution", () => {
  // λ = 1, 10^-0.5, 10^-1.5, …, 10^-11.5: nothing within a factor 3 of 1e-9.
  const lambda = [1, ...Array.from({ length: 12 }, (_, i) => 10 ** -(i + 0.5))];
  const N = 200;
  const scale = 2.5;
  const w = trapezoid(N);
  const phi64 = knownFeatures({ N, lambda, weights: w, scale, seed: 303 });
  const phi = toF32(phi64);
  const expected = lambda.filter((l) => l > 1e-9).length; // 10
  const opts = { weights: w, scale };

  it('float32, ε = 1e-9·λ_max relative → a float64 Gram (it resolves 2.2e-14·λ_max) and the right count', () => {
    expect(expected).toBe(10);
    const d = epsRankDetailed(phi, { ...opts, eps: 1e-9, relative: true });
    expect(d.method).toBe('eigen');
    expect(d.dtype).toBe('float64');
    expect(d.counts).toEqual([expected]);
    expect(relErr(d.lambdaMax!, 1)).toBeLessThan(1e-5);
  });

  it('float32, ε = 1e-9·λ_max absolute (single) → inertia on a float64 Gram and the right count', () => {
    const d = epsRankDetailed(phi, { ...opts, eps: 1e-9 });
    expect(d.method).toBe('inertia');
    expect(d.dtype).toBe('float64');
    expect(d.counts).toEqual([expected]);
  });

  it('float32, several ε one of which is tiny → float64 eigenvalues, all counts right', () => {
    const eps = [3e-1, 3e-4, 1e-9];
    const d = epsRankDetailed(phi, { ...opts, eps });
    expect(d.method).toBe('eigen');
    expect(d.dtype).toBe('float64');
    expect(d.counts).toEqual(eps.map((e) => lambda.filter((l) => l > e).length));
  });

  it('float32, ε below what even a float64 Gram resolves → svd in float32', () => {
    const d = epsRankDetailed(phi, { ...opts, eps: 1e-15, relative: true });
    expect(d.method).toBe('svd');
    expect(d.dtype).toBe('float32');
    expect(d.side).toBe('svd');
  });

  it('float32 with a large ε stays on a float32 Gram', () => {
    const d = epsRankDetailed(phi, { ...opts, eps: [0.5, 0.05] });
    expect(d.method).toBe('eigen');
    expect(d.dtype).toBe('float32');
    expect(d.counts).toEqual([0.5, 0.05].map((e) => lambda.filter((l) => l > e).length));
  });

  it('float64 features resolve 1e-9 on the Gram (auto keeps a Gram method)', () => {
    const d = epsRankDetailed(asInput(phi64), { ...opts, eps: 1e-9, relative: true });
    expect(d.method).toBe('eigen');
    expect(d.counts).toEqual([expected]);
  });

  it('float64, ε far below 1e-14·λ_max → svd with exact counts down to 1e-20', () => {
    const deep = Array.from({ length: 11 }, (_, i) => 10 ** (-2 * i)); // 1 … 1e-20
    const f = asInput(knownFeatures({ N: 60, lambda: deep, weights: trapezoid(60), scale: 1.5, seed: 304 }));
    const o = { weights: trapezoid(60), scale: 1.5 };
    const { eps, counts } = epsBetween(deep);
    const d = epsRankDetailed(f, { ...o, eps: 1e-17, relative: true });
    expect(d.method).toBe('svd');
    expect(d.counts).toEqual([9]);
    expect(epsRankDetailed(f, { ...o, eps: 1e-17 }).method).toBe('svd');
    expect(epsRank(f, { ...o, eps: 1e-17 })).toBe(9);
    expect(epsRank(f, { ...o, eps, method: 'svd' })).toEqual(counts);
    expect(epsRank(f, { ...o, eps: eps.map((e) => e / deep[0]!), relative: true })).toEqual(counts);
  });

  it("documented 'auto' choices: one absolute ε well above resolution → inertia; several → eigen", () => {
    const f = asInput(phi64);
    const one = epsRankDetailed(f, { ...opts, eps: 0.05 });
    expect(one.method).toBe('inertia');
    expect(one.counts).toEqual([lambda.filter((l) => l > 0.05).length]);
    const many = epsRankDetailed(f, { ...opts, eps: [0.05, 0.005] });
    expect(many.method).toBe('eigen');
    expect(many.counts).toEqual([0.05, 0.005].map((e) => lambda.filter((l) => l > e).length));
  });
});

describe('center: true', () => {
  const N = 90;
  const scale = 1.8;
  const w = roughWeights(N, 400, 0, 2);
  const lambda = geometric(12, 3, 0.3); // 3 … 5.3e-6
  const phi0 = knownFeatures({ N, lambda, weights: w, scale, zeroMean: true, seed: 404 });
  const rng = new Rng(405);
  const b = Array.from({ length: 12 }, () => 0.5 * rng.normal() * maxAbs(phi0.data));
  const phi = addRowOffset(phi0, b);
  const opts = { weights: w, scale, center: true };

  it('float64: every method counts the known spectrum of the centred features', () => {
    const { eps, counts } = epsBetween(lambda);
    for (const method of METHODS) {
      expect(epsRank(asInput(phi), { ...opts, eps, method }), method).toEqual(counts);
      for (let k = 0; k < eps.length; k += 3) {
        expect(epsRank(asInput(phi), { ...opts, eps: eps[k]!, method })).toBe(counts[k]);
      }
    }
  });

  it('the offset matters: without centring the counts differ (the test can see centring)', () => {
    const { eps, counts } = epsBetween(lambda);
    expect(epsRank(asInput(phi), { weights: w, scale, eps, method: 'eigen' })).not.toEqual(counts);
  });

  it('float32: the Gram methods for ε ≥ 1e-4·λ_max, svd for all', () => {
    const f = toF32(phi);
    const safe = epsBetween(lambda, 1e-4);
    for (const method of ['auto', 'inertia', 'eigen'] as const) {
      expect(epsRank(f, { ...opts, eps: safe.eps, method }), method).toEqual(safe.counts);
    }
    const all = epsBetween(lambda);
    expect(epsRank(f, { ...opts, eps: all.eps, method: 'svd' })).toEqual(all.counts);
  });

  it('unweighted centring subtracts the plain column means', () => {
    const p0 = knownFeatures({ N: 50, lambda: [2, 0.7, 0.1], zeroMean: true, seed: 406 });
    const p = addRowOffset(p0, [1.5, -2, 0.25]);
    for (const method of METHODS) {
      expect(epsRank(asInput(p), { center: true, eps: [1.2, 0.3, 0.05, 0.01], method })).toEqual([1, 2, 3, 3]);
    }
  });
});

describe('wide features (N < n): the zero eigenvalues are not counted', () => {
  it('N = 10, n = 16: rank ≤ 10', () => {
    const lambda = geometric(10, 1, 0.5);
    const w = trapezoid(10);
    const f = asInput(knownFeatures({ N: 10, lambda, cols: 16, weights: w, scale: 2, seed: 505 }));
    const { eps, counts } = epsBetween(lambda);
    for (const method of METHODS) {
      expect(epsRank(f, { weights: w, scale: 2, eps, method }), method).toEqual(counts);
    }
    const d = epsRankDetailed(f, { weights: w, scale: 2, eps: 1e-3, method: 'svd' });
    expect(d.eigenvalues!.length).toBe(16);
    for (let i = 10; i < 16; i++) expect(d.eigenvalues![i]).toBeLessThan(1e-14);
  });
});

describe('a larger case: 2000 × 128', () => {
  it('every method agrees with the known counts', () => {
    const N = 2000;
    const w = trapezoid(N, 0, 1);
    const lambda = geometric(128, 10, 0.8); // 10 … 5.4e-12
    const phi = asInput(knownFeatures({ N, lambda, weights: w, scale: 4, seed: 606 }));
    const { eps, counts } = epsBetween(lambda);
    const pick = [1, 10, 40, 80, 110, 127].map((k) => eps[k]!);
    const pickCounts = [1, 10, 40, 80, 110, 127].map((k) => counts[k]!);
    for (const method of METHODS) {
      expect(epsRank(phi, { weights: w, scale: 4, eps: pick, method }), method).toEqual(pickCounts);
    }
    expect(epsRank(phi, { weights: w, scale: 4, eps, method: 'eigen' })).toEqual(counts);
    expect(epsRank(toF32(phi), { weights: w, scale: 4, eps: 1e-3 })).toBe(lambda.filter((l) => l > 1e-3).length);
  });
});

describe('async twins', () => {
  const w = trapezoid(64);
  const lambda = geometric(20, 1.3, 0.45);
  const phi = asInput(knownFeatures({ N: 64, lambda, weights: w, scale: 0.7, seed: 707 }));
  const { eps, counts } = epsBetween(lambda);

  it('epsRankAsync / epsRankDetailedAsync equal the sync results and the known counts', async () => {
    for (const method of METHODS) {
      const o = { weights: w, scale: 0.7, eps, method };
      const sync = epsRankDetailed(phi, o);
      const asy = await epsRankDetailedAsync(phi, o);
      expect(asy).toEqual(sync);
      expect(asy.counts).toEqual(counts);
      expect(await epsRankAsync(phi, o)).toEqual(counts);
      expect(await epsRankAsync(phi, { ...o, eps: eps[7]! })).toBe(counts[7]);
    }
    const f32 = toF32(phi);
    expect(await epsRankDetailedAsync(f32, { weights: w, scale: 0.7, eps: 1e-9, relative: true })).toEqual(
      epsRankDetailed(f32, { weights: w, scale: 0.7, eps: 1e-9, relative: true }),
    );
  });

  it('bad options reject (never throw synchronously)', async () => {
    await expectRejectCode(() => epsRankAsync(phi, { eps: -1 }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => epsRankDetailedAsync(phi, { eps: 1e-3, method: 'qr' as never }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => epsRankAsync(phi, { eps: 1e-3, scale: 0 }), 'ERR_INVALID_ARGUMENT');
  });
});

describe('option validation', () => {
  const phi = asInput(knownFeatures({ N: 12, lambda: [1, 0.5, 0.1], seed: 808 }));

  it('rejects bad ε', () => {
    const bad: unknown[] = [0, -1e-3, NaN, Infinity, -Infinity, [], [1e-3, 0], [1e-3, NaN], ['1e-3'], '1e-3', null, undefined, {}, true];
    for (const eps of bad) {
      expectCode(() => epsRank(phi, { eps: eps as number }), 'ERR_INVALID_ARGUMENT');
      expectCode(() => epsRankDetailed(phi, { eps: eps as number, method: 'eigen' }), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => epsRank(phi, undefined as never), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(phi, null as never), 'ERR_INVALID_ARGUMENT');
  });

  it('rejects unknown methods, relative with inertia, non-boolean relative/center', () => {
    for (const method of ['', 'gram', 'SVD', 1]) {
      expectCode(() => epsRank(phi, { eps: 1e-3, method: method as never }), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => epsRank(phi, { eps: 1e-3, relative: true, method: 'inertia' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(phi, { eps: [1e-3, 1e-2], relative: true, method: 'inertia' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(phi, { eps: 1e-3, relative: 'yes' as never }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(phi, { eps: 1e-3, center: 1 as never }), 'ERR_INVALID_ARGUMENT');
  });

  it('rejects bad weights and scale', () => {
    for (const weights of [new Float64Array(11).fill(1), new Float64Array(13).fill(1), [...Array(11).fill(1), -0.1], [...Array(11).fill(1), NaN], 'w']) {
      for (const method of METHODS) {
        expectCode(() => epsRank(phi, { eps: 1e-3, weights: weights as never, method }), 'ERR_INVALID_ARGUMENT');
      }
    }
    for (const scale of [0, -1, NaN, Infinity, '2']) {
      for (const method of METHODS) {
        expectCode(() => epsRank(phi, { eps: 1e-3, scale: scale as never, method }), 'ERR_INVALID_ARGUMENT');
      }
    }
  });
});

/** Random float64 features (Gaussian, sometimes with a column scale spread) and the JS/Jacobi eigenvalues of M. */
function randomCase(seed: number, N: number, n: number, weighted: boolean, scale: number) {
  const rng = new Rng(seed);
  const data = new Float64Array(N * n);
  const colScale = Array.from({ length: n }, () => 10 ** rng.range(-2, 1));
  for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) data[i * n + j] = rng.normal() * colScale[j]!;
  const weights = weighted ? Float64Array.from({ length: N }, () => rng.range(0.05, 2)) : undefined;
  const f = { data, rows: N, cols: n };
  const lam = descending(jacobiEigenvalues(gramRef(f, { weights, scale })));
  return { f, weights, lam };
}

/** Thresholds far (≥ 10 % and ≥ 1e-9·λ_max) from every eigenvalue, with their exact counts. */
function safeThresholds(lam: number[]): { eps: number[]; counts: number[] } {
  const max = lam[0]!;
  const floor = 1e-9 * max; // anything below is treated as (rounding of) zero
  const eps: number[] = [1.5 * max];
  const counts: number[] = [0];
  for (let i = 0; i < lam.length; i++) {
    const hi = lam[i]!;
    const lo = lam[i + 1] ?? 0;
    if (hi <= floor) break;
    if (lo <= floor) {
      eps.push(hi / 3);
      counts.push(i + 1);
      break;
    }
    if (hi / lo >= 1.25) {
      eps.push(Math.sqrt(hi * lo));
      counts.push(i + 1);
    }
  }
  return { eps, counts };
}

describe('properties', () => {

  it('all methods agree with the Jacobi count when ε is far from every eigenvalue', () => {
    fc.assert(
      fc.property(caseArb, ({ seed, N, n, weighted, scale }) => {
        const { f, weights, lam } = randomCase(seed, N, n, weighted, scale);
        const { eps, counts } = safeThresholds(lam);
        for (const method of METHODS) {
          expect(epsRank(f, { eps, weights, scale, method })).toEqual(counts);
          expect(epsRank(f, { eps: eps[eps.length - 1]!, weights, scale, method })).toBe(counts[counts.length - 1]);
          if (method !== 'inertia') {
            expect(epsRank(f, { eps: eps.map((e) => e / lam[0]!), relative: true, weights, scale, method })).toEqual(counts);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('epsRank is non-increasing in ε and bounded by min(N, n)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.array(fc.double({ min: -12, max: 2, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<EpsRankMethod>(...METHODS),
        ({ seed, N, n, weighted, scale }, logs, method) => {
          const { f, weights } = randomCase(seed, N, n, weighted, scale);
          const eps = logs.map((x) => 10 ** x).sort((a, b) => a - b);
          const c = epsRank(f, { eps, weights, scale, method });
          expect(c.length).toBe(eps.length);
          for (let i = 0; i < c.length; i++) {
            expect(c[i]).toBeGreaterThanOrEqual(0);
            expect(c[i]).toBeLessThanOrEqual(Math.min(N, n));
            if (i > 0) expect(c[i]).toBeLessThanOrEqual(c[i - 1]!);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('svd eigenvalues equal scale·σ² of diag(√w)Φ from a one-sided Jacobi SVD', () => {
    fc.assert(
      fc.property(caseArb, ({ seed, N, n, weighted, scale }) => {
        const { f, weights } = randomCase(seed, N, n, weighted, scale);
        const wf = Float64Array.from(f.data);
        if (weights) for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) wf[i * n + j]! *= Math.sqrt(weights[i]!);
        const sig = jacobiSingularValues({ data: wf, rows: N, cols: n });
        const d = epsRankDetailed(f, { eps: 1, weights, scale, method: 'svd' });
        const lmax = scale * sig[0]! ** 2;
        for (let i = 0; i < n; i++) {
          const ref = i < sig.length ? scale * sig[i]! ** 2 : 0;
          expect(Math.abs(d.eigenvalues![i]! - ref)).toBeLessThanOrEqual(1e-12 * lmax);
        }
      }),
      { numRuns: 40 },
    );
  });
});
