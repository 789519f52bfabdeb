/**
 * Plain-JS float64 builders of feature matrices whose Gram spectrum is known
 * by construction, and closed-form references for the rank measures.
 * Nothing here calls the library under test.
 *
 * Features with a known spectrum: for target eigenvalues λ_1..λ_n of
 *   M = scale · Φᵀ · diag(w) · Φ,
 * take Q (N×n, orthonormal columns) and V (n×n, orthogonal) and set
 *   Φ = diag(1/√w) · Q · diag(√(λ/scale)) · Vᵀ,
 * so that M = V · diag(λ) · Vᵀ up to rounding.
 */
import fc from 'fast-check';
import type { Dense } from '../helpers/linalg.js';
import { randomOrthogonal } from '../helpers/linalg.js';
import { Rng } from '../helpers/rng.js';

export { Rng };

/**
 * Thin Q (N×k, orthonormal columns) of the Householder QR of an N×k matrix
 * whose leading columns are `lead` (if given) and the rest standard normal.
 * When `lead` holds one vector u, the columns 1..k−1 of Q are orthogonal to u.
 * Cost O(N·k²), so N in the thousands is fine.
 */
export function thinOrthonormal(N: number, k: number, rng: Rng, lead: Float64Array[] = []): Dense {
  if (k > N) throw new Error(`thinOrthonormal: k = ${k} > N = ${N}`);
  // Column-major working copy: column j is a[j*N … j*N+N).
  const a = new Float64Array(N * k);
  for (let j = 0; j < k; j++) {
    const src = lead[j];
    for (let i = 0; i < N; i++) a[j * N + i] = src ? src[i]! : rng.normal();
  }
  const vs: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let i = c; i < N; i++) norm += a[c * N + i]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[c * N + c]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(N - c);
    for (let i = c; i < N; i++) v[i - c] = a[c * N + i]!;
    v[0]! -= alpha;
    let vn = 0;
    for (let i = 0; i < v.length; i++) vn += v[i]! ** 2;
    vn = Math.sqrt(vn);
    if (vn > 0) for (let i = 0; i < v.length; i++) v[i]! /= vn;
    for (let j = c; j < k; j++) {
      let dot = 0;
      for (let i = c; i < N; i++) dot += v[i - c]! * a[j * N + i]!;
      for (let i = c; i < N; i++) a[j * N + i]! -= 2 * v[i - c]! * dot;
    }
    vs.push(v);
  }
  // Q e_j = H_0 … H_{k−1} e_j, applied right-most reflector first.
  const q = new Float64Array(N * k); // column-major
  for (let j = 0; j < k; j++) q[j * N + j] = 1;
  for (let c = k - 1; c >= 0; c--) {
    const v = vs[c]!;
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let i = c; i < N; i++) dot += v[i - c]! * q[j * N + i]!;
      for (let i = c; i < N; i++) q[j * N + i]! -= 2 * v[i - c]! * dot;
    }
  }
  const out = new Float64Array(N * k);
  for (let i = 0; i < N; i++) for (let j = 0; j < k; j++) out[i * k + j] = q[j * N + i]!;
  return { data: out, rows: N, cols: k };
}

/** Trapezoid weights of an N-point uniform grid on [a, b]. */
export function trapezoid(N: number, a = 0, b = 1): Float64Array {
  const h = (b - a) / (N - 1);
  const w = new Float64Array(N).fill(h);
  w[0] = h / 2;
  w[N - 1] = h / 2;
  return w;
}

export interface KnownSpec {
  N: number;
  /**
   * Target nonzero-part eigenvalues of M (any order, ≥ 0); k = lambda.length ≤ N
   * (≤ N − 1 with zeroMean). M's other n − k eigenvalues are 0.
   */
  lambda: readonly number[];
  /** Columns n ≥ k (default k). */
  cols?: number;
  weights?: Float64Array;
  scale?: number;
  /** Make the weighted column means of Φ exactly zero in exact arithmetic (Q ⟂ √w). */
  zeroMean?: boolean;
  seed: number;
}

