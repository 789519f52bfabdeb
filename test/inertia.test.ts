import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countEigenvaluesAbove } from '../src/index.js';
import { Rng } from './helpers/rng.js';
import { type Dense, maxAbs, sortedAscending, toFloat32, toNested, withEigenvalues } from './helpers/linalg.js';

/** #{λ > t} from the known spectrum. */
function countAbove(lambda: number[], t: number): number {
  return lambda.filter((x) => x > t).length;
}

/**
 * Thresholds between consecutive distinct eigenvalues (midpoints of gaps at
 * least minGap·|λ|max wide), plus one below all and one above all.
 */
function thresholdsFor(lambda: number[], minGap: number): number[] {
  const sorted = sortedAscending(lambda);
  const span = Math.max(maxAbs(sorted), 1);
  const out = [sorted[0]! - 1, sorted[sorted.length - 1]! + 1];
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap >= minGap * span) out.push((sorted[i]! + sorted[i - 1]!) / 2);
  }
  return out;
}

function checkAllThresholds(a: Dense | Dense<Float32Array>, lambda: number[], minGap: number): number {
  let checked = 0;
  for (const t of thresholdsFor(lambda, minGap)) {
    expect(countEigenvaluesAbove(a, t), `threshold ${t}`).toBe(countAbove(lambda, t));
    checked++;
  }
  return checked;
}

describe('countEigenvaluesAbove against a known spectrum (float64)', () => {
  for (const [n, seed] of [
    [1, 1],
    [7, 2],
    [25, 3],
    [60, 4],
  ] as const) {
    it(`random ${n}×${n} indefinite spectrum, every gap, below all and above all`, () => {
      const rng = new Rng(seed);
      const lambda = Array.from({ length: n }, () => rng.range(-5, 5));
      const a = withEigenvalues(lambda, rng);
      const checked = checkAllThresholds(a, lambda, 1e-6);
      expect(checked).toBeGreaterThanOrEqual(n + 1); // random gaps are all far above 1e-6
      expect(countEigenvaluesAbove(a, -6)).toBe(n);
      expect(countEigenvaluesAbove(a, 6)).toBe(0);
    });
  }

  it('clustered spectrum: repeated, negative and zero eigenvalues, gaps down to ~1.7e-6 relative', () => {
    const lambda = [-3, -3, -3, -1e-3, 0, 0, 0, 1, 1, 1, 1, 1 + 1e-5, 3, 3];
    const a = withEigenvalues(lambda, new Rng(11));
    expect(checkAllThresholds(a, lambda, 1e-6)).toBe(7); // 5 gaps + below + above
    // Hand-picked thresholds inside the clusters' gaps.
    expect(countEigenvaluesAbove(a, 1 + 5e-6)).toBe(3);
    expect(countEigenvaluesAbove(a, 0.5)).toBe(7);
    expect(countEigenvaluesAbove(a, -5e-4)).toBe(10);
    expect(countEigenvaluesAbove(a, -2)).toBe(11);
  });

  it('negative definite and positive definite matrices', () => {
    const neg = [-8, -4, -2, -1, -0.5];
    const a = withEigenvalues(neg, new Rng(12));
    expect(countEigenvaluesAbove(a, 0)).toBe(0);
    expect(countEigenvaluesAbove(a, -0.75)).toBe(1);
    checkAllThresholds(a, neg, 1e-6);
    const pos = [1e-3, 1e-2, 0.1, 1, 10, 100];
    const b = withEigenvalues(pos, new Rng(13));
    expect(countEigenvaluesAbove(b, 0)).toBe(6);
    // Thresholds between eigenvalues spanning five decades (ratio midpoints).
    for (let i = 1; i < pos.length; i++) {
      const t = Math.sqrt(pos[i]! * pos[i - 1]!);
      expect(countEigenvaluesAbove(b, t)).toBe(pos.length - i);
    }
  });

  it('exact cases: diagonal matrices, eigenvalues equal to the threshold are not above it', () => {
    const d = [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ];
    expect(countEigenvaluesAbove(d, 2)).toBe(1);
    expect(countEigenvaluesAbove(d, 1)).toBe(2);
    expect(countEigenvaluesAbove(d, 0.999)).toBe(3);
    expect(countEigenvaluesAbove([[0, 0], [0, 0]], 0)).toBe(0);
    expect(countEigenvaluesAbove([[0, 0], [0, 0]], -1e-300)).toBe(2);
    expect(countEigenvaluesAbove([[5]], 4.999)).toBe(1);
    expect(countEigenvaluesAbove([[5]], 5)).toBe(0);
    // [[0, 1], [1, 0]] has λ = ±1 and a zero diagonal: needs a 2×2 Bunch–Kaufman pivot.
    expect(countEigenvaluesAbove([[0, 1], [1, 0]], 0)).toBe(1);
    expect(countEigenvaluesAbove([[0, 1], [1, 0]], -1.5)).toBe(2);
    expect(countEigenvaluesAbove([[0, 1], [1, 0]], 0.99)).toBe(1);
    expect(countEigenvaluesAbove([[0, 1], [1, 0]], 1.01)).toBe(0);
  });

  it('reads the lower triangle only, and accepts nested input', () => {
    const lambda = [-2, -1, 0.5, 1.5, 4];
    const a = withEigenvalues(lambda, new Rng(14));
    const dirty: Dense = { data: a.data.slice(), rows: 5, cols: 5 };
    const rng = new Rng(15);
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) dirty.data[i * 5 + j] = rng.range(-100, 100);
    checkAllThresholds(dirty, lambda, 1e-6);
    for (const t of thresholdsFor(lambda, 1e-6)) expect(countEigenvaluesAbove(toNested(a), t)).toBe(countAbove(lambda, t));
  });
});

