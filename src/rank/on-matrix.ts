/**
 * The rank measures, for a matrix or a precomputed spectrum.
 *
 * Input forms:
 *  - a matrix ({ data, rows, cols } or number[][]): its singular values σ are
 *    computed (λ = σ²);
 *  - a GramAccumulator: the eigenvalues λ of its Gram;
 *  - a tagged spectrum, `eigenvalues(λ)` or `singularValues(σ)`;
 *  - a bare Float64Array / number[]: read as eigenvalues λ.
 */
import { type DType, type MatrixInput, dtypeOf, isFloatArray, toMatrix } from '../core/matrix.js';
import { readOptions } from '../core/options.js';
import { runSync } from '../core/plan.js';
import { svdvals } from '../linalg/svd.js';
import { spectrumPlan } from '../spectrum/engine.js';
import { GramAccumulator, isAccumulator } from '../spectrum/gram-accumulator.js';
import { prepareFeatures } from '../spectrum/source.js';
import * as spectral from './measures.js';
import { type Spectrum, type SpectrumInput, eigenvalues, isSpectrum, singularValues, toSingularValues } from './spectrum-input.js';
import { type NumericalRankOptions, numericalRankFromSingularValues, rankTolerance } from './threshold.js';

export type { NumericalRankOptions };

/** Anything the measures accept. */
export type RankInput = MatrixInput | GramAccumulator | Spectrum | ArrayLike<number>;

function isMatrixLike(x: unknown): boolean {
  if (Array.isArray(x)) return x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
  return x !== null && typeof x === 'object' && !isFloatArray(x) && !isSpectrum(x) && 'data' in x;
}

interface Resolved {
  spectrum: SpectrumInput;
  rows: number;
  cols: number;
  dtype: DType;
  /** Set when λ came from a Gram: its resolution (× λ_max); smaller σ² are noise. */
  gramResolution?: number;
}

function resolve(x: RankInput): Resolved {
  if (isAccumulator(x)) {
    const f = prepareFeatures(x, {});
    const o = runSync(spectrumPlan(f, { method: 'eigen' }));
    return { spectrum: eigenvalues(o.eigenvalues!), rows: f.rows, cols: f.cols, dtype: f.sourceDtype, gramResolution: o.resolution };
  }
  // The matrix's own singular values (not λ = σ²: squaring would underflow tiny σ).
  if (isMatrixLike(x)) {
    const m = toMatrix(x, 'x');
    return { spectrum: singularValues(svdvals(m)), rows: m.rows, cols: m.cols, dtype: dtypeOf(m.data) };
  }
  // A bare array is read as eigenvalues λ, for every measure.
  const spectrum = isSpectrum(x) ? x : eigenvalues(x as ArrayLike<number>);
  const k = spectrum.values.length;
  return { spectrum, rows: k, cols: k, dtype: 'float64' };
}

/**
 * numpy/torch `matrix_rank`: #{σ > tol}, tol = σ_max·max(m, n)·eps_dtype by
 * default, or max(atol, rtol·σ_max).
 */
export function numericalRank(x: RankInput, opts?: NumericalRankOptions): number {
  const options = readOptions(opts, 'numericalRank', ['rtol', 'atol', 'rows', 'cols', 'dtype']);
  const r = resolve(x);
  const shape = { rows: options.rows ?? r.rows, cols: options.cols ?? r.cols, dtype: options.dtype ?? r.dtype };
  if (r.gramResolution !== undefined && options.rtol === undefined && options.atol === undefined) {
    // σ = √λ of a Gram: raise the default tolerance to what the Gram resolves.
    const sigma = toSingularValues(r.spectrum);
    const sigmaMax = sigma[0] ?? 0;
    const atol = Math.max(rankTolerance(sigmaMax, shape), Math.sqrt(r.gramResolution) * sigmaMax);
    return numericalRankFromSingularValues(sigma, { ...shape, atol, rtol: 0 });
  }
  return numericalRankFromSingularValues(r.spectrum, { ...shape, rtol: options.rtol, atol: options.atol });
}

/** exp(H(p)), Roy & Vetterli; p ∝ σ by default, or p ∝ λ = σ² with { p: 'lambda' }. */
export function entropyRank(x: RankInput, options?: spectral.EntropyRankOptions): number {
  return spectral.entropyRank(resolve(x).spectrum, options);
}

/** Σλ / λ_max = ‖A‖_F² / ‖A‖_2². */
export function stableRank(x: RankInput): number {
  return spectral.stableRank(resolve(x).spectrum);
}

/** (Σλ)² / Σλ². */
export function participationRatio(x: RankInput): number {
  return spectral.participationRatio(resolve(x).spectrum);
}

/** min k with Σ_{i≤k} λ_i ≥ energy·Σλ (default energy 0.99). */
export function approximateRank(x: RankInput, options?: spectral.ApproximateRankOptions): number {
  return spectral.approximateRank(resolve(x).spectrum, options);
}
