/**
 * The small-matrix path (src/linalg/small/: Golub–Kahan–Reinsch SVD, cyclic
 * Jacobi eigh) against independent references: numpy.linalg (one batched
 * python call), mpmath at 40 digits for the relative-accuracy claim, and the
 * LAPACK path for "users cannot tell which path ran" (same contract, same
 * errors). Every size up to the crossover and just above it, on random,
 * rank-deficient, repeated-value and graded matrices.
 */

import { afterEach, describe, expect, it } from 'vitest';

import { EffrankError } from '../src/core/errors.js';
import { getLimits, setLimits } from '../src/linalg/backend.js';
import { eigh, eighAsync, eigvalsh } from '../src/linalg/eigh.js';
import { SMALL_EIGH_MAX_N, SMALL_EIGVALSH_MAX_N, SMALL_SVDVALS_MAX_N, SMALL_SVD_MAX_ELEMENTS, SMALL_SVD_MAX_N, useSmallEigh, useSmallSvd } from '../src/linalg/small/route.js';
import { svd, svdAsync, svdvals } from '../src/linalg/svd.js';
import {
  type Dense,
  dominantEntry,
  eigenResidual,
  matmul,
  orthonormalityError,
  randomOrthogonal,
  reconstructionError,
  toFloat32,
  transpose,
} from './helpers/linalg.js';
import { mpmathSvdvals, python, pythonHas } from './helpers/python.js';
import { Rng } from './helpers/rng.js';

const HAS_NUMPY = pythonHas('numpy, mpmath');

type Kind = 'random' | 'rank-deficient' | 'repeated' | 'graded';
const KINDS: Kind[] = ['random', 'rank-deficient', 'repeated', 'graded'];

/** A test matrix of the given kind, float64, built in plain JS. */
function build(kind: Kind, m: number, n: number, seed: number): Dense {
  const rng = new Rng(seed);
  const k = Math.min(m, n);
  const gauss = (r: number, c: number): Dense => ({ data: Float64Array.from({ length: r * c }, () => rng.normal()), rows: r, cols: c });
  if (kind === 'random') return gauss(m, n);
  if (kind === 'rank-deficient') {
    // rank ⌈k/2⌉ as an exact product of Gaussian factors (plus one exactly zero row when m > 1).
    const r = Math.max(1, Math.ceil(k / 2));
    const a = matmul(gauss(m, r), gauss(r, n));
    if (m > 1) a.data.fill(0, 0, n);
    return a;
  }
  const qm = randomOrthogonal(m, rng);
  const qn = randomOrthogonal(n, rng);
  // repeated: σ = 2, 2, 2, 1, 1, …; graded: σ from 1 down to 1e-12.
  const sigma = Array.from({ length: k }, (_, i) => (kind === 'repeated' ? (i < Math.ceil(k / 2) ? 2 : 1) : 10 ** ((-12 * i) / Math.max(1, k - 1))));
  const d: Dense = { data: new Float64Array(m * n), rows: m, cols: n };
  for (let i = 0; i < k; i++) d.data[i * n + i] = sigma[i]!;
  return matmul(matmul(qm, d), qn);
}


const NUMPY_SVDVALS = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
print(json.dumps([np.linalg.svd(np.array(c['data'], dtype=np.float64).reshape(c['rows'], c['cols']), compute_uv=False).tolist() for c in cases]))
`;
const NUMPY_EIGVALSH = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
print(json.dumps([np.linalg.eigvalsh(np.array(c['data'], dtype=np.float64).reshape(c['n'], c['n']), UPLO='L').tolist() for c in cases]))
`;

/** The sizes to cover: every square size to the crossover + 1, and tall/wide shapes around the work limit. */
function svdShapes(): [number, number][] {
  const shapes: [number, number][] = [];
  for (let n = 1; n <= SMALL_SVD_MAX_N + 1; n++) shapes.push([n, n]);
  for (const [m, n] of [[2, 1], [1, 5], [7, 3], [3, 7], [40, 4], [4, 40], [30, 20], [20, 30], [60, 12], [12, 60]] as [number, number][]) shapes.push([m, n]);
  // Just above the work limit with a small n: the LAPACK side of the crossover.
  const n = 6;
  shapes.push([Math.floor(SMALL_SVD_MAX_ELEMENTS / n) + 1, n]);
  return shapes;
}

const withLapackForced = <T>(f: () => T): T => {
  // Any maxElements cap routes around the small path (see route.ts); a huge one fails nothing.
  const before = getLimits();
  setLimits({ maxElements: 2 ** 40 });
  try {
    return f();
  } finally {
    setLimits(before);
  }
};

