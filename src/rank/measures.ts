/**
 * Continuous effective-rank measures of a spectrum (see docs/paper.md,
 * "Related rank measures"). With σ the singular values of the weighted
 * feature matrix and λ = σ² the eigenvalues of its Gram matrix:
 *
 *   entropyRank         exp(H(p)), p_i = σ_i/Σσ (or p ∝ λ)   Roy & Vetterli 2007
 *   stableRank          Σλ / λ_max
 *   participationRatio  (Σλ)² / Σλ²
 *   approximateRank     min k with Σ_{i≤k} λ_i ≥ energy·Σλ (λ descending)
 *
 * All four read a bare array as eigenvalues λ; wrap singular values with
 * `singularValues(σ)`. Every measure is 0 for an empty or all-zero spectrum.
 * Values are divided by the largest entry before summing (no overflow for
 * huge spectra) and summed small-to-large with compensation.
 */
import { checkOneOf, checkPositive, readOptions } from '../core/options.js';
import { type SpectrumInput, isSpectrum, toEigenvalues, toSingularValues } from './spectrum-input.js';
import { NeumaierSum, sumAscending } from './sum.js';
import { invalidArgument } from '../core/errors.js';

export interface EntropyRankOptions {
  /**
   * What the probabilities are proportional to: 'sigma' (default, Roy &
   * Vetterli, RankMe) uses p_i = σ_i/Σσ; 'lambda' uses p_i = λ_i/Σλ = σ_i²/Σσ².
   */
  p?: 'sigma' | 'lambda';
}

/** Entropy effective rank exp(H(p)); zero entries contribute 0 to H. Lies in [1, #nonzero] (0 if all zero). */
export function entropyRank(spectrum: SpectrumInput, options?: EntropyRankOptions): number {
  const { p = 'sigma' } = readOptions(options, 'entropyRank', ['p']);
  checkOneOf(p, ['sigma', 'lambda'] as const, 'entropyRank: p');
  const r = relative(spectrum, p === 'lambda' ? 2 : 1);
  if (r === null) return 0;
  const total = sumAscending(r);
  // H = -Σ p log p with p = r/total, i.e. log(total) - Σ r log r / total.
  const h = Math.log(total) - sumAscending(r, (x) => (x > 0 ? x * Math.log(x) : 0)) / total;
  return Math.exp(h);
}

/** Stable rank Σλ/λ_max = ‖A‖_F²/‖A‖_2². Lies in [1, #nonzero] (0 if all zero). */
export function stableRank(spectrum: SpectrumInput): number {
  const r = relative(spectrum, 2);
  return r === null ? 0 : sumAscending(r);
}

/** Participation ratio (Σλ)²/Σλ². Lies in [1, #nonzero] (0 if all zero). */
export function participationRatio(spectrum: SpectrumInput): number {
  const r = relative(spectrum, 2);
  if (r === null) return 0;
  const s = sumAscending(r);
  return (s * s) / sumAscending(r, (x) => x * x);
}

export interface ApproximateRankOptions {
  /** Fraction of Σλ the leading k eigenvalues must reach, in (0, 1]. Default 0.99. */
  energy?: number;
}

/** Approximate rank: the fewest leading eigenvalues holding `energy` of Σλ (0 if all zero). */
export function approximateRank(spectrum: SpectrumInput, options?: ApproximateRankOptions): number {
  const { energy = 0.99 } = readOptions(options, 'approximateRank', ['energy']);
  checkPositive(energy, 'approximateRank: energy');
  if (energy > 1) throw invalidArgument(`approximateRank: energy must be in (0, 1], got ${energy}`);
  const r = relative(spectrum, 2);
  if (r === null) return 0;
  // Prefix sums run large-to-small, so the total is the last prefix itself:
  // energy = 1 then stops exactly at the last entry that changes the sum.
  const prefix = new Float64Array(r.length);
  const acc = new NeumaierSum();
  for (let i = 0; i < r.length; i++) {
    acc.add(r[i]!);
    prefix[i] = acc.value();
  }
  const target = energy * prefix[r.length - 1]!;
  for (let k = 0; k < r.length; k++) if (prefix[k]! >= target) return k + 1;
  return r.length; // unreachable: the last prefix equals the total
}

/**
 * λ/λ_max (power 2) or σ/σ_max = √(λ/λ_max) (power 1), descending; null for an
 * empty or all-zero spectrum. Singular values are divided by σ_max before
 * squaring: σ² overflows to Infinity above ~1.3e154 (and Infinity/Infinity
 * is NaN), while the ratios never overflow.
 */
function relative(spectrum: SpectrumInput, power: 1 | 2): Float64Array | null {
  if (isSpectrum(spectrum) && spectrum.kind === 'singularValues') {
    const r = scaledByMax(toSingularValues(spectrum));
    return r && (power === 2 ? r.map((x) => x * x) : r);
  }
  const r = scaledByMax(toEigenvalues(spectrum));
  return r && (power === 2 ? r : r.map(Math.sqrt));
}

/** Descending values divided by the largest, or null for an empty or all-zero spectrum. */
function scaledByMax(sortedDesc: Float64Array): Float64Array | null {
  const max = sortedDesc[0] ?? 0;
  if (max === 0) return null;
  return sortedDesc.map((x) => x / max);
}
