/**
 * The unrolled 2×2/3×3 SVD kernel (src/linalg/small/unrolled-svd.ts) against
 * independent references: numpy.linalg and mpmath at 250 digits (its convergence test is normwise, so a σ of 1e-100·σ₁ needs
 * far more than 100 digits; one batched
 * python call per group), the LAPACK path (binding.svd, which applies the
 * sign convention natively) and the generic small kernel (reached through a
 * zero-padded 3×4 / 2×3 matrix, which has the same σ, U and signs). Random,
 * rank 0/1/2, repeated-value, graded and extreme inputs, float64 and float32,
 * and fast-check samples. The kernel is called directly as well, to check it
 * did run (it hands unusual matrices to the generic kernel) and that the
 * public functions and adapters return its numbers.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Matrix } from 'ml-matrix';

import { SingularValueDecomposition } from '../src/compat/ml-matrix.js';
import { svd as numericSvd } from '../src/compat/numeric.js';
import { SVD } from '../src/compat/svd-js.js';
import { EffrankError } from '../src/core/errors.js';
import { UNROLLED, U_AT, VT_AT, unrolledSvd2, unrolledSvd3 } from '../src/linalg/small/unrolled-svd.js';
import { svd, svdvals } from '../src/linalg/svd.js';
import { binding } from '../src/native.js';
import { type Dense, dominantEntry, matmul, orthonormalityError, randomOrthogonal, toFloat32 } from './helpers/linalg.js';
import { mpmathSvdvals, python, pythonHas } from './helpers/python.js';
import { Rng } from './helpers/rng.js';

const HAS_NUMPY = pythonHas('numpy, mpmath');
const EPS = 2 ** -52;


const NUMPY_SVDVALS = `
import json, sys, numpy as np
print(json.dumps([np.linalg.svd(np.array(c['data'], dtype=np.float64).reshape(c['n'], c['n']), compute_uv=False).tolist() for c in json.load(sys.stdin)]))
`;

interface Case {
  label: string;
  a: Dense;
  /** The unrolled kernel must take it (not hand it to the generic kernel). */
  unrolled: boolean;
}

const sq = (n: number, data: ArrayLike<number>): Dense => ({ data: Float64Array.from(data), rows: n, cols: n });

function diagMatrix(n: number, d: number[]): Dense {
  const a = sq(n, new Float64Array(n * n));
  d.forEach((x, i) => (a.data[i * n + i] = x));
  return a;
}

