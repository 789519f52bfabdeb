/**
 * Symmetric eigendecomposition, numpy.linalg style.
 *
 * - `values` ascending; column i of `vectors` is the eigenvector of values[i].
 * - Only the lower triangle is read (numpy's UPLO='L'); `{ check: true }`
 *   rejects a matrix whose triangles differ beyond rounding instead.
 * - Sign convention: each eigenvector's largest-magnitude entry is positive.
 * - NaN or ±Inf anywhere in the input is rejected (ERR_NON_FINITE).
 * - Small matrices (below the crossover in ./small/route.ts) take a cyclic
 *   Jacobi eigensolver in JavaScript with this same contract (float32
 *   computed in float64 and rounded once); LAPACK takes over if it does not converge.
 * - Otherwise ?syevd, falling back to ?syev when it fails to converge.
 */
import { invalidShape } from '../core/errors.js';
import { type ArrayOf, type FloatArray, type Matrix, type MatrixInput, toMatrix } from '../core/matrix.js';
import { binding, callAsync, callSync } from '../native.js';
import { readOptions } from '../core/options.js';
import { jacobiEigh } from './small/jacobi-eigh.js';
import { readSmallNested } from './small/input.js';
import { useSmallEigh } from './small/route.js';

export interface EighOptions {
  /** Compute eigenvectors too (default true for eigh). */
  vectors?: boolean;
  /** Reject non-symmetric input instead of reading the lower triangle. */
  check?: boolean;
}

export interface EighResult<T extends FloatArray = FloatArray> {
  values: T;
  vectors?: Matrix<T>;
}

function square(a: unknown): Matrix {
  const m = toMatrix(a);
  if (m.rows !== m.cols) throw invalidShape(`a square matrix is needed, got ${m.rows}×${m.cols}`);
  return m;
}

function shapeResult<T extends FloatArray>(raw: { values: FloatArray; vectors?: FloatArray }, n: number): EighResult<T> {
  const out: EighResult<T> = { values: raw.values as T };
  if (raw.vectors) out.vectors = { data: raw.vectors as T, rows: n, cols: n };
  return out;
}

export function eigh<A extends MatrixInput>(a: A, opts?: EighOptions): EighResult<ArrayOf<A>> {
  if (opts === undefined) return eighOf(a, true, false);
  const options = readOptions(opts, 'eigh', ['vectors', 'check']);
  const m = square(a);
  const vectors = options.vectors ?? true;
  const check = options.check ?? false;
  const small = useSmallEigh(m.rows, Boolean(vectors)) ? jacobiEigh(m.data, m.rows, Boolean(vectors), Boolean(check)) : undefined;
  const raw = small ?? callSync(() => binding.eigh(m.data, m.rows, vectors, check));
  return shapeResult(raw, m.rows);
}

/** eigh with its options read; a small square number[][] is read into a reused buffer (./small/input.ts). */
function eighOf<T extends FloatArray>(a: unknown, vectors: boolean, check: boolean): EighResult<T> {
  const small = readSmallNested(a);
  if (small !== undefined && small.rows === small.cols && useSmallEigh(small.rows, vectors)) {
    const n = small.rows;
    const raw = jacobiEigh(small.data, n, vectors, check) ?? callSync(() => binding.eigh(small.data.slice(0, n * n), n, vectors, check));
    return shapeResult(raw, n);
  }
  const m = square(a);
  const raw = (useSmallEigh(m.rows, vectors) ? jacobiEigh(m.data, m.rows, vectors, check) : undefined) ?? callSync(() => binding.eigh(m.data, m.rows, vectors, check));
  return shapeResult(raw, m.rows);
}

export async function eighAsync<A extends MatrixInput>(a: A, opts?: EighOptions): Promise<EighResult<ArrayOf<A>>> {
  const options = readOptions(opts, 'eighAsync', ['vectors', 'check']);
  const m = square(a);
  const vectors = options.vectors ?? true;
  const check = options.check ?? false;
  // Small matrices are done at the call (less than a thread hop).
  const small = useSmallEigh(m.rows, Boolean(vectors)) ? jacobiEigh(m.data, m.rows, Boolean(vectors), Boolean(check)) : undefined;
  const raw = small ?? (await callAsync(() => binding.eighAsync(m.data, m.rows, vectors, check)));
  return shapeResult(raw, m.rows);
}

/** Eigenvalues only, ascending. */
export function eigvalsh<A extends MatrixInput>(a: A, opts?: { check?: boolean }): ArrayOf<A> {
  return eighOf<ArrayOf<A>>(a, false, Boolean(readOptions(opts, 'eigvalsh', ['check']).check)).values;
}

export async function eigvalshAsync<A extends MatrixInput>(a: A, opts?: { check?: boolean }): Promise<ArrayOf<A>> {
  return (await eighAsync(a, { vectors: false, check: readOptions(opts, 'eigvalshAsync', ['check']).check })).values;
}

export { square as toSquareMatrix };
