/**
 * The resolution rule: how small an eigenvalue a Gram matrix formed in a
 * given precision still resolves. Forming M = ΦᵀΦ squares the condition
 * number, so its eigenvalues carry absolute errors of a modest multiple of
 * eps·λ_max: below RESOLUTION_FACTOR·eps·λ_max (≈1.2e-5·λ_max in float32,
 * ≈2.2e-14·λ_max in float64) a count is rounding noise. The SVD of the
 * features themselves has no such floor.
 */
import type { DType } from '../core/matrix.js';

/** Machine epsilon: 2^-23 for float32, 2^-52 for float64. */
export function machineEpsilon(dtype: DType): number {
  return dtype === 'float32' ? 2 ** -23 : 2 ** -52;
}

/** The multiple of eps·λ_max below which a Gram's eigenvalues are noise. */
export const RESOLUTION_FACTOR = 100;

/** Smallest λ/λ_max a Gram formed in `dtype` resolves. */
export function gramResolution(dtype: DType): number {
  return RESOLUTION_FACTOR * machineEpsilon(dtype);
}

/** Whether a Gram in `dtype` with largest eigenvalue λ_max resolves the threshold t. */
export function resolves(t: number, lambdaMax: number, dtype: DType): boolean {
  return t >= gramResolution(dtype) * lambdaMax;
}
