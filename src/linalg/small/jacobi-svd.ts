/**
 * One-sided (Hestenes) Jacobi SVD for small matrices, in float64 JavaScript.
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
 * Method: W (the matrix, or its transpose when wide, so that W is tall M×N)
 * is scaled by a power of two, then pairs of its columns are rotated until
 * every pair is orthogonal to |wₚ·w_q| ≤ tol·‖wₚ‖‖w_q‖; the rotations
 * accumulate in V. Then σⱼ = ‖wⱼ‖ and uⱼ = wⱼ/σⱼ. One-sided Jacobi is
 * accurate to high relative precision (Demmel & Veselić 1992): every σ, not
 * just the large ones, is found to a few ulps of its own size for matrices
 * that are well conditioned up to column scaling.
 *
 * float32 input is computed in float64 and rounded once to float32 on
 * output: never less accurate than the float32 LAPACK path (see docs/compat.md).
 */
import type { FloatArray } from '../../core/matrix.js';
import { completeBasis } from './basis.js';
import { resultArray } from './results.js';
import { Role, argMaxAbs, maxAbsChecked, scaleFor, scratch } from './scratch.js';

export interface SmallSvd {
  s: FloatArray;
  u?: FloatArray;
  vt?: FloatArray;
}

/** Sweeps before giving up and handing the matrix to LAPACK (3×3 takes 3–5, 32×32 about 8–10). */
const MAX_SWEEPS = 60;
const EPS = 2 ** -53;
/** Columns with a norm below this (or marked dead, see below) are rounding noise: their u is completed. */
const NULL_NORM = 2 ** -500;

/**
 * The SVD of the row-major m×n `a`, or undefined when the sweeps did not
 * converge (then the caller uses LAPACK). mode: 0 values only, 1 thin, 2 full.
 * `scratchOutputs`: the results are float64 working buffers, valid until the
 * next call (for the adapters, which copy them into nested arrays at once).
 */
export function jacobiSvd(a: FloatArray, m: number, n: number, mode: 0 | 1 | 2, scratchOutputs = false): SmallSvd | undefined {
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  const size = M * N;
  // The LAPACK path names the index for the inputs it reads in place (m ≤ n), as here.
  const amax = maxAbsChecked(a, size, 'svd input', m <= n);
  const p = scaleFor(amax);
  const vectors = mode !== 0;

  // W column-major: column j of W at w[j·M …]. Tall: column j of a; wide: row j of a.
  const w = scratch(Role.Work, size);
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * M + i] = a[i * n + j]! * p;
  } else {
    for (let i = 0; i < size; i++) w[i] = a[i]! * p;
  }
  const v = scratch(Role.Vectors, N * N);
  if (vectors) {
    v.fill(0, 0, N * N);
    for (let j = 0; j < N; j++) v[j * N + j] = 1;
  }
  const d = scratch(Role.Norms, N);
  const tol = M * EPS;
  const KILL = 16 * tol * tol;
  for (let j = 0; j < N; j++) {
    let s = 0;
    const o = j * M;
    for (let i = 0; i < M; i++) s += w[o + i]! * w[o + i]!;
    d[j] = s;
  }

  // dead[j] = 1 once column j is rounding noise: a rotation cancelled it to below 4·tol of its own
  // norm, so what is left is the rounding of that cancellation. Its direction means
  // nothing, and rotating it further would only shrink it by ~ε per step without ever making it
  // orthogonal; it is left alone and its u is completed at the end. Columns that are small in the
  // input (graded matrices) are not affected, so their σ keep high relative accuracy.
  const dead = scratch(Role.Dead, N);
  dead.fill(0, 0, N);
  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    converged = true;
    for (let pc = 0; pc < N - 1; pc++) {
      const po = pc * M;
      for (let qc = pc + 1; qc < N; qc++) {
        if (dead[pc] !== 0 || dead[qc] !== 0) continue;
        const alpha = d[pc]!;
        const beta = d[qc]!;
        const qo = qc * M;
        let gamma = 0;
        for (let i = 0; i < M; i++) gamma += w[po + i]! * w[qo + i]!;
        // Two square roots, not √(αβ) or γ² ≤ tol²αβ: those underflow for a column shrinking to noise,
        // which would then pass as orthogonal.
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        converged = false;
        // The rotation that zeroes wₚ·w_q (Rutishauser's formulas); t is the smaller root, |t| ≤ 1.
        const zeta = (beta - alpha) / (2 * gamma);
        const az = Math.abs(zeta);
        const t = az > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        // The squared norms are recomputed from the rotated columns, not updated as α − tγ, β + tγ:
        // the update cancels for a column heading to zero, and a wrong small norm would let a
        // noise column pass the orthogonality test while it is still far from orthogonal.
        let np = 0;
        let nq = 0;
        for (let i = 0; i < M; i++) {
          const x = w[po + i]!;
          const y = w[qo + i]!;
          const xp = c * x - s * y;
          const yq = s * x + c * y;
          w[po + i] = xp;
          w[qo + i] = yq;
          np += xp * xp;
          nq += yq * yq;
        }
        d[pc] = np;
        d[qc] = nq;
        if (np <= KILL * alpha) dead[pc] = 1;
        if (nq <= KILL * beta) dead[qc] = 1;
        if (vectors) {
          const pv = pc * N;
          const qv = qc * N;
          for (let i = 0; i < N; i++) {
            const x = v[pv + i]!;
            const y = v[qv + i]!;
            v[pv + i] = c * x - s * y;
            v[qv + i] = s * x + c * y;
          }
        }
      }
    }
  }
  if (!converged) return undefined;

  // σⱼ from the final columns, then the order: descending, stable.
  const sigma = scratch(Role.Sigma, N);
  for (let j = 0; j < N; j++) {
    let s = 0;
    const o = j * M;
    for (let i = 0; i < M; i++) s += w[o + i]! * w[o + i]!;
    sigma[j] = Math.sqrt(s);
  }
  const order = descendingOrder(sigma, N);

  const f32 = a instanceof Float32Array;
  const sOut = scratchOutputs ? scratch(Role.OutS, N) : resultArray(f32, N);
  for (let j = 0; j < N; j++) sOut[j] = sigma[order[j]!]! / p;
  if (!vectors) return { s: sOut };
  return withVectors(a, m, n, mode, w, v, sigma, order, sOut, scratchOutputs, dead);
}