/** Φ (float64, row-major N×n) with M = scale·Φᵀdiag(w)Φ having eigenvalues `lambda`. */
export function knownFeatures(spec: KnownSpec): Dense {
  const { N, lambda } = spec;
  const k = lambda.length;
  const n = spec.cols ?? k;
  if (n < k) throw new Error('knownFeatures: cols < lambda.length');
  const scale = spec.scale ?? 1;
  const rng = new Rng(spec.seed);
  let q: Dense;
  if (spec.zeroMean) {
    const sw = new Float64Array(N);
    for (let i = 0; i < N; i++) sw[i] = Math.sqrt(spec.weights ? spec.weights[i]! : 1);
    const full = thinOrthonormal(N, k + 1, rng, [sw]);
    q = { data: new Float64Array(N * k), rows: N, cols: k };
    for (let i = 0; i < N; i++) for (let j = 0; j < k; j++) q.data[i * k + j] = full.data[i * (k + 1) + j + 1]!;
  } else {
    q = thinOrthonormal(N, k, rng);
  }
  const v = randomOrthogonal(n, rng);
  const d = lambda.map((l) => Math.sqrt(l / scale));
  const phi = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    const rs = spec.weights ? 1 / Math.sqrt(spec.weights[i]!) : 1;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += q.data[i * k + p]! * d[p]! * v.data[j * n + p]!;
      phi[i * n + j] = rs * s;
    }
  }
  return { data: phi, rows: N, cols: n };
}

/** A (N×n) = Q·diag(s)·Vᵀ with the given singular values s (length n ≤ N). */
export function withSingularValuesThin(N: number, s: readonly number[], seed: number): Dense {
  return knownFeatures({ N, lambda: s.map((x) => x * x), seed });
}

/** Φ + 1·bᵀ. */
export function addRowOffset(phi: Dense, b: ArrayLike<number>): Dense {
  const out = Float64Array.from(phi.data);
  for (let i = 0; i < phi.rows; i++) for (let j = 0; j < phi.cols; j++) out[i * phi.cols + j]! += b[j]!;
  return { data: out, rows: phi.rows, cols: phi.cols };
}

/** Φ − 1·μᵀ with μ the weighted column mean, in float64. */
export function centerRef(phi: Dense<ArrayLike<number>>, w?: ArrayLike<number>): Dense {
  const { rows, cols, data } = phi;
  const mu = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const wi = w ? w[i]! : 1;
    total += wi;
    for (let j = 0; j < cols; j++) mu[j]! += wi * data[i * cols + j]!;
  }
  for (let j = 0; j < cols; j++) mu[j]! /= total;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j]! - mu[j]!;
  return { data: out, rows, cols };
}

export function descending(x: ArrayLike<number>): number[] {
  return Array.from(x).sort((a, b) => b - a);
}

/**
 * Thresholds strictly between consecutive distinct eigenvalues (geometric
 * mean of neighbours), one above λ_max and one below λ_min (if > 0), with
 * the exact count of eigenvalues above each. `minRel` drops thresholds
 * below minRel·λ_max.
 */
export function epsBetween(lambda: readonly number[], minRel = 0): { eps: number[]; counts: number[] } {
  const l = descending(lambda);
  const max = l[0]!;
  const pos = l.filter((x) => x > 0);
  const eps: number[] = [2 * max];
  const counts: number[] = [0];
  for (let i = 0; i + 1 < pos.length; i++) {
    if (pos[i + 1]! < pos[i]!) {
      eps.push(Math.sqrt(pos[i]! * pos[i + 1]!));
      counts.push(i + 1);
    }
  }
  if (pos.length > 0) {
    eps.push(pos[pos.length - 1]! / 2);
    counts.push(pos.length);
  }
  const keep = eps.map((e) => e >= minRel * max);
  return { eps: eps.filter((_, i) => keep[i]), counts: counts.filter((_, i) => keep[i]) };
}

