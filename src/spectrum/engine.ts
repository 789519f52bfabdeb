/**
 * The spectrum engine: features → M = scale·(Φ − 1μᵀ)ᵀ·diag(w)·(Φ − 1μᵀ) →
 * its eigenvalues, or counts above thresholds. Every rank function and the
 * RankTracker call this one plan; the route it takes is decided in route.ts
 * and carried out natively in one job per step (native/spectrum.cpp).
 */
import { invalidArgument } from '../core/errors.js';
import type { DType } from '../core/matrix.js';
import { type Plan, step } from '../core/plan.js';
import { type NativeSpectrum, binding, callAsync, callSync } from '../native.js';
import { countAbove } from './count.js';
import { gramResolution } from './resolution.js';
import { type Side, type SpectrumMethod, mayCountByInertia, precisionLadder, sideFor } from './route.js';
import type { GramSource, MatrixSource, PreparedFeatures } from './source.js';

export interface SpectrumRequest {
  method: 'auto' | SpectrumMethod;
  /** Thresholds to count above; absent: only the eigenvalues. */
  eps?: readonly number[];
  /** Read eps as fractions of λ_max. */
  relative?: boolean;
  /** With eps: compute the whole spectrum even where inertia could count. */
  needEigenvalues?: boolean;
  /** Cap on BLAS threads for these jobs (0 or absent: no cap). */
  maxThreads?: number;
  /**
   * 'float64': skip the float32 rung of the precision ladder (a caller that
   * measures the same features repeatedly knows the last one needed float64).
   */
  startPrecision?: DType;
}

export interface SpectrumOutcome {
  method: SpectrumMethod;
  /** Which matrix was decomposed: M ('primal'), the dual kernel ('dual'), or the features themselves ('svd'). */
  side: Side | 'svd';
  /** Precision of the Gram or of the SVD. */
  dtype: DType;
  counts: number[] | null;
  /** The absolute thresholds compared against (ε, or ε·λ_max). */
  thresholds: number[] | null;
  /** Eigenvalues of M, descending, n of them (the dual's missing ones are exact zeros); null after inertia. */
  eigenvalues: Float64Array | null;
  lambdaMax: number | null;
  /** λ/λ_max below which the eigenvalues are noise; 0 for the SVD. */
  resolution: number;
  /** Every threshold is at or above the resolution. */
  resolved: boolean;
}

const SIDE_CODE = { primal: 0, dual: 1, svd: 2 } as const;

/** n eigenvalues, descending, from the dim of the matrix decomposed: zeros go where the sign changes. */
function padded(values: Float64Array, n: number): Float64Array {
  if (values.length >= n) return values.length === n ? values : values.subarray(0, n);
  const out = new Float64Array(n);
  let k = 0;
  while (k < values.length && values[k]! >= 0) k++;
  out.set(values.subarray(0, k), 0);
  out.set(values.subarray(k), n - (values.length - k));
  return out;
}

function fromEigenvalues(
  lambda: Float64Array,
  req: SpectrumRequest,
  base: Pick<SpectrumOutcome, 'method' | 'side' | 'dtype' | 'resolution'>,
): SpectrumOutcome {
  const lambdaMax = Math.max(lambda[0] ?? 0, 0);
  const thresholds = req.eps ? (req.relative ? req.eps.map((e) => e * lambdaMax) : [...req.eps]) : null;
  const counts = thresholds ? thresholds.map((t) => countAbove(lambda, t)) : null;
  const resolved = !thresholds || Math.min(...thresholds) >= base.resolution * lambdaMax;
  return { ...base, counts, thresholds, eigenvalues: lambda, lambdaMax, resolved };
}

function counted(counts: Float64Array, req: SpectrumRequest, base: Pick<SpectrumOutcome, 'side' | 'dtype' | 'resolution'>): SpectrumOutcome {
  return {
    ...base, method: 'inertia', counts: Array.from(counts), thresholds: [...req.eps!],
    eigenvalues: null, lambdaMax: null, resolved: true,
  };
}

function* featureJob(
  src: MatrixSource, f: PreparedFeatures, side: Side | 'svd', float64: boolean,
  thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number,
  { escalateResolution = 0, mayCount = true }: { escalateResolution?: number; mayCount?: boolean } = {},
): Plan<NativeSpectrum> {
  const { data, rows, cols } = src.matrix;
  const w = src.weights ?? null;
  const args = [
    data, rows, cols, w, f.scale, f.center, SIDE_CODE[side], float64, thresholds, inertiaResolution, maxThreads, escalateResolution, mayCount,
  ] as const;
  return (yield step(
    () => callSync(() => binding.spectrum(...args)),
    () => callAsync(() => binding.spectrumAsync(...args)),
  )) as NativeSpectrum;
}

function* gramJob(src: GramSource, thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number): Plan<NativeSpectrum> {
  const args = [src.gram, src.dim, thresholds, inertiaResolution, maxThreads] as const;
  return (yield step(
    () => callSync(() => binding.gramSpectrum(...args)),
    () => callAsync(() => binding.gramSpectrumAsync(...args)),
  )) as NativeSpectrum;
}