function descendingOrder(sigma: Float64Array, N: number): number[] {
  const order = new Array<number>(N);
  for (let j = 0; j < N; j++) {
    // Insertion sort: N is small, and it is stable.
    const x = sigma[j]!;
    let i = j;
    while (i > 0 && sigma[order[i - 1]!]! < x) {
      order[i] = order[i - 1]!;
      i--;
    }
    order[i] = j;
  }
  return order;
}

/**
 * Builds u and vt in the caller's layout. With W = U_W·Σ·V_Wᵀ: tall a = W
 * gives u = U_W, vt = V_Wᵀ; wide a = Wᵀ gives u = V_W, vt = U_Wᵀ.
 */
function withVectors(
  a: FloatArray,
  m: number,
  n: number,
  mode: 1 | 2,
  w: Float64Array,
  v: Float64Array,
  sigma: Float64Array,
  order: number[],
  s: FloatArray,
  scratchOutputs: boolean,
  dead: Float64Array,
): SmallSvd {
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  // The columns of U_W, sorted, in column-major q: N of them, or M when a full u (tall) / full vt (wide) is asked for.
  const qCols = mode === 2 ? M : N;
  const q = scratch(Role.Basis, M * qCols);
  const known: number[] = [];
  const missing: number[] = [];
  for (let j = 0; j < N; j++) {
    const src = order[j]! * M;
    const dst = j * M;
    const norm = sigma[order[j]!]!;
    if (norm > NULL_NORM && dead[order[j]!] === 0) {
      for (let i = 0; i < M; i++) q[dst + i] = w[src + i]! / norm;
      known.push(j);
    } else {
      missing.push(j);
    }
  }
  for (let j = N; j < qCols; j++) missing.push(j);
  if (missing.length) completeBasis(q, M, known, missing);

  const f32 = a instanceof Float32Array;
  // Row-major shapes of the outputs.
  const uCols = mode === 2 ? m : N;
  const vtRows = mode === 2 ? n : N;
  const u = scratchOutputs ? scratch(Role.OutU, m * uCols) : resultArray(f32, m * uCols);
  const vt = scratchOutputs ? scratch(Role.OutVt, vtRows * n) : resultArray(f32, vtRows * n);
  // Written unflipped first, then the signs are decided on the output values themselves,
  // so that the rule holds exactly in the output precision (float32 rounding can create ties).
  if (tall) {
    // vt row j = V_W column order[j]; u column j = q column j (for j < N), then the completion.
    for (let j = 0; j < N; j++) {
      const vo = order[j]! * N;
      for (let i = 0; i < n; i++) vt[j * n + i] = v[vo + i]!;
      const qo = j * M;
      for (let i = 0; i < m; i++) u[i * uCols + j] = q[qo + i]!;
    }
    for (let j = N; j < uCols; j++) {
      const qo = j * M;
      for (let i = 0; i < m; i++) u[i * uCols + j] = q[qo + i]!;
    }
  } else {
    // vt row j = q column j (U_W); u column j = V_W column order[j].
    for (let j = 0; j < vtRows; j++) {
      const qo = j * M;
      for (let i = 0; i < n; i++) vt[j * n + i] = q[qo + i]!;
      if (j >= N) continue;
      const vo = order[j]! * N;
      for (let i = 0; i < m; i++) u[i * uCols + j] = v[vo + i]!;
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