/** Closed forms of the rank measures of a spectrum λ (float64, plain loops). */
export function measuresRef(lambda: readonly number[], energy = 0.99) {
  const l = descending(lambda).map((x) => Math.max(x, 0));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const S = sum(l);
  const entropy = (ws: number[]) => {
    const t = sum(ws);
    let h = 0;
    for (const x of ws) if (x > 0) h -= (x / t) * Math.log(x / t);
    return Math.exp(h);
  };
  let approx = l.length;
  let acc = 0;
  for (let k = 0; k < l.length; k++) {
    acc += l[k]!;
    if (acc >= energy * S) {
      approx = k + 1;
      break;
    }
  }
  return {
    entropySigma: entropy(l.map(Math.sqrt)),
    entropyLambda: entropy(l),
    stable: S / l[0]!,
    participation: (S * S) / sum(l.map((x) => x * x)),
    approximate: approx,
  };
}

/** |a − b| ≤ rel·|b|, with a readable message. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Converts a Dense to the library's input shape (typed data kept). */
export function asInput<T extends Float32Array | Float64Array>(d: Dense<T>): { data: T; rows: number; cols: number } {
  return { data: d.data, rows: d.rows, cols: d.cols };
}

export function toF32(d: Dense<ArrayLike<number>>): { data: Float32Array; rows: number; cols: number } {
  return { data: Float32Array.from(d.data), rows: d.rows, cols: d.cols };
}

/** Rows [from, to) of a row-major matrix, as a copy with the same dtype. */
export function rowSlice<T extends Float32Array | Float64Array>(
  d: { data: T; rows: number; cols: number },
  from: number,
  to: number,
): { data: T; rows: number; cols: number } {
  return { data: d.data.slice(from * d.cols, to * d.cols) as T, rows: to - from, cols: d.cols };
}

/** Geometric spectrum: λ_i = top · ratio^i, i = 0..n−1. */
export function geometric(n: number, top: number, ratio: number): number[] {
  return Array.from({ length: n }, (_, i) => top * ratio ** i);
}

/**
 * An N×n matrix of exact rank r: r columns of Q·diag(s)·Vᵀ (s from 1 down to
 * sMin), the other n − r columns exact copies, exact power-of-two multiples
 * (×2, ×−0.5) or exact zeros of them, in a shuffled column order. Row scaling
 * by any weights keeps the stored matrix exactly rank r (power-of-two factors
 * commute with rounding), so its trailing singular values are 0 up to the
 * SVD's own rounding and the numerical rank is unambiguously r.
 */
export function exactRankDeficient(N: number, n: number, r: number, seed: number, sMin = 1e-2): Dense {
  const s = Array.from({ length: r }, (_, i) => (r === 1 ? 1 : sMin ** (i / (r - 1))));
  const b = withSingularValuesThin(N, s, seed);
  const rng = new Rng(seed + 1);
  const sources: { col: number; factor: number }[] = [];
  for (let j = 0; j < r; j++) sources.push({ col: j, factor: 1 });
  const factors = [1, 2, -0.5, 0];
  for (let j = r; j < n; j++) sources.push({ col: rng.int(0, r - 1), factor: factors[(j - r) % factors.length]! });
  // Fisher–Yates shuffle of the column order.
  for (let j = n - 1; j > 0; j--) {
    const t = rng.int(0, j);
    [sources[j], sources[t]] = [sources[t]!, sources[j]!];
  }
  const out = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < n; j++) {
      const { col, factor } = sources[j]!;
      out[i * n + j] = factor * b.data[i * r + col]!;
    }
  }
  return { data: out, rows: N, cols: n };
}

/** Strongly non-uniform positive weights: trapezoid weights on [a, b] times factors in [0.2, 2). */
export function roughWeights(N: number, seed: number, a = 0, b = 1): Float64Array {
  const rng = new Rng(seed);
  return trapezoid(N, a, b).map((x) => x * rng.range(0.2, 2));
}

/** Small random feature problems for property tests: shape, seed, weighting and scale. */
export const caseArb = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  N: fc.integer({ min: 1, max: 24 }),
  n: fc.integer({ min: 1, max: 10 }),
  weighted: fc.boolean(),
  scale: fc.double({ min: 0.05, max: 20, noNaN: true }),
});
