/**
 * Threshold counts over a spectrum: the paper's ε-rank and the
 * numpy/torch `matrix_rank` numerical rank.
 */
import { invalidArgument } from '../core/errors.js';
import type { DType } from '../core/matrix.js';
import { describe } from '../core/matrix.js';
import { checkBoolean, checkNonNegative, checkOneOf, checkPositive, checkPositiveInteger, readOptions } from '../core/options.js';
import { countAbove } from '../spectrum/count.js';
import { machineEpsilon } from '../spectrum/resolution.js';
import { type SpectrumInput, toEigenvalues, toSingularValues } from './spectrum-input.js';

export { machineEpsilon };

export interface RelativeOption {
  /** Read ε as a fraction of the largest eigenvalue (threshold ε·λ_max). Default false: ε is absolute. */
  relative?: boolean;
}

/**
 * ε-rank: the number of eigenvalues λ of the Gram matrix strictly greater
 * than ε (or than ε·λ_max with `relative`). Pass an array of ε to get one
 * count per ε from a single sort.
 *
 * @param lambda eigenvalues (a bare array is read as eigenvalues λ; `singularValues(σ)` is squared)
 * @param eps finite threshold(s) > 0
 */
export function epsRankFromEigenvalues(lambda: SpectrumInput, eps: number, options?: RelativeOption): number;
export function epsRankFromEigenvalues(lambda: SpectrumInput, eps: ArrayLike<number>, options?: RelativeOption): number[];
export function epsRankFromEigenvalues(
  lambda: SpectrumInput,
  eps: number | ArrayLike<number>,
  options?: RelativeOption,
): number | number[] {
  const fn = 'epsRankFromEigenvalues';
  const { relative = false } = readOptions(options, fn, ['relative']);
  checkBoolean(relative, `${fn}: relative`);
  const values = toEigenvalues(lambda, 'lambda');
  const scale = relative ? (values[0] ?? 0) : 1;
  if (typeof eps === 'number') return countAbove(values, checkPositive(eps, `${fn}: eps`) * scale);
  if (typeof eps !== 'object' || eps === null || typeof eps.length !== 'number') {
    throw invalidArgument(`${fn}: eps must be a number or an array of numbers, got ${describe(eps)}`);
  }
  return Array.from(eps, (e, i) => countAbove(values, checkPositive(e, `${fn}: eps[${i}]`) * scale));
}

export interface NumericalRankOptions {
  /** Relative tolerance (× σ_max). */
  rtol?: number;
  /** Absolute tolerance. */
  atol?: number;
  /**
   * Shape and precision of the matrix the singular values came from (they
   * enter the default tolerance). Required with a bare spectrum in
   * numericalRankFromSingularValues; numericalRank takes them from its input.
   */
  rows?: number;
  cols?: number;
  dtype?: DType;
}

/** NumericalRankOptions with the shape and precision given. */
export type ShapedRankOptions = NumericalRankOptions & { rows: number; cols: number; dtype: DType };

/**
 * The tolerance `numericalRankFromSingularValues` compares against, following
 * torch.linalg.matrix_rank:
 *  - neither rtol nor atol (or atol = 0 alone): σ_max · max(rows, cols) · eps_dtype (numpy's default too);
 *  - otherwise max(atol, rtol · σ_max), where a missing atol is 0 and a
 *    missing rtol is 0 when atol > 0.
 */
export function rankTolerance(sigmaMax: number, options: ShapedRankOptions): number {
  const fn = 'numericalRankFromSingularValues';
  const o = readOptions(options, fn, ['rtol', 'atol', 'rows', 'cols', 'dtype']);
  const rows = checkPositiveInteger(o.rows, `${fn}: rows`);
  const cols = checkPositiveInteger(o.cols, `${fn}: cols`);
  const dtype = checkOneOf(o.dtype, ['float32', 'float64'] as const, `${fn}: dtype`);
  const atol = o.atol === undefined ? 0 : checkNonNegative(o.atol, `${fn}: atol`);
  const defaultRtol = Math.max(rows, cols) * machineEpsilon(dtype);
  // torch drops the default rtol only when a positive atol replaces it.
  const rtol = o.rtol !== undefined ? checkNonNegative(o.rtol, `${fn}: rtol`) : atol > 0 ? 0 : defaultRtol;
  return Math.max(atol, rtol * checkNonNegative(sigmaMax, `${fn}: sigmaMax`));
}

/**
 * Numerical rank with numpy/torch `matrix_rank` semantics: the number of
 * singular values strictly greater than `rankTolerance(σ_max, options)`.
 *
 * @param sigma singular values (a bare array is read as σ; `eigenvalues(λ)` is square-rooted)
 */
export function numericalRankFromSingularValues(sigma: SpectrumInput, options: ShapedRankOptions): number {
  if (options === undefined) {
    throw invalidArgument('numericalRankFromSingularValues: options { rows, cols, dtype } are required');
  }
  const values = toSingularValues(sigma, 'sigma');
  return countAbove(values, rankTolerance(values[0] ?? 0, options));
}
