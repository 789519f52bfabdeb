import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import numericCompat, { svd, numeric as numericNamespace } from '../src/compat/numeric.js';
import { EffrankError } from '../src/core/errors.js';
import { randomMatrix, transpose, matmul, reconstruct, maxAbsDiff, identity, columns, GOLUB_REINSCH } from './helpers/nested.js';

// numeric ships no type declarations, so the real peer is loaded through require.
const numeric = createRequire(import.meta.url)('numeric') as {
  svd(a: number[][]): { U: number[][]; S: number[]; V: number[][] };
};

// ---------------------------------------------------------------- helpers

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

// ---------------------------------------------------------------- tests

describe('effrank/compat/numeric svd', () => {
  it.each([
    [6, 4, 1],
    [12, 12, 2],
    [25, 6, 3],
    [4, 1, 4],
  ])('matches numeric.svd on a random %i×%i matrix (seed %i)', (m, n, seed) => {
    const a = randomMatrix(m, n, seed);
    const ours = svd(a);
    const peer = numeric.svd(a);
    expect(ours.U.length).toBe(m);
    expect(ours.U[0]!.length).toBe(n);
    expect(ours.S.length).toBe(n);
    expect(ours.V.length).toBe(n);
    expect(ours.V[0]!.length).toBe(n);
    ours.S.forEach((s, i) => expect(Math.abs(s - peer.S[i]!)).toBeLessThan(1e-12 * ours.S[0]!));
    for (let i = 1; i < n; i++) expect(ours.S[i]!).toBeLessThanOrEqual(ours.S[i - 1]!);
    expect(maxAbsDiff(reconstruct(ours.U, ours.S, ours.V), a)).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(ours.U), ours.U), identity(n))).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(ours.V), ours.V), identity(n))).toBeLessThan(1e-13);
    // Same vectors up to sign.
    const cu = matmul(transpose(ours.U), peer.U).map((row) => row.map(Math.abs));
    const cv = matmul(transpose(ours.V), peer.V).map((row) => row.map(Math.abs));
    expect(maxAbsDiff(cu, identity(n))).toBeLessThan(1e-8);
    expect(maxAbsDiff(cv, identity(n))).toBeLessThan(1e-8);
  });

  it('gives S = [14.2691, 0.6268] for [[1,2],[3,4],[5,6],[7,8]], like numeric', () => {
    const a = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const ours = svd(a);
    const peer = numeric.svd(a);
    expect(ours.S[0]).toBeCloseTo(14.2691, 4);
    expect(ours.S[1]).toBeCloseTo(0.6268, 4);
    expect(peer.S[0]).toBeCloseTo(14.2691, 4);
    expect(peer.S[1]).toBeCloseTo(0.6268, 4);
    expect(maxAbsDiff(reconstruct(ours.U, ours.S, ours.V), a)).toBeLessThan(1e-13);
  });

  it('gives √1248, 20, √384, 0, 0 for the Golub–Reinsch 8×5 matrix, with exact zeros like numeric', () => {
    const ours = svd(GOLUB_REINSCH);
    const peer = numeric.svd(GOLUB_REINSCH);
    const expected = [Math.sqrt(1248), 20, Math.sqrt(384), 0, 0];
    ours.S.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1e-12));
    peer.S.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1e-12));
    expect(ours.S.slice(3)).toEqual([0, 0]);
    expect(peer.S.slice(3)).toEqual([0, 0]);
    expect(maxAbsDiff(reconstruct(ours.U, ours.S, ours.V), GOLUB_REINSCH)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(transpose(ours.U), ours.U), identity(5))).toBeLessThan(1e-13);
  });

  it('gives correct values and orthonormal U for rank-deficient input where numeric gives NaN', () => {
    for (const a of [
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 2],
        [2, 4],
      ],
      [
        [1, 2, 3],
        [2, 4, 6],
        [3, 6, 9],
      ],
    ]) {
      const peer = numeric.svd(a);
      expect(peer.S.some(Number.isNaN)).toBe(true);
      const ours = svd(a);
      const frob = Math.sqrt(a.flat().reduce((acc, x) => acc + x * x, 0)); // rank 1: σ₁ = ‖a‖_F
      expect(Math.abs(ours.S[0]! - frob)).toBeLessThan(1e-14 * frob);
      expect(ours.S.slice(1).every((x) => x === 0)).toBe(true);
      expect(maxAbsDiff(reconstruct(ours.U, ours.S, ours.V), a)).toBeLessThan(1e-13);
      expect(maxAbsDiff(matmul(transpose(ours.U), ours.U), identity(a.length))).toBeLessThan(1e-13);
    }
  });

  it('works on wide input where numeric throws "Need more rows than columns", keeping its shapes', () => {
    const a = randomMatrix(2, 5, 31);
    expect(thrown(() => numeric.svd(a))).toBe('Need more rows than columns');
    const ours = svd(a);
    expect(ours.U.length).toBe(2);
    expect(ours.U[0]!.length).toBe(5);
    expect(ours.S.length).toBe(5);
    expect(ours.V.length).toBe(5);
    expect(ours.V[0]!.length).toBe(5);
    const peerT = numeric.svd(transpose(a));
    peerT.S.forEach((s, i) => expect(Math.abs(ours.S[i]! - s)).toBeLessThan(1e-13));
    expect(ours.S.slice(2)).toEqual([0, 0, 0]);
    expect(ours.U.map((row) => row.slice(2)).flat().every((x) => x === 0)).toBe(true);
    expect(maxAbsDiff(matmul(transpose(ours.V), ours.V), identity(5))).toBeLessThan(1e-13);
    expect(maxAbsDiff(reconstruct(ours.U, ours.S, ours.V), a)).toBeLessThan(1e-13);
    // V's last three columns span the null space of a.
    const av = matmul(a, columns(ours.V, [2, 3, 4]));
    expect(maxAbsDiff(av, av.map((row) => row.map(() => 0)))).toBeLessThan(1e-13);
    // U's real columns are numeric's V of aᵀ, up to sign.
    const cu = matmul(transpose(columns(ours.U, [0, 1])), columns(peerT.V, [0, 1])).map((row) => row.map(Math.abs));
    expect(maxAbsDiff(cu, identity(2))).toBeLessThan(1e-8);
  });

  it("returns a result where numeric throws 'Error: no convergence.'", () => {
    const a = [
      [2, 1e170],
      [1, 0],
    ];
    expect(thrown(() => numeric.svd(a))).toBe('Error: no convergence.');
    const ours = svd(a);
    expect(Math.abs(ours.S[0]! - 1e170)).toBeLessThan(1e155);
    // σ₂ = 1 is below ε·σ₁, so numeric's (relative) rule flushes it to 0.
    expect(ours.S[1]).toBe(0);
    expect(maxAbsDiff(matmul(transpose(ours.U), ours.U), identity(2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(matmul(transpose(ours.V), ours.V), identity(2))).toBeLessThan(1e-15);

    const b = [
      [1e200, 2e200],
      [3e200, 4e200],
    ];
    expect(numeric.svd(b).S.some((x) => !Number.isFinite(x))).toBe(true);
    const rb = svd(b);
    expect(rb.S[0]! / 1e200).toBeCloseTo(5.464985704219043, 13);
    expect(rb.S[1]! / 1e200).toBeCloseTo(0.365966190626258, 13);
  });

  it('handles 1×1 and single-column input like numeric', () => {
    expect(svd([[5]])).toEqual({ U: [[1]], S: [5], V: [[1]] });
    expect(numeric.svd([[5]]).S).toEqual([5]);
    const neg = svd([[-2]]);
    expect(neg.S).toEqual([2]);
    expect(neg.U[0]![0]! * neg.V[0]![0]!).toBe(-1);
    const col = svd([[3], [4]]);
    expect(col.S).toEqual([5]);
    expect(maxAbsDiff(col.U, [[0.6], [0.8]])).toBeLessThan(1e-15);
    expect(numeric.svd([[3], [4]]).S).toEqual([5]);
  });

  it('flushes S below 2.22e-16·S[0] (a relative rule, like numeric), keeps larger tiny values', () => {
    const tiny = svd([
      [1, 0],
      [0, 1e-17],
    ]);
    expect(tiny.S).toEqual([1, 0]);
    expect(
      numeric.svd([
        [1, 0],
        [0, 1e-17],
      ]).S,
    ).toEqual([1, 0]);
    // The rule is relative: scaled down, small values survive in both libraries.
    const scaled = [
      [1e-10, 0],
      [0, 1e-15],
    ];
    expect(svd(scaled).S).toEqual([1e-10, 1e-15]);
    expect(numeric.svd(scaled).S).toEqual([1e-10, 1e-15]);
  });

  it("does not copy numeric's absolute floor (columns with squared norm below 1e-64/ε become 0)", () => {
    expect(numeric.svd([[1e-30]]).S).toEqual([0]);
    expect(svd([[1e-30]]).S).toEqual([1e-30]);
    const tiny = [
      [1e-20, 0],
      [0, 1e-25],
    ];
    expect(numeric.svd(tiny).S).toEqual([1e-20, 0]);
    expect(svd(tiny).S).toEqual([1e-20, 1e-25]);
  });

  it('exposes a numeric-like namespace as the default export', () => {
    expect(numericCompat.svd).toBe(svd);
    expect(numericNamespace).toBe(numericCompat);
    expect(numericCompat.epsilon).toBe(2.220446049250313e-16);
    expect(numericCompat.svd([[0, 2]]).S).toEqual([2, 0]);
  });

  it('rejects bad input with an EffrankError', () => {
    expect(() => svd([])).toThrow(EffrankError);
    expect(() => svd([[1, 2], [3]])).toThrow(EffrankError);
    expect(() => svd([[NaN, 1]])).toThrow(EffrankError);
  });
});
