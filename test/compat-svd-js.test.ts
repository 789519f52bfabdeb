import { describe, it, expect } from 'vitest';
import { SVD as peerSVD } from 'svd-js';
import { SVD } from '../src/compat/svd-js.js';
import { randomMatrix, transpose, matmul, reconstruct, maxAbsDiff, identity, columns, GOLUB_REINSCH } from './helpers/nested.js';

// ---------------------------------------------------------------- helpers

/** svd-js's result with q sorted descending and the columns of u and v permuted along. */
function sortedPeer(r: { u: number[][]; q: number[]; v: number[][] }): { u: number[][]; q: number[]; v: number[][] } {
  const order = r.q.map((_, i) => i).sort((i, j) => r.q[j]! - r.q[i]!);
  return { q: order.map((i) => r.q[i]!), u: columns(r.u, order), v: columns(r.v, order) };
}

// ---------------------------------------------------------------- tests

describe('effrank/compat/svd-js SVD', () => {
  it.each([
    [6, 4, 1],
    [10, 10, 2],
    [20, 7, 3],
    [3, 1, 4],
    [5, 5, 5],
  ])('matches svd-js on a random %i×%i matrix (seed %i)', (m, n, seed) => {
    const a = randomMatrix(m, n, seed);
    const ours = SVD(a);
    const peer = sortedPeer(peerSVD(a));

    expect(ours.u.length).toBe(m);
    expect(ours.u[0]!.length).toBe(n);
    expect(ours.q.length).toBe(n);
    expect(ours.v.length).toBe(n);
    expect(ours.v[0]!.length).toBe(n);

    // Same values (svd-js's sorted), each to 1e-12 relative to the norm.
    ours.q.forEach((s, i) => expect(Math.abs(s - peer.q[i]!)).toBeLessThan(1e-12 * ours.q[0]!));
    // Both reconstruct a.
    expect(maxAbsDiff(reconstruct(ours.u, ours.q, ours.v), a)).toBeLessThan(1e-13);
    expect(maxAbsDiff(reconstruct(peer.u, peer.q, peer.v), a)).toBeLessThan(1e-13);
    // Orthonormal columns.
    expect(maxAbsDiff(matmul(transpose(ours.u), ours.u), identity(n))).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(ours.v), ours.v), identity(n))).toBeLessThan(1e-13);
    // Same singular vectors up to sign: |Uᵀ·U_peer| ≈ I (random spectra are well separated).
    const cu = matmul(transpose(ours.u), peer.u).map((row) => row.map(Math.abs));
    const cv = matmul(transpose(ours.v), peer.v).map((row) => row.map(Math.abs));
    expect(maxAbsDiff(cu, identity(n))).toBeLessThan(1e-8);
    expect(maxAbsDiff(cv, identity(n))).toBeLessThan(1e-8);
  });

  it('sorts q descending where svd-js does not (the 4×2 example)', () => {
    const a = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const peer = peerSVD(a);
    // svd-js's order here is ascending.
    expect(peer.q[0]).toBeCloseTo(0.6268, 4);
    expect(peer.q[1]).toBeCloseTo(14.2691, 4);
    const ours = SVD(a);
    expect(ours.q[0]).toBeCloseTo(14.2691, 4);
    expect(ours.q[1]).toBeCloseTo(0.6268, 4);
    expect(maxAbsDiff(reconstruct(ours.u, ours.q, ours.v), a)).toBeLessThan(1e-13);
  });

  it('gives √1248, 20, √384, 0, 0 for the Golub–Reinsch 8×5 matrix, zeros exact like svd-js', () => {
    const ours = SVD(GOLUB_REINSCH);
    const expected = [Math.sqrt(1248), 20, Math.sqrt(384), 0, 0];
    ours.q.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1e-12));
    expect(ours.q[3]).toBe(0);
    expect(ours.q[4]).toBe(0);
    const peer = sortedPeer(peerSVD(GOLUB_REINSCH));
    expect(peer.q.slice(3)).toEqual([0, 0]);
    peer.q.forEach((s, i) => expect(Math.abs(s - ours.q[i]!)).toBeLessThan(1e-12));
    expect(maxAbsDiff(reconstruct(ours.u, ours.q, ours.v), GOLUB_REINSCH)).toBeLessThan(1e-12);
    // u keeps orthonormal columns even for the zero singular values.
    expect(maxAbsDiff(matmul(transpose(ours.u), ours.u), identity(5))).toBeLessThan(1e-13);
  });

  it("withu = 'f' gives an m×m u whose extra columns span the null space of aᵀ, as svd-js's do", () => {
    const a = randomMatrix(7, 3, 11);
    const ours = SVD(a, 'f');
    const peer = peerSVD(a, 'f');
    expect(ours.u.length).toBe(7);
    expect(ours.u[0]!.length).toBe(7);
    expect(peer.u[0]!.length).toBe(7);
    expect(maxAbsDiff(matmul(transpose(ours.u), ours.u), identity(7))).toBeLessThan(1e-13);
    // aᵀ·u_extra = 0
    const extra = columns(ours.u, [3, 4, 5, 6]);
    const at = matmul(transpose(a), extra);
    expect(maxAbsDiff(at, at.map((row) => row.map(() => 0)))).toBeLessThan(1e-13);
    // Same subspace as svd-js's extra columns: equal projectors.
    const peerExtra = columns(peer.u, [3, 4, 5, 6]);
    expect(maxAbsDiff(matmul(extra, transpose(extra)), matmul(peerExtra, transpose(peerExtra)))).toBeLessThan(1e-12);
    // The first n columns still reconstruct a.
    expect(maxAbsDiff(reconstruct(columns(ours.u, [0, 1, 2]), ours.q, ours.v), a)).toBeLessThan(1e-13);
  });

  it('zero-fills unrequested vectors (svd-js leaves working storage in u)', () => {
    const a = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const ours = SVD(a, false, false);
    expect(ours.u).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(ours.v).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ours.q[0]).toBeCloseTo(14.2691, 4);
    const peer = peerSVD(a, false, false);
    expect(peer.v).toEqual(ours.v);
    expect(peer.u.flat().some((x) => x !== 0)).toBe(true);

    const onlyV = SVD(a, false, true);
    expect(onlyV.u.flat().every((x) => x === 0)).toBe(true);
    expect(maxAbsDiff(matmul(transpose(onlyV.v), onlyV.v), identity(2))).toBeLessThan(1e-14);
    const onlyU = SVD(a, true, false);
    expect(onlyU.v.flat().every((x) => x === 0)).toBe(true);
    expect(maxAbsDiff(matmul(transpose(onlyU.u), onlyU.u), identity(2))).toBeLessThan(1e-14);
  });

  it('gives correct values for rank-deficient input where svd-js gives NaN', () => {
    const a = [
      [1, 1],
      [2, 2],
    ];
    const peer = peerSVD(a);
    expect(peer.q.some(Number.isNaN)).toBe(true);
    const ours = SVD(a);
    expect(ours.q[0]).toBeCloseTo(Math.sqrt(10), 14);
    expect(ours.q[1]).toBe(0);
    expect(maxAbsDiff(reconstruct(ours.u, ours.q, ours.v), a)).toBeLessThan(1e-14);
    expect(maxAbsDiff(matmul(transpose(ours.v), ours.v), identity(2))).toBeLessThan(1e-14);

    const b = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ];
    expect(peerSVD(b).q.some(Number.isNaN)).toBe(true);
    const rb = SVD(b);
    expect(rb.q[0]).toBeCloseTo(14, 13);
    expect(rb.q.slice(1)).toEqual([0, 0]);
    expect(maxAbsDiff(reconstruct(rb.u, rb.q, rb.v), b)).toBeLessThan(1e-13);
  });

  it('works on wide input where svd-js throws, keeping its shapes', () => {
    const a = randomMatrix(3, 5, 21);
    expect(() => peerSVD(a)).toThrow(new TypeError('Invalid matrix: m < n'));

    const ours = SVD(a);
    expect(ours.u.length).toBe(3);
    expect(ours.u[0]!.length).toBe(5);
    expect(ours.q.length).toBe(5);
    expect(ours.v.length).toBe(5);
    expect(ours.v[0]!.length).toBe(5);
    // Values: those of aᵀ per svd-js, then zeros.
    const peerT = sortedPeer(peerSVD(transpose(a)));
    peerT.q.forEach((s, i) => expect(Math.abs(ours.q[i]! - s)).toBeLessThan(1e-13));
    expect(ours.q.slice(3)).toEqual([0, 0]);
    // The padded columns of u are zero; v is a full orthogonal matrix whose last columns span null(a).
    expect(ours.u.map((row) => row.slice(3)).flat()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(maxAbsDiff(matmul(transpose(ours.v), ours.v), identity(5))).toBeLessThan(1e-13);
    const av = matmul(a, columns(ours.v, [3, 4]));
    expect(maxAbsDiff(av, av.map((row) => row.map(() => 0)))).toBeLessThan(1e-13);
    expect(maxAbsDiff(reconstruct(ours.u, ours.q, ours.v), a)).toBeLessThan(1e-13);
    // u's real columns are svd-js's v of aᵀ, up to sign.
    const cu = matmul(transpose(columns(ours.u, [0, 1, 2])), peerT.v).map((row) => row.map(Math.abs));
    expect(maxAbsDiff(cu, identity(3))).toBeLessThan(1e-8);

    // 'f' on a wide matrix: u is m×m and orthogonal.
    const full = SVD(a, 'f');
    expect(full.u.length).toBe(3);
    expect(full.u[0]!.length).toBe(3);
    expect(maxAbsDiff(matmul(transpose(full.u), full.u), identity(3))).toBeLessThan(1e-13);
    expect(maxAbsDiff(reconstruct(full.u, full.q.slice(0, 3), full.v), a)).toBeLessThan(1e-13);

    // A single row.
    const row = SVD([[3, 4]]);
    expect(row.q).toEqual([5, 0]);
    expect(row.u).toEqual([[1, 0]]);
    expect(maxAbsDiff(reconstruct(row.u, row.q, row.v), [[3, 4]])).toBeLessThan(1e-15);
  });

  it('handles 1×1 input like svd-js', () => {
    expect(SVD([[5]])).toEqual({ u: [[1]], q: [5], v: [[1]] });
    // svd-js's signs differ (u = v = [[-1]]); ours follow effrank's convention (v's largest entry positive).
    const peer = peerSVD([[5]]);
    expect(peer.q).toEqual([5]);
    expect(peer.u[0]![0]! * peer.v[0]![0]!).toBe(1);
    const neg = SVD([[-3]]);
    expect(neg.q).toEqual([3]);
    expect(neg.u[0]![0]! * neg.v[0]![0]!).toBe(-1);
    const peerNeg = peerSVD([[-3]]);
    expect(peerNeg.q).toEqual([3]);
    expect(peerNeg.u[0]![0]! * peerNeg.v[0]![0]!).toBe(-1);
    expect(SVD([[0]]).q).toEqual([0]);
  });

  it('flushes values below eps·q[0] to 0 like svd-js; eps 0 means the default; tol is ignored', () => {
    const a = [
      [1, 0],
      [0, 1e-5],
      [0, 0],
    ];
    expect(SVD(a, true, true, 1e-3).q).toEqual([1, 0]);
    expect(peerSVD(a, true, true, 1e-3).q).toEqual([1, 0]);
    expect(SVD(a, true, true, 1e-6).q).toEqual([1, 1e-5]);
    expect(SVD(a, true, true, 0).q).toEqual([1, 1e-5]);
    expect(SVD(a, true, true, undefined, 123).q).toEqual([1, 1e-5]);
    // svd-js also has an absolute floor (Householder norms² below 1e-64/eps count as 0); effrank does not copy it.
    expect(peerSVD([[1e-30]]).q).toEqual([0]);
    expect(SVD([[1e-30]]).q).toEqual([1e-30]);
  });

  it('keeps working where svd-js overflows to Infinity/NaN', () => {
    const a = [
      [1e200, 2e200],
      [3e200, 4e200],
    ];
    const peer = peerSVD(a);
    expect(peer.q.some((x) => !Number.isFinite(x))).toBe(true);
    const ours = SVD(a);
    expect(ours.q[0]! / 1e200).toBeCloseTo(5.464985704219043, 13);
    expect(ours.q[1]! / 1e200).toBeCloseTo(0.365966190626258, 13);
  });

  it('throws TypeError without a matrix, as svd-js does', () => {
    // @ts-expect-error -- called without arguments on purpose
    expect(() => SVD()).toThrow(new TypeError('Matrix a is not defined'));
    // @ts-expect-error -- called without arguments on purpose
    expect(() => peerSVD()).toThrow(new TypeError('Matrix a is not defined'));
  });
});
