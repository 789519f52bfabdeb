/**
 * The ε-rank of arXiv 2412.05144: the number of eigenvalues of
 * M = scale·Φᵀ·diag(w)·Φ strictly above ε.
 *
 * Methods:
 *  - 'inertia': form M, count by Sylvester's inertia of M − εI (?sytrf); one
 *    factorisation per ε; the fastest for one ε. λ_max is not computed.
 *  - 'eigen':   form M, compute its eigenvalues; any number of ε from one spectrum.
 *  - 'svd':     singular values of diag(√w)·Φ, λ = scale·σ²; never squares the
 *    condition number, so it resolves ε far below λ_max.
 *  - 'auto' (default): the Gram (formed in the features' dtype) resolves
 *    eigenvalues down to about 100·eps_dtype·λ_max (≈1.2e-5·λ_max in float32,
 *    ≈2.2e-14·λ_max in float64). Above that, 'inertia' for one absolute ε
 *    (decided from the bounds max diag ≤ λ_max ≤ trace when they settle it),
 *    else 'eigen'; below it, 'svd'. A GramAccumulator has no features to take
 *    an SVD of, so it uses its float64 Gram whatever ε is.
 */
import { invalidArgument } from '../core/errors.js';
import { countEigenvaluesAbove, countEigenvaluesAboveAsync } from '../linalg/inertia.js';
import type { Matrix } from '../core/matrix.js';
import { describe } from '../core/matrix.js';
import { type Plan, runAsync, runSync, step } from '../core/plan.js';
import {
  type FeatureOptions,
  type FeaturesInput,
  type PreparedFeatures,
  eigenvaluesBySvd,
  eigenvaluesOf,
  gramOf,
  gramResolution,
  lambdaMaxBounds,
  prepareFeatures,
} from '../spectrum/features.js';
import { checkPositive } from '../core/options.js';

export type EpsRankMethod = 'auto' | 'inertia' | 'eigen' | 'svd';

export interface EpsRankOptions extends FeatureOptions {
  /** The threshold(s): one ε or an array, all counted from one factorisation or spectrum. */
  eps: number | readonly number[];
  /** ε relative to λ_max (threshold ε·λ_max). Default false. */
  relative?: boolean;
  method?: EpsRankMethod;
}

export interface EpsRankDetails {
  /** One count per ε, in the order given. */
  counts: number[];
  /** The absolute thresholds compared against (ε, or ε·λ_max when relative). */
  thresholds: number[];
  /** The method that produced the counts. */
  method: Exclude<EpsRankMethod, 'auto'>;
  /** Largest eigenvalue of M; null when the inertia method did not need it. */
  lambdaMax: number | null;
  /** Eigenvalues of M, descending, when the method computed them. */
  eigenvalues: Float64Array | null;
  /** Precision the Gram or SVD was computed in. */
  dtype: 'float32' | 'float64';
  /** N (rows) and n (columns) of the features. */
  N: number;
  n: number;
}

const METHODS: readonly EpsRankMethod[] = ['auto', 'inertia', 'eigen', 'svd'];

function parseEps(eps: unknown): number[] {
  if (typeof eps === 'number') return [checkPositive(eps, 'eps')];
  if (Array.isArray(eps) || ArrayBuffer.isView(eps)) {
    const list = Array.from(eps as ArrayLike<unknown>, (e, i) => checkPositive(e, `eps[${i}]`));
    if (list.length === 0) throw invalidArgument('eps must not be empty');
    return list;
  }
  throw invalidArgument(`eps must be a number > 0 or an array of them, got ${describe(eps)}`);
}

function countsFrom(lambdaDesc: Float64Array, thresholds: number[]): number[] {
  return thresholds.map((t) => {
    let c = 0;
    while (c < lambdaDesc.length && lambdaDesc[c]! > t) c++;
    return c;
  });
}

function* inertiaCounts(g: Matrix, thresholds: number[]): Plan<number[]> {
  const counts: number[] = [];
  for (const t of thresholds) {
    counts.push((yield step(() => countEigenvaluesAbove(g, t), () => countEigenvaluesAboveAsync(g, t))) as number);
  }
  return counts;
}

