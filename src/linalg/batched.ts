/**
 * Spectra of many small matrices at once, stored back to back in one typed
 * array (row-major each). Parallel across matrices, with one BLAS thread per
 * matrix: on small matrices that beats threading inside each.
 */
import { invalidArgument } from '../core/errors.js';
import { type FloatArray, checkDimension, checkNotDetached, checkElementCount, describe, isFloatArray, lengthOf } from '../core/matrix.js';
import { binding, callAsync, callSync } from '../native.js';

export interface MatrixBatch<T extends FloatArray = FloatArray> {
  data: T;
  count: number;
  rows: number;
  cols: number;
}

export interface SvdvalsBatch<T extends FloatArray = FloatArray> {
  /** count·k values; matrix i's singular values (descending) are data[i·k … i·k + k). */
  data: T;
  count: number;
  k: number;
}

export interface SymmetricBatch<T extends FloatArray = FloatArray> {
  data: T;
  count: number;
  n: number;
}

export interface EigvalshBatch<T extends FloatArray = FloatArray> {
  /** count·n values; matrix i's eigenvalues (ascending) are data[i·n … i·n + n). */
  data: T;
  count: number;
  n: number;
}

function checkBatch(b: unknown, dims: string[]): { data: FloatArray; dims: number[] } {
  if (b === null || typeof b !== 'object') throw invalidArgument(`batch must be an object, got ${describe(b)}`);
  const rec = b as Record<string, unknown>;
  if (!isFloatArray(rec.data)) throw invalidArgument(`batch.data must be a Float32Array or Float64Array, got ${describe(rec.data)}`);
  checkNotDetached(rec.data, 'batch.data');
  const values = dims.map((d) => checkDimension(rec[d], `batch.${d}`));
  const shape = dims.includes('n') ? [values[0]!, values[1]!, values[1]!] : values;
  checkElementCount(lengthOf(rec.data), shape, 'batch');
  return { data: rec.data, dims: values };
}

export function svdvalsBatched<T extends FloatArray>(batch: MatrixBatch<T>): SvdvalsBatch<T> {
  const { data, dims } = checkBatch(batch, ['count', 'rows', 'cols']);
  const [count, rows, cols] = dims as [number, number, number];
  const out = callSync(() => binding.svdvalsBatched(data, count, rows, cols));
  return { data: out as T, count, k: Math.min(rows, cols) };
}

export async function svdvalsBatchedAsync<T extends FloatArray>(batch: MatrixBatch<T>): Promise<SvdvalsBatch<T>> {
  const { data, dims } = checkBatch(batch, ['count', 'rows', 'cols']);
  const [count, rows, cols] = dims as [number, number, number];
  const out = await callAsync(() => binding.svdvalsBatchedAsync(data, count, rows, cols));
  return { data: out as T, count, k: Math.min(rows, cols) };
}

/** Eigenvalues of `count` symmetric n×n matrices (lower triangles read). */
export function eigvalshBatched<T extends FloatArray>(batch: SymmetricBatch<T>): EigvalshBatch<T> {
  const { data, dims } = checkBatch(batch, ['count', 'n']);
  const [count, n] = dims as [number, number];
  const out = callSync(() => binding.eigvalshBatched(data, count, n));
  return { data: out as T, count, n };
}

export async function eigvalshBatchedAsync<T extends FloatArray>(batch: SymmetricBatch<T>): Promise<EigvalshBatch<T>> {
  const { data, dims } = checkBatch(batch, ['count', 'n']);
  const [count, n] = dims as [number, number];
  const out = await callAsync(() => binding.eigvalshBatchedAsync(data, count, n));
  return { data: out as T, count, n };
}
