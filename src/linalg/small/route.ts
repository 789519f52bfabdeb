/**
 * Which path a decomposition takes: the small-matrix Jacobi kernels in this
 * folder, or LAPACK through the addon. The crossovers were measured on this
 * project's machine (benchmarks/small-crossover.js prints the table they come
 * from); both paths meet the same contract, so only speed depends on them.
 */
import { binding } from '../../native.js';

/**
 * One-sided Jacobi costs about (sweeps)·M·N² flops against LAPACK's fixed
 * ~2 µs plus its O(M·N²) work: it wins while N = min(m, n) is small and the
 * product M·N² stays below the work limit.
 */
export const SMALL_SVD_MAX_N = 24;
export const SMALL_SVD_MAX_WORK = 24 * 24 * 24;
/** Cyclic Jacobi costs about (sweeps)·4n³ flops against ?syevd's fixed costs. */
export const SMALL_EIGH_MAX_N = 16;

/**
 * The small path is skipped while a `setLimits({ maxElements })` cap is set,
 * so that a cap small enough to fail LAPACK's workspace check still fails.
 */
function uncapped(): boolean {
  return binding.getMaxElements() === 0;
}

export function useSmallSvd(m: number, n: number): boolean {
  const N = m < n ? m : n;
  const M = m < n ? n : m;
  return N <= SMALL_SVD_MAX_N && M * N * N <= SMALL_SVD_MAX_WORK && uncapped();
}

export function useSmallEigh(n: number): boolean {
  return n <= SMALL_EIGH_MAX_N && uncapped();
}
