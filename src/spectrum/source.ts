/**
 * Feature sources: what the spectrum engine starts from.
 *  - a feature matrix Φ (N sample points × n neurons): the engine forms M,
 *    its dual kernel, or takes the SVD, centring and weighting natively;
 *  - a finished Gram: M itself (n×n) or the dual kernel K (N×N), already
 *    weighted, centred and scaled, in float64 — what a GramAccumulator or a
 *    Gram formed on a tfjs device provides. `resolvesIn` is the precision
 *    its entries were accumulated in (the device forms float32 products).
 */
import { invalidArgument } from '../core/errors.js';
import { type DType, type Matrix, type MatrixInput, dtypeOf, toMatrix } from '../core/matrix.js';
import { checkBoolean, checkPositive, toWeights } from '../core/options.js';
import { finishGram } from './centering.js';
import { type GramAccumulator, isAccumulator } from './gram-accumulator.js';

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

export const FEATURE_OPTION_KEYS = ['weights', 'scale', 'center'] as const satisfies readonly (keyof FeatureOptions)[];

export interface MatrixSource {
  kind: 'matrix';
  matrix: Matrix;
  weights: Float64Array | undefined;
  /** The engine may read `matrix` after an await without copying it (the caller owns no reference). */
  owned: boolean;
}

export interface GramSource {
  kind: 'gram';
  /** M (side 'primal', dim = n) or K (side 'dual', dim = N), row-major float64, finished. */
  gram: Float64Array;
  dim: number;
  side: 'primal' | 'dual';
  resolvesIn: DType;
}

export interface PreparedFeatures {
  source: MatrixSource | GramSource;
  scale: number;
  center: boolean;
  /** Precision of the features (matrix) or of the finished Gram's products. */
  dtype: DType;
  /** dtype the features were stored in (sets the numerical rank's default tolerance). */
  sourceDtype: DType;
  /** N (sample points) and n (neurons). */
  rows: number;
  cols: number;
}

function readScaleAndCenter(options: FeatureOptions): { scale: number; center: boolean } {
  const scale = options.scale === undefined ? 1 : checkPositive(options.scale, 'scale');
  const center = options.center === undefined ? false : checkBoolean(options.center, 'center');
  return { scale, center };
}

/** Validates features and their options (keys already checked by the caller). */
export function prepareFeatures(features: unknown, options: FeatureOptions): PreparedFeatures {
  const { scale, center } = readScaleAndCenter(options);
  if (isAccumulator(features)) {
    if (options.weights !== undefined) {
      throw invalidArgument('weights cannot be given with a GramAccumulator: pass them to add()');
    }
    if (features.rows === 0) throw invalidArgument('the GramAccumulator has seen no rows');
    const n = features.n;
    const gram = finishGram(features.gram().data, n, { sums: features.columnSums(), weightSum: features.weightSum, center, scale });
    return {
      source: { kind: 'gram', gram, dim: n, side: 'primal', resolvesIn: 'float64' },
      scale, center, dtype: 'float64', sourceDtype: features.sourceDtype, rows: features.rows, cols: n,
    };
  }
  const matrix = toMatrix(features, 'features');
  const weights = options.weights === undefined ? undefined : toWeights(options.weights, matrix.rows);
  const dtype = dtypeOf(matrix.data);
  return {
    source: { kind: 'matrix', matrix, weights, owned: Array.isArray(features) },
    scale, center, dtype, sourceDtype: dtype, rows: matrix.rows, cols: matrix.cols,
  };
}

/** Host activations the caller hands over for good (the tracker's downloads): never copied. */
export function ownedFeatures(matrix: Matrix, o: { weights?: Float64Array; scale: number; center: boolean }): PreparedFeatures {
  const dtype = dtypeOf(matrix.data);
  return {
    source: { kind: 'matrix', matrix, weights: o.weights, owned: true },
    scale: o.scale, center: o.center, dtype, sourceDtype: dtype, rows: matrix.rows, cols: matrix.cols,
  };
}

/** A finished Gram or dual kernel (see GramSource) of features with N rows and n columns. */
export function finishedGram(
  gram: Float64Array,
  o: { side: 'primal' | 'dual'; rows: number; cols: number; resolvesIn: DType; sourceDtype: DType; scale: number; center: boolean },
): PreparedFeatures {
  const dim = o.side === 'primal' ? o.cols : o.rows;
  return {
    source: { kind: 'gram', gram, dim, side: o.side, resolvesIn: o.resolvesIn },
    scale: o.scale, center: o.center, dtype: o.resolvesIn, sourceDtype: o.sourceDtype, rows: o.rows, cols: o.cols,
  };
}
