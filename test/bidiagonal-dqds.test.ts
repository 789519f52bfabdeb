/**
 * The values-only bidiagonal solver (src/linalg/small/bidiagonal-dqds.ts)
 * against independent references: mpmath (300 digits) on the bidiagonal
 * itself (every σ to a few ε relative — the high relative accuracy dqds
 * promises, graded to 1e±100 included), closed forms (the all-ones
 * bidiagonal: σ_k = 2cos(kπ/(2n+1))), exact zeros on either diagonal, exact
 * repeats; the refusal outside its exponent range; and the public svdvals
 * through it (n up to the values-only limit, float32 input) against numpy.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SVD } from '../src/compat/svd-js.js';
import { bidiagonalDqds } from '../src/linalg/small/bidiagonal-dqds.js';
import { SMALL_SVDVALS_MAX_ELEMENTS, SMALL_SVDVALS_MAX_N, useSmallSvd } from '../src/linalg/small/route.js';
import { svdvals } from '../src/linalg/svd.js';
import { mpmathSvdvals, python, pythonHas } from './helpers/python.js';
import { Rng } from './helpers/rng.js';

const HAS_MPMATH = pythonHas('numpy, mpmath');
const EPS = 2 ** -52;

const MPMATH_BIDIAGONAL = `
import json, sys, mpmath
mpmath.mp.dps = 300
out = []
for c in json.load(sys.stdin):
    n = len(c['d'])
    B = mpmath.zeros(n, n)
    for i in range(n):
        B[i, i] = mpmath.mpf(c['d'][i])
        if i < n - 1: B[i, i + 1] = mpmath.mpf(c['f'][i])
    s = sorted([abs(x) for x in mpmath.svd_r(B, compute_uv=False)], reverse=True)
    # Exact zeros come back as noise of ~1e-300·σ₁: 0 below 1e-270·σ₁.
    out.append([0.0 if x <= s[0] * mpmath.mpf(10) ** -270 else float(x) for x in s])
print(json.dumps(out))
`;

const NUMPY_SVDVALS = `
import json, sys, numpy as np
out = []
for c in json.load(sys.stdin):
    a = np.array(c['data'], dtype=np.float32 if c['f32'] else np.float64).astype(np.float64).reshape(c['rows'], c['cols'])
    out.append(np.linalg.svd(a, compute_uv=False).tolist())
print(json.dumps(out))
`;


interface Bidiagonal {
  d: number[];
  f: number[];
  label: string;
}

/** dqds's values of B, sorted descending, or undefined when it declined. */
function solve(b: Bidiagonal): number[] | undefined {
  const n = b.d.length;
  const d = Float64Array.from(b.d);
  const f = new Float64Array(n);
  f.set(b.f);
  if (!bidiagonalDqds(d, f, n)) return undefined;
  return Array.from(d).sort((x, y) => y - x);
}

/** Every σ to `rel` relative (exact zeros exactly), against the reference. */
function expectRelative(got: number[], ref: number[], rel: number, label: string): void {
  expect(got.length, label).toBe(ref.length);
  ref.forEach((r, i) => {
    if (r === 0) expect(got[i], `${label} σ[${i}] = 0`).toBe(0);
    else expect(Math.abs(got[i]! - r) / r, `${label} σ[${i}] = ${r}`).toBeLessThanOrEqual(rel);
  });
}

function randomBidiagonal(rng: Rng, n: number, label: string, grade = 0): Bidiagonal {
  // grade: d_i, f_i scaled by 10^(−grade·i/(n−1)), so that the values span 10^grade.
  const g = (i: number): number => (n > 1 ? 10 ** ((-grade * i) / (n - 1)) : 1);
  const d = Array.from({ length: n }, (_, i) => rng.normal() * g(i));
  const f = Array.from({ length: n - 1 }, (_, i) => rng.normal() * g(i + 0.5));
  return { d, f, label };
}