afterEach(() => setLimits({ maxElements: 0 }));

describe('small-matrix path: routing', () => {
  it('takes the small path up to the crossover and LAPACK just above it', () => {
    expect(useSmallSvd(3, 3)).toBe(true);
    expect(useSmallSvd(SMALL_SVD_MAX_N, SMALL_SVD_MAX_N)).toBe(true);
    expect(useSmallSvd(SMALL_SVD_MAX_N + 1, SMALL_SVD_MAX_N + 1)).toBe(false);
    expect(useSmallSvd(2000, 256)).toBe(false);
    expect(useSmallSvd(SMALL_SVDVALS_MAX_N, SMALL_SVDVALS_MAX_N, 0)).toBe(true);
    expect(useSmallSvd(SMALL_SVDVALS_MAX_N + 1, SMALL_SVDVALS_MAX_N + 1, 0)).toBe(false);
    expect(useSmallEigh(SMALL_EIGH_MAX_N)).toBe(true);
    expect(useSmallEigh(SMALL_EIGH_MAX_N + 1)).toBe(false);
    expect(useSmallEigh(SMALL_EIGVALSH_MAX_N, false)).toBe(true);
    expect(useSmallEigh(SMALL_EIGVALSH_MAX_N + 1, false)).toBe(false);
    // A full U of a long matrix (an M×M accumulation) goes to LAPACK; its thin SVD stays small.
    expect(useSmallSvd(SMALL_SVD_MAX_ELEMENTS, 1, 2)).toBe(false);
    expect(useSmallSvd(SMALL_SVD_MAX_ELEMENTS, 1, 1)).toBe(true);
    expect(useSmallSvd(SMALL_SVD_MAX_ELEMENTS + 1, 1, 1)).toBe(false);
    expect(useSmallSvd(1, SMALL_SVD_MAX_ELEMENTS, 2)).toBe(false);
    withLapackForced(() => expect(useSmallSvd(3, 3)).toBe(false));
  });
});

describe.skipIf(!HAS_NUMPY)('small-matrix SVD against numpy', () => {
  const cases = svdShapes().flatMap(([m, n], i) => KINDS.map((kind, j) => ({ kind, m, n, a: build(kind, m, n, 1000 + 10 * i + j) })));
  const ref = python(NUMPY_SVDVALS, cases.map((c) => ({ data: Array.from(c.a.data), rows: c.m, cols: c.n }))) as number[][];

  it.each(KINDS)('%s: values to 1e-13·σ₁ (float64), a decomposition that reconstructs, orthonormal, signs by the rule', (kind) => {
    let checked = 0;
    cases.forEach((c, idx) => {
      if (c.kind !== kind) return;
      const expected = ref[idx]!;
      for (const mode of ['thin', 'full'] as const) {
        const r = svd(c.a, { vectors: mode });
        const s1 = expected[0]!;
        expect(r.s.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          expect(Math.abs(r.s[i]! - expected[i]!), `${c.m}×${c.n} ${kind} s[${i}]`).toBeLessThanOrEqual(1e-13 * Math.max(s1, 1e-300) * Math.max(c.m, c.n));
          if (i > 0) expect(r.s[i]!).toBeLessThanOrEqual(r.s[i - 1]!);
        }
        const tol = 1e-13 * Math.max(c.m, c.n);
        expect(reconstructionError(c.a, r.u!, r.s, r.vt!)).toBeLessThanOrEqual(tol * Math.max(1, s1));
        expect(orthonormalityError(r.u!, 'cols')).toBeLessThanOrEqual(tol);
        expect(orthonormalityError(r.vt!, 'rows')).toBeLessThanOrEqual(tol);
        for (let i = 0; i < r.vt!.rows; i++) expect(dominantEntry(r.vt!.data, i * c.n, c.n, 1)).toBeGreaterThan(0);
        for (let j = Math.min(c.m, c.n); j < r.u!.cols; j++) expect(dominantEntry(r.u!.data, j, c.m, r.u!.cols)).toBeGreaterThan(0);
      }
      // Values only (dqds on the small path, not the QR the vectors take): numpy's values to the same tolerance, descending.
      const values = svdvals(c.a);
      const s1 = expected[0]!;
      expect(values.length).toBe(expected.length);
      values.forEach((v, i) => {
        expect(Math.abs(v - expected[i]!), `${c.m}×${c.n} ${kind} svdvals[${i}]`).toBeLessThanOrEqual(1e-13 * Math.max(s1, 1e-300) * Math.max(c.m, c.n));
        if (i > 0) expect(v).toBeLessThanOrEqual(values[i - 1]!);
      });
      checked++;
    });
    expect(checked).toBe(svdShapes().length);
  });

  it('float32 in, Float32Array out, values within 2e-7·σ₁ of numpy on the same float32 data', () => {
    const picks = cases.filter((c) => c.kind === 'random' && useSmallSvd(c.m, c.n));
    const f32 = picks.map((c) => toFloat32(c.a));
    const expected = python(NUMPY_SVDVALS, f32.map((a) => ({ data: Array.from(a.data), rows: a.rows, cols: a.cols }))) as number[][];
    f32.forEach((a, idx) => {
      const r = svd(a);
      expect(r.s).toBeInstanceOf(Float32Array);
      expect(r.u!.data).toBeInstanceOf(Float32Array);
      const e = expected[idx]!;
      for (let i = 0; i < e.length; i++) expect(Math.abs(r.s[i]! - e[i]!)).toBeLessThanOrEqual(2e-7 * e[0]! * Math.max(2, Math.sqrt(a.rows)));
      expect(reconstructionError(a, r.u!, r.s, r.vt!)).toBeLessThanOrEqual(1e-5 * e[0]!);
      for (let i = 0; i < r.vt!.rows; i++) expect(dominantEntry(r.vt!.data, i * a.cols, a.cols, 1)).toBeGreaterThan(0);
    });
  });

  it('agrees with the LAPACK path: values to 1e-13·σ₁, and the vectors where the values are distinct', () => {
    for (const c of cases.filter((x) => x.kind === 'random' && useSmallSvd(x.m, x.n))) {
      const small = svd(c.a);
      const lapack = withLapackForced(() => svd(c.a));
      const k = small.s.length;
      for (let i = 0; i < k; i++) expect(Math.abs(small.s[i]! - lapack.s[i]!)).toBeLessThanOrEqual(1e-13 * lapack.s[0]! * c.n);
      // The sign rule pins each vector, so they agree entrywise (a random matrix has well separated σ).
      for (let i = 0; i < k; i++) {
        const gap = Math.min(i > 0 ? lapack.s[i - 1]! - lapack.s[i]! : Infinity, i < k - 1 ? lapack.s[i]! - lapack.s[i + 1]! : Infinity);
        if (gap < 1e-3 * lapack.s[0]!) continue;
        for (let j = 0; j < c.n; j++) expect(Math.abs(small.vt!.data[i * c.n + j]! - lapack.vt!.data[i * c.n + j]!)).toBeLessThanOrEqual(1e-8);
      }
    }
  });
});

