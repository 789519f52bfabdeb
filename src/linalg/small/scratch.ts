/**
 * Shared working storage and input scans for the small-matrix kernels. The
 * kernels run synchronously to completion, never re-entrantly, so one
 * module-level buffer per role is reused across calls instead of allocating
 * a fresh array each time (at 3×3 the allocations would cost as much as the
 * arithmetic).
 */
import { EffrankError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';

const pools: Float64Array[] = [];

/** The working buffers, one per role (an index into the pool). */
export const enum Role {
  /** Jacobi eigh: the matrix being rotated. */
  Work,
  /** Jacobi eigh: the eigenvectors. */
  Vectors,
  /** The small SVD's results when the caller asked for working buffers. */
  OutS,
  OutU,
  OutVt,
}

/** A Float64Array of at least `length` entries for `role`; its contents are left over from the last call. */
export function scratch(role: Role, length: number): Float64Array {
  const buf = pools[role];
  if (buf !== undefined && buf.length >= length) return buf;
  const fresh = new Float64Array(Math.max(length, 256));
  pools[role] = fresh;
  return fresh;
}

const MAX = Number.MAX_VALUE;

/**
 * max |a[i]| over the first `count` entries, after checking every entry is
 * finite. The error matches the LAPACK path's wording for the same input
 * (`indexed`: the native scan that names the index, used for row-major
 * inputs LAPACK reads in place; otherwise the transposing scan that does not).
 */
export function maxAbsChecked(a: FloatArray, count: number, what: string, indexed: boolean): number {
  let amax = 0;
  for (let i = 0; i < count; i++) {
    const x = a[i]!;
    const ax = x < 0 ? -x : x;
    if (!(ax <= MAX)) throw nonFinite(a, count, what, indexed);
    if (ax > amax) amax = ax;
  }
  return amax;
}

/** The LAPACK path's ERR_NON_FINITE for `a` (see maxAbsChecked). */
export function nonFinite(a: FloatArray, count: number, what: string, indexed: boolean): EffrankError {
  if (!indexed) return new EffrankError('ERR_NON_FINITE', `${what} contains NaN or an infinite value`);
  for (let i = 0; i < count; i++) {
    const x = a[i]!;
    if (Number.isNaN(x)) return new EffrankError('ERR_NON_FINITE', `${what} contains NaN at index ${i}`);
    if (!Number.isFinite(x)) return new EffrankError('ERR_NON_FINITE', `${what} contains an infinite value at index ${i}`);
  }
  return new EffrankError('ERR_NON_FINITE', `${what} contains NaN or an infinite value`);
}

/**
 * 1, or for extreme inputs a power of two p with amax·p in [0.5, 1) (or as close as 2^1023 allows for
 * subnormal amax): scaling by it is exact (bar entries far below amax that
 * land among the subnormals), keeps squared norms clear of overflow and
 * underflow for inputs from 1e-308 to 1e308, and is undone exactly on the
 * results by dividing by p. 1 for a zero matrix.
 */
export function scaleFor(amax: number): number {
  // Within [2^-100, 2^100] squared norms and their products (the kernels' convergence tests)
  // can neither overflow nor lose a significant entry: no scaling needed.
  if (amax === 0 || (amax >= 2 ** -100 && amax <= 2 ** 100)) return 1;
  // 2 ** e is exact for every integer e in [-1074, 1023] (checked); log2 may be off by one, the loops correct it.
  let e = Math.min(1023, -Math.floor(Math.log2(amax)) - 1);
  while (e > -1074 && amax * 2 ** e >= 1) e--;
  while (e < 1023 && amax * 2 ** e < 0.5) e++;
  return 2 ** e;
}

/** The index of the largest-magnitude entry of v[off + i·stride], i < count (the first on ties). */
export function argMaxAbs(v: ArrayLike<number>, off: number, count: number, stride: number): number {
  let best = 0;
  let bestAbs = -1;
  for (let i = 0; i < count; i++) {
    const x = v[off + i * stride]!;
    const ax = x < 0 ? -x : x;
    if (ax > bestAbs) {
      bestAbs = ax;
      best = i;
    }
  }
  return best;
}
