/**
 * Which path a decomposition takes: the small-matrix kernels in this folder
 * (Golub–Kahan–Reinsch SVD, cyclic Jacobi eigh), or LAPACK through the addon.
 * Both meet the same contract, so only speed depends on these crossovers.
 * Measured with benchmarks/small-crossover.js (process CPU time, both paths
 * alternating in one process; 2026-12-02, the 2-core machine loaded by other
 * jobs), ratio LAPACK time / small-path time. svd: load 3, the bidiagonal QR;
 * svdvals: re-measured 05:10 UTC with values only on dqds (./bidiagonal-dqds.ts):
 *
 * | size   | svd  | svdvals |
 * | ------ | ---- | ------- |
 * | 6×6    | 2.11 | 3.01    |
 * | 8×8    | 1.53 | 2.12    |
 * | 10×10  | 1.15 | 2.03    |
 * | 12×12  | 1.13 | 1.63    |
 * | 14×14  | 0.85 | 1.42    |
 * | 16×16  | 0.85 | 1.23    |
 * | 32×4   | 1.18 | 3.21    |
 * | 64×4   | 0.78 | 1.99    |
 * | 16×8   | 1.24 | 3.32    |
 * | 24×8   | 0.96 | 2.62    |
 * | 20×12  | 0.85 | 1.28    |
 *
 * The bidiagonal QR's rotations are a chain of dependent square roots and
 * divisions (~10 ns each here), about 4N² of them, and with vectors each
 * rotation also sweeps two columns of length M: the kernel wins while N and
 * M·N stay small. Values only, dqds needs no square roots and about half the
 * time of the QR (8×8: 1.7 against 2.6 µs for the bidiagonal part), so the
 * values-only limits sit higher; above 16×16 they are unmeasured, left to LAPACK.
 * LAPACK's fixed cost is 2–4 µs a call.
 *
 * Square 2×2 and 3×3 matrices on the small path take the unrolled kernel
 * (./unrolled-svd.ts, the same algorithm with every entry in a local), which
 * moves no crossover: it is faster than the generic kernel (3×3 275 ns against
 * 719 ns with vectors, 226 against 469 values only; 2×2 81 against 233), and
 * both are far below LAPACK's fixed cost there.
 *
 * The eigensolver's crossover (Jacobi against ?syevd): 2×2 7.0, 4×4 3.2,
 * 6×6 1.85, 8×8 1.07, 10×10 0.72 with vectors; values only 4.5, 3.3, 1.3, 0.8, 0.6.
 */
import { binding } from '../../native.js';

/** Largest min(m, n) for the small SVD with vectors, and for values only (the largest measured: see above). */
export const SMALL_SVD_MAX_N = 12;
export const SMALL_SVDVALS_MAX_N = 16;
/** Largest m·n for the small SVD with vectors, and for values only. */
export const SMALL_SVD_MAX_ELEMENTS = 160;
export const SMALL_SVDVALS_MAX_ELEMENTS = 256;
/** Largest M for a full SVD on the small path. */
export const SMALL_FULL_MAX_M = 16;
/** Largest n for the Jacobi eigensolver with vectors, and for values only. */
export const SMALL_EIGH_MAX_N = 8;
export const SMALL_EIGVALSH_MAX_N = 7;

/**
 * The small path is skipped while a `setLimits({ maxElements })` cap is set,
 * so that a cap small enough to fail LAPACK's workspace check still fails.
 * The cap is mirrored here (read once at load, then kept by `setLimits`)
 * rather than asked of the addon on every call, which costs ~30 ns — a tenth
 * of a 2×2 SVD. A cap set from another worker thread (the addon's cap is
 * per process) reaches this thread's mirror at its own next `setLimits` or
 * `getLimits`; the small path never needs more than a few hundred elements.
 */
let cap: number = binding.getMaxElements();

/** Called by setLimits/getLimits with the addon's cap. */
export function noteMaxElements(maxElements: number): void {
  cap = maxElements;
}

/** The `setLimits({ maxElements })` cap as this thread last saw it (0: none). */
export function maxElementsCap(): number {
  return cap;
}

function uncapped(): boolean {
  return cap === 0;
}

/** mode: 0 values only, 1 thin, 2 full (as the addon's svd). */
export function useSmallSvd(m: number, n: number, mode: 0 | 1 | 2 = 1): boolean {
  const N = m < n ? m : n;
  const M = m < n ? n : m;
  // A full U (or Vᵀ) of a long matrix is an M×M accumulation, O(M²·N): LAPACK's job.
  if (mode === 2 && M > SMALL_FULL_MAX_M) return false;
  if (mode === 0) return N <= SMALL_SVDVALS_MAX_N && M * N <= SMALL_SVDVALS_MAX_ELEMENTS && uncapped();
  return N <= SMALL_SVD_MAX_N && M * N <= SMALL_SVD_MAX_ELEMENTS && uncapped();
}

export function useSmallEigh(n: number, vectors = true): boolean {
  return n <= (vectors ? SMALL_EIGH_MAX_N : SMALL_EIGVALSH_MAX_N) && uncapped();
}
