/**
 * The spectrum engine on features built with a known spectrum, for N < n
 * (the dual route), N = n and N > n, across the option combinations:
 * weights, scale, center, one ε or several, relative ε, float32 and float64,
 * and every method. References are the construction itself (plain-JS float64)
 * and, for agreement between routes, a GramAccumulator's n×n primal Gram.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GramAccumulator, epsRank, epsRankAsync, epsRankDetailed, rankReport, spectrum, spectrumAsync } from '../src/index.js';
import { addRowOffset, asInput, epsBetween, geometric, knownFeatures, roughWeights, toF32, trapezoid } from './helpers-rank/known.js';
import { gramRef, jacobiEigenvalues, randn } from './helpers/linalg.js';
import { binding } from '../src/native.js';
import { Rng } from './helpers/rng.js';

const SHAPES = [
  [14, 40],
  [18, 18],
  [60, 12],
] as const;

interface Case {
  N: number;
  n: number;
  weights?: Float64Array;
  scale: number;
  center: boolean;
  f32: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [N, n] of SHAPES) {
    for (const weighting of ['none', 'trapezoid', 'rough'] as const) {
      for (const scale of [1, 2.5]) {
        for (const center of [false, true]) {
          for (const f32 of [false, true]) {
            const weights = weighting === 'none' ? undefined : weighting === 'trapezoid' ? trapezoid(N) : roughWeights(N, N * 7 + n);
            out.push({ N, n, weights, scale, center, f32 });
          }
        }
      }
    }
  }
  return out;
}

/** Features with M's non-zero eigenvalues λ (k = min(N, n) − 1 of them); with center, offset columns that centring removes. */
function build(c: Case, seed: number) {
  const k = Math.min(c.N, c.n) - 1;
  const lambda = geometric(k, 3, 0.45);
  let phi = knownFeatures({ N: c.N, lambda, cols: c.n, weights: c.weights, scale: c.scale, zeroMean: c.center, seed });
  if (c.center) phi = addRowOffset(phi, Array.from({ length: c.n }, (_, j) => 0.5 + (j % 5) * 0.3));
  const features = c.f32 ? toF32(phi) : asInput(phi);
  return { features, lambda, options: { weights: c.weights, scale: c.scale, center: c.center } };
}

const label = (c: Case) =>
  `${c.N}×${c.n} ${c.f32 ? 'f32' : 'f64'}${c.weights ? ' weighted' : ''}${c.scale !== 1 ? ' scaled' : ''}${c.center ? ' centred' : ''}`;

describe('exact counts for ε between the known eigenvalues, every method and route', () => {
  cases().forEach((c, i) => {
    it(label(c), () => {
      const { features, lambda, options } = build(c, 1000 + i);
      const { eps, counts } = epsBetween(lambda);
      const lmax = Math.max(...lambda);
      const side = c.N < c.n ? 'dual' : 'primal';
      // Several ε, absolute and relative, from one spectrum.
      for (const method of ['auto', 'eigen', 'svd'] as const) {
        const d = epsRankDetailed(features, { ...options, eps, method });
        expect(d.counts, `${method}: counts`).toEqual(counts);
        expect(d.side).toBe(method === 'svd' ? 'svd' : side);
        expect(d.eigenvalues!.length).toBe(c.n);
        expect(epsRank(features, { ...options, eps: eps.map((e) => e / lmax), relative: true, method }), `${method} relative`).toEqual(counts);
      }
      // One absolute ε: inertia, by default and on request.
      for (let j = 0; j < eps.length; j += 3) {
        const d = epsRankDetailed(features, { ...options, eps: eps[j]! });
        expect(d.method).toBe('inertia');
        expect(d.side).toBe(side);
        expect(d.counts).toEqual([counts[j]]);
        expect(epsRank(features, { ...options, eps: eps[j]!, method: 'inertia' })).toBe(counts[j]);
      }
    });
  });
});

