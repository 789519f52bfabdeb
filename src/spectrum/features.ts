/**
 * From features to the spectrum of their Gram matrix
 *   M = scale · (Φ − μ)ᵀ · diag(w) · (Φ − μ),
 * either by forming M (n×n: cheap, but it squares the condition number) or by
 * the singular values of diag(√w)·(Φ − μ) (λ = scale·σ²: exact to the
 * features' precision, slower). μ is the weighted column mean when `center`
 * is set, else 0 (the paper's Gram is not centred).
 */
import { eigvalsh, eigvalshAsync } from '../linalg/eigh.js';
import { invalidArgument } from '../core/errors.js';
import { GramAccumulator } from './gram-accumulator.js';
import { gram, gramAsync } from '../linalg/gram.js';
import { type DType, type FloatArray, type Matrix, type MatrixInput, dtypeOf, toMatrix } from '../core/matrix.js';
import { type Plan, step } from '../core/plan.js';
import { svdvals, svdvalsAsync } from '../linalg/svd.js';
import { toFinite, toWeights } from '../core/options.js';
import { machineEpsilon } from '../rank/threshold.js';

/** Features: an N×n matrix (N sample points, n neurons) or a GramAccumulator that has seen them. */
export type FeaturesInput = MatrixInput | GramAccumulator;

export interface FeatureOptions {
  /** Quadrature weights, one per sample point (row). Not allowed with a GramAccumulator (it took them in `add`). */
  weights?: ArrayLike<number>;
  /** The domain measure or any scalar factor on M. Default 1. */
  scale?: number;
  /** Subtract the (weighted) column means first. Default false, as in the paper. */
  center?: boolean;
}

export interface PreparedFeatures {
  /** The feature matrix, or null for an accumulator. */
  matrix: Matrix | null;
  accumulator: GramAccumulator | null;
  weights: Float64Array | undefined;
  scale: number;
  center: boolean;
  /** dtype of the Gram / SVD computed from these features. */
  dtype: DType;
  /** dtype the features were stored in (sets the numerical rank's default tolerance). */
  sourceDtype: DType;
  rows: number;
  cols: number;
}

export function prepareFeatures(features: unknown, options: FeatureOptions): PreparedFeatures {
  const scale = options.scale === undefined ? 1 : toFinite(options.scale, 'scale');
  if (scale <= 0) throw invalidArgument(`scale must be > 0, got ${scale}`);
  const center = options.center ?? false;
  if (typeof center !== 'boolean') throw invalidArgument('center must be a boolean');
  if (features instanceof GramAccumulator) {
    if (options.weights !== undefined) {
      throw invalidArgument('weights cannot be given with a GramAccumulator: pass them to add()');
    }
    if (features.rows === 0) throw invalidArgument('the GramAccumulator has seen no rows');
    return {
      matrix: null, accumulator: features, weights: undefined, scale, center,
      dtype: 'float64', sourceDtype: features.sourceDtype, rows: features.rows, cols: features.n,
    };
  }
  const matrix = toMatrix(features, 'features');
  const weights = options.weights === undefined ? undefined : toWeights(options.weights, matrix.rows);
  const dtype = dtypeOf(matrix.data);
  return { matrix, accumulator: null, weights, scale, center, dtype, sourceDtype: dtype, rows: matrix.rows, cols: matrix.cols };
}

/**
 * Smallest ε/λ_max the Gram route resolves in a dtype: eigenvalues of a Gram
 * formed in floating point carry absolute errors of a modest multiple of
 * eps·λ_max, so counts below 100·eps·λ_max are rounding noise.
 */
export function gramResolution(dtype: DType): number {
  return 100 * machineEpsilon(dtype);
}

/**
 * A copy of the features, centred on the weighted column means when `center`,
 * and with each row scaled by √w when `rootWeights`. The dtype is kept.
 */