function cases(): Bidiagonal[] {
  const rng = new Rng(1994);
  const out: Bidiagonal[] = [];
  for (let n = 1; n <= 16; n++) {
    for (let t = 0; t < 3; t++) out.push(randomBidiagonal(rng, n, `random n=${n} #${t}`));
    if (n < 2) continue;
    out.push(randomBidiagonal(rng, n, `graded 1e-100 n=${n}`, 100));
    // Graded the other way: the small entries at the top.
    const up = randomBidiagonal(rng, n, `graded up n=${n}`, 100);
    out.push({ d: up.d.reverse(), f: up.f.reverse(), label: up.label });
    // Exact zeros: on the diagonal (rank-deficient: σ = 0 exactly), at the top, middle and bottom; on the superdiagonal (a split).
    for (const z of [0, n >> 1, n - 1]) {
      const b = randomBidiagonal(rng, n, `d[${z}] = 0 n=${n}`);
      b.d[z] = 0;
      out.push(b);
      const c = randomBidiagonal(rng, n, `f[${Math.min(z, n - 2)}] = 0 n=${n}`);
      c.f[Math.min(z, n - 2)] = 0;
      out.push(c);
    }
    const two = randomBidiagonal(rng, n, `two zeros on d, one on f n=${n}`);
    two.d[0] = 0;
    two.d[n - 1] = 0;
    two.f[(n - 1) >> 1] = 0;
    out.push(two);
    // Tiny but nonzero couplings (1e-120 against 1): splits that must not lose the small values.
    const tiny = randomBidiagonal(rng, n, `tiny couplings n=${n}`);
    for (let i = 0; i < n - 1; i += 2) tiny.f[i]! *= 1e-120;
    out.push(tiny);
    // A zero block: every d zero (rank n/2 or so from the superdiagonal alone).
    out.push({ d: new Array<number>(n).fill(0), f: Array.from(rng.normals(n - 1)), label: `zero diagonal n=${n}` });
  }
  return out;
}

describe.skipIf(!HAS_MPMATH)('dqds on bidiagonals against mpmath at 300 digits', () => {
  const all = cases();
  const ref = python(MPMATH_BIDIAGONAL, all.map((b) => ({ d: b.d, f: b.f }))) as number[][];

  it('random, graded to 1e±100, exact zeros on either diagonal, tiny couplings, n = 1..16: every σ to 16ε relative, zeros exact', () => {
    all.forEach((b, i) => {
      const got = solve(b);
      expect(got, `${b.label}: dqds takes it`).toBeDefined();
      expectRelative(got!, ref[i]!, 16 * EPS, b.label);
    });
  });

  it('fast-check: entries of mixed sign and magnitude (1e±60), zeros; every σ to 16ε relative, or declined where a σ² would underflow', () => {
    const entry = fc.oneof(
      // (fast-check's doubles reach the subnormals, outside dqds's range: see the refusal test.)
      fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-100),
      fc.tuple(fc.double({ min: 0.5, max: 1, noNaN: true }), fc.integer({ min: -60, max: 60 }), fc.boolean()).map(([m, e, neg]) => (neg ? -m : m) * 10 ** e),
      fc.constant(0),
    );
    const bidiagonal = fc.integer({ min: 1, max: 16 }).chain((n) => fc.tuple(fc.array(entry, { minLength: n, maxLength: n }), fc.array(entry, { minLength: n - 1, maxLength: n - 1 })));
    const samples = fc.sample(bidiagonal, { numRuns: 150, seed: 20261202 }).map(([d, f], i) => ({ d, f, label: `fast-check #${i}` }));
    const expected = python(MPMATH_BIDIAGONAL, samples.map((b) => ({ d: b.d, f: b.f }))) as number[][];
    let declined = 0;
    samples.forEach((b, i) => {
      const label = `${b.label} d=${JSON.stringify(b.d)} f=${JSON.stringify(b.f)}`;
      const got = solve(b);
      // Declined only where a value's square would underflow (σ < 2⁻⁴⁵⁰, e.g. σ ≈ ab of [[a, big], [0, b]]).
      if (got === undefined) {
        declined++;
        expect(expected[i]!.some((x) => x > 0 && x < 2 ** -440), label).toBe(true);
      } else expectRelative(got, expected[i]!, 16 * EPS, label);
    });
    expect(declined).toBeLessThan(samples.length / 4);
  });
});