/** The test matrices at size n. */
function cases(n: 2 | 3): Case[] {
  const rng = new Rng(1200 + n);
  const out: Case[] = [];
  for (let t = 0; t < 40; t++) out.push({ label: `random #${t}`, a: sq(n, rng.normals(n * n)), unrolled: true });
  out.push({ label: 'rank 0', a: sq(n, new Float64Array(n * n)), unrolled: true });
  for (let t = 0; t < 5; t++) {
    const x = rng.normals(n);
    const y = rng.normals(n);
    const r1 = sq(n, new Float64Array(n * n));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r1.data[i * n + j] = x[i]! * y[j]!;
    out.push({ label: `rank 1 #${t}`, a: r1, unrolled: false });
    if (n === 3) {
      const p = rng.normals(n);
      const q = rng.normals(n);
      const r2 = sq(n, r1.data.map((v, k) => v + p[Math.floor(k / n)]! * q[k % n]!));
      out.push({ label: `rank 2 #${t}`, a: r2, unrolled: false });
    }
  }
  out.push({ label: 'rank 1 integers', a: sq(n, n === 2 ? [1, 1, 2, 2] : [1, 2, 3, 2, 4, 6, 3, 6, 9]), unrolled: false });
  // Repeated values: Q·diag·Wᵀ with σ = (2, 2, 1) or all equal, and exact signed diagonals.
  for (let t = 0; t < 4; t++) {
    const sigma = t % 2 ? Array(n).fill(1.5) : [2, 2, 1].slice(0, n);
    out.push({ label: `repeated #${t}`, a: matmul(matmul(randomOrthogonal(n, rng), diagMatrix(n, sigma)), randomOrthogonal(n, rng)), unrolled: true });
  }
  out.push({ label: 'diag(2, −2, 2)', a: diagMatrix(n, [2, -2, 2].slice(0, n)), unrolled: true });
  out.push({ label: 'identity', a: diagMatrix(n, Array(n).fill(1)), unrolled: true });
  // Graded: A = B·D (columns) and D·B (rows), D down to 1e-100.
  for (const [t, top] of [12, 50, 100].entries()) {
    const d = Array.from({ length: n }, (_, j) => 10 ** ((-top * j) / (n - 1)));
    const b = rng.normals(n * n).map((v, k) => v + (Math.floor(k / n) === k % n ? 3 : 0));
    out.push({ label: `column-graded to 1e-${top}`, a: sq(n, b.map((v, k) => v * d[k % n]!)), unrolled: true });
    out.push({ label: `row-graded to 1e-${top} #${t}`, a: sq(n, b.map((v, k) => v * d[Math.floor(k / n)]!)), unrolled: true });
    // Graded upwards (the tiny rows or columns first), and on both sides: the kernel sorts rows and columns.
    const up = [...d].reverse();
    out.push({ label: `column-graded upwards to 1e-${top}`, a: sq(n, b.map((v, k) => v * up[k % n]!)), unrolled: true });
    out.push({ label: `row-graded upwards to 1e-${top}`, a: sq(n, b.map((v, k) => v * up[Math.floor(k / n)]!)), unrolled: true });
    out.push({ label: `two-sided graded to 1e-${top}`, a: sq(n, b.map((v, k) => v * up[Math.floor(k / n)]! * d[k % n]!)), unrolled: true });
  }
  // Extreme but finite.
  for (const scale of [1e300, 1e-300, 1e-310, 5e-324 * 2 ** 40]) {
    out.push({ label: `entries ~${scale}`, a: sq(n, rng.normals(n * n).map((v) => v * scale)), unrolled: true });
  }
  out.push({ label: 'subnormal diagonal', a: diagMatrix(n, [5e-324, 3e-320, 1e-315].slice(0, n)), unrolled: true });
  // Mixed magnitudes: handed to the generic kernel where squares would lose bits, correct either way.
  const mix = [1e300, 1, 1e-300, 5e-324, 0];
  for (let t = 0; t < 10; t++) out.push({ label: `mixed #${t}`, a: sq(n, Array.from({ length: n * n }, () => mix[Math.floor(rng.range(0, 5))]! * rng.normal())), unrolled: false });
  return out;
}

/** The kernel's own results for `a` (copied out of its buffer), or undefined when it hands the matrix on. */
function kernel(a: Float64Array | Float32Array, n: number, vectors = true): { s: number[]; u: number[]; vt: number[] } | undefined {
  const ok = n === 2 ? unrolledSvd2(a, vectors) : unrolledSvd3(a, vectors);
  if (!ok) return undefined;
  const nn = n * n;
  return { s: Array.from(UNROLLED.subarray(0, n)), u: Array.from(UNROLLED.subarray(U_AT, U_AT + nn)), vt: Array.from(UNROLLED.subarray(VT_AT, VT_AT + nn)) };
}

/** max |a − u·diag(s)·vt| / σ₁, less the subnormal spacing (a σ among the subnormals has only a few bits). */
function reconstruction(a: Dense, u: ArrayLike<number>, s: ArrayLike<number>, vt: ArrayLike<number>): number {
  const n = a.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let l = 0; l < n; l++) sum += u[i * n + l]! * s[l]! * vt[l * n + j]!;
      worst = Math.max(worst, Math.abs(sum - a.data[i * n + j]!));
    }
  }
  return Math.max(0, worst - 4 * n * Number.MIN_VALUE) / (s[0] || 1);
}

/** Values only: within tol·σ₁ of `ref` (plus the subnormal spacing), descending. */
function checkValues(s: ArrayLike<number>, ref: number[], tol: number, label: string): void {
  expect(s.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(s[i]! - ref[i]!), `${label} σ[${i}]`).toBeLessThanOrEqual(tol * ref[0]! + 4 * Number.MIN_VALUE);
    if (i > 0) expect(s[i]!, `${label} descending`).toBeLessThanOrEqual(s[i - 1]!);
  }
}

