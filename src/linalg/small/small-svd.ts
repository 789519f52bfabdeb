/**
 * Golub–Kahan–Reinsch SVD for small matrices, in float64 JavaScript.
 *
 * Below the crossover in ./route.ts a LAPACK call costs more in fixed
 * overhead (argument checks, the workspace query, allocations, Node-API
 * objects) than this whole computation. The contract is the LAPACK path's
 * (src/linalg/svd.ts): s descending, min(m, n) values; a = u·diag(s)·vt; the
 * largest-magnitude entry of each row of vt positive (the first on ties),
 * the matching column of u flipped with it; extra columns of a full u and
 * extra rows of a full vt follow the rule on their own; NaN/±Inf rejected
 * with the same code and wording.
 *
 * Method (Golub & Van Loan §8.6): W (the matrix, or its transpose when wide,
 * so that W is tall M×N) is scaled by a power of two, reduced to bidiagonal
 * form by Householder reflections (./bidiagonalize.ts), and the bidiagonal is
 * diagonalised by implicit-shift QR (./bidiagonal-qr.ts). Normwise backward
 * stable like LAPACK's ?gesdd, and, like LAPACK's bidiagonal QR, with a
 * relative convergence test, so that column-graded matrices keep their small
 * singular values to high relative accuracy too.
 *
 * float32 input is computed in float64 and rounded once to float32 on
 * output: never less accurate than the float32 LAPACK path (see docs/compat.md).
 */
import type { FloatArray } from '../../core/matrix.js';
import { bidiagonalDqds } from './bidiagonal-dqds.js';
import { bidiagonalQr } from './bidiagonal-qr.js';
import { accumulateLeft, accumulateRight, bidiagonalize } from './bidiagonalize.js';
import { resultArray } from './results.js';
import { Role, argMaxAbs, nonFinite, scaleFor, scratch } from './scratch.js';
import { UNROLLED, U_AT, VT_AT, unrolledSvd2, unrolledSvd3 } from './unrolled-svd.js';

export interface SmallSvd {
  s: FloatArray;
  u?: FloatArray;
  vt?: FloatArray;
}

/**
 * The SVD of the row-major m×n `a`, or undefined when the QR iteration did not
 * converge (then the caller uses LAPACK). mode: 0 values only, 1 thin, 2 full.
 * `scratchOutputs`: the results are float64 working buffers, valid until the
 * next call (for the adapters, which copy them into nested arrays at once).
 */
export function smallSvd(a: FloatArray, m: number, n: number, mode: 0 | 1 | 2, scratchOutputs = false): SmallSvd | undefined {
  if (m === n && (m === 2 || m === 3) && (m === 2 ? unrolledSvd2(a, mode !== 0) : unrolledSvd3(a, mode !== 0))) {
    return fromUnrolled(a instanceof Float32Array, m, mode, scratchOutputs);
  }
  const p = factorize(a, m, n, mode);
  if (p === 0) return undefined;
  const N = m < n ? m : n;
  const f32 = a instanceof Float32Array;
  const sOut = scratchOutputs ? scratch(Role.OutS, N) : resultArray(f32, N);
  for (let j = 0; j < N; j++) sOut[j] = diagonal[order[j]!]! / p;
  if (mode === 0) return { s: sOut };
  return withVectors(f32, m, n, mode, left, right, order, sOut, scratchOutputs);
}

/** smallSvd's result from the unrolled 2×2/3×3 kernel's buffer (square: full and thin are the same). */
function fromUnrolled(f32: boolean, n: number, mode: 0 | 1 | 2, scratchOutputs: boolean): SmallSvd {
  const R = UNROLLED;
  const s = scratchOutputs ? scratch(Role.OutS, n) : resultArray(f32, n);
  for (let j = 0; j < n; j++) s[j] = R[j]!;
  if (mode === 0) return { s };
  const nn = n * n;
  const u = scratchOutputs ? scratch(Role.OutU, nn) : resultArray(f32, nn);
  const vt = scratchOutputs ? scratch(Role.OutVt, nn) : resultArray(f32, nn);
  for (let i = 0; i < nn; i++) {
    u[i] = R[U_AT + i]!;
    vt[i] = R[VT_AT + i]!;
  }
  return { s, u, vt };
}

