/**
 * Singular value decomposition, numpy.linalg style.
 *
 * - `s` is descending, with min(m, n) entries.
 * - The columns of `u` are the left singular vectors, the rows of `vt` the
 *   right ones: a = u · diag(s) · vt.
 * - Sign convention (deterministic, unlike LAPACK's): the largest-magnitude
 *   entry of each row of `vt` is positive (the first one on ties), and the
 *   matching column of `u` flips with it. The extra columns of a full `u`
 *   (i ≥ min(m, n)) follow the same rule on their own.
 * - The dtype of the input is kept: float32 in, float32 arithmetic and out.
 * - Small matrices (below the crossover in ./small/route.ts) take a
 *   Golub–Kahan–Reinsch SVD in JavaScript (./small/small-svd.ts), which meets
 *   this same contract and is faster there than any LAPACK call can be; it
 *   hands the matrix to LAPACK in the (unseen) case that it does not converge.
 *   float32 input on that path is computed in float64 and rounded once.
 * - Otherwise ?gesdd (divide and conquer), falling back to ?gesvd when it fails to converge.
 */
import { invalidArgument } from '../core/errors.js';
import { type ArrayOf, type FloatArray, type Matrix, type MatrixInput, describe, toMatrix } from '../core/matrix.js';
import { binding, callAsync, callSync } from '../native.js';
import { readOptions } from '../core/options.js';
import { smallSvd } from './small/small-svd.js';
import { readSmallNested } from './small/input.js';
import { useSmallSvd } from './small/route.js';

export type SvdVectors = 'none' | 'thin' | 'full';

export interface SvdOptions {
  /** 'thin' (default): u is m×k, vt is k×n; 'full': m×m and n×n; 'none': values only. */
  vectors?: SvdVectors;
}

export interface SvdResult<T extends FloatArray = FloatArray> {
  s: T;
  u?: Matrix<T>;
  vt?: Matrix<T>;
}

const MODES = { none: 0, thin: 1, full: 2 } as const;

function modeOf(options: SvdOptions | undefined): 0 | 1 | 2 {
  if (options === undefined) return 1;
  const vectors = readOptions(options, 'svd', ['vectors']).vectors ?? 'thin';
  if (typeof vectors !== 'string' || !Object.hasOwn(MODES, vectors)) {
    throw invalidArgument(`vectors must be 'none', 'thin' or 'full', got ${describe(vectors)}`);
  }
  return MODES[vectors];
}

function shapeResult<T extends FloatArray>(
  raw: { s: FloatArray; u?: FloatArray; vt?: FloatArray },
  rows: number,
  cols: number,
  mode: 0 | 1 | 2,
): SvdResult<T> {
  const k = Math.min(rows, cols);
  const result: SvdResult<T> = { s: raw.s as T };
  if (mode !== 0 && raw.u && raw.vt) {
    result.u = { data: raw.u as T, rows, cols: mode === 2 ? rows : k };
    result.vt = { data: raw.vt as T, rows: mode === 2 ? cols : k, cols };
  }
  return result;
}

export function svd<A extends MatrixInput>(a: A, options?: SvdOptions): SvdResult<ArrayOf<A>> {
  if (options === undefined) return svdOf(a, 1);
  const m = toMatrix(a);
  const mode = modeOf(options);
  return shapeResult(svdRaw(m, mode), m.rows, m.cols, mode);
}

/**
 * The SVD in a given mode, options already read. A small number[][] is read
 * into a reused buffer and goes to the small kernel without a typed copy of
 * its own (see ./small/input.ts).
 */
function svdOf<T extends FloatArray>(a: unknown, mode: 0 | 1 | 2): SvdResult<T> {
  const small = readSmallNested(a);
  if (small !== undefined && useSmallSvd(small.rows, small.cols, mode)) {
    const { data, rows, cols } = small;
    // The LAPACK fallback (non-convergence, never seen) needs an array of exactly rows·cols.
    const r = smallSvd(data, rows, cols, mode) ?? callSync(() => binding.svd(data.slice(0, rows * cols), rows, cols, mode));
    return shapeResult(r, rows, cols, mode);
  }
  const m = toMatrix(a);
  return shapeResult(svdRaw(m, mode), m.rows, m.cols, mode);
}

/** The raw arrays of the SVD of a validated matrix, from whichever path is faster at its size. */
function svdRaw(m: Matrix, mode: 0 | 1 | 2): { s: FloatArray; u?: FloatArray; vt?: FloatArray } {
  if (useSmallSvd(m.rows, m.cols, mode)) {
    const r = smallSvd(m.data, m.rows, m.cols, mode);
    if (r) return r;
  }
  return callSync(() => binding.svd(m.data, m.rows, m.cols, mode));
}

/** Like `svd`, computed off the main thread; the input is copied at the call. */
export async function svdAsync<A extends MatrixInput>(a: A, options?: SvdOptions): Promise<SvdResult<ArrayOf<A>>> {
  const m = toMatrix(a);
  const mode = modeOf(options);
  // Small matrices are done at the call (a microsecond or two: less than a thread hop).
  const small = useSmallSvd(m.rows, m.cols, mode) ? smallSvd(m.data, m.rows, m.cols, mode) : undefined;
  const raw = small ?? (await callAsync(() => binding.svdAsync(m.data, m.rows, m.cols, mode)));
  return shapeResult(raw, m.rows, m.cols, mode);
}

/** The singular values only, descending. */
export function svdvals<A extends MatrixInput>(a: A): ArrayOf<A> {
  return svdOf<ArrayOf<A>>(a, 0).s;
}

export async function svdvalsAsync<A extends MatrixInput>(a: A): Promise<ArrayOf<A>> {
  return (await svdAsync(a, { vectors: 'none' })).s;
}
