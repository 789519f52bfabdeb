/**
 * Threads, limits and the facts a bug report needs.
 *
 * All computation runs under one process-wide lock, because OpenBLAS's thread
 * count is global: a single large matrix uses `getNumThreads()` BLAS threads,
 * a batch uses that many workers with one BLAS thread each. Async calls queue
 * on one dedicated native thread (not libuv's pool), so fs/dns stay free.
 */
import { checkNonNegativeInteger, checkPositiveInteger, readOptions } from '../core/options.js';
import { type NativeBackendInfo, binding, callSync, packageRoot } from '../native.js';
import { noteMaxElements } from './small/route.js';

/** The BLAS, threads and versions in use (see NativeBackendInfo), and where the addon was loaded from. */
export interface BackendInfo extends Omit<NativeBackendInfo, 'pendingInThisThread'> {
  addonPath: string;
}

/** Sets the threads per job (clamped to [1, hardware threads]); returns the value applied. */
export function setNumThreads(n: number): number {
  return callSync(() => binding.setNumThreads(checkPositiveInteger(n, 'setNumThreads: threads')));
}

export function getNumThreads(): number {
  return binding.getNumThreads();
}

export interface Limits {
  /** Largest workspace, in 8-byte elements, one call may allocate; 0 = only available memory limits it. */
  maxElements: number;
}

/**
 * Caps the workspace of every call. A call that would need more fails with
 * ERR_OUT_OF_MEMORY before allocating; without a cap, the check is against
 * the memory the system reports available.
 */
export function setLimits(opts: Partial<Limits>): void {
  const limits = readOptions(opts, 'setLimits', ['maxElements']);
  if (limits.maxElements !== undefined) {
    const cap = checkNonNegativeInteger(limits.maxElements, 'setLimits: maxElements');
    callSync(() => binding.setMaxElements(cap));
    noteMaxElements(cap);
  }
}

export function getLimits(): Limits {
  const maxElements = binding.getMaxElements();
  noteMaxElements(maxElements);
  return { maxElements };
}

/** Jobs queued or running on effrank's job thread, across the process. */
export function queuedJobs(): number {
  return binding.backendInfo().queuedJobs;
}

export function backendInfo(): BackendInfo {
  const raw = binding.backendInfo();
  return {
    blas: raw.blas,
    blasConfig: raw.blasConfig,
    blasCore: raw.blasCore,
    blasThreads: raw.blasThreads,
    threads: raw.threads,
    hardwareThreads: raw.hardwareThreads,
    queuedJobs: raw.queuedJobs,
    addonVersion: raw.addonVersion,
    napiVersion: raw.napiVersion,
    addonPath: packageRoot,
  };
}