describe.skipIf(!HAS_NUMPY)('small-matrix SVD: accuracy and extremes', () => {
  it('graded columns (A = B·D, D from 1 to 1e-15): every σ to 1e-13 relative (LAPACK’s bound is only ~1e-16·σ₁ absolute), against mpmath at 40 digits', () => {
    const mats: Dense[] = [3, 6, 10].map((n, t) => {
      const rng = new Rng(77 + t);
      const a: Dense = { data: new Float64Array(n * n), rows: n, cols: n };
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = (rng.normal() + (i === j ? 3 : 0)) * 10 ** ((-15 * j) / (n - 1));
      return a;
    });
    const ref = mpmathSvdvals(mats, 40);
    mats.forEach((a, idx) => {
      const s = svdvals(a);
      ref[idx]!.forEach((e, i) => expect(Math.abs(s[i]! - e) / e, `${a.rows}×${a.cols} σ[${i}] = ${e}`).toBeLessThanOrEqual(1e-13));
    });
  });

  it('1e±300 and subnormal inputs: exactly the scaled values of the unscaled matrix, no overflow or underflow', () => {
    const base = build('random', 5, 4, 9);
    const r0 = svd(base);
    for (const scale of [2 ** 990, 2 ** -1000, 2 ** -1060]) {
      // A power of two scales exactly (bar subnormal rounding at 2^-1060, where entries keep ~12 bits).
      const a: Dense = { data: base.data.map((x) => x * scale), rows: 5, cols: 4 };
      const r = svd(a);
      const rel = scale === 2 ** -1060 ? 1e-3 : 1e-14;
      for (let i = 0; i < 4; i++) expect(Math.abs(r.s[i]! / scale - r0.s[i]!)).toBeLessThanOrEqual(rel * r0.s[0]!);
      expect(Array.from(r.s).every(Number.isFinite)).toBe(true);
      expect(orthonormalityError(r.u!, 'cols')).toBeLessThanOrEqual(1e-13);
    }
    expect(svdvals({ data: new Float64Array([1e300, 1e300, 1e300, 1e300]), rows: 2, cols: 2 })[0]).toBeCloseTo(2e300, -285);
    expect(Array.from(svdvals({ data: new Float64Array([5e-324, 0, 0, 5e-324]), rows: 2, cols: 2 }))).toEqual([5e-324, 5e-324]);
  });

  it('the zero matrix: zero values, orthonormal vectors (identity-like), like LAPACK', () => {
    for (const [m, n] of [[3, 3], [4, 2], [2, 5]] as const) {
      const z: Dense = { data: new Float64Array(m * n), rows: m, cols: n };
      const r = svd(z, { vectors: 'full' });
      expect(Array.from(r.s).every((x) => x === 0)).toBe(true);
      expect(orthonormalityError(r.u!, 'cols')).toBeLessThanOrEqual(1e-15);
      expect(orthonormalityError(r.vt!, 'rows')).toBeLessThanOrEqual(1e-15);
    }
  });
});