/**
 * The thin SVD of a tall (m ≥ n) float64 `a` as the kernel leaves it, for
 * adapters that build their own result shapes without an intermediate copy:
 * σ_j = s[j]; the j-th left vector is sign[j]·u[order[j]·m …], the j-th right
 * vector sign[j]·v[order[j]·n …] (columns of length m and n). The same
 * numbers, signs included, as smallSvd's. Valid until the next call;
 * undefined when the iteration did not converge.
 */
export interface SmallColumns {
  s: Float64Array;
  u: Float64Array;
  v: Float64Array;
  order: Int32Array;
  sign: Float64Array;
}

const columns: SmallColumns = { s: new Float64Array(16), u: new Float64Array(0), v: new Float64Array(0), order: new Int32Array(0), sign: new Float64Array(16) };

export function smallSvdColumns(a: Float64Array, m: number, n: number): SmallColumns | undefined {
  const p = factorize(a, m, n, 1);
  if (p === 0) return undefined;
  if (columns.s.length < n) {
    columns.s = new Float64Array(Math.max(n, 16));
    columns.sign = new Float64Array(Math.max(n, 16));
  }
  const { s, sign } = columns;
  for (let j = 0; j < n; j++) {
    const c = order[j]!;
    s[j] = diagonal[c]! / p;
    // The sign rule of withVectors: the largest-magnitude entry of the right vector (the first on ties) positive.
    const o = c * n;
    sign[j] = right[o + argMaxAbs(right, o, n, 1)]! >= 0 ? 1 : -1;
  }
  columns.u = left;
  columns.v = right;
  columns.order = order;
  return columns;
}

/**
 * Bidiagonalization and QR of `a` into the working storage below: the
 * unsorted singular values of the scaled matrix in `diagonal`, their
 * descending order in `order`, U_W in `left` and V_W in `right` (column-major)
 * when mode ≠ 0. Returns the scale p (σ = diagonal/p), or 0 when the QR did not converge.
 */
function factorize(a: FloatArray, m: number, n: number, mode: 0 | 1 | 2): number {
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  const vectors = mode !== 0;
  // U_W (M×qCols) and V_W (N×N), column-major. A full U (tall) or full Vᵀ (wide) needs all M columns of U_W.
  const qCols = mode === 2 ? M : N;
  reserve(M, N, qCols);
  const w = work;

  // W row-major M×N (a itself when tall, aᵀ when wide), every entry checked finite on the way.
  let amax = 0;
  if (tall) {
    for (let i = 0; i < M * N; i++) {
      const x = a[i]!;
      const ax = x < 0 ? -x : x;
      if (!(ax <= Number.MAX_VALUE)) throw nonFinite(a, M * N, 'svd input', m <= n);
      if (ax > amax) amax = ax;
      w[i] = x;
    }
  } else {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < M; j++) {
        const x = a[i * n + j]!;
        const ax = x < 0 ? -x : x;
        // The LAPACK path names the index for the inputs it reads in place (m ≤ n), as here.
        if (!(ax <= Number.MAX_VALUE)) throw nonFinite(a, M * N, 'svd input', true);
        if (ax > amax) amax = ax;
        w[j * N + i] = x;
      }
    }
  }
  const p = scaleFor(amax);
  if (p !== 1) for (let i = 0; i < M * N; i++) w[i]! *= p;

  bidiagonalize(w, M, N, diagonal, superdiagonal, tauLeft, tauRight);
  if (vectors) {
    accumulateLeft(w, M, N, tauLeft, left, qCols);
    accumulateRight(w, N, tauRight, right);
  }
  // Values only: dqds (no square roots per step, ~2× faster), the QR when dqds declines (see its header).
  const done = (!vectors && bidiagonalDqds(diagonal, superdiagonal, N)) || bidiagonalQr(diagonal, superdiagonal, N, left, M, right, vectors);
  if (!done) return 0;
  descendingOrder(diagonal, N, order);
  return p;
}

