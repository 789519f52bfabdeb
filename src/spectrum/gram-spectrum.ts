/**
 * Eigenvalues of a float64 Gram in one native job: features → Gram
 * (accumulated in float64, optionally centred) → eigenvalues. One round trip
 * instead of two matters when the caller (a training loop) yields rarely.
 */
import type { MatrixInput } from '../core/matrix.js';
import { toMatrix } from '../core/matrix.js';
import { binding, callAsync, callSync } from '../native.js';
import { readOptions, toFinite, toWeights } from '../core/options.js';

export interface GramSpectrumOptions {
  weights?: ArrayLike<number>;
  scale?: number;
  center?: boolean;
}

function parse(a: MatrixInput, opts: GramSpectrumOptions | undefined) {
  const o = readOptions(opts, 'gramEigenvalues', ['weights', 'scale', 'center']);
  const m = toMatrix(a, 'features');
  const weights = o.weights === undefined ? null : toWeights(o.weights, m.rows);
  const scale = o.scale === undefined ? 1 : toFinite(o.scale, 'scale');
  return { m, weights, scale, center: o.center === true };
}

/** Ascending eigenvalues of scale·(Φ−μ)ᵀ·diag(w)·(Φ−μ), float64. */
export function gramEigenvalues(a: MatrixInput, options?: GramSpectrumOptions): Float64Array {
  const p = parse(a, options);
  return callSync(() => binding.gramEigenvalues(p.m.data, p.m.rows, p.m.cols, p.weights, p.scale, p.center));
}

export async function gramEigenvaluesAsync(a: MatrixInput, options?: GramSpectrumOptions): Promise<Float64Array> {
  const p = parse(a, options);
  return callAsync(() => binding.gramEigenvaluesAsync(p.m.data, p.m.rows, p.m.cols, p.weights, p.scale, p.center));
}
