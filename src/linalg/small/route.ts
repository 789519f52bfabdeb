/**
 * Which path a decomposition takes: the small-matrix Jacobi kernels in this
 * folder, or LAPACK through the addon. Both meet the same contract, so only
 * speed depends on these crossovers. Measured with
 * benchmarks/small-crossover.js (process CPU time, both paths alternating in
 * one process; 2026-12-01, the 2-core machine loaded by other jobs), ratio
 * LAPACK time / Jacobi time:
 *
 * | size  | svd  | svdvals | eigh | eigvalsh |
 * | ----- | ---- | ------- | ---- | -------- |
 * | 2×2   | 2.81 | 3.58    | 7.03 | 4.48     |
 * | 3×3   | 1.85 | 4.89    | 4.44 | 4.12     |
 * | 4×4   | 3.34 | 3.47    | 3.21 | 3.27     |
 * | 6×6   | 1.48 | 1.67    | 1.85 | 1.32     |
 * | 8×8   | 1.44 | 0.90    | 1.07 | 0.81     |
 * | 10×10 | 0.81 | 0.62    | 0.72 | 0.61     |
 * | 32×4  | 1.72 | 1.11    |      |          |
 * | 64×4  | 0.88 | 0.73    |      |          |
 *
 * One-sided Jacobi costs (sweeps)·~3·M·N² flops with 4–8 sweeps, against
 * LAPACK's fixed 2–4 µs plus its own O(M·N²) work: it wins while N = min(m, n)
 * is small and M·N² stays below the work limit.
 */
import { binding } from '../../native.js';

/** Largest min(m, n) for the Jacobi SVD with vectors, and for values only. */
export const SMALL_SVD_MAX_N = 8;
export const SMALL_SVDVALS_MAX_N = 7;
/** Largest M·N² (M = max(m, n)) for the Jacobi SVD. */
export const SMALL_SVD_MAX_WORK = 512;
/** Largest M for a full SVD on the Jacobi path. */
export const SMALL_FULL_MAX_M = 16;
/** Largest n for the Jacobi eigensolver with vectors, and for values only. */
export const SMALL_EIGH_MAX_N = 8;
export const SMALL_EIGVALSH_MAX_N = 7;

/**
 * The small path is skipped while a `setLimits({ maxElements })` cap is set,
 * so that a cap small enough to fail LAPACK's workspace check still fails.
 */
function uncapped(): boolean {
  return binding.getMaxElements() === 0;
}

/** mode: 0 values only, 1 thin, 2 full (as the addon's svd). */
export function useSmallSvd(m: number, n: number, mode: 0 | 1 | 2 = 1): boolean {
  const N = m < n ? m : n;
  const M = m < n ? n : m;
  // A full U (or Vᵀ) of a long matrix is an M×M basis completion, O(M³): LAPACK's job.
  if (mode === 2 && M > SMALL_FULL_MAX_M) return false;
  return N <= (mode === 0 ? SMALL_SVDVALS_MAX_N : SMALL_SVD_MAX_N) && M * N * N <= SMALL_SVD_MAX_WORK && uncapped();
}

export function useSmallEigh(n: number, vectors = true): boolean {
  return n <= (vectors ? SMALL_EIGH_MAX_N : SMALL_EIGVALSH_MAX_N) && uncapped();
}
