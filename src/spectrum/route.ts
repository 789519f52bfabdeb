/**
 * The route from features to the spectrum of M, chosen here and nowhere else.
 *
 *  - side: the n×n Gram M ('primal') when N ≥ n, the N×N dual kernel
 *    K = diag(√w)(Φ − 1μᵀ)(Φ − 1μᵀ)ᵀdiag(√w)·scale ('dual') when N < n. Both
 *    have the same non-zero eigenvalues; the smaller one is cheaper to form
 *    (N·n·min(N, n) flops) and to decompose (min(N, n)³).
 *  - precision: a Gram is first formed in the features' dtype; with method
 *    'auto', float32 features whose ε lies below what a float32 Gram resolves
 *    get a float64 Gram, and only below what that resolves the SVD of
 *    diag(√w)(Φ − 1μᵀ). 'eigen' and 'inertia' stay in the features' dtype.
 *  - counting: a single absolute ε (no spectrum wanted) is counted by inertia when the bounds on λ_max settle that every ε is
 *    resolved; otherwise the eigenvalues are computed and counted.
 */
import type { DType } from '../core/matrix.js';

export type Side = 'primal' | 'dual';
export type SpectrumMethod = 'inertia' | 'eigen' | 'svd';

export function sideFor(rows: number, cols: number): Side {
  return rows < cols ? 'dual' : 'primal';
}

/** The Gram precisions to try, in order, for features of `dtype`. */
export function precisionLadder(method: 'auto' | SpectrumMethod, dtype: DType): DType[] {
  return method === 'auto' && dtype === 'float32' ? ['float32', 'float64'] : [dtype];
}

/** Whether counts may come from inertia without computing eigenvalues. */
export function mayCountByInertia(
  method: 'auto' | SpectrumMethod,
  o: { eps: readonly number[] | undefined; relative: boolean; needEigenvalues: boolean },
): boolean {
  if (method === 'inertia') return true;
  // One factorisation per ε: for several ε one eigendecomposition is cheaper.
  return method === 'auto' && o.eps !== undefined && o.eps.length === 1 && !o.relative && !o.needEigenvalues;
}