describe.skipIf(!HAS_NUMPY)('small-matrix eigh against numpy', () => {
  const cases: { kind: string; n: number; a: Dense }[] = [];
  for (let n = 1; n <= SMALL_EIGH_MAX_N + 1; n++) {
    const rng = new Rng(500 + n);
    const q = randomOrthogonal(n, rng);
    const lam = {
      random: Array.from({ length: n }, () => rng.normal()),
      'rank-deficient': Array.from({ length: n }, (_, i) => (i % 2 ? 0 : rng.range(1, 2))),
      repeated: Array.from({ length: n }, (_, i) => (i < n / 2 ? 3 : -1)),
      graded: Array.from({ length: n }, (_, i) => 10 ** (-i)),
    };
    for (const [kind, l] of Object.entries(lam)) {
      const d: Dense = { data: new Float64Array(n * n), rows: n, cols: n };
      l.forEach((x, i) => (d.data[i * n + i] = x));
      const a = matmul(matmul(q, d), transpose(q));
      // Only the lower triangle is read: put garbage above the diagonal.
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a.data[i * n + j] = 1e3 * rng.normal();
      cases.push({ kind, n, a });
    }
  }
  const ref = python(NUMPY_EIGVALSH, cases.map((c) => ({ data: Array.from(c.a.data), n: c.n }))) as number[][];

  it('every size to the crossover + 1 and every kind: ascending values to 1e-13·|λ|max, A·V = V·Λ, V orthonormal, signs by the rule', () => {
    cases.forEach((c, idx) => {
      const e = ref[idx]!;
      const scale = Math.max(...e.map(Math.abs));
      const r = eigh(c.a);
      for (let i = 0; i < c.n; i++) {
        expect(Math.abs(r.values[i]! - e[i]!), `${c.n} ${c.kind} λ[${i}]`).toBeLessThanOrEqual(1e-13 * scale * c.n);
        if (i > 0) expect(r.values[i]!).toBeGreaterThanOrEqual(r.values[i - 1]!);
      }
      // The residual is against the symmetric matrix the lower triangle defines.
      const sym: Dense = { data: c.a.data.slice(), rows: c.n, cols: c.n };
      for (let i = 0; i < c.n; i++) for (let j = i + 1; j < c.n; j++) sym.data[i * c.n + j] = sym.data[j * c.n + i]!;
      expect(eigenResidual(sym, r.values, r.vectors!)).toBeLessThanOrEqual(1e-13 * scale * c.n);
      expect(orthonormalityError(r.vectors!, 'cols')).toBeLessThanOrEqual(1e-13 * c.n);
      for (let j = 0; j < c.n; j++) expect(dominantEntry(r.vectors!.data, j, c.n, c.n)).toBeGreaterThan(0);
      const values = eigvalsh(c.a);
      if (useSmallEigh(c.n, false) && useSmallEigh(c.n)) expect(values).toEqual(r.values);
      else values.forEach((v, i) => expect(Math.abs(v - r.values[i]!)).toBeLessThanOrEqual(1e-13 * scale * c.n));
    });
  });

  it('float32: Float32Array out, values within 2e-7·|λ|max of numpy on the same float32 data, the sign rule exact in float32', () => {
    const picks = cases.filter((c) => useSmallEigh(c.n));
    const f32 = picks.map((c) => toFloat32(c.a));
    const e = python(NUMPY_EIGVALSH, f32.map((a) => ({ data: Array.from(a.data), n: a.rows }))) as number[][];
    f32.forEach((a, idx) => {
      const r = eigh(a);
      expect(r.values).toBeInstanceOf(Float32Array);
      const scale = Math.max(...e[idx]!.map(Math.abs));
      e[idx]!.forEach((x, i) => expect(Math.abs(r.values[i]! - x)).toBeLessThanOrEqual(2e-7 * scale * Math.max(2, a.rows)));
      for (let j = 0; j < a.rows; j++) expect(dominantEntry(r.vectors!.data, j, a.rows, a.rows)).toBeGreaterThan(0);
    });
  });
});

