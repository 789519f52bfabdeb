/**
 * The Golub–Kahan–Reinsch small-matrix SVD (src/linalg/small/small-svd.ts)
 * through the public `svd`/`svdvals`, against numpy.linalg (one batched python
 * call per group): tall and wide shapes at every min(m, n) up to the
 * crossover and just above it, matrices mixing entries of 1e±300, 1 and
 * subnormals (where the reflectors and rotations must keep their
 * orthogonality near the underflow threshold), and fast-check samples.
 * Every check is of values: numpy's singular values, a = u·diag(s)·vt,
 * orthonormal u and vt, descending s and the sign rule.
 */
import { spawnSync } from 'node:child_process';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SVD } from '../src/compat/svd-js.js';
import { SMALL_SVD_MAX_ELEMENTS, SMALL_SVD_MAX_N, useSmallSvd } from '../src/linalg/small/route.js';
import { svd, svdvals } from '../src/linalg/svd.js';
import { type Dense, dominantEntry, orthonormalityError } from './helpers/linalg.js';
import { Rng } from './helpers/rng.js';

const PYTHON = '/usr/bin/python3';
const HAS_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], { timeout: 30_000 }).status === 0;

const NUMPY_SVDVALS = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
print(json.dumps([np.linalg.svd(np.array(c['data'], dtype=np.float64).reshape(c['rows'], c['cols']), compute_uv=False).tolist() for c in cases]))
`;

function numpySvdvals(cases: Dense[]): number[][] {
  const input = JSON.stringify(cases.map((c) => ({ data: Array.from(c.data), rows: c.rows, cols: c.cols })));
  const run = spawnSync(PYTHON, ['-c', NUMPY_SVDVALS], { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[][];
}

/**
 * max |a − u·diag(s)·vt|, in units of σ₁, plus the subnormal spacing: a σ
 * among the subnormals is itself rounded to a few bits (numpy's too), which
 * no relative bound covers.
 */
function relativeReconstruction(a: Dense, u: Dense, s: ArrayLike<number>, vt: Dense): number {
  const k = s.length;
  const s1 = s[0]!;
  let worst = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += u.data[i * u.cols + l]! * s[l]! * vt.data[l * a.cols + j]!;
      worst = Math.max(worst, Math.abs(sum - a.data[i * a.cols + j]!));
    }
  }
  return Math.max(0, worst - 4 * k * Number.MIN_VALUE) / (s1 || 1);
}

/** Every property of one matrix's SVD against numpy's values `ref`, thin and full. */
function checkAgainst(a: Dense, ref: number[], label: string): void {
  const dim = Math.max(a.rows, a.cols);
  const tol = 1e-14 * dim;
  const s1 = ref[0]!;
  for (const vectors of ['thin', 'full'] as const) {
    const r = svd(a, { vectors });
    expect(r.s.length, label).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) {
      expect(Math.abs(r.s[i]! - ref[i]!), `${label} ${vectors} s[${i}]`).toBeLessThanOrEqual(tol * s1);
      if (i > 0) expect(r.s[i]!, `${label} descending`).toBeLessThanOrEqual(r.s[i - 1]!);
    }
    expect(relativeReconstruction(a, r.u!, r.s, r.vt!), `${label} ${vectors} reconstruction`).toBeLessThanOrEqual(tol);
    expect(orthonormalityError(r.u!, 'cols'), `${label} ${vectors} u`).toBeLessThanOrEqual(tol);
    expect(orthonormalityError(r.vt!, 'rows'), `${label} ${vectors} vt`).toBeLessThanOrEqual(tol);
    for (let i = 0; i < r.vt!.rows; i++) expect(dominantEntry(r.vt!.data, i * a.cols, a.cols, 1), `${label} sign`).toBeGreaterThan(0);
    for (let j = Math.min(a.rows, a.cols); j < r.u!.cols; j++) expect(dominantEntry(r.u!.data, j, a.rows, r.u!.cols)).toBeGreaterThan(0);
  }
  // Values only (dqds on the small path, the QR with vectors): numpy's values to the same tolerance, descending.
  const values = svdvals(a);
  expect(values.length, label).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(values[i]! - ref[i]!), `${label} svdvals[${i}]`).toBeLessThanOrEqual(tol * s1);
    if (i > 0) expect(values[i]!, `${label} svdvals descending`).toBeLessThanOrEqual(values[i - 1]!);
  }
}

/** Tall and wide shapes at every min(m, n) to the crossover + 1, and the longest the element limit allows. */
function shapes(): [number, number][] {
  const out: [number, number][] = [];
  for (let n = 1; n <= SMALL_SVD_MAX_N + 1; n++) {
    out.push([n + 1, n], [n, n + 1], [n + 3, n], [n, n + 3]);
    const longest = Math.floor(SMALL_SVD_MAX_ELEMENTS / n);
    if (longest > n) out.push([longest, n], [n, longest], [longest + 1, n]);
  }
  return out;
}

describe.skipIf(!HAS_NUMPY)('small-matrix SVD kernel against numpy', () => {
  it('tall and wide Gaussian matrices at every min(m, n) to the crossover and just above it', () => {
    const rng = new Rng(4242);
    const cases = shapes().map(([m, n]) => ({ data: rng.normals(m * n), rows: m, cols: n }));
    expect(cases.some((c) => useSmallSvd(c.rows, c.cols))).toBe(true);
    expect(cases.some((c) => !useSmallSvd(c.rows, c.cols))).toBe(true);
    const ref = numpySvdvals(cases);
    cases.forEach((c, i) => checkAgainst(c, ref[i]!, `${c.rows}×${c.cols}`));
  });

  it('sparse matrices mixing 1e±300, 1 and subnormal entries: normwise values, and u, vt orthonormal to working precision', () => {
    const rng = new Rng(99);
    const magnitudes = [1e300, 1, 0.5, 1e-300, 3e-310, 5e-324];
    const cases: Dense[] = [];
    for (let t = 0; t < 120; t++) {
      const m = 1 + Math.floor(rng.range(0, 12));
      const n = 1 + Math.floor(rng.range(0, 12));
      const data = new Float64Array(m * n);
      for (let i = 0; i < data.length; i++) {
        if (rng.range(0, 1) < 0.6) continue;
        data[i] = magnitudes[Math.floor(rng.range(0, magnitudes.length))]! * rng.normal();
      }
      cases.push({ data, rows: m, cols: n });
    }
    const ref = numpySvdvals(cases);
    cases.forEach((c, i) => {
      if (ref[i]![0] === 0) {
        expect(Array.from(svd(c).s).every((x) => x === 0)).toBe(true);
        return;
      }
      checkAgainst(c, ref[i]!, `mixed ${c.rows}×${c.cols} #${i}`);
    });
  });

  it('column-graded and row-graded matrices, rank-deficient products and exact repeats', () => {
    const rng = new Rng(7);
    const cases: Dense[] = [];
    for (const [m, n] of [[3, 3], [5, 4], [4, 7], [8, 8], [12, 12], [16, 10]] as [number, number][]) {
      const g = (scale: (i: number, j: number) => number): Dense => {
        const data = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = rng.normal() * scale(i, j);
        return { data, rows: m, cols: n };
      };
      cases.push(g((_, j) => 10 ** (-12 * j / Math.max(1, n - 1))));
      cases.push(g((i) => 10 ** (-12 * i / Math.max(1, m - 1))));
      // rank 1 plus an exact copy of the first row: numerically zero values must come out as noise-level, not NaN.
      const rank1 = new Float64Array(m * n);
      const x = rng.normals(m);
      const y = rng.normals(n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) rank1[i * n + j] = x[i]! * y[j]!;
      cases.push({ data: rank1, rows: m, cols: n });
      const repeats = new Float64Array(m * n);
      for (let i = 0; i < Math.min(m, n); i++) repeats[i * n + i] = i % 2 ? 2 : -2;
      cases.push({ data: repeats, rows: m, cols: n });
    }
    const ref = numpySvdvals(cases);
    cases.forEach((c, i) => checkAgainst(c, ref[i]!, `structured ${c.rows}×${c.cols} #${i}`));
  });

  it('fast-check samples: small-integer, wide-range and zero-heavy entries', () => {
    const entry = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, 1e-200, -1e200, 5e-324),
    );
    const matrix = fc
      .record({ m: fc.integer({ min: 1, max: 13 }), n: fc.integer({ min: 1, max: 13 }) })
      .chain(({ m, n }) => fc.array(entry, { minLength: m * n, maxLength: m * n }).map((values) => ({ data: Float64Array.from(values), rows: m, cols: n })));
    const cases = fc.sample(matrix, { numRuns: 300, seed: 20261202 });
    const ref = numpySvdvals(cases);
    cases.forEach((c, i) => {
      if (ref[i]![0] === 0) return;
      checkAgainst(c, ref[i]!, `fast-check ${c.rows}×${c.cols} #${i}`);
    });
  });

  it('the svd-js adapter’s direct result building gives the core svd’s numbers bit for bit (signs included)', () => {
    const rng = new Rng(31);
    for (const [m, n] of [[1, 1], [2, 2], [3, 3], [4, 3], [8, 8], [12, 12], [40, 4], [16, 10]] as [number, number][]) {
      expect(useSmallSvd(m, n)).toBe(true);
      const a: Dense = { data: rng.normals(m * n), rows: m, cols: n };
      const nested = Array.from({ length: m }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)));
      const mine = SVD(nested);
      const core = svd(a);
      expect(mine.q).toEqual(Array.from(core.s));
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Object.is(mine.u[i]![j], core.u!.data[i * n + j]), `u ${m}×${n}`).toBe(true);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Object.is(mine.v[i]![j], core.vt!.data[j * n + i]), `v ${m}×${n}`).toBe(true);
    }
  });
});