function* svdRoute(src: MatrixSource, f: PreparedFeatures, req: SpectrumRequest): Plan<SpectrumOutcome> {
  const r = yield* featureJob(src, f, 'svd', false, null, 0, req.maxThreads ?? 0);
  return fromEigenvalues(padded(r.values!, f.cols), req, { method: 'svd', side: 'svd', dtype: f.dtype, resolution: 0 });
}

function* gramRoute(src: GramSource, f: PreparedFeatures, req: SpectrumRequest): Plan<SpectrumOutcome> {
  const method = req.method === 'svd' ? 'eigen' : req.method;
  const resolution = gramResolution(src.resolvesIn);
  const base = { side: src.side, dtype: src.resolvesIn, resolution };
  const count = mayCountByInertia(method, { eps: req.eps, relative: req.relative ?? false, needEigenvalues: req.needEigenvalues ?? false });
  const maxThreads = req.maxThreads ?? 0;
  if (count) {
    const r = yield* gramJob(src, Float64Array.from(req.eps!), method === 'inertia' ? 0 : resolution, maxThreads);
    if (r.counts) return counted(r.counts, req, base);
    // Unresolved for sure: no finer route without the features; the eigenvalues say how far off.
    if (r.values) return fromEigenvalues(padded(r.values, f.cols), req, { ...base, method: 'eigen' });
  }
  const r = yield* gramJob(src, null, 0, maxThreads);
  return fromEigenvalues(padded(r.values!, f.cols), req, { ...base, method: 'eigen' });
}

/**
 * The spectrum (and counts) of M for prepared features. `copyForAsync`: an
 * async run that may take several native steps copies caller-owned features
 * first, since the caller may mutate its buffer once the call has returned.
 */
export function* spectrumPlan(f: PreparedFeatures, req: SpectrumRequest, copyForAsync = false): Plan<SpectrumOutcome> {
  const method = req.method;
  const relative = req.relative ?? false;
  if (method === 'inertia' && relative) {
    throw invalidArgument("method 'inertia' does not compute λ_max, so it cannot take a relative ε: use 'eigen' or 'auto'");
  }
  if (method === 'inertia' && !req.eps) throw invalidArgument("method 'inertia' needs eps");
  if (f.source.kind === 'gram') {
    if (method === 'svd') throw invalidArgument("method 'svd' needs the features themselves, not a Gram (GramAccumulator)");
    return yield* gramRoute(f.source, f, req);
  }
  let src = f.source;
  if (copyForAsync && method === 'auto' && !src.owned) {
    src = { ...src, matrix: { ...src.matrix, data: src.matrix.data.slice() }, weights: src.weights?.slice(), owned: true };
  }
  if (method === 'svd') return yield* svdRoute(src, f, req);

  const side = sideFor(f.rows, f.cols);
  const maxThreads = req.maxThreads ?? 0;
  const count = mayCountByInertia(method, { eps: req.eps, relative, needEigenvalues: req.needEigenvalues ?? false });
  const minEps = req.eps ? Math.min(...req.eps) : Infinity;
  const ladder = precisionLadder(method, f.dtype).filter((p, i, all) => !(req.startPrecision === 'float64' && p === 'float32' && i < all.length - 1));
  let float64Tried = false;
  for (const [i, precision] of ladder.entries()) {
    const resolution = gramResolution(precision);
    const last = method !== 'auto';
    // A relative ε below the resolution is unresolved whatever λ_max is.
    if (!last && relative && minEps < resolution) continue;
    if (precision === 'float64' && float64Tried) continue; // the float32 job went on in float64 itself
    const float64 = precision === 'float64' && f.dtype === 'float32';
    // Absolute thresholds also go to jobs that must compute eigenvalues: the
    // job then skips an eigendecomposition that could not resolve them, and
    // float32 with a float64 rung next takes that rung itself (one job, not two).
    const checks = !last && req.eps !== undefined && !relative;
    const thresholds = count || checks ? Float64Array.from(req.eps!) : null;
    const escalate = checks && precision === 'float32' && ladder[i + 1] === 'float64' ? gramResolution('float64') : 0;
    const r = yield* featureJob(src, f, side, float64, thresholds, method === 'inertia' ? 0 : resolution, maxThreads, {
      escalateResolution: escalate, mayCount: count,
    });
    // With escalation, a float64 result was judged at float64's resolution: that rung is done.
    if (r.float64 && escalate > 0) float64Tried = true;
    const dtype: DType = r.float64 ? 'float64' : precision;
    const base = { side, dtype, resolution: gramResolution(dtype) };
    if (r.counts) return counted(r.counts, req, base);
    if (r.unresolved) continue;
    const outcome = fromEigenvalues(padded(r.values!, f.cols), req, { ...base, method: 'eigen' });
    if (outcome.resolved || last) return outcome;
  }
  return yield* svdRoute(src, f, req);
}