export function transformRows(
  m: Matrix,
  weights: ArrayLike<number> | undefined,
  o: { center: boolean; rootWeights: boolean },
): Matrix {
  const { data, rows, cols } = m;
  const mean = new Float64Array(cols);
  if (o.center) {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const wr = weights ? weights[r]! : 1;
      total += wr;
      for (let j = 0; j < cols; j++) mean[j]! += wr * data[r * cols + j]!;
    }
    if (total > 0) for (let j = 0; j < cols; j++) mean[j]! /= total;
  }
  // rows·cols, not data.length: a typed-array subclass may override `length` (see lengthOf).
  const out = data instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = o.rootWeights && weights ? Math.sqrt(weights[r]!) : 1;
    for (let j = 0; j < cols; j++) out[r * cols + j] = s * (data[r * cols + j]! - mean[j]!);
  }
  return { data: out, rows, cols };
}

/** M in the features' dtype (float64 for accumulators). */
export function* gramOf(f: PreparedFeatures): Plan<Matrix> {
  if (f.accumulator) {
    const g = f.center ? f.accumulator.centeredGram() : f.accumulator.gram();
    if (f.scale !== 1) for (let i = 0; i < g.data.length; i++) g.data[i]! *= f.scale;
    return g;
  }
  const m = f.center ? transformRows(f.matrix!, f.weights, { center: true, rootWeights: false }) : f.matrix!;
  const options = { weights: f.weights, scale: f.scale };
  return (yield step(() => gram(m, options), () => gramAsync(m, options))) as Matrix;
}

/** LAPACK's ascending eigenvalues as the descending float64 spectrum the measures use. */
export function descending(asc: ArrayLike<number>): Float64Array {
  const out = new Float64Array(asc.length);
  for (let i = 0; i < asc.length; i++) out[i] = asc[asc.length - 1 - i]!;
  return out;
}

/** Eigenvalues of a symmetric matrix, descending, as float64. */
export function* eigenvaluesOf(g: Matrix): Plan<Float64Array> {
  return descending((yield step(() => eigvalsh(g), () => eigvalshAsync(g))) as FloatArray);
}

/** Eigenvalues of M from the singular values of diag(√w)·(Φ − μ), descending, float64. */
export function* eigenvaluesBySvd(f: PreparedFeatures): Plan<Float64Array> {
  if (!f.matrix) throw invalidArgument("method 'svd' needs the features themselves, not a GramAccumulator");
  // σ of diag(√w)·(Φ − μ) are the √λ of M/scale; the untouched features need no copy.
  const input = f.center || f.weights ? transformRows(f.matrix, f.weights, { center: f.center, rootWeights: true }) : f.matrix;
  const sigma = (yield step(() => svdvals(input), () => svdvalsAsync(input))) as FloatArray;
  const lambda = new Float64Array(f.cols);
  for (let i = 0; i < sigma.length; i++) lambda[i] = f.scale * sigma[i]! * sigma[i]!;
  return lambda; // entries beyond min(N, n) are exact zeros
}

/**
 * Bounds on λ_max of a PSD matrix in O(n²): max diag ≤ λ_max ≤ min(trace,
 * ‖G‖_F, max row sum of |g_ij|). The trace alone overshoots by up to n× on
 * flat spectra, which would send `auto` past the fast inertia count.
 */
export function lambdaMaxBounds(g: Matrix): { lower: number; upper: number } {
  const n = g.rows;
  let trace = 0;
  let maxDiag = 0;
  let frob2 = 0;
  let maxRow = 0;
  for (let i = 0; i < n; i++) {
    const d = g.data[i * n + i]!;
    trace += d;
    if (d > maxDiag) maxDiag = d;
    let row = 0;
    for (let j = 0; j < n; j++) {
      const x = g.data[i * n + j]!;
      frob2 += x * x;
      row += Math.abs(x);
    }
    if (row > maxRow) maxRow = row;
  }
  return { lower: maxDiag, upper: Math.min(trace, Math.sqrt(frob2), maxRow) };
}