function* epsRankPlan(features: unknown, options: EpsRankOptions, copyFeatures = false): Plan<EpsRankDetails> {
  if (options === null || typeof options !== 'object') throw invalidArgument('options { eps } are required');
  const eps = parseEps(options.eps);
  const relative = options.relative ?? false;
  if (typeof relative !== 'boolean') throw invalidArgument('relative must be a boolean');
  const method = options.method ?? 'auto';
  if (!METHODS.includes(method)) throw invalidArgument(`method must be one of ${METHODS.join(', ')}, got ${describe(method)}`);
  if (method === 'inertia' && relative) {
    throw invalidArgument("method 'inertia' does not compute λ_max, so it cannot take a relative ε: use 'eigen' or 'auto'");
  }
  const f = prepareFeatures(features, options);
  // 'auto' may take the SVD of the features after awaiting the Gram: the async
  // twin copies them first, so that the caller may mutate or transfer its
  // buffer as soon as the call returns, as with every async call.
  if (copyFeatures && method === 'auto' && f.matrix) {
    if (!Array.isArray(features)) f.matrix = { ...f.matrix, data: f.matrix.data.slice() };
    if (f.weights) f.weights = f.weights.slice();
  }
  const base = { N: f.rows, n: f.cols };

  const bySvd = function* (): Plan<EpsRankDetails> {
    const lambda = yield* eigenvaluesBySvd(f);
    const lambdaMax = lambda[0] ?? 0;
    const thresholds = relative ? eps.map((e) => e * lambdaMax) : eps;
    return { ...base, counts: countsFrom(lambda, thresholds), thresholds, method: 'svd', lambdaMax, eigenvalues: lambda, dtype: f.dtype };
  };
  if (method === 'svd') return yield* bySvd();

  const g = yield* gramOf(f);
  const resolution = gramResolution(f.dtype);
  const canSvd = f.matrix !== null;
  if (method === 'inertia' || (method === 'auto' && eps.length === 1 && !relative)) {
    const { lower, upper } = lambdaMaxBounds(g);
    const minEps = Math.min(...eps);
    if (method === 'inertia' || minEps >= resolution * upper) {
      const counts = yield* inertiaCounts(g, eps);
      return { ...base, counts, thresholds: eps, method: 'inertia', lambdaMax: null, eigenvalues: null, dtype: f.dtype };
    }
    if (canSvd && minEps < resolution * lower) return yield* bySvd();
  }
  const lambda = yield* eigenvaluesOf(g);
  const lambdaMax = Math.max(lambda[0] ?? 0, 0);
  const thresholds = relative ? eps.map((e) => e * lambdaMax) : eps;
  if (method === 'auto' && canSvd && Math.min(...thresholds) < resolution * lambdaMax) return yield* bySvd();
  return { ...base, counts: countsFrom(lambda, thresholds), thresholds, method: 'eigen', lambdaMax, eigenvalues: lambda, dtype: f.dtype };
}

/** ε-rank with the method used, λ_max and the thresholds; see the module comment for the methods. */
export function epsRankDetailed(features: FeaturesInput, options: EpsRankOptions): EpsRankDetails {
  return runSync(epsRankPlan(features, options));
}

export function epsRankDetailedAsync(features: FeaturesInput, options: EpsRankOptions): Promise<EpsRankDetails> {
  return runAsync(epsRankPlan(features, options, true));
}

/** The ε-rank: a count for a single ε, an array of counts for an array of ε. */
export function epsRank(features: FeaturesInput, options: EpsRankOptions & { eps: number }): number;
export function epsRank(features: FeaturesInput, options: EpsRankOptions & { eps: readonly number[] }): number[];
export function epsRank(features: FeaturesInput, options: EpsRankOptions): number | number[];
export function epsRank(features: FeaturesInput, options: EpsRankOptions): number | number[] {
  const d = epsRankDetailed(features, options);
  return typeof options.eps === 'number' ? d.counts[0]! : d.counts;
}

export async function epsRankAsync(features: FeaturesInput, options: EpsRankOptions): Promise<number | number[]> {
  const d = await epsRankDetailedAsync(features, options);
  return typeof options.eps === 'number' ? d.counts[0]! : d.counts;
}

export type { PreparedFeatures };