describe('dqds on bidiagonals with known values', () => {
  it('the all-ones bidiagonal: σ_k = 2cos(kπ/(2n+1)) = 2sin((2n+1−2k)π/(4n+2)), every σ to 8ε relative, n = 1..16', () => {
    for (let n = 1; n <= 16; n++) {
      const b = { d: new Array<number>(n).fill(1), f: new Array<number>(n - 1).fill(1), label: `ones n=${n}` };
      // The sine form: accurate to ~ε relative also where the cosine is near π/2 (the small σ).
      const ref = Array.from({ length: n }, (_, k) => 2 * Math.sin(((2 * n - 1 - 2 * k) * Math.PI) / (4 * n + 2)));
      expectRelative(solve(b)!, ref, 8 * EPS, b.label);
    }
  });

  it('exact repeats: diagonal ±3 (split everywhere), and ±2 with couplings of 1e-300 (below TINY: zero), give 3s and 2s exactly', () => {
    for (let n = 1; n <= 16; n++) {
      const d = Array.from({ length: n }, (_, i) => (i % 2 ? -3 : 3));
      expect(solve({ d, f: new Array<number>(n - 1).fill(0), label: '' })).toEqual(new Array<number>(n).fill(3));
      const d2 = Array.from({ length: n }, (_, i) => (i % 3 ? 2 : -2));
      expect(solve({ d: d2, f: new Array<number>(n - 1).fill(1e-305), label: '' })).toEqual(new Array<number>(n).fill(2));
    }
  });

  it('a zero matrix gives zeros; a single entry gives its magnitude', () => {
    expect(solve({ d: [0, 0, 0, 0], f: [0, 0, 0], label: '' })).toEqual([0, 0, 0, 0]);
    expect(solve({ d: [-0.75], f: [], label: '' })).toEqual([0.75]);
  });

  it('declines (false, d and f untouched) when an entry is too small or large to square safely, so that the QR path takes it', () => {
    const d = Float64Array.from([1, 2 ** -460, 1]);
    const f = Float64Array.from([0.5, 0.5, 0]);
    expect(bidiagonalDqds(d, f, 3)).toBe(false);
    expect(Array.from(d)).toEqual([1, 2 ** -460, 1]);
    expect(Array.from(f)).toEqual([0.5, 0.5, 0]);
    const big = Float64Array.from([2 ** 460, 1]);
    expect(bidiagonalDqds(big, Float64Array.from([1, 0]), 2)).toBe(false);
  });
});

describe.skipIf(!HAS_MPMATH)('svdvals through dqds against numpy', () => {
  it('square and long shapes up to the values-only limit, float64 and float32 input: numpy’s values to 8ε·max(m,n)·σ₁ (float32: 2⁻²³·σ₁, on the float32 data), descending', () => {
    const rng = new Rng(2026);
    const shapes: [number, number][] = [];
    for (let n = 4; n <= SMALL_SVDVALS_MAX_N; n++) {
      for (const [m, k] of [[n, n], [n + 2, n], [n, n + 3]] as [number, number][]) if (m * k <= SMALL_SVDVALS_MAX_ELEMENTS) shapes.push([m, k]);
    }
    shapes.push([Math.floor(SMALL_SVDVALS_MAX_ELEMENTS / 4), 4], [4, Math.floor(SMALL_SVDVALS_MAX_ELEMENTS / 4)], [Math.floor(SMALL_SVDVALS_MAX_ELEMENTS / 8), 8]);
    const mats = shapes.flatMap(([m, n]) => [false, true].map((f32) => ({ rows: m, cols: n, f32, data: f32 ? Float32Array.from(rng.normals(m * n)) : rng.normals(m * n) })));
    expect(mats.every((a) => useSmallSvd(a.rows, a.cols, 0))).toBe(true);
    const ref = python(NUMPY_SVDVALS, mats.map((a) => ({ data: Array.from(a.data), rows: a.rows, cols: a.cols, f32: a.f32 }))) as number[][];
    mats.forEach((a, i) => {
      const s = svdvals(a);
      const label = `${a.rows}×${a.cols}${a.f32 ? ' float32' : ''}`;
      expect(s instanceof Float32Array, label).toBe(a.f32);
      const tol = a.f32 ? 2 ** -23 : 8 * EPS * Math.max(a.rows, a.cols);
      const e = ref[i]!;
      expect(s.length).toBe(e.length);
      e.forEach((x, j) => {
        expect(Math.abs(s[j]! - x), `${label} σ[${j}]`).toBeLessThanOrEqual(tol * e[0]!);
        if (j > 0) expect(s[j]!, `${label} descending`).toBeLessThanOrEqual(s[j - 1]!);
      });
      if (!a.f32 && a.rows === a.cols) {
        // The svd-js adapter's values-only entry: the same values, flushed below ε·σ₁.
        const nested = Array.from({ length: a.rows }, (_, r) => Array.from(a.data.subarray(r * a.cols, (r + 1) * a.cols)));
        expect(SVD(nested, false, false).q).toEqual(Array.from(s, (x) => (x < EPS * s[0]! ? 0 : x)));
      }
    });
  });

  it('column-graded 12×12 and 16×16 (A = B·D, D from 1 to 1e-100): every σ to 1e-13 relative, against mpmath', () => {
    const mats = [12, 16].map((n, t) => {
      const rng = new Rng(500 + t);
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = (rng.normal() + (i === j ? 3 : 0)) * 10 ** ((-100 * j) / (n - 1));
      return { data, rows: n, cols: n };
    });
    const ref = mpmathSvdvals(mats, 250);
    mats.forEach((a, i) => {
      expect(useSmallSvd(a.rows, a.cols, 0)).toBe(true);
      expectRelative(Array.from(svdvals(a)), ref[i]!, 1e-13, `graded ${a.rows}×${a.cols}`);
    });
  });
});
