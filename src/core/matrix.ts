import { freemem } from 'node:os';

import { EffrankError, invalidArgument, invalidShape } from './errors.js';

export type FloatArray = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix<T extends FloatArray = FloatArray> {
  data: T;
  rows: number;
  cols: number;
}

/** What every entry point accepts: a typed row-major matrix (dtype kept) or nested arrays (float64). */
export type MatrixInput<T extends FloatArray = FloatArray> = Matrix<T> | ReadonlyArray<ArrayLike<number>>;

/** The output dtype of an input: nested arrays are float64. */
export type ArrayOf<M> = M extends Matrix<infer T> ? T : Float64Array;

/** LAPACK indexes with 32-bit integers, so no matrix may hold more elements than this. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

export function isFloatArray(x: unknown): x is FloatArray {
  // ArrayBuffer.isView rules out objects that only pose as typed arrays
  // (Object.create(Float64Array.prototype), a Proxy): their getters would throw a TypeError.
  // It goes first: `instanceof` on a revoked Proxy throws.
  return ArrayBuffer.isView(x) && (x instanceof Float32Array || x instanceof Float64Array);
}

const intrinsicLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype) as object, 'length')!.get!;

/**
 * The number of elements a typed array really holds. A subclass may override
 * `length`; believing it would make the JS side loop over (or allocate) a
 * size that is not there, e.g. 2³¹ for a 4-element array.
 */
export function lengthOf(a: FloatArray): number {
  return intrinsicLength.call(a) as number;
}

/**
 * A typed array whose buffer was transferred away reads as length 0. Node 20
 * has no ArrayBuffer.prototype.detached, but constructing a view on a
 * detached buffer throws, which tells the two apart.
 */
export function isDetached(view: ArrayBufferView): boolean {
  if (view.byteLength !== 0 || view.buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(view.buffer);
    return false;
  } catch {
    return true;
  }
}

/** Rejects detached typed arrays with a clear message instead of a length mismatch. */
export function checkNotDetached(view: ArrayBufferView, what: string): void {
  if (isDetached(view)) throw invalidArgument(`${what} is backed by a detached ArrayBuffer`);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}

export function checkDimension(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidShape(`${what} must be a positive integer, got ${describe(value)}`);
  }
  if (value > MAX_ELEMENTS) {
    throw invalidShape(`${what} = ${value} exceeds the LAPACK limit of ${MAX_ELEMENTS}`);
  }
  return value;
}

/** Checks that `count` blocks of rows×cols fit in `length` elements and in LAPACK's 32-bit index range. */
export function checkElementCount(length: number, dims: number[], what: string): void {
  let total = 1;
  for (const d of dims) total *= d;
  const perMatrix = dims.length > 2 ? total / dims[0]! : total;
  if (!Number.isSafeInteger(total) || perMatrix > MAX_ELEMENTS) {
    throw invalidShape(`${what}: ${dims.join('×')} overflows the addressable size`);
  }
  if (total !== length) {
    throw invalidShape(`${what}: data has ${length} elements but ${dims.join('×')} = ${total}`);
  }
}

/**
 * Normalises any accepted input form to a row-major typed matrix, without
 * copying typed data. Reading the input may run user code (getters,
 * proxies); whatever that throws becomes ERR_INVALID_ARGUMENT.
 */