/** The contract's checks on one result against reference values `ref`. */
function checkResult(a: Dense, s: ArrayLike<number>, u: ArrayLike<number>, vt: ArrayLike<number>, ref: number[], tol: number, label: string): void {
  const n = a.rows;
  const s1 = ref[0]!;
  for (let i = 0; i < n; i++) {
    // The subnormal spacing: numpy's values there are rounded to a few bits too.
    expect(Math.abs(s[i]! - ref[i]!), `${label} σ[${i}]`).toBeLessThanOrEqual(tol * s1 + 4 * Number.MIN_VALUE);
    if (i > 0) expect(s[i]!, `${label} descending`).toBeLessThanOrEqual(s[i - 1]!);
  }
  expect(reconstruction(a, u, s, vt), `${label} reconstruction`).toBeLessThanOrEqual(tol);
  expect(orthonormalityError({ data: Float64Array.from(u), rows: n, cols: n }, 'cols'), `${label} u`).toBeLessThanOrEqual(tol);
  expect(orthonormalityError({ data: Float64Array.from(vt), rows: n, cols: n }, 'rows'), `${label} vt`).toBeLessThanOrEqual(tol);
  for (let j = 0; j < n; j++) expect(dominantEntry(vt, j * n, n, 1), `${label} sign of vt row ${j}`).toBeGreaterThan(0);
}

describe.skipIf(!HAS_NUMPY)('unrolled 2×2/3×3 SVD against numpy and mpmath', () => {
  for (const n of [2, 3] as const) {
    const all = cases(n);
    const ref = python(NUMPY_SVDVALS, all.map((c) => ({ data: Array.from(c.a.data), n }))) as number[][];

    it(`${n}×${n}: values to 8ε·σ₁ of numpy, reconstruction and orthonormality to 8ε, signs by the rule; svd and svdvals return the kernel's bits`, () => {
      const tol = 8 * EPS;
      let taken = 0;
      all.forEach((c, i) => {
        const k = kernel(c.a.data, n);
        if (c.unrolled) expect(k, `${c.label}: the unrolled kernel takes it`).toBeDefined();
        const r = svd(c.a);
        checkResult(c.a, r.s, r.u!.data, r.vt!.data, ref[i]!, tol, `${n}×${n} ${c.label}`);
        // The unrolled kernel gives both the same bits; where it declines, values only take dqds.
        if (k !== undefined) expect(Array.from(svdvals(c.a)), `${c.label} svdvals = svd's s`).toEqual(Array.from(r.s));
        else checkValues(svdvals(c.a), ref[i]!, tol, `${n}×${n} ${c.label} svdvals`);
        if (k === undefined) return;
        taken++;
        expect(Array.from(r.s), c.label).toEqual(k.s);
        expect(Array.from(r.u!.data), c.label).toEqual(k.u);
        expect(Array.from(r.vt!.data), c.label).toEqual(k.vt);
        // Values only: the same rotations on the same numbers, so the same bits.
        expect(kernel(c.a.data, n, false)!.s, c.label).toEqual(k.s);
      });
      // Most of the structured cases run the unrolled kernel too (rank-deficient ones included).
      expect(taken).toBeGreaterThanOrEqual(all.length - 12);
    });

    it(`${n}×${n} float32: Float32Array out, values within 2⁻²³·σ₁ of numpy on the float32 data (computed in float64, rounded once), the sign rule exact in float32`, () => {
      const f32 = all.filter((c) => c.unrolled && Math.abs(c.a.data[0]!) < 1e38).map((c) => toFloat32(c.a));
      const ref32 = python(NUMPY_SVDVALS, f32.map((a) => ({ data: Array.from(a.data), n }))) as number[][];
      f32.forEach((a, i) => {
        const r = svd(a);
        expect(r.s).toBeInstanceOf(Float32Array);
        expect(r.u!.data).toBeInstanceOf(Float32Array);
        const s1 = ref32[i]![0]!;
        // Values far below float32's range flush as float32 rounding does; the rest round once.
        for (let j = 0; j < n; j++) expect(Math.abs(r.s[j]! - ref32[i]![j]!), `f32 #${i} σ[${j}]`).toBeLessThanOrEqual(2 ** -23 * s1 + 2e-45);
        if (s1 < 1e-30) return;
        expect(reconstruction({ data: Float64Array.from(a.data), rows: n, cols: n }, r.u!.data, r.s, r.vt!.data), `f32 #${i}`).toBeLessThanOrEqual(4e-7);
        for (let j = 0; j < n; j++) expect(dominantEntry(r.vt!.data, j * n, n, 1), `f32 #${i} sign`).toBeGreaterThan(0);
      });
    });

    it(`${n}×${n} graded (columns and rows scaled down to 1e-100): every σ to 2e-14 relative, against mpmath at 250 digits`, () => {
      const graded = all.filter((c) => c.label.includes('graded'));
      const mp = mpmathSvdvals(graded.map((c) => ({ data: c.a.data, rows: n, cols: n })), 250);
      graded.forEach((c, i) => {
        expect(kernel(c.a.data, n), c.label).toBeDefined();
        const s = svdvals(c.a);
        mp[i]!.forEach((e, j) => expect(Math.abs(s[j]! - e) / e, `${c.label} σ[${j}] = ${e}`).toBeLessThanOrEqual(2e-14));
      });
    });
  }
});

