/**
 * Every rank measure of a feature matrix from one decomposition.
 *
 * Default method 'auto': the SVD of diag(√w)·Φ when the features are at hand
 * (numerical rank needs singular values far below what a Gram resolves), the
 * float64 Gram's eigenvalues for a GramAccumulator. With 'eigen' (a Gram in
 * the features' dtype, faster), the numerical rank's tolerance is raised to the
 * Gram's resolution, √(100·eps·λ_max) in σ units, since smaller σ are noise.
 */
import { checkOneOf, requireOptions } from '../core/options.js';
import { runAsync, runSync } from '../core/plan.js';
import { type SpectrumOutcome, spectrumPlan } from '../spectrum/engine.js';
import type { Side } from '../spectrum/route.js';
import { FEATURE_OPTION_KEYS, type FeatureOptions, type FeaturesInput, type PreparedFeatures, prepareFeatures } from '../spectrum/source.js';
import { parseEps } from './eps-rank.js';
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
  /** Which matrix was decomposed: M ('primal'), its dual kernel ('dual'), or the features ('svd'). */
  side: Side | 'svd';
  dtype: 'float32' | 'float64';
  /** Eigenvalues of M, descending. */
  eigenvalues: Float64Array;
}

export interface MeasureOptions {
  eps: number | readonly number[];
  relative?: boolean;
  energy?: number;
  p?: 'sigma' | 'lambda';
  /** Shape and dtype of the features, for the numerical rank's default tolerance. */
  rows: number;
  cols: number;
  dtype: 'float32' | 'float64';
  /**
   * When the eigenvalues came from a Gram matrix: its resolution (× λ_max).
   * The numerical rank's tolerance is raised to √(resolution·λ_max) in σ units.
   */
  gramResolution?: number;
}

export type Measures = Pick<RankReport, 'epsRank' | 'numericalRank' | 'entropyRank' | 'stableRank' | 'participationRatio' | 'approximateRank' | 'lambdaMax'>;

/** Every measure from one set of eigenvalues of M (any order; negatives are rounding and read as 0). */
export function measuresFromEigenvalues(lambda: ArrayLike<number>, o: MeasureOptions): Measures {
  const spec = eigenvalues(lambda);
  const lambdaMax = spec.values[0] ?? 0;
  const epsRank = typeof o.eps === 'number'
    ? epsRankFromEigenvalues(spec, o.eps, { relative: o.relative })
    : epsRankFromEigenvalues(spec, o.eps as number[], { relative: o.relative });
  const shape = { rows: o.rows, cols: o.cols, dtype: o.dtype };
  let numericalRank: number;
  if (o.gramResolution === undefined) {
    numericalRank = numericalRankFromSingularValues(spec, shape);
  } else {
    // σ below the Gram's resolution are noise: raise the tolerance to it.
    // √res·√λ_max, not √(res·λ_max): the product underflows for a subnormal λ_max.
    const atol = Math.max(rankTolerance(Math.sqrt(lambdaMax), shape), Math.sqrt(o.gramResolution) * Math.sqrt(lambdaMax));
    numericalRank = numericalRankFromSingularValues(spec, { ...shape, atol, rtol: 0 });
  }
  // An N×n matrix has rank ≤ min(N, n); a Gram computed in the subnormal range can suggest more.
  numericalRank = Math.min(numericalRank, o.rows, o.cols);
  return {
    epsRank,
    numericalRank,
    entropyRank: spectral.entropyRank(spec, { p: o.p }),
    stableRank: spectral.stableRank(spec),
    participationRatio: spectral.participationRatio(spec),
    approximateRank: spectral.approximateRank(spec, { energy: o.energy }),
    lambdaMax,
  };
}

const METHODS = ['auto', 'eigen', 'svd'] as const;
const REPORT_OPTION_KEYS = [...FEATURE_OPTION_KEYS, 'eps', 'relative', 'method', 'energy', 'p'] as const;

function prepare(features: unknown, opts: RankReportOptions, fn: string) {
  const options = requireOptions(opts, fn, REPORT_OPTION_KEYS, 'eps');
  const method = options.method === undefined ? 'auto' : checkOneOf(options.method, METHODS, 'method');
  parseEps(options.eps);
  const f = prepareFeatures(features, options);
  // Numerical rank needs singular values far below what a Gram resolves: the SVD whenever the features are at hand.
  const route = method === 'svd' || (method === 'auto' && f.source.kind === 'matrix') ? ('svd' as const) : ('eigen' as const);
  return { options, f, route };
}

function finish(options: RankReportOptions, f: PreparedFeatures, o: SpectrumOutcome): RankReport {
  const lambda = o.eigenvalues!;
  const measures = measuresFromEigenvalues(lambda, {
    ...options,
    rows: f.rows,
    cols: f.cols,
    dtype: f.sourceDtype,
    gramResolution: o.method === 'svd' ? undefined : o.resolution,
  });
  return {
    ...measures, n: f.cols, N: f.rows, method: o.method === 'svd' ? 'svd' : 'eigen', side: o.side, dtype: o.dtype,
    eigenvalues: eigenvalues(lambda).values,
  };
}

export function rankReport(features: FeaturesInput, options: RankReportOptions): RankReport {
  const { options: o, f, route } = prepare(features, options, 'rankReport');
  return finish(o, f, runSync(spectrumPlan(f, { method: route })));
}

export async function rankReportAsync(features: FeaturesInput, options: RankReportOptions): Promise<RankReport> {
  const { options: o, f, route } = prepare(features, options, 'rankReportAsync');
  return finish(o, f, await runAsync(spectrumPlan(f, { method: route })));
}
