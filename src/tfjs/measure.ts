/**
 * Turns one layer's activations (or device Gram) into a record's measures,
 * off the main thread, through the spectrum engine: the N×N dual kernel for
 * wide layers, a float32 Gram where ε is above what it resolves (a float64
 * one, or the SVD, below), the inertia count when only ε-counts are wanted,
 * and BLAS threads that leave the training thread its core.
 */
import { runAsync } from '../core/plan.js';
import { getNumThreads } from '../linalg/backend.js';
import { measuresFromEigenvalues } from '../rank/report.js';
import type { DType } from '../core/matrix.js';
import { type SpectrumOutcome, spectrumPlan } from '../spectrum/engine.js';
import { resolves } from '../spectrum/resolution.js';
import { type PreparedFeatures, finishedGram, ownedFeatures, prepareFeatures } from '../spectrum/source.js';
import type { LayerFeatures } from './extract.js';
import type { MeasureName, RankRecord, ResolvedOptions } from './options.js';

export type LayerMeasures = Omit<RankRecord, 'step' | 'epoch' | 'batch' | 'loss' | 'ms' | 'skipped'>;

const SPECTRAL_MEASURES = ['numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank'] as const satisfies readonly MeasureName[];

function featuresOf(lf: LayerFeatures, o: ResolvedOptions): PreparedFeatures {
  const feature = { scale: o.scale, center: o.center };
  if (lf.deviceGram) {
    return finishedGram(lf.deviceGram, { ...feature, side: lf.deviceSide ?? 'primal', rows: lf.N, cols: lf.n, resolvesIn: 'float32', sourceDtype: 'float32' });
  }
  if (lf.accumulator) return prepareFeatures(lf.accumulator, feature);
  return ownedFeatures({ data: lf.features!, rows: lf.N, cols: lf.n }, { ...feature, weights: lf.weights ?? o.weights });
}

/** BLAS threads for a measurement (and a native forward pass): all but one, so training keeps a core. */
export function measurementThreads(): number {
  return Math.max(1, getNumThreads() - 1);
}

/**
 * Per tracker and layer, the Gram precision the next measurement starts at:
 * float64 once a float32 Gram was found not to resolve ε (the spectrum moves
 * slowly between measurements), float32 again once it would.
 */
const startPrecision = new WeakMap<ResolvedOptions, Map<string, DType>>();

function nextStart(out: SpectrumOutcome): DType {
  if (out.lambdaMax === null || out.thresholds === null) return out.dtype;
  return resolves(Math.min(...out.thresholds), out.lambdaMax, 'float32') ? 'float32' : 'float64';
}

export async function measureLayer(given: LayerFeatures, o: ResolvedOptions, want: { eigenvalues: boolean }): Promise<LayerMeasures> {
  const lf = given.pending ? { ...given, features: await given.pending } : given;
  const spectral = SPECTRAL_MEASURES.filter((name) => o.measures.has(name));
  const needEigenvalues = want.eigenvalues || spectral.length > 0;
  let starts = startPrecision.get(o);
  if (!starts) startPrecision.set(o, (starts = new Map()));
  const out: SpectrumOutcome = await runAsync(
    spectrumPlan(featuresOf(lf, o), {
      method: 'auto', eps: o.eps, relative: o.relative, needEigenvalues, maxThreads: measurementThreads(),
      startPrecision: starts.get(lf.layer),
    }),
  );
  if (out.method !== 'svd') starts.set(lf.layer, nextStart(out));
  const record: LayerMeasures = {
    layer: lf.layer,
    n: lf.n,
    N: lf.N,
    features: lf.mode,
    epsRank: Object.fromEntries(o.eps.map((e, i) => [String(e), out.counts![i]!])),
    lambdaMax: out.lambdaMax,
    method: out.method === 'svd' ? 'svd' : lf.deviceGram ? 'gram-device' : 'gram-host',
    forward: lf.forward,
    route: out.method,
    side: out.side,
    dtype: out.dtype,
    resolved: out.resolved,
  };
  if (spectral.length > 0) {
    const m = measuresFromEigenvalues(out.eigenvalues!, {
      eps: o.eps, relative: o.relative, rows: lf.N, cols: lf.n, dtype: 'float32',
      gramResolution: out.method === 'svd' ? undefined : out.resolution,
    });
    for (const name of spectral) record[name] = m[name];
  }
  if (want.eigenvalues && out.eigenvalues) record.eigenvalues = Array.from(out.eigenvalues);
  return record;
}
