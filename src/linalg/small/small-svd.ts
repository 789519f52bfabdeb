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
 * stable like LAPACK's ?gesdd, with the same relative convergence test as
 * its bidiagonal solver, so that column-graded matrices keep their small
 * singular values to high relative accuracy too.
 *
 * float32 input is computed in float64 and rounded once to float32 on
 * output: never less accurate than the float32 LAPACK path (see docs/compat.md).
 */
import type { FloatArray } from '../../core/matrix.js';
import { bidiagonalQr } from './bidiagonal-qr.js';
import { accumulateLeft, accumulateRight, bidiagonalize } from './bidiagonalize.js';
import { resultArray } from './results.js';
import { Role, argMaxAbs, maxAbsChecked, scaleFor, scratch } from './scratch.js';

export interface SmallSvd {
  s: FloatArray;
  u?: FloatArray;
  vt?: FloatArray;
}

let orderBuffer = new Int32Array(64);

/**
 * The SVD of the row-major m×n `a`, or undefined when the QR iteration did not
 * converge (then the caller uses LAPACK). mode: 0 values only, 1 thin, 2 full.
 * `scratchOutputs`: the results are float64 working buffers, valid until the
 * next call (for the adapters, which copy them into nested arrays at once).
 */
export function smallSvd(a: FloatArray, m: number, n: number, mode: 0 | 1 | 2, scratchOutputs = false): SmallSvd | undefined {
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  // The LAPACK path names the index for the inputs it reads in place (m ≤ n), as here.
  const amax = maxAbsChecked(a, M * N, 'svd input', m <= n);
  const p = scaleFor(amax);
  const vectors = mode !== 0;

  // W row-major M×N: a itself when tall, aᵀ when wide.
  const w = scratch(Role.Work, M * N);
  if (tall) {
    if (p === 1) for (let i = 0; i < M * N; i++) w[i] = a[i]!;
    else for (let i = 0; i < M * N; i++) w[i] = a[i]! * p;
  } else {
    for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) w[j * N + i] = a[i * n + j]! * p;
  }
  const d = scratch(Role.Diagonal, N);
  const e = scratch(Role.Superdiagonal, N);
  const tauL = scratch(Role.TauLeft, N);
  const tauR = scratch(Role.TauRight, N);
  bidiagonalize(w, M, N, d, e, tauL, tauR);

  // U_W (M×qCols) and V_W (N×N), column-major. A full U (tall) or full Vᵀ (wide) needs all M columns of U_W.
  const qCols = mode === 2 ? M : N;
  const u = scratch(Role.Left, vectors ? M * qCols : 0);
  const v = scratch(Role.Vectors, vectors ? N * N : 0);
  if (vectors) {
    accumulateLeft(w, M, N, tauL, u, qCols);
    accumulateRight(w, N, tauR, v);
  }
  if (!bidiagonalQr(d, e, N, u, M, v, vectors)) return undefined;

  if (orderBuffer.length < N) orderBuffer = new Int32Array(N);
  const order = orderBuffer;
  descendingOrder(d, N, order);
  const f32 = a instanceof Float32Array;
  const sOut = scratchOutputs ? scratch(Role.OutS, N) : resultArray(f32, N);
  for (let j = 0; j < N; j++) sOut[j] = d[order[j]!]! / p;
  if (!vectors) return { s: sOut };
  return withVectors(f32, m, n, mode, u, v, order, sOut, scratchOutputs);
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
    if (vt[j * n + argMaxAbs(vt, j * n, n, 1)]! >= 0) continue;
    for (let i = 0; i < n; i++) vt[j * n + i] = -vt[j * n + i]!;
    if (j < N) for (let i = 0; i < m; i++) u[i * uCols + j] = -u[i * uCols + j]!;
  }
  for (let j = N; j < uCols; j++) {
    if (u[argMaxAbs(u, j, m, uCols) * uCols + j]! >= 0) continue;
    for (let i = 0; i < m; i++) u[i * uCols + j] = -u[i * uCols + j]!;
  }
  return { s, u, vt };
}
