/**
 * Counting eigenvalues above a threshold without computing them: by
 * Sylvester's law of inertia, #{λ(g) > t} is the number of positive
 * eigenvalues of D in g − t·I = L·D·Lᵀ (?sytrf, Bunch–Kaufman). About n³/3
 * flops against ~4n³/3 for the tridiagonal reduction of any eigensolver.
 * Eigenvalues within rounding distance of t may land on either side, as with
 * any threshold. Reads the lower triangle of g.
 */
import type { MatrixInput } from '../core/matrix.js';
import { toSquareMatrix } from './eigh.js';
import { binding, callAsync, callSync } from '../native.js';
import { toFinite } from '../core/options.js';

export function countEigenvaluesAbove(g: MatrixInput, threshold: number): number {
  const m = toSquareMatrix(g);
  const t = toFinite(threshold, 'threshold');
  return callSync(() => binding.countAbove(m.data, m.rows, t));
}

export async function countEigenvaluesAboveAsync(g: MatrixInput, threshold: number): Promise<number> {
  const m = toSquareMatrix(g);
  const t = toFinite(threshold, 'threshold');
  return callAsync(() => binding.countAboveAsync(m.data, m.rows, t));
}
