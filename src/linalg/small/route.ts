/**
 * Which path a decomposition takes: the small-matrix Jacobi kernels in this
 * folder, or LAPACK through the addon. The crossovers were measured on this
 * project's machine (benchmarks/small-crossover.js prints the table they come
 * from); both paths meet the same contract, so only speed depends on them.
 */
import { binding } from '../../native.js';

/**
 * One-sided Jacobi costs about (sweeps)·3·M·N² flops, with 4–8 sweeps,
 * against LAPACK's fixed ~2–4 µs plus its O(M·N²) work: it wins while
 * N = min(m, n) is small and M·N² stays below the work limit. Measured
 * (benchmarks/small-crossover.js, 2026-12-01, a loaded 2-core machine): the
 * Jacobi SVD was 1.4–11× faster up to 8×8 and 40×4, 0.4–0.96× from 10×10;
 * the Jacobi eigh 1.1–3× faster up to 8×8 (values only 2–13× to 6×6), 0.6–0.75× at 10×10.
 */
export const SMALL_SVD_MAX_N = 8;
export const SMALL_SVD_MAX_WORK = 8 * 8 * 8;
/** Cyclic Jacobi costs about (sweeps)·2n³ flops (more with vectors) against ?syevd's fixed costs. */
export const SMALL_EIGH_MAX_N = 8;

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
