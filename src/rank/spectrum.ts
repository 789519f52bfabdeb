/** The eigenvalues of M = scale·(Φ − 1μᵀ)ᵀ·diag(w)·(Φ − 1μᵀ), descending. */
import { checkOneOf, readOptions } from '../core/options.js';
import { runAsync, runSync } from '../core/plan.js';
import { spectrumPlan } from '../spectrum/engine.js';
import { FEATURE_OPTION_KEYS, type FeatureOptions, type FeaturesInput, prepareFeatures } from '../spectrum/source.js';

export interface SpectrumOptions extends FeatureOptions {
  /**
   * 'gram' (default): eigenvalues of M, or of its N×N dual kernel when N < n,
   * formed in the features' dtype (fast; resolves about 100·eps_dtype·λ_max).
   * 'svd': λ = scale·σ² from the singular values of diag(√w)·(Φ − 1μᵀ)
   * (slower; resolves tiny eigenvalues). Either way n values.
   */
  via?: 'gram' | 'svd';
}

function prepare(features: unknown, opts: SpectrumOptions | undefined, fn: string) {
  const options = readOptions(opts, fn, ['via', ...FEATURE_OPTION_KEYS]);
  const via = options.via === undefined ? 'gram' : checkOneOf(options.via, ['gram', 'svd'] as const, 'via');
  return { f: prepareFeatures(features, options), req: { method: via === 'svd' ? ('svd' as const) : ('eigen' as const) } };
}

export function spectrum(features: FeaturesInput, options?: SpectrumOptions): Float64Array {
  const { f, req } = prepare(features, options, 'spectrum');
  return runSync(spectrumPlan(f, req)).eigenvalues!;
}

export async function spectrumAsync(features: FeaturesInput, options?: SpectrumOptions): Promise<Float64Array> {
  const { f, req } = prepare(features, options, 'spectrumAsync');
  return (await runAsync(spectrumPlan(f, req))).eigenvalues!;
}