// Working storage, reused across calls (the kernel runs to completion, never re-entrantly), grown on demand.
let work = new Float64Array(256);
let left = new Float64Array(256);
let right = new Float64Array(256);
let diagonal = new Float64Array(16);
let superdiagonal = new Float64Array(16);
let tauLeft = new Float64Array(16);
let tauRight = new Float64Array(16);
let order = new Int32Array(16);

function reserve(M: number, N: number, qCols: number): void {
  if (work.length < M * N) work = new Float64Array(M * N);
  if (left.length < M * qCols) left = new Float64Array(M * qCols);
  if (right.length < N * N) right = new Float64Array(N * N);
  if (diagonal.length < N) {
    diagonal = new Float64Array(N);
    superdiagonal = new Float64Array(N);
    tauLeft = new Float64Array(N);
    tauRight = new Float64Array(N);
    order = new Int32Array(N);
  }
}

/** Stable insertion sort of the indices 0..N−1 by descending d. */
function descendingOrder(d: Float64Array, N: number, order: Int32Array): void {
  for (let j = 0; j < N; j++) {
    const x = d[j]!;
    let i = j;
    while (i > 0 && d[order[i - 1]!]! < x) {
      order[i] = order[i - 1]!;
      i--;
    }
    order[i] = j;
  }
}

/**
 * Builds u and vt in the caller's layout. With W = U_W·Σ·V_Wᵀ: tall a = W
 * gives u = U_W, vt = V_Wᵀ; wide a = Wᵀ gives u = V_W, vt = U_Wᵀ.
 */
function withVectors(
  f32: boolean,
  m: number,
  n: number,
  mode: 1 | 2,
  uw: Float64Array,
  vw: Float64Array,
  order: Int32Array,
  s: FloatArray,
  scratchOutputs: boolean,
): SmallSvd {
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  // Row-major shapes of the outputs.
  const uCols = mode === 2 ? m : N;
  const vtRows = mode === 2 ? n : N;
  const u = scratchOutputs ? scratch(Role.OutU, m * uCols) : resultArray(f32, m * uCols);
  const vt = scratchOutputs ? scratch(Role.OutVt, vtRows * n) : resultArray(f32, vtRows * n);
  // Written unflipped first, then the signs are decided on the output values themselves,
  // so that the rule holds exactly in the output precision (float32 rounding can create ties).
  if (tall) {
    for (let j = 0; j < N; j++) {
      const vo = order[j]! * N;
      for (let i = 0; i < n; i++) vt[j * n + i] = vw[vo + i]!;
      const uo = order[j]! * M;
      for (let i = 0; i < m; i++) u[i * uCols + j] = uw[uo + i]!;
    }
    for (let j = N; j < uCols; j++) {
      const uo = j * M;
      for (let i = 0; i < m; i++) u[i * uCols + j] = uw[uo + i]!;
    }
  } else {
    for (let j = 0; j < vtRows; j++) {
      const uo = (j < N ? order[j]! : j) * M;
      for (let i = 0; i < n; i++) vt[j * n + i] = uw[uo + i]!;
      if (j >= N) continue;
      const vo = order[j]! * N;
      for (let i = 0; i < m; i++) u[i * uCols + j] = vw[vo + i]!;
    }
  }
  for (let j = 0; j < vtRows; j++) {
    // The largest-magnitude entry of row j (the first on ties) decides its sign.
    const o = j * n;
    if (vt[o + argMaxAbs(vt, o, n, 1)]! >= 0) continue;
    for (let i = 0; i < n; i++) vt[o + i] = -vt[o + i]!;
    if (j < N) for (let i = 0; i < m; i++) u[i * uCols + j] = -u[i * uCols + j]!;
  }
  for (let j = N; j < uCols; j++) {
    if (u[argMaxAbs(u, j, m, uCols) * uCols + j]! >= 0) continue;
    for (let i = 0; i < m; i++) u[i * uCols + j] = -u[i * uCols + j]!;
  }
  return { s, u, vt };
}
