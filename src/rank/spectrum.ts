/** The eigenvalues of M = scale·(Φ − μ)ᵀ·diag(w)·(Φ − μ), descending. */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { readOptions } from '../core/options.js';
import { type Plan, runAsync, runSync } from '../core/plan.js';
import { type FeatureOptions, type FeaturesInput, eigenvaluesBySvd, eigenvaluesOf, gramOf, prepareFeatures } from '../spectrum/features.js';

export interface SpectrumOptions extends FeatureOptions {
  /**
   * 'gram' (default): eigenvalues of M formed in the features' dtype (fast;
   * resolves about 100·eps_dtype·λ_max). 'svd': λ = scale·σ² from the singular
   * values of diag(√w)·Φ (slower; resolves tiny eigenvalues).
   */
  via?: 'gram' | 'svd';
}

function* spectrumPlan(features: unknown, opts: SpectrumOptions | undefined): Plan<Float64Array> {
  const options = readOptions(opts, 'spectrum', ['via', 'weights', 'scale', 'center']);
  const via = options.via ?? 'gram';
  if (via !== 'gram' && via !== 'svd') throw invalidArgument(`via must be 'gram' or 'svd', got ${describe(via)}`);
  const f = prepareFeatures(features, options);
  if (via === 'svd') return yield* eigenvaluesBySvd(f);
  return yield* eigenvaluesOf(yield* gramOf(f));
}

export function spectrum(features: FeaturesInput, options?: SpectrumOptions): Float64Array {
  return runSync(spectrumPlan(features, options));
}

export function spectrumAsync(features: FeaturesInput, options?: SpectrumOptions): Promise<Float64Array> {
  return runAsync(spectrumPlan(features, options));
}
