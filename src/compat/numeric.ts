/**
 * Drop-in replacement for `numeric.svd` (numeric 1.2.6):
 * `import numeric from 'effrank/compat/numeric'` or `import { svd } from 'effrank/compat/numeric'`.
 *
 * Same result shape as numeric (thin: U m×n, S n values descending, V n×n),
 * computed by effrank's LAPACK SVD:
 * - Rank-deficient input gives correct values, not NaN (numeric #75, #86), and
 *   U has orthonormal columns (#62).
 * - Wide input (m < n) works instead of throwing "Need more rows than columns":
 *   the shapes stay numeric's (U m×n, S n entries, V n×n). The last n − m
 *   entries of S are 0, the matching columns of U are 0, and the matching
 *   columns of V are an orthonormal basis of the null space of A.
 * - No 'Error: no convergence.' after 50 sweeps: LAPACK's ?gesdd falls back to
 *   ?gesvd; if both fail (not seen in practice) an EffrankError with code
 *   ERR_NO_CONVERGENCE is thrown instead of a string.
 * - S[i] < 2.220446049250313e-16·S[0] is set to 0. numeric's rule is relative
 *   too: S[i] < ε·x with x = maxᵢ(|qᵢ| + |eᵢ|) of its bidiagonal form, which
 *   lies in [σ₁/√2, 2σ₁]. numeric's absolute floor (a Householder step whose
 *   squared norm is ≤ 1e-64/ε counts as 0, so a matrix with entries below
 *   ~1e-24 comes back as zeros) is not copied: effrank's rule is scale invariant.
 * - Signs: each column of V has its largest-magnitude entry positive.
 */
import { createRequire } from 'node:module';

import { denseSvd, padded2D, paddedValues, toDense } from './shared.js';
import { flushedValues, nestedU, nestedV, unrolledSquare } from './small-square.js';

export interface NumericSvdResult {
  /** m×n, the left singular vectors as columns. */
  U: number[][];
  /** n singular values, descending. */
  S: number[];
  /** n×n, the right singular vectors as columns. */
  V: number[][];
}

/** numeric.epsilon. */
const EPSILON = 2.220446049250313e-16;

/** The thin SVD A = U · diag(S) · Vᵀ of a real m×n matrix, any shape. */
export function svd(A: ReadonlyArray<ArrayLike<number>>): NumericSvdResult {
  const m = toDense(A, 'A');
  const { rows, cols } = m;
  if (unrolledSquare(m, true)) return { U: nestedU(rows), S: flushedValues(rows, EPSILON), V: nestedV(rows) };
  // A wide matrix needs the full n×n V; a tall or square one has it in the thin SVD.
  const r = denseSvd(m, rows < cols ? 'full' : 'thin');
  return {
    U: padded2D(r.u, rows, cols),
    S: paddedValues(r.s, r.k, cols, EPSILON),
    V: padded2D(r.vt, cols, cols, true),
  };
}

/** The installed numeric's namespace (an optional peer), or undefined. */
function loadPeer(): Record<string, unknown> | undefined {
  try {
    const mod: unknown = createRequire(import.meta.url)('numeric');
    return mod !== null && typeof mod === 'object' ? (mod as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `numeric` namespace for code written as `numeric.svd(A)`: when numeric
 * is installed, every other function and constant of its namespace,
 * unchanged, with `svd` replaced by effrank's; otherwise `svd` and `epsilon` only.
 * numeric is one CommonJS object, so its other functions come through this
 * default export (as with `import numeric from 'numeric'`), not as named exports.
 */
export const numeric: { svd: typeof svd; epsilon: number } & Record<string, unknown> = {
  ...loadPeer(),
  svd,
  epsilon: EPSILON,
};

export default numeric;