describe('unrolled 2×2/3×3 SVD against the LAPACK path and the generic small kernel', () => {
  it('random matrices: the same values, and the same vectors with the same signs, as LAPACK (binding.svd) and as the generic kernel', () => {
    const rng = new Rng(55);
    for (const n of [2, 3]) {
      for (let t = 0; t < 50; t++) {
        const a = sq(n, rng.normals(n * n));
        const k = kernel(a.data, n)!;
        expect(k).toBeDefined();
        const lapack = binding.svd(a.data, n, n, 1);
        // [A 0]: a wide n×(n+1) matrix, which the generic kernel decomposes (same σ, U, and Vᵀ padded with 0).
        const padded: Dense = { data: new Float64Array(n * (n + 1)), rows: n, cols: n + 1 };
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) padded.data[i * (n + 1) + j] = a.data[i * n + j]!;
        const generic = svd(padded);
        const s = k.s;
        // Vectors are unique up to sign only where the values are well separated.
        const gap = Math.min(...s.slice(1).map((x, i) => s[i]! - x)) / s[0]!;
        for (let i = 0; i < n; i++) {
          expect(Math.abs(s[i]! - lapack.s[i]!)).toBeLessThanOrEqual(8 * EPS * s[0]!);
          expect(Math.abs(s[i]! - generic.s[i]!)).toBeLessThanOrEqual(8 * EPS * s[0]!);
        }
        if (gap < 1e-3) continue;
        const tol = (1e-14 / gap) * 10;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(Math.abs(k.u[i * n + j]! - lapack.u![i * n + j]!), `${n}×${n} #${t} u`).toBeLessThanOrEqual(tol);
            expect(Math.abs(k.vt[i * n + j]! - lapack.vt![i * n + j]!), `${n}×${n} #${t} vt`).toBeLessThanOrEqual(tol);
            expect(Math.abs(k.u[i * n + j]! - generic.u!.data[i * n + j]!), `${n}×${n} #${t} u vs generic`).toBeLessThanOrEqual(tol);
            expect(Math.abs(k.vt[i * n + j]! - generic.vt!.data[i * (n + 1) + j]!), `${n}×${n} #${t} vt vs generic`).toBeLessThanOrEqual(tol);
          }
        }
      }
    }
  });

  it('NaN and ±Inf: the LAPACK path’s ERR_NON_FINITE and message, float64 and float32, from svd, svdvals and the adapters', () => {
    for (const n of [2, 3]) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        for (let at = 0; at < n * n; at++) {
          const data = new Float64Array(n * n).fill(1);
          data[at] = bad;
          for (const arr of [data, Float32Array.from(data)]) {
            let expected: unknown;
            try {
              binding.svd(arr, n, n, 1);
            } catch (e) {
              expected = e;
            }
            expect(expected).toBeInstanceOf(Error);
            const { message } = expected as Error;
            for (const f of [() => svd({ data: arr, rows: n, cols: n }), () => svdvals({ data: arr, rows: n, cols: n })]) {
              expect(f).toThrowError(EffrankError);
              expect(f).toThrowError(message);
            }
          }
          const nested = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));
          for (const f of [() => SVD(nested), () => SVD(nested, false, false), () => numericSvd(nested)]) {
            expect(f).toThrowError(expect.objectContaining({ code: 'ERR_NON_FINITE' }) as Error);
          }
        }
      }
    }
  });

  it('the adapters build their 2×2/3×3 results from the kernel: core svd’s numbers bit for bit, flushing as documented', () => {
    const rng = new Rng(8);
    for (const n of [2, 3]) {
      for (let t = 0; t < 10; t++) {
        const a = sq(n, rng.normals(n * n));
        const nested = Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)));
        const core = svd(a);
        const U = Array.from({ length: n }, (_, i) => Array.from(core.u!.data.subarray(i * n, (i + 1) * n)));
        const V = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => core.vt!.data[j * n + i]!));
        const js = SVD(nested);
        expect(js).toEqual({ u: U, q: Array.from(core.s), v: V });
        expect(SVD(nested, 'f')).toEqual(js);
        expect(SVD(nested, false, false)).toEqual({ u: U.map((r) => r.map(() => 0)), q: Array.from(core.s), v: V.map((r) => r.map(() => 0)) });
        expect(SVD(nested, true, false).u).toEqual(U);
        expect(SVD(nested, false, true).v).toEqual(V);
        expect(numericSvd(nested)).toEqual({ U, S: Array.from(core.s), V });
      }
      // A rank-1 matrix: the tiny values flush to exactly 0 (svd-js: below eps·σ₁).
      const r1 = n === 2 ? [[1, 2], [2, 4]] : [[1, 2, 3], [2, 4, 6], [3, 6, 9]];
      expect(SVD(r1).q.slice(1).every((x) => x === 0)).toBe(true);
      expect(numericSvd(r1).S.slice(1).every((x) => x === 0)).toBe(true);
    }
  });

  it('the ml-matrix adapter at 2×2/3×3: core svd’s values and vectors, signs by its transpose-symmetric rule, SVD(Aᵀ) mirroring SVD(A), zeros without vectors', () => {
    const rng = new Rng(9);
    const NONE = { computeLeftSingularVectors: false, computeRightSingularVectors: false };
    for (const n of [2, 3]) {
      for (let t = 0; t < 20; t++) {
        const a = sq(n, rng.normals(n * n));
        const rows = Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)));
        const core = svd(a);
        for (const input of [rows, new Matrix(rows)]) {
          const r = new SingularValueDecomposition(input);
          expect(r.diagonal).toEqual(Array.from(core.s));
          const U = r.leftSingularVectors.to2DArray();
          const V = r.rightSingularVectors.to2DArray();
          for (let j = 0; j < n; j++) {
            // The pair's sign: the largest-magnitude entry of uⱼ and vⱼ together positive (vⱼ's on a tie).
            const col = [...U.map((row) => row[j]!), ...V.map((row) => row[j]!)];
            const pick = col.reduce((best, x) => (Math.abs(x) >= Math.abs(best) ? x : best), 0);
            expect(pick, `${n}×${n} #${t} pair ${j}`).toBeGreaterThan(0);
            // Otherwise the core's vectors exactly, up to that one sign per pair.
            const g = Math.sign(U[0]![j]! * core.u!.data[j]!) || Math.sign(V[0]![j]! * core.vt!.data[j * n]!);
            for (let i = 0; i < n; i++) {
              expect(U[i]![j], `u ${n}×${n} #${t}`).toBe(g * core.u!.data[i * n + j]!);
              expect(V[i]![j], `v ${n}×${n} #${t}`).toBe(g * core.vt!.data[j * n + i]!);
            }
          }
          const none = new SingularValueDecomposition(input, NONE);
          expect(none.diagonal).toEqual(Array.from(core.s));
          expect(none.leftSingularVectors.to2DArray().flat().every((x) => x === 0)).toBe(true);
          expect(none.rightSingularVectors.to2DArray().flat().every((x) => x === 0)).toBe(true);
        }
        const r = new SingularValueDecomposition(rows);
        const rt = new SingularValueDecomposition(new Matrix(rows).transpose());
        const close = (x: number[][], y: number[][]) => x.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - y[i]![j]!)).toBeLessThanOrEqual(1e-13)));
        close(rt.leftSingularVectors.to2DArray(), r.rightSingularVectors.to2DArray());
        close(rt.rightSingularVectors.to2DArray(), r.leftSingularVectors.to2DArray());
      }
    }
    // Singular: values ≤ ε/2·n·s₀ are stored as exactly 0, so the condition number is Infinity.
    const singular = new SingularValueDecomposition(new Matrix([[1, 2, 3], [2, 4, 6], [3, 6, 9]]));
    expect(singular.diagonal.slice(1)).toEqual([0, 0]);
    expect(singular.condition).toBe(Infinity);
  });

  it('fast-check: small-integer, wide-range, zero-heavy and extreme entries; LAPACK’s values to 8ε·σ₁, a decomposition that reconstructs, orthonormal, signs by the rule; the adapters return the same numbers', () => {
    const entry = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, 1e-200, -1e200, 5e-324, 1e300, -(2 ** -1060)),
    );
    const matrix = fc.integer({ min: 2, max: 3 }).chain((n) => fc.array(entry, { minLength: n * n, maxLength: n * n }).map((v) => sq(n, v)));
    fc.assert(
      fc.property(matrix, (a) => {
        const n = a.rows;
        const lapack = binding.svd(a.data, n, n, 0);
        const r = svd(a);
        if (lapack.s[0] === 0) return Array.from(r.s).every((x) => x === 0);
        checkResult(a, r.s, r.u!.data, r.vt!.data, Array.from(lapack.s), 8 * EPS, `fast-check ${n}×${n}`);
        // The adapters' entry points: the same numbers (svd-js and numeric flush below ε·σ₁, ml-matrix
        // stores values ≤ ε/2·n·σ₁ as 0 and has its own pair signs, checked above on random input).
        const nested = Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)));
        const flushed = Array.from(r.s, (x) => (x < EPS * r.s[0]! ? 0 : x));
        const js = SVD(nested);
        expect(js.q).toEqual(flushed);
        // Values only: the same bits when the unrolled kernel takes the matrix, else dqds's values (to 8ε·σ₁).
        const valuesOnly = SVD(nested, false, false).q;
        if (kernel(a.data, n, false) !== undefined) expect(valuesOnly).toEqual(flushed);
        else valuesOnly.forEach((x, i) => expect(Math.abs(x - flushed[i]!)).toBeLessThanOrEqual(8 * EPS * r.s[0]!));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(js.u[i]![j]).toBe(r.u!.data[i * n + j]);
            expect(js.v[i]![j]).toBe(r.vt!.data[j * n + i]);
          }
        }
        expect(numericSvd(nested)).toEqual({ U: js.u, S: flushed, V: js.v });
        const ml = new SingularValueDecomposition(new Matrix(nested));
        expect(ml.diagonal).toEqual(Array.from(r.s, (x) => (x <= (EPS / 2) * n * r.s[0]! ? 0 : x)));
        return true;
      }),
      { numRuns: 2000, seed: 20261202 },
    );
  });
});