describe('the spectrum itself', () => {
  it.each(SHAPES)('%i×%i: n eigenvalues, the known ones first, then zeros (to rounding)', (N, n) => {
    const c: Case = { N, n, weights: roughWeights(N, 5), scale: 1.3, center: true, f32: false };
    const { features, lambda, options } = build(c, 77);
    const want = [...lambda].sort((a, b) => b - a);
    for (const via of ['gram', 'svd'] as const) {
      const s = spectrum(features, { ...options, via });
      expect(s.length).toBe(n);
      for (let i = 0; i < want.length; i++) expect(Math.abs(s[i]! - want[i]!), `${via} λ${i}`).toBeLessThanOrEqual(1e-11 * want[0]!);
      for (let i = want.length; i < n; i++) expect(Math.abs(s[i]!), `${via} λ${i} = 0`).toBeLessThanOrEqual(1e-11 * want[0]!);
      for (let i = 1; i < n; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
    }
  });

  it('async twins give the same counts and spectrum', async () => {
    const c: Case = { N: 10, n: 33, weights: trapezoid(10), scale: 2, center: true, f32: true };
    const { features, lambda, options } = build(c, 91);
    const { eps, counts } = epsBetween(lambda);
    expect(await epsRankAsync(features, { ...options, eps })).toEqual(counts);
    expect(Array.from(await spectrumAsync(features, options))).toEqual(Array.from(spectrum(features, options)));
  });
});

describe('dual and primal routes agree to rounding', () => {
  it('random wide features: the dual spectrum equals the n×n Gram of a GramAccumulator (primal) to 1e-12·λ_max', () => {
    fc.assert(
      fc.property(
        fc.record({ seed: fc.integer({ min: 1, max: 1e9 }), N: fc.integer({ min: 1, max: 20 }), extra: fc.integer({ min: 1, max: 30 }), center: fc.boolean(), weighted: fc.boolean() }),
        ({ seed, N, extra, center, weighted }) => {
          const n = N + extra;
          const rng = new Rng(seed);
          const x = randn(N, n, rng);
          for (let i = 0; i < x.data.length; i++) x.data[i]! += 1.5;
          const weights = weighted ? Float64Array.from({ length: N }, () => rng.range(0.1, 3)) : undefined;
          const options = { scale: 0.7, center };
          const dual = epsRankDetailed(x, { ...options, weights, eps: [1e-6], relative: true });
          const acc = new GramAccumulator(n).add(x, weights);
          const primal = spectrum(acc, options);
          expect(dual.side).toBe('dual');
          // Rounding is relative to the uncentred Gram (the primal centres by the one-pass G − s·sᵀ/W).
          let trace = 0;
          for (let r = 0; r < N; r++) for (let j = 0; j < n; j++) trace += (weights ? weights[r]! : 1) * x.data[r * n + j]! ** 2;
          const tol = 1e-13 * 0.7 * trace;
          for (let i = 0; i < n; i++) expect(Math.abs(dual.eigenvalues![i]! - primal[i]!)).toBeLessThanOrEqual(tol);
          // Counts compare once M is not zero in exact arithmetic (one centred row is).
          if (!(center && N === 1)) expect(dual.counts).toEqual(epsRank(acc, { ...options, eps: [1e-6], relative: true }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rankReport on wide features: every measure equals the one from the primal Gram', () => {
    const rng = new Rng(3);
    const x = randn(16, 64, rng);
    const r = rankReport(x, { eps: 1e-3, method: 'eigen', scale: 0.5 });
    const p = rankReport(new GramAccumulator(64).add(x), { eps: 1e-3, scale: 0.5 });
    expect(r.side).toBe('dual');
    expect(p.side).toBe('primal');
    expect(r.epsRank).toBe(p.epsRank);
    expect(r.numericalRank).toBe(16);
    expect(p.numericalRank).toBe(16);
    // λ-based measures; σ = √λ would magnify the primal's rounding noise in its 48 zero eigenvalues (the dual's are exact).
    for (const k of ['stableRank', 'participationRatio'] as const) expect(r[k]).toBeCloseTo(p[k], 10);
    const q = rankReport(x, { eps: 1e-3, method: 'eigen', scale: 0.5, p: 'lambda' });
    expect(q.entropyRank).toBeCloseTo(rankReport(new GramAccumulator(64).add(x), { eps: 1e-3, scale: 0.5, p: 'lambda' }).entropyRank, 8);
    expect(r.eigenvalues.subarray(16).every((v) => v === 0)).toBe(true);
  });
});

describe('extreme but finite inputs', () => {
  it('features near 1e150 whose float32 / float64 Gram overflows: a float32 Gram widens to float64; a float64 overflow is ERR_NON_FINITE', () => {
    const f32 = new Float32Array(40 * 3).map((_, i) => (i % 7) * 3e18 + 1e18);
    // (3e19)² · 40 overflows float32 (3.4e38), not float64.
    const d = epsRankDetailed({ data: f32, rows: 40, cols: 3 }, { eps: [1e30] });
    expect(d.dtype).toBe('float64');
    expect(d.counts[0]).toBeGreaterThan(0);
    const f64 = new Float64Array(40 * 3).fill(1e160);
    let err: unknown;
    try {
      epsRankDetailed({ data: f64, rows: 40, cols: 3 }, { eps: [1] });
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('ERR_NON_FINITE');
    expect(String((err as Error).message)).toMatch(/overflows float64/);
    expect(() => rankReport({ data: f64, rows: 40, cols: 3 }, { eps: 1 })).toThrow(/overflows float64/);
  });

  it('a scale that makes M overflow is ERR_NON_FINITE from every function (never Infinity as a result)', () => {
    const x = { data: Float64Array.from({ length: 30 }, (_, i) => 1 + (i % 4)), rows: 10, cols: 3 };
    const calls: (() => unknown)[] = [
      () => epsRankDetailed(x, { eps: 1, scale: 1e308 }),
      () => epsRankDetailed(x, { eps: [1, 2], scale: 1e308 }),
      () => epsRankDetailed(x, { eps: 1, scale: 1e308, method: 'svd' }),
      () => spectrum(x, { scale: 1e308 }),
      () => rankReport(x, { eps: 1, scale: 1e308 }),
      () => epsRank(new GramAccumulator(3).add(x), { eps: 1, scale: 1e308 }),
    ];
    for (const f of calls) expect(f).toThrow(expect.objectContaining({ code: 'ERR_NON_FINITE', message: expect.stringMatching(/overflows/) }));
  });

  it('tiny features (1e-150): counts stay exact (the Gram is subnormal-free above 1e-300)', () => {
    const lambda = [4, 1, 0.25];
    const phi = knownFeatures({ N: 30, lambda, cols: 3, seed: 9 });
    const tiny = Float64Array.from(phi.data, (v) => v * 1e-140);
    expect(epsRank({ data: tiny, rows: 30, cols: 3 }, { eps: [2e-280, 0.5e-280, 0.1e-280] })).toEqual([1, 2, 3]);
  });
});

describe('options', () => {
  it('unknown keys are ERR_INVALID_ARGUMENT naming the key and a close match', () => {
    const x = { data: new Float64Array(6).fill(1), rows: 3, cols: 2 };
    expect(() => epsRank(x, { eps: 1, centre: true } as never)).toThrow(/unknown option 'centre' \(did you mean 'center'\?\)/);
    expect(() => spectrum(x, { vai: 'svd' } as never)).toThrow(/unknown option 'vai'.*'via'/);
    expect(() => rankReport(x, { eps: 1, engery: 0.9 } as never)).toThrow(/unknown option 'engery'.*'energy'/);
    expect(() => epsRank(x, { eps: 1, center: 'yes' } as never)).toThrow(/center must be a boolean/);
  });
});

describe('inputs that cannot be read', () => {
  it('a revoked Proxy as features, weights or a spectrum is ERR_INVALID_ARGUMENT, never a raw TypeError', () => {
    const { proxy, revoke } = Proxy.revocable([1, 2], {});
    revoke();
    const x = { data: new Float64Array(4).fill(1), rows: 2, cols: 2 };
    const calls: (() => unknown)[] = [
      () => epsRank(proxy as never, { eps: 1 }),
      () => spectrum(proxy as never),
      () => rankReport(proxy as never, { eps: 1 }),
      () => epsRank(x, { eps: 1, weights: proxy as never }),
    ];
    for (const f of calls) expect(f).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('one native job where the float32 rung cannot resolve ε (escalateResolution, mayCount)', () => {
  const RES32 = 100 * 2 ** -23;
  const RES64 = 100 * 2 ** -52;
  /** Descending eigenvalues of FᵀF for the float32 data, in float64 JS. */
  const reference = (f: { data: Float32Array; rows: number; cols: number }) =>
    jacobiEigenvalues(gramRef({ data: Float64Array.from(f.data), rows: f.rows, cols: f.cols })).sort((a, b) => b - a);

  it('a known spectrum below float32’s resolution: float64 eigenvalues (or counts) from the float32 job itself', () => {
    const f = toF32(knownFeatures({ N: 60, lambda: geometric(12, 1, 0.1), seed: 41 }));
    const ref = reference(f);
    const eps = new Float64Array([3e-9]);
    const run = (escalate: number, mayCount: boolean) =>
      binding.spectrum(f.data, f.rows, f.cols, null, 1, false, 0, false, eps, RES32, 0, escalate, mayCount);
    const plain = run(0, false);
    expect(plain.unresolved).toBe(true);
    expect(plain.values).toBeNull();
    const wide = run(RES64, false);
    expect(wide.float64).toBe(true);
    expect(wide.counts).toBeNull(); // mayCount false: eigenvalues, never inertia
    wide.values!.forEach((l, k) => expect(Math.abs(l - ref[k]!)).toBeLessThan(1e-12));
    const counted = run(RES64, true);
    expect(counted.float64).toBe(true);
    expect(Array.from(counted.counts!)).toEqual([ref.filter((l) => l > 3e-9).length]);
  });

  it('a shared column offset: λ_max far above every diagonal entry is seen on the float32 Gram, and the job goes on in float64', () => {
    const rng = new Rng(9);
    const rows = 200;
    const cols = 120;
    const data = Float32Array.from({ length: rows * cols }, () => 0.1 + 1e-3 * rng.normal());
    const f = { data, rows, cols };
    const ref = reference(f);
    // Every diagonal entry is ≈ 2, so the diagonal alone would not show that 1e-3 < RES32·λ_max ≈ 2.9e-3.
    expect(ref[0]!).toBeGreaterThan(200);
    const r = binding.spectrum(data, rows, cols, null, 1, false, 0, false, new Float64Array([1e-3]), RES32, 0, RES64, false);
    expect(r.float64).toBe(true);
    expect(Math.abs(r.values![0]! - ref[0]!) / ref[0]!).toBeLessThan(1e-12);
    // Through the public API: the same answer, on a float64 Gram.
    const d = epsRankDetailed(f, { eps: 1e-3 });
    expect(d.dtype).toBe('float64');
    expect(d.counts).toEqual([ref.filter((l) => l > 1e-3).length]);
  }, 30_000);
});