describe('small-matrix path: the same errors and results as the LAPACK path', () => {
  const errorOf = (f: () => unknown): { code: string; message: string } | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(EffrankError);
      return { code: (e as EffrankError).code, message: (e as EffrankError).message };
    }
  };
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

  it.each([
    [3, 3],
    [4, 2],
    [2, 4],
  ])('svd of a %i×%i with NaN/±Inf: ERR_NON_FINITE with the LAPACK path’s message, sync and async', async (m, n) => {
    for (const x of bad) {
      for (const at of [0, m * n - 1]) {
        const data = Float64Array.from({ length: m * n }, (_, i) => (i === at ? x : i + 1));
        for (const dtype of ['f64', 'f32']) {
          const a = { data: dtype === 'f64' ? data : Float32Array.from(data), rows: m, cols: n };
          const small = errorOf(() => svd(a));
          const lapack = withLapackForced(() => errorOf(() => svd(a)));
          expect(small).toEqual(lapack);
          expect(small?.code).toBe('ERR_NON_FINITE');
          await expect(svdAsync(a)).rejects.toMatchObject({ code: 'ERR_NON_FINITE', message: small!.message });
        }
      }
    }
  });

  it('eigh with NaN/±Inf in either triangle, and check: true on an asymmetric matrix: the LAPACK path’s codes and messages', async () => {
    for (const x of bad) {
      for (const at of [1, 3]) {
        const data = Float64Array.from([4, 1, 1, 3], (v, i) => (i === at ? x : v));
        const a = { data, rows: 2, cols: 2 };
        for (const check of [false, true]) {
          const small = errorOf(() => eigh(a, { check }));
          expect(small).toEqual(withLapackForced(() => errorOf(() => eigh(a, { check }))));
          expect(small?.code).toBe('ERR_NON_FINITE');
          await expect(eighAsync(a, { check })).rejects.toMatchObject({ code: 'ERR_NON_FINITE' });
        }
      }
    }
    const asym = { data: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2 };
    const small = errorOf(() => eigh(asym, { check: true }));
    expect(small?.code).toBe('ERR_INVALID_ARGUMENT');
    expect(small).toEqual(withLapackForced(() => errorOf(() => eigh(asym, { check: true }))));
    // Without check, only the lower triangle counts, on both paths.
    const mine = eigvalsh(asym);
    const theirs = withLapackForced(() => eigvalsh(asym));
    for (let i = 0; i < 2; i++) expect(Math.abs(mine[i]! - theirs[i]!)).toBeLessThanOrEqual(1e-14 * 5);
  });

  it('async twins give the sync results, with the input copied at the call', async () => {
    const a = build('random', 4, 3, 5);
    const pending = svdAsync(a);
    const before = svd(a);
    a.data.fill(0);
    const r = await pending;
    expect(Array.from(r.s)).toEqual(Array.from(before.s));
    expect(Array.from(r.u!.data)).toEqual(Array.from(before.u!.data));
  });

  it('slab-backed results are independent arrays: writing one changes no other, and structuredClone copies just its values', () => {
    const a = build('random', 3, 3, 11);
    const r1 = svd(a);
    const r2 = svd(a);
    const before = Array.from(r2.u!.data);
    r1.u!.data.fill(7);
    r1.vt!.data.fill(7);
    r1.s.fill(7);
    expect(Array.from(r2.u!.data)).toEqual(before);
    expect(r2.u!.data.length).toBe(9);
    const copy = structuredClone(r2.u!.data);
    expect(Array.from(copy)).toEqual(before);
    expect(copy.length).toBe(9);
  });

  it('eigh scales by the lower triangle it reads: a large unread upper entry does not hide tiny lower ones (fuzz regression)', () => {
    const a = { data: new Float64Array([0, -4.7e-125, -1e-290, 0]), rows: 2, cols: 2 };
    const r = eigh(a);
    expect(r.values[0]).toBeCloseTo(-1e-290, 300);
    expect(r.values[1]).toBeCloseTo(1e-290, 300);
    expect(Math.abs(r.values[0]! + 1e-290) / 1e-290).toBeLessThan(1e-15);
    expect(eigenResidual({ data: new Float64Array([0, -1e-290, -1e-290, 0]), rows: 2, cols: 2 }, r.values, r.vectors!)).toBeLessThan(1e-305);
  });
});
