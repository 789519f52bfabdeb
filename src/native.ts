/**
 * The only module that loads the addon. node-gyp-build picks build/Release
 * (a local cmake-js build) or prebuilds/<platform>-<arch> (the shipped one).
 * Everything here is a thin typed facade; errors become EffrankError.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fromNativeError } from './core/errors.js';
import type { FloatArray } from './core/matrix.js';

export interface NativeBackendInfo {
  blas: string;
  blasConfig: string;
  blasCore: string;
  blasThreads: number;
  threads: number;
  hardwareThreads: number;
  queuedJobs: number;
  pendingInThisThread: number;
  addonVersion: string;
  napiVersion: number;
}

interface SvdRaw {
  s: FloatArray;
  u?: FloatArray;
  vt?: FloatArray;
}
interface EighRaw {
  values: FloatArray;
  vectors?: FloatArray;
}

/** One spectrum-engine job's answer (see native/linalg.hpp). */
export interface NativeSpectrum {
  /** Eigenvalues, descending, of the matrix the route formed; null when counted or unresolved. */
  values: Float64Array | null;
  /** One count per threshold, when every threshold was resolved and counted by inertia. */
  counts: Float64Array | null;
  /** The smallest threshold lies below the resolution for sure: nothing was computed. */
  unresolved: boolean;
  /** Bounds on λ_max of the formed matrix. */
  lower: number;
  upper: number;
  /** The Gram (or SVD) was computed in float64. */
  float64: boolean;
}

/** One step of native/forward.hpp's dense chain: act(x·kernel + bias), or act((norm(x) − offset)·scale + bias) without a kernel. */
export interface NativeDenseStep {
  kernel: Float32Array | null;
  bias: Float32Array | null;
  offset: Float32Array | null;
  scale: Float32Array | null;
  normalize: boolean;
  epsilon: number;
  inputs: number;
  units: number;
  /** native/forward.hpp's Activation numbering (src/linalg/dense-forward.ts names them). */
  activation: number;
  alpha: number;
  /** Return this step's output. */
  output: boolean;
}

/** The addon's exports (see bindings/addon.cpp). Shapes are validated again natively. */
export interface Binding {
  svd(data: FloatArray, rows: number, cols: number, mode: 0 | 1 | 2): SvdRaw;
  svdAsync(data: FloatArray, rows: number, cols: number, mode: 0 | 1 | 2): Promise<SvdRaw>;
  eigh(data: FloatArray, n: number, vectors: boolean, check: boolean): EighRaw;
  eighAsync(data: FloatArray, n: number, vectors: boolean, check: boolean): Promise<EighRaw>;
  gram(
    data: FloatArray, rows: number, cols: number, side: 0 | 1,
    weights: Float64Array | null, scale: number, widen: boolean,
  ): FloatArray;
  gramAsync(
    data: FloatArray, rows: number, cols: number, side: 0 | 1,
    weights: Float64Array | null, scale: number, widen: boolean,
  ): Promise<FloatArray>;
  countAbove(data: FloatArray, n: number, threshold: number): number;
  countAboveAsync(data: FloatArray, n: number, threshold: number): Promise<number>;
  svdvalsBatched(data: FloatArray, count: number, rows: number, cols: number): FloatArray;
  svdvalsBatchedAsync(data: FloatArray, count: number, rows: number, cols: number): Promise<FloatArray>;
  eigvalshBatched(data: FloatArray, count: number, n: number): FloatArray;
  eigvalshBatchedAsync(data: FloatArray, count: number, n: number): Promise<FloatArray>;
  /** escalateResolution > 0, mayCount: see SpectrumRequest in native/linalg.hpp (float32 → float64 within the job; thresholds that only check resolution). */
  spectrum(
    data: FloatArray, rows: number, cols: number, weights: Float64Array | null, scale: number, center: boolean,
    side: 0 | 1 | 2, float64: boolean, thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number,
    escalateResolution: number, mayCount: boolean,
  ): NativeSpectrum;
  spectrumAsync(
    data: FloatArray, rows: number, cols: number, weights: Float64Array | null, scale: number, center: boolean,
    side: 0 | 1 | 2, float64: boolean, thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number,
    escalateResolution: number, mayCount: boolean,
  ): Promise<NativeSpectrum>;
  gramSpectrum(gram: Float64Array, n: number, thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number): NativeSpectrum;
  gramSpectrumAsync(
    gram: Float64Array, n: number, thresholds: Float64Array | null, inertiaResolution: number, maxThreads: number,
  ): Promise<NativeSpectrum>;
  denseForward(x: Float32Array, rows: number, steps: NativeDenseStep[], maxThreads: number): Float32Array[];
  denseForwardAsync(x: Float32Array, rows: number, steps: NativeDenseStep[], maxThreads: number): Promise<Float32Array[]>;
  setNumThreads(n: number): number;
  getNumThreads(): number;
  setMaxElements(n: number): void;
  getMaxElements(): number;
  backendInfo(): NativeBackendInfo;
}

/** The package root: src/ and dist/ both sit one level below it. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * OpenBLAS starts its worker threads while the addon loads and raises SIGINT
 * if the system refuses one (RLIMIT_NPROC). Unless the user chose a thread
 * count, it is loaded at one thread and the addon starts the others itself,
 * after checking they can be had (native/threads.cpp). The variables are
 * removed again so child processes do not inherit them.
 */
function withLazyBlasThreads<T>(f: () => T): T {
  const chosen = ['OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS'].some((k) => process.env[k] !== undefined);
  if (chosen) return f();
  process.env.OPENBLAS_NUM_THREADS = '1';
  process.env.EFFRANK_BLAS_THREADS_LAZY = '1';
  try {
    return f();
  } finally {
    delete process.env.OPENBLAS_NUM_THREADS;
    delete process.env.EFFRANK_BLAS_THREADS_LAZY;
  }
}

function load(): Binding {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return withLazyBlasThreads(() => nodeGypBuild(packageRoot) as Binding);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `effrank: could not load its native addon (${reason}). ` +
        'Build it with `npm run build:native` (needs: apt-get install -y cmake g++ libopenblas-dev liblapacke-dev), ' +
        'or install a package that ships prebuilds/.',
    );
  }
}

export const binding: Binding = load();

/** Runs a synchronous native call, translating its errors. */
export function callSync<R>(f: () => R): R {
  try {
    return f();
  } catch (e) {
    throw fromNativeError(e);
  }
}

/** Awaits an async native call, translating its rejection. */
export async function callAsync<R>(f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (e) {
    throw fromNativeError(e);
  }
}
