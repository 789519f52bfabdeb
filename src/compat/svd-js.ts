/**
 * Drop-in replacement for `svd-js` 1.1.1: `import { SVD } from 'effrank/compat/svd-js'`.
 *
 * Same call and result shapes as svd-js, computed by effrank's LAPACK SVD:
 * - `q` is sorted descending (svd-js leaves it in whatever order its QR
 *   sweeps produce); the columns of `u` and `v` follow `q`.
 * - Rank-deficient input gives correct values, not NaN (svd-js issue #5).
 * - Wide input (m < n) works instead of throwing `TypeError('Invalid matrix: m < n')`:
 *   the shapes stay svd-js's (u m×n, q n entries, v n×n). The last n − m
 *   entries of `q` are 0, the matching columns of `u` are 0, and the matching
 *   columns of `v` are an orthonormal basis of the null space of `a`.
 *   With `withu === 'f'`, `u` is m×m.
 * - Unrequested vectors are zero-filled (svd-js zero-fills `v`, but leaves
 *   its Householder working storage in `u` when `withu` is false).
 * - `eps` (default 2⁻⁵²) only sets which values are flushed to 0: q[i] < eps·q[0].
 *   svd-js flushes q[i] < eps·x with x = maxᵢ(|qᵢ| + |eᵢ|) of its bidiagonal
 *   form, which lies in [σ₁/√2, 2σ₁]; σ₁ = q[0] is the closest rule computable
 *   without its bidiagonalisation. Convergence is LAPACK's. `tol` is ignored, as in svd-js.
 *   svd-js's absolute floor (a Householder step whose squared norm is below
 *   1e-64/eps counts as 0, so a matrix with entries below ~1e-24 comes back as
 *   zeros) is not copied: effrank's rule is scale invariant.
 * - Signs: each column of `v` has its largest-magnitude entry positive
 *   (effrank's convention); svd-js's signs are whatever its iteration gives.
 */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { type SmallColumns, smallSvdColumns } from '../linalg/small/small-svd.js';
import { useSmallSvd } from '../linalg/small/route.js';
import { type Dense, denseSvd, padded2D, paddedValues, toDense } from './shared.js';
import { flushedValues, nestedU, nestedV, nestedZeros, unrolledSquare } from './small-square.js';

export interface SvdJsResult {
  /** m×n left singular vectors (m×m with `withu === 'f'`), zeros when not requested. */
  u: number[][];
  /** n singular values, descending. */
  q: number[];
  /** n×n right singular vectors as columns, zeros when not requested. */
  v: number[][];
}

const DEFAULT_EPS = 2 ** -52;

/**
 * `A = U · diag(q) · Vᵀ` for a real m×n matrix, any shape.
 *
 * @param a the matrix as number[][] (also accepts effrank's `{ data, rows, cols }`)
 * @param withu true (default): thin U, m×n; `'f'`: full U, m×m; false: zeros
 * @param withv true (default): V, n×n; false: zeros
 * @param eps values below eps·q[0] become exactly 0 (default 2⁻⁵²; 0 means the default, as in svd-js)
 * @param tol ignored, as in svd-js
 */
export function SVD(
  a: ReadonlyArray<ArrayLike<number>>,
  withu?: boolean | 'f' | null,
  withv?: boolean | null,
  eps?: number,
  tol?: number,
): SvdJsResult {
  void tol;
  // svd-js's own argument handling: undefined means "yes", anything else by truthiness.
  const wantU = withu === undefined ? true : Boolean(withu);
  const wantV = withv === undefined ? true : Boolean(withv);
  if (!a) throw new TypeError('Matrix a is not defined');
  // svd-js reads eps as `eps || 2^-52` and coerces it in arithmetic; values that cannot be coerced are rejected.
  let relEps = DEFAULT_EPS;
  if (eps !== undefined) {
    try {
      relEps = Number(eps) || DEFAULT_EPS;
    } catch {
      throw invalidArgument(`eps must be a number, got ${describe(eps)}`);
    }
  }

  const m: Dense = toDense(a, 'a');
  const { rows, cols } = m;
  // 2×2 and 3×3: the unrolled kernel, results built from its buffer ('f' is the thin U when square).
  if (unrolledSquare(m, wantU || wantV)) {
    return { u: wantU ? nestedU(rows) : nestedZeros(rows), q: flushedValues(rows, relEps), v: wantV ? nestedV(rows) : nestedZeros(rows) };
  }
  if (wantU && wantV && withu !== 'f' && rows >= cols && useSmallSvd(rows, cols, 1)) {
    const r = smallSvdColumns(m.data, rows, cols);
    if (r) return smallResult(r, rows, cols, relEps);
  }
  const fullU = withu === 'f';
  // 'full' only where a shape needs it: the m×m U of 'f' on tall input, the n×n V of wide input.
  const vectors = !wantU && !wantV ? 'none' : (fullU && rows > cols) || (wantV && rows < cols) ? 'full' : 'thin';
  const r = denseSvd(m, vectors);

  return {
    u: padded2D(wantU ? r.u : undefined, rows, fullU ? rows : cols),
    q: paddedValues(r.s, r.k, cols, relEps),
    v: padded2D(wantV ? r.vt : undefined, cols, cols, true),
  };
}

/**
 * The default call's result for a small tall (or square) input, built
 * straight from the small kernel's columns (./linalg/small/small-svd.ts
 * smallSvdColumns): the generic path's intermediate copies and objects cost
 * a fifth of a 2×2 call.
 */
function smallResult(r: SmallColumns, rows: number, cols: number, relEps: number): SvdJsResult {
  const { u, v, order, sign } = r;
  const uOut: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = sign[j]! * u[order[j]! * rows + i]!;
    uOut[i] = row;
  }
  const vOut: number[][] = new Array(cols);
  for (let i = 0; i < cols; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = sign[j]! * v[order[j]! * cols + i]!;
    vOut[i] = row;
  }
  return { u: uOut, q: paddedValues(r.s, cols, cols, relEps), v: vOut };
}
