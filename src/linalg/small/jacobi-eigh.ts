/**
 * Cyclic Jacobi eigensolver for small symmetric matrices, in float64
 * JavaScript, with the LAPACK path's contract (src/linalg/eigh.ts): values
 * ascending, column i of the vectors belongs to values[i], each eigenvector's
 * largest-magnitude entry positive (the first on ties), only the lower
 * triangle read, NaN/±Inf anywhere rejected with the same code and wording,
 * and `check` rejecting asymmetry with the same tolerance.
 *
 * Method: the matrix is scaled by a power of two, then each off-diagonal
 * pair (p, q) is annihilated in turn by a plane rotation (Golub & Van Loan,
 * §8.5) until every |a_pq| ≤ tol·√|a_pp·a_qq|; the rotations accumulate in
 * V. This stopping rule gives eigenvalues to high relative accuracy for
 * scaled-diagonally-dominant (e.g. graded positive definite) matrices
 * (Demmel & Veselić 1992). float32 input is computed in float64 and
 * rounded once on output.
 */
import { invalidArgument } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';
import { resultArray } from './results.js';
import { Role, argMaxAbs, maxAbsChecked, scaleFor, scratch } from './scratch.js';

export interface SmallEigh {
  values: FloatArray;
  vectors?: FloatArray;
}

const MAX_SWEEPS = 60;
const EPS = 2 ** -53;
/** Off-diagonal entries below this (after scaling the largest entry into [0.5, 1)) count as zero. */
const TINY = 2 ** -1000;

/** The eigendecomposition of the symmetric n×n row-major `a`, or undefined if the sweeps did not converge. */
export function jacobiEigh(a: FloatArray, n: number, wantVectors: boolean, check: boolean): SmallEigh | undefined {
  const size = n * n;
  // Every entry must be finite (as on the LAPACK path), but only the lower triangle sets the scale.
  const amax = maxAbsChecked(a, size, 'eigh input', check);
  if (check) checkSymmetric(a, n, amax, a instanceof Float32Array ? 1e-5 : 1e-12);
  let lowerMax = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lowerMax = Math.max(lowerMax, Math.abs(a[i * n + j]!));
  const p = scaleFor(lowerMax);

  // The full symmetric matrix from the lower triangle, row-major.
  const s = scratch(Role.Work, size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a[i * n + j]! * p;
      s[i * n + j] = x;
      s[j * n + i] = x;
    }
  }
  const v = scratch(Role.Vectors, size);
  if (wantVectors) {
    v.fill(0, 0, size);
    for (let j = 0; j < n; j++) v[j * n + j] = 1;
  }
  const tol = n * EPS;

  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    converged = true;
    for (let pc = 0; pc < n - 1; pc++) {
      for (let qc = pc + 1; qc < n; qc++) {
        const apq = s[pc * n + qc]!;
        const app = s[pc * n + pc]!;
        const aqq = s[qc * n + qc]!;
        const abs = Math.abs(apq);
        // Square roots, not a_pq² ≤ tol²·|a_pp·a_qq|: the squares underflow for small entries.
        if (abs <= TINY || abs <= tol * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq))) continue;
        converged = false;
        const theta = (aqq - app) / (2 * apq);
        const at = Math.abs(theta);
        const t = at > 1e150 ? 1 / (2 * theta) : (theta >= 0 ? 1 : -1) / (at + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        // A ← Jᵀ·A·J on rows and columns p and q; the (p, q) entry becomes exactly 0.
        for (let r = 0; r < n; r++) {
          if (r === pc || r === qc) continue;
          const arp = s[r * n + pc]!;
          const arq = s[r * n + qc]!;
          const np = c * arp - sn * arq;
          const nq = sn * arp + c * arq;
          s[r * n + pc] = np;
          s[pc * n + r] = np;
          s[r * n + qc] = nq;
          s[qc * n + r] = nq;
        }
        s[pc * n + pc] = app - t * apq;
        s[qc * n + qc] = aqq + t * apq;
        s[pc * n + qc] = 0;
        s[qc * n + pc] = 0;
        if (wantVectors) {
          for (let r = 0; r < n; r++) {
            const x = v[r * n + pc]!;
            const y = v[r * n + qc]!;
            v[r * n + pc] = c * x - sn * y;
            v[r * n + qc] = sn * x + c * y;
          }
        }
      }
    }
  }
  if (!converged) return undefined;

  // Ascending, stable.
  const order = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const x = s[j * n + j]!;
    let i = j;
    while (i > 0 && s[order[i - 1]! * (n + 1)]! > x) {
      order[i] = order[i - 1]!;
      i--;
    }
    order[i] = j;
  }
  const f32 = a instanceof Float32Array;
  const values = resultArray(f32, n);
  for (let j = 0; j < n; j++) values[j] = s[order[j]! * (n + 1)]! / p;
  if (!wantVectors) return { values };
  const vectors = resultArray(f32, size);
  for (let j = 0; j < n; j++) {
    const c = order[j]!;
    for (let r = 0; r < n; r++) vectors[r * n + j] = v[r * n + c]!;
    // The sign is decided on the output values, so the rule holds exactly in float32 too.
    if (vectors[argMaxAbs(vectors, j, n, n) * n + j]! >= 0) continue;
    for (let r = 0; r < n; r++) vectors[r * n + j] = -vectors[r * n + j]!;
  }
  return { values, vectors };
}

/** The LAPACK path's symmetry check (bindings/ops.cpp, native/eigh.cpp): |a_ij − a_ji| ≤ tol·max|a|. */
function checkSymmetric(a: FloatArray, n: number, amax: number, relativeTolerance: number): void {
  const tol = relativeTolerance * amax;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(a[i * n + j]! - a[j * n + i]!);
      if (d > tol) {
        throw invalidArgument(`matrix is not symmetric: |a[${i}][${j}] - a[${j}][${i}]| = ${d.toFixed(6)}`);
      }
    }
  }
}
