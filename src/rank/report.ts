/**
 * Every rank measure of a feature matrix from one decomposition.
 *
 * Default method 'auto': the SVD of diag(√w)·Φ when the features are at hand
 * (numerical rank needs singular values far below what a Gram resolves), the
 * float64 Gram's eigenvalues for a GramAccumulator. With 'eigen' (a Gram in
 * the features' dtype, faster), the numerical rank's tolerance is raised to the
 * Gram's resolution, √(100·eps·λ_max) in σ units, since smaller σ are noise.
 */
import { invalidArgument } from '../errors.js';
import { describe } from '../matrix.js';
import { type Plan, runAsync, runSync } from '../plan.js';
import { type FeatureOptions, type FeaturesInput, eigenvaluesBySvd, eigenvaluesOf, gramOf, gramResolution, prepareFeatures } from './features.js';
import * as spectral from './measures.js';
import { eigenvalues } from './spectrum-input.js';
import { epsRankFromEigenvalues, numericalRankFromSingularValues, rankTolerance } from './threshold.js';

export interface RankReportOptions extends FeatureOptions {
  eps: number | readonly number[];
  /** ε relative to λ_max. Default false. */
  relative?: boolean;
  method?: 'auto' | 'eigen' | 'svd';
  /** Energy for approximateRank. Default 0.99. */
  energy?: number;
  /** Distribution for entropyRank. Default 'sigma'. */
  p?: 'sigma' | 'lambda';
}

export interface RankReport {
  epsRank: number | number[];
  numericalRank: number;
  entropyRank: number;
  stableRank: number;
  participationRatio: number;
  approximateRank: number;
  lambdaMax: number;
  /** Neurons (columns). */
  n: number;
  /** Sample points (rows). */
  N: number;
  method: 'eigen' | 'svd';
  dtype: 'float32' | 'float64';
  /** Eigenvalues of M, descending. */
  eigenvalues: Float64Array;
}

function* reportPlan(features: unknown, options: RankReportOptions): Plan<RankReport> {
  if (options === null || typeof options !== 'object') throw invalidArgument('options { eps } are required');
  const method = options.method ?? 'auto';
  if (!['auto', 'eigen', 'svd'].includes(method)) throw invalidArgument(`method must be 'auto', 'eigen' or 'svd', got ${describe(method)}`);
  const f = prepareFeatures(features, options);
  const useSvd = method === 'svd' || (method === 'auto' && f.matrix !== null);
  const lambda = useSvd ? yield* eigenvaluesBySvd(f) : yield* eigenvaluesOf(yield* gramOf(f));
  const spec = eigenvalues(lambda);
  const lambdaMax = spec.values[0] ?? 0;
  const eps = options.eps;
  const epsRank = typeof eps === 'number'
    ? epsRankFromEigenvalues(spec, eps, { relative: options.relative })
    : epsRankFromEigenvalues(spec, eps as number[], { relative: options.relative });
  const shape = { rows: f.rows, cols: f.cols, dtype: f.dtype };
  let numericalRank: number;
  if (useSvd) {
    numericalRank = numericalRankFromSingularValues(spec, shape);
  } else {
    // σ below the Gram's resolution are noise: raise the tolerance to it.
    const sigmaMax = Math.sqrt(lambdaMax);
    const atol = Math.max(rankTolerance(sigmaMax, shape), Math.sqrt(gramResolution(f.dtype) * lambdaMax));
    numericalRank = numericalRankFromSingularValues(spec, { ...shape, atol, rtol: 0 });
  }
  return {
    epsRank,
    numericalRank,
    entropyRank: spectral.entropyRank(spec, { p: options.p }),
    stableRank: spectral.stableRank(spec),
    participationRatio: spectral.participationRatio(spec),
    approximateRank: spectral.approximateRank(spec, { energy: options.energy }),
    lambdaMax,
    n: f.cols,
    N: f.rows,
    method: useSvd ? 'svd' : 'eigen',
    dtype: f.dtype,
    eigenvalues: spec.values,
  };
}

export function rankReport(features: FeaturesInput, options: RankReportOptions): RankReport {
  return runSync(reportPlan(features, options));
}

export function rankReportAsync(features: FeaturesInput, options: RankReportOptions): Promise<RankReport> {
  return runAsync(reportPlan(features, options));
}