export function toMatrix(a: unknown, name = 'a'): Matrix {
  try {
    return toMatrixUnguarded(a, name);
  } catch (e) {
    if (e instanceof EffrankError) throw e;
    throw new EffrankError('ERR_INVALID_ARGUMENT', `${name} could not be read: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

function toMatrixUnguarded(a: unknown, name: string): Matrix {
  if (Array.isArray(a)) return fromNested(a, name);
  if (a === null || typeof a !== 'object') {
    throw invalidArgument(`${name} must be { data, rows, cols } or number[][], got ${describe(a)}`);
  }
  const { data, rows, cols } = a as Partial<Matrix>;
  if (!isFloatArray(data)) {
    throw invalidArgument(`${name}.data must be a Float32Array or Float64Array, got ${describe(data)}`);
  }
  checkNotDetached(data, `${name}.data`);
  checkDimension(rows, `${name}.rows`);
  checkDimension(cols, `${name}.cols`);
  checkElementCount(lengthOf(data), [rows!, cols!], name);
  return { data, rows: rows!, cols: cols! };
}

function fromNested(a: unknown[], name: string): Matrix<Float64Array> {
  const rows = a.length;
  if (rows === 0) throw invalidShape(`${name} is empty`);
  // First pass: every row read once and its shape checked, so a sparse or
  // ragged array fails before anything rows×cols large is allocated.
  const list: ArrayLike<unknown>[] = [];
  let cols = 0;
  for (let i = 0; i < rows; i++) {
    const row = a[i];
    if (!isRowLike(row)) throw invalidArgument(`${name}[${i}] must be an array of numbers`);
    const length = row.length;
    if (i === 0) {
      cols = length;
      if (cols === 0) throw invalidShape(`${name} has empty rows`);
      checkElementCount(rows * cols, [rows, cols], name);
    } else if (length !== cols) {
      throw invalidShape(`${name} is ragged: row ${i} has ${length} entries, row 0 has ${cols}`);
    }
    list.push(row);
  }
  const data = allocateFloat64(rows * cols, name);
  for (let i = 0; i < rows; i++) {
    const row = list[i]!;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw invalidArgument(`${name}[${i}][${j}] is not a number: ${describe(v)}`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

/** Requests at least this large are checked against the memory the system reports available. */
const CHECKED_ALLOCATION_BYTES = 64 * 2 ** 20;

/**
 * Refuses, with ERR_OUT_OF_MEMORY and before allocating, a buffer of `bytes`
 * that exceeds the memory the system reports available (MemAvailable).
 */
export function checkAllocation(bytes: number, what: string): void {
  if (bytes < CHECKED_ALLOCATION_BYTES) return;
  const available = freemem();
  if (bytes > available) {
    throw new EffrankError('ERR_OUT_OF_MEMORY', `${what} needs ${(bytes / 2 ** 20).toFixed(0)} MiB but only ${(available / 2 ** 20).toFixed(0)} MiB is available`);
  }
}

/** A zeroed Float64Array of n elements; ERR_OUT_OF_MEMORY (never a raw RangeError) when it cannot be had. */
export function allocateFloat64(n: number, what: string): Float64Array {
  return allocateArray(Float64Array, n, what);
}

/**
 * A zeroed typed array of n elements, checked against available memory
 * first; a RangeError from the allocation itself (a memory cap such as
 * RLIMIT_AS, or V8's ArrayBuffer limit) becomes ERR_OUT_OF_MEMORY.
 */
export function allocateArray<T>(kind: { new (n: number): T; BYTES_PER_ELEMENT: number }, n: number, what: string): T {
  checkAllocation(n * kind.BYTES_PER_ELEMENT, what);
  try {
    return new kind(n);
  } catch (e) {
    if (e instanceof RangeError) throw new EffrankError('ERR_OUT_OF_MEMORY', `${what}: cannot allocate ${n * kind.BYTES_PER_ELEMENT} bytes (${e.message})`, { cause: e });
    throw e;
  }
}

function isRowLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || isFloatArray(x);
}

export function describe(x: unknown): string {
  try {
    if (x === null) return 'null';
    if (Array.isArray(x)) return `an array of length ${x.length}`;
    if (ArrayBuffer.isView(x)) return x.constructor.name;
    if (typeof x === 'object') return x.constructor?.name ?? 'an object';
    if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
    return String(x);
  } catch {
    return 'an unreadable value (a revoked Proxy or a throwing getter)'; // describing must never throw
  }
}

/** Nested arrays from a row-major matrix (for adapters and debugging). */
export function toNested(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}