describe('the ml-matrix adapter’s direct read of a 2×2/3×3 Matrix', () => {
  it('gives the number[][] input’s results, the same errors, and hands anything unusual to the general reader', () => {
    const rng = new Rng(21);
    for (const n of [2, 3]) {
      const rows = Array.from({ length: n }, () => Array.from(rng.normals(n)));
      const fromRows = new SingularValueDecomposition(rows);
      const fromMatrix = new SingularValueDecomposition(new Matrix(rows));
      expect(fromMatrix.diagonal).toEqual(fromRows.diagonal);
      expect(fromMatrix.leftSingularVectors.to2DArray()).toEqual(fromRows.leftSingularVectors.to2DArray());
      expect(fromMatrix.rightSingularVectors.to2DArray()).toEqual(fromRows.rightSingularVectors.to2DArray());
      // A matrix-like without Float64Array rows goes through get().
      const like = { rows: n, columns: n, get: (i: number, j: number) => rows[i]![j]!, data: rows };
      expect(new SingularValueDecomposition(like).diagonal).toEqual(fromRows.diagonal);
      const bad = new Matrix(rows);
      bad.set(n - 1, 0, Number.NaN);
      const viaRows = rows.map((r) => r.slice());
      viaRows[n - 1]![0] = Number.NaN;
      let expected = '';
      try {
        new SingularValueDecomposition(viaRows);
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).toMatch(/NaN/);
      expect(() => new SingularValueDecomposition(bad)).toThrowError(expected);
    }
  });
});