describe('countEigenvaluesAbove on float32 input', () => {
  it('random and clustered spectra, thresholds ≥ 1e-2 relative away', () => {
    const rng = new Rng(21);
    const random = Array.from({ length: 20 }, () => rng.range(-4, 4));
    const clustered = [-2, -2, -2, 0, 0, 1, 1, 1, 1, 2.5, 2.5];
    for (const lambda of [random, clustered]) {
      const a = toFloat32(withEigenvalues(lambda, rng));
      expect(checkAllThresholds(a, lambda, 1e-2)).toBeGreaterThan(2);
      expect(countEigenvaluesAbove(a, -100)).toBe(lambda.length);
      expect(countEigenvaluesAbove(a, 100)).toBe(0);
    }
  });

  it('thresholds beyond the float32 range still count all or nothing', () => {
    const lambda = [-3, -1, 2, 5];
    const a = toFloat32(withEigenvalues(lambda, new Rng(22)));
    expect(countEigenvaluesAbove(a, -1e39)).toBe(4);
    expect(countEigenvaluesAbove(a, 1e39)).toBe(0);
    expect(countEigenvaluesAbove(a, -1e300)).toBe(4);
    expect(countEigenvaluesAbove(a, 1e300)).toBe(0);
  });
});

describe('countEigenvaluesAbove properties (fast-check)', () => {
  // Integer spectra give many repeated eigenvalues; half-integer thresholds sit 0.5 away from all of them.
  const input = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.record({
      lambda: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n, maxLength: n }),
      t: fc.integer({ min: -5, max: 4 }).map((k) => k + 0.5),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      float32: fc.boolean(),
    }),
  );

  it('equals the count from the known spectrum, in [0, n]', () => {
    fc.assert(
      fc.property(input, ({ lambda, t, seed, float32 }) => {
        const a64 = withEigenvalues(lambda, new Rng(seed));
        const count = countEigenvaluesAbove(float32 ? toFloat32(a64) : a64, t);
        expect(Number.isInteger(count)).toBe(true);
        expect(count).toBe(countAbove(lambda, t));
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
