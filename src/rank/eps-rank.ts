/**
 * The ε-rank of arXiv 2412.05144: the number of eigenvalues of
 * M = scale·(Φ − 1μᵀ)ᵀ·diag(w)·(Φ − 1μᵀ) strictly above ε.
 *
 * Methods (the spectrum engine, src/spectrum/, carries them out):
 *  - 'inertia': form M (or its dual kernel), count by Sylvester's inertia of
 *    M − εI (?sytrf); one factorisation per ε; λ_max is not computed.
 *  - 'eigen':   form M (or its dual kernel) in the features' dtype, compute
 *    its eigenvalues; any number of ε from one spectrum.
 *  - 'svd':     λ = scale·σ² from the singular values of diag(√w)·(Φ − 1μᵀ);
 *    never squares the condition number, so it resolves ε far below λ_max.
 *  - 'auto' (default): the Gram in the features' dtype resolves eigenvalues
 *    down to 100·eps_dtype·λ_max (src/spectrum/resolution.ts). Above that,
 *    'inertia' for one absolute ε (when the bounds max diag ≤ λ_max ≤
 *    min(trace, ‖M‖_F, max row sum) settle it), else 'eigen'; below it, a
 *    float64 Gram for float32 features, and below what that resolves, 'svd'.
 *    A GramAccumulator has no features to take an SVD of, so it uses its
 *    float64 Gram whatever ε is.
 * Wide features (N < n) take the N×N dual kernel, whose non-zero eigenvalues
 * are those of M: `side` says which matrix was decomposed.
 */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { checkBoolean, checkOneOf, checkPositive, requireOptions } from '../core/options.js';
import { runAsync, runSync } from '../core/plan.js';
import { type SpectrumOutcome, spectrumPlan } from '../spectrum/engine.js';
import type { Side } from '../spectrum/route.js';
import { FEATURE_OPTION_KEYS, type FeatureOptions, type FeaturesInput, prepareFeatures } from '../spectrum/source.js';

export type EpsRankMethod = 'auto' | 'inertia' | 'eigen' | 'svd';

export interface EpsRankOptions extends FeatureOptions {
  /** The threshold(s): one ε or an array, all counted from one factorisation or spectrum. */
  eps: number | readonly number[];
  /** ε relative to λ_max (threshold ε·λ_max). Default false. */
  relative?: boolean;
  method?: EpsRankMethod;
}

export const EPS_RANK_OPTION_KEYS = [...FEATURE_OPTION_KEYS, 'eps', 'relative', 'method'] as const;

export interface EpsRankDetails {
  /** One count per ε, in the order given. */
  counts: number[];
  /** The absolute thresholds compared against (ε, or ε·λ_max when relative). */
  thresholds: number[];
  /** The method that produced the counts. */
  method: Exclude<EpsRankMethod, 'auto'>;
  /** Which matrix was decomposed: the n×n Gram M ('primal'), the N×N dual kernel ('dual'), or the features ('svd'). */
  side: Side | 'svd';
  /** Largest eigenvalue of M; null when the inertia method did not need it. */
  lambdaMax: number | null;
  /** Eigenvalues of M, descending (n of them), when the method computed them. */
  eigenvalues: Float64Array | null;
  /** Precision the Gram or SVD was computed in. */
  dtype: 'float32' | 'float64';
  /** N (rows) and n (columns) of the features. */
  N: number;
  n: number;
}

const METHODS: readonly EpsRankMethod[] = ['auto', 'inertia', 'eigen', 'svd'];

/** ε as a non-empty list of finite numbers > 0, each read once. */
export function parseEps(eps: unknown, what = 'eps'): number[] {
  if (typeof eps === 'number') return [checkPositive(eps, what)];
  if (Array.isArray(eps) || ArrayBuffer.isView(eps)) {
    const list = Array.from(eps as ArrayLike<unknown>, (e, i) => checkPositive(e, `${what}[${i}]`));
    if (list.length === 0) throw invalidArgument(`${what} must not be empty`);
    return list;
  }
  throw invalidArgument(`${what} must be a number > 0 or an array of them, got ${describe(eps)}`);
}

function details(o: SpectrumOutcome, N: number, n: number): EpsRankDetails {
  return {
    counts: o.counts!, thresholds: o.thresholds!, method: o.method, side: o.side,
    lambdaMax: o.lambdaMax, eigenvalues: o.eigenvalues, dtype: o.dtype, N, n,
  };
}

function prepare(features: unknown, opts: EpsRankOptions, fn: string) {
  const options = requireOptions(opts, fn, EPS_RANK_OPTION_KEYS, 'eps');
  const eps = parseEps(options.eps);
  const relative = options.relative === undefined ? false : checkBoolean(options.relative, 'relative');
  const method = options.method === undefined ? 'auto' : checkOneOf(options.method, METHODS, 'method');
  const f = prepareFeatures(features, options);
  return { f, req: { method, eps, relative } };
}

/** ε-rank with the method used, λ_max and the thresholds; see the module comment for the methods. */
export function epsRankDetailed(features: FeaturesInput, options: EpsRankOptions): EpsRankDetails {
  const { f, req } = prepare(features, options, 'epsRank');
  return details(runSync(spectrumPlan(f, req)), f.rows, f.cols);
}

export async function epsRankDetailedAsync(features: FeaturesInput, options: EpsRankOptions): Promise<EpsRankDetails> {
  const { f, req } = prepare(features, options, 'epsRankAsync');
  return details(await runAsync(spectrumPlan(f, req, true)), f.rows, f.cols);
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
