/**
 * ml-matrix's SVD, computed by effrank (re-exported by ./ml-matrix.ts, the
 * entry `effrank/compat/ml-matrix`, together with the rest of ml-matrix's API).
 *
 * Same constructor, getters and methods as ml-matrix 6.x, computed by
 * effrank's LAPACK SVD. Differences (see docs/compat.md):
 * - Matrices come back as ml-matrix `Matrix` objects when ml-matrix can be
 *   loaded (it is an optional peer dependency, loaded lazily): built with the
 *   input's own Matrix class when the input is an ml-matrix matrix, else with
 *   `require('ml-matrix')` (ml-matrix's ESM entry re-exports that same build,
 *   so `instanceof Matrix` holds), or with the class given to `setMatrixClass`.
 *   Without ml-matrix they are `DenseMatrix` objects (get/set/to2DArray/
 *   to1DArray/transpose/mmul/clone).
 * - Wide input (m < n) gives the correct thin SVD whether or not
 *   `autoTranspose` is set (U m×m, m values, V n×m) and never warns; ml-matrix
 *   without autoTranspose warns and returns min(m + 1, n) values and an n×n V.
 * - Singular values ≤ `threshold` (ε/2·max(m, n)·s₀, the ones `solve` and
 *   `inverse` drop anyway) are stored as exactly 0, so `condition` is Infinity
 *   for every numerically singular matrix; ml-matrix gets an exact 0 only
 *   sometimes (4·10¹⁶ for the Golub–Reinsch 8×5 matrix of rank 3).
 * - Empty input throws an EffrankError (code ERR_INVALID_SHAPE) with
 *   ml-matrix's message 'Matrix must be non-empty'; non-finite input throws
 *   EffrankError ERR_NON_FINITE.
 * - Signs: for each pair of singular vectors, the largest-magnitude entry of
 *   uᵢ and vᵢ together is positive, which keeps ml-matrix's transpose
 *   symmetry (SVD(Aᵀ).U equals SVD(A).V); see mirrorSigns.
 */
import { createRequire } from 'node:module';

import { EffrankError, invalidArgument, invalidShape } from '../core/errors.js';
import { MAX_ELEMENTS, checkDimension, describe } from '../core/matrix.js';
import { UNROLLED, U_AT, VT_AT } from '../linalg/small/unrolled-svd.js';
import { privateArray } from '../linalg/small/results.js';
import { maxElementsCap } from '../linalg/small/route.js';
import { type Dense, denseSvd, ensureAllocatable, inputArray, keep, toDense } from './shared.js';
import { unrolledSquare } from './small-square.js';

/** What the adapters read: an ml-matrix matrix (any AbstractMatrix) or anything with rows, columns and get. */
export interface MatrixSource {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** The matrices the adapter returns: ml-matrix `Matrix` objects, or `DenseMatrix` without ml-matrix. */
export interface CompatMatrix extends MatrixSource {
  set(row: number, column: number, value: number): this;
  to1DArray(): number[];
  to2DArray(): number[][];
  transpose(): CompatMatrix;
  mmul(other: CompatMatrix | ArrayLike<ArrayLike<number>>): CompatMatrix;
}

/** A class that builds result matrices: ml-matrix's `Matrix`, `DenseMatrix`, or your own. */
export interface MatrixClass {
  from1DArray(rows: number, columns: number, data: ArrayLike<number>): CompatMatrix;
}

/** Anything the constructor, `solve` and `pseudoInverse` accept. */
export type MatrixValue =
  | MatrixSource
  | ReadonlyArray<ArrayLike<number>>
  | { data: Float32Array | Float64Array; rows: number; cols: number };

export interface SvdOptions {
  /** Default true; when false, `leftSingularVectors` is a zero matrix. */
  computeLeftSingularVectors?: boolean;
  /** Default true; when false, `rightSingularVectors` is a zero matrix. */
  computeRightSingularVectors?: boolean;
  /** Accepted for compatibility; wide matrices are always handled as with autoTranspose. */
  autoTranspose?: boolean;
}

/** The minimal row-major float64 matrix returned when ml-matrix is not installed. */
export class DenseMatrix implements CompatMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly #values: Float64Array;

  constructor(rows: number, columns: number, values?: ArrayLike<number>) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(columns) || columns < 0) {
      throw invalidShape(`DenseMatrix dimensions must be non-negative integers, got ${describe(rows)}×${describe(columns)}`);
    }
    if (rows > MAX_ELEMENTS || columns > MAX_ELEMENTS || rows * columns > MAX_ELEMENTS) {
      throw invalidShape(`DenseMatrix ${rows}×${columns} exceeds ${MAX_ELEMENTS} elements`);
    }
    this.rows = rows;
    this.columns = columns;
    try {
      this.#values = new Float64Array(rows * columns);
    } catch (e) {
      throw new EffrankError('ERR_OUT_OF_MEMORY', `DenseMatrix ${rows}×${columns}: ${(e as Error).message}`);
    }
    if (values !== undefined && values !== null) {
      if (typeof values !== 'object' || typeof values.length !== 'number') throw invalidArgument(`DenseMatrix values must be an array of numbers, got ${describe(values)}`);
      if (values.length !== rows * columns) {
        throw invalidShape(`data has ${values.length} elements but ${rows}×${columns} = ${rows * columns}`);
      }
      try {
        this.#values.set(values);
      } catch {
        throw invalidArgument('DenseMatrix values must be numbers'); // e.g. BigInts
      }
    }
  }

  static from1DArray(rows: number, columns: number, data: ArrayLike<number>): DenseMatrix {
    return new DenseMatrix(rows, columns, data);
  }

  static from2DArray(data: ReadonlyArray<ArrayLike<number>>): DenseMatrix {
    if (Array.isArray(data) && data.length === 0) return new DenseMatrix(0, 0);
    const d = toDense(data, 'data');
    return new DenseMatrix(d.rows, d.cols, d.data.subarray(0, d.rows * d.cols));
  }

  get size(): number {
    return this.rows * this.columns;
  }

  isEmpty(): boolean {
    return this.rows === 0 || this.columns === 0;
  }

  isSquare(): boolean {
    return this.rows === this.columns;
  }

  get(row: number, column: number): number {
    return this.#values[row * this.columns + column]!;
  }

  set(row: number, column: number, value: number): this {
    this.#values[row * this.columns + column] = value;
    return this;
  }

  to1DArray(): number[] {
    return Array.from(this.#values);
  }

  to2DArray(): number[][] {
    const out: number[][] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      out[i] = Array.from(this.#values.subarray(i * this.columns, (i + 1) * this.columns));
    }
    return out;
  }

  toJSON(): number[][] {
    return this.to2DArray();
  }

  clone(): DenseMatrix {
    return new DenseMatrix(this.rows, this.columns, this.#values);
  }

  transpose(): DenseMatrix {
    const out = new DenseMatrix(this.columns, this.rows);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.columns; j++) out.#values[j * this.rows + i] = this.#values[i * this.columns + j]!;
    }
    return out;
  }

  mmul(other: MatrixValue | ArrayLike<ArrayLike<number>>): DenseMatrix {
    const b = readOperand(other, 'other');
    if (b.rows !== this.columns) {
      throw invalidShape(`cannot multiply ${this.rows}×${this.columns} by ${b.rows}×${b.cols}`);
    }
    const out = multiply(this.#values, this.rows, this.columns, b.data, b.cols);
    return new DenseMatrix(this.rows, b.cols, out);
  }
}

// ---------------------------------------------------------------------------
// Which class builds the results.

let chosenClass: MatrixClass | undefined;
let requiredClass: MatrixClass | null | undefined;

/**
 * Chooses the class of the returned matrices: a Matrix class (e.g. the
 * `Matrix` your code imported, when a bundler gives it a copy of ml-matrix of
 * its own), `'plain'` for `DenseMatrix` even when ml-matrix is installed, or
 * `'auto'` (the default: the input's class, else require('ml-matrix'), else DenseMatrix).
 */
export function setMatrixClass(cls: MatrixClass | 'plain' | 'auto'): void {
  if (cls === 'auto') chosenClass = undefined;
  else if (cls === 'plain') chosenClass = DenseMatrix;
  else if (cls !== null && (typeof cls === 'function' || typeof cls === 'object') && typeof cls.from1DArray === 'function') {
    chosenClass = cls;
  } else {
    throw invalidArgument(`setMatrixClass needs a class with a static from1DArray, 'plain' or 'auto', got ${describe(cls)}`);
  }
}

/** ml-matrix's Matrix via require (its CommonJS build), or null when it is not installed. */
function requiredMlMatrix(): MatrixClass | null {
  if (requiredClass === undefined) {
    try {
      const mod = createRequire(import.meta.url)('ml-matrix') as { Matrix?: MatrixClass };
      requiredClass = typeof mod.Matrix?.from1DArray === 'function' ? mod.Matrix : null;
    } catch {
      requiredClass = null;
    }
  }
  return requiredClass;
}

/** The class for results: setMatrixClass's, else the input's own ml-matrix class, else require('ml-matrix'), else DenseMatrix. */
export function resultClass(input: unknown): MatrixClass {
  if (chosenClass) return chosenClass;
  if (isMatrixSource(input)) {
    const ctor = (input as { constructor?: unknown }).constructor as Partial<MatrixClass> | undefined;
    if (ctor && typeof ctor.from1DArray === 'function') return ctor as MatrixClass;
  }
  return requiredMlMatrix() ?? DenseMatrix;
}

// ---------------------------------------------------------------------------
// Reading inputs.

function isMatrixSource(x: unknown): x is MatrixSource {
  if (x === null || typeof x !== 'object') return false;
  const o = x as Partial<MatrixSource>;
  return typeof o.rows === 'number' && typeof o.columns === 'number' && typeof o.get === 'function';
}

/** rows×cols of an input, 0 in a dimension when it is empty (ml-matrix's notion of empty). */
function shapeOf(value: unknown): [number, number] | undefined {
  if (isMatrixSource(value)) {
    const { rows, columns } = value;
    const valid = (d: number) => Number.isInteger(d) && d >= 0 && d <= MAX_ELEMENTS;
    return valid(rows) && valid(columns) ? [rows, columns] : undefined;
  }
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (value.length === 0) return [0, 0];
    if (Array.isArray(first) || ArrayBuffer.isView(first)) return [value.length, (first as ArrayLike<number>).length];
  }
  return undefined;
}

export function isEmptyInput(value: unknown): boolean {
  const shape = shapeOf(value);
  return shape !== undefined && (shape[0] === 0 || shape[1] === 0);
}

/**
 * Any accepted matrix as float64 row-major. Empty input is not accepted here.
 * An ml-matrix `Matrix` is read straight from its rows (Float64Arrays) with
 * one block copy each; other matrix-likes through to1DArray() or get(i, j),
 * each entry checked to be a number. The size is checked, against LAPACK's
 * limits and the memory available, before anything is allocated (the
 * source's own to1DArray() included).
 */
export function readMatrix(value: unknown, name: string): Dense {
  if (!isMatrixSource(value)) return toDense(value, name);
  const { rows, columns } = value;
  checkDimension(rows, `${name}.rows`);
  checkDimension(columns, `${name}.columns`);
  const size = rows * columns;
  if (size > MAX_ELEMENTS) throw invalidShape(`${name} is ${rows}×${columns}, more than ${MAX_ELEMENTS} elements`);
  ensureAllocatable(size, `${name} (${rows}×${columns})`);
  // Small inputs go to the reused buffer (the caller decomposes them at once).
  const data = size <= 512 ? inputArray(size) : allocate(size, name);
  if (readRows(value, rows, columns, data)) return { data, rows, cols: columns };
  const flat = (value as { to1DArray?: unknown }).to1DArray;
  if (typeof flat === 'function') {
    const values = flat.call(value) as ArrayLike<unknown>;
    if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw invalidArgument(`${name}.to1DArray() returned ${describe(values)}`);
    if (values.length !== size) throw invalidShape(`${name}.to1DArray() has ${values.length} entries, expected ${rows}×${columns} = ${size}`);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number') throw invalidArgument(`${name}.to1DArray()[${i}] is not a number: ${describe(v)}`);
      data[i] = v;
    }
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < columns; j++) {
        const v: unknown = value.get(i, j);
        if (typeof v !== 'number') throw invalidArgument(`${name}.get(${i}, ${j}) is not a number: ${describe(v)}`);
        data[i * columns + j] = v;
      }
    }
  }
  return { data, rows, cols: columns };
}

const smallSquare: Dense = { data: inputArray(9), rows: 0, cols: 0 };

/**
 * A 2×2 or 3×3 ml-matrix `Matrix` (rows, columns, get, and `data` as one
 * Float64Array per row) read into the reused input buffer, else undefined
 * (then readMatrix reads it, with all its checks). At these sizes readMatrix's
 * general checks cost a tenth of the whole decomposition. Valid until the next read.
 */
function readSmallSquare(value: unknown): Dense | undefined {
  // Under a setLimits cap, readMatrix's allocation check applies.
  if (value === null || typeof value !== 'object' || maxElementsCap() !== 0) return undefined;
  const { rows, columns, data } = value as { rows?: unknown; columns?: unknown; data?: unknown };
  if ((rows !== 2 && rows !== 3) || columns !== rows || typeof (value as { get?: unknown }).get !== 'function') return undefined;
  if (!Array.isArray(data) || data.length !== rows) return undefined;
  const out = smallSquare.data;
  for (let i = 0; i < rows; i++) {
    const row: unknown = data[i];
    if (!(row instanceof Float64Array) || row.length !== rows) return undefined;
    for (let j = 0; j < rows; j++) out[i * rows + j] = row[j]!;
  }
  smallSquare.rows = rows;
  smallSquare.cols = rows;
  return smallSquare;
}

function allocate(size: number, what: string): Float64Array {
  try {
    return new Float64Array(size);
  } catch (e) {
    throw new EffrankError('ERR_OUT_OF_MEMORY', `${what}: ${(e as Error).message}`);
  }
}

/**
 * ml-matrix's `Matrix` keeps its entries as `data`, one Float64Array per
 * row: copied row by row when the value has exactly that layout (a
 * Float64Array holds only numbers, so no per-entry check is needed).
 */
function readRows(value: MatrixSource, rows: number, columns: number, out: Float64Array): boolean {
  const rowData = (value as { data?: unknown }).data;
  if (!Array.isArray(rowData) || rowData.length !== rows) return false;
  for (let i = 0; i < rows; i++) {
    const row: unknown = rowData[i];
    if (!(row instanceof Float64Array) || row.length !== columns) return false;
  }
  // A plain loop for short rows: TypedArray.prototype.set has a fixed cost of its own.
  if (columns <= 32) {
    for (let i = 0; i < rows; i++) {
      const row = rowData[i] as Float64Array;
      for (let j = 0, o = i * columns; j < columns; j++) out[o + j] = row[j]!;
    }
  } else {
    for (let i = 0; i < rows; i++) out.set(rowData[i] as Float64Array, i * columns);
  }
  return true;
}

/**
 * A rows×columns result matrix of `cls` holding the row-major `data` (its
 * first rows·columns entries). ml-matrix's own `Matrix` (recognised by the
 * row layout its (rows, columns) constructor makes) is filled row by row with
 * block copies; any other class goes through its from1DArray.
 */
export function buildMatrix(cls: MatrixClass, rows: number, columns: number, data: Float64Array | number[]): CompatMatrix {
  const size = rows * columns;
  const layout = rowLayoutOf(cls);
  if (layout === RowLayout.Adopts && columns > IN_HEAP_ROW) {
    // Rows of more than 64 bytes: a fresh Float64Array each would live off V8's heap (about 1 µs
    // apiece, 20 µs for the U and V of a 10×10). The rows are views into one buffer of this
    // matrix's own instead: one allocation, and nothing shared with any other result.
    const out = new (cls as unknown as new (r: number, c: number) => CompatMatrix & { data: Float64Array[]; rows: number })(0, columns);
    const block = new Float64Array(rows * columns);
    const rowData: Float64Array[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const o = i * columns;
      const row = block.subarray(o, o + columns);
      for (let j = 0; j < columns; j++) row[j] = data[o + j]!;
      rowData[i] = row;
    }
    out.data = rowData;
    out.rows = rows;
    return out;
  }
  if (layout !== RowLayout.None) {
    const out = new (cls as unknown as new (r: number, c: number) => CompatMatrix & { data: Float64Array[] })(rows, columns);
    if (data instanceof Float64Array && columns > 32) {
      for (let i = 0; i < rows; i++) out.data[i]!.set(data.subarray(i * columns, (i + 1) * columns));
    } else {
      for (let i = 0; i < rows; i++) {
        const row = out.data[i]!;
        for (let j = 0; j < columns; j++) row[j] = data[i * columns + j]!;
      }
    }
    return out;
  }
  if (data.length === size) return cls.from1DArray(rows, columns, data);
  return cls.from1DArray(rows, columns, data instanceof Float64Array ? data.subarray(0, size) : data.slice(0, size));
}

/** Float64Array rows up to this many entries (64 bytes) live on V8's heap, cheap to allocate. */
const IN_HEAP_ROW = 8;

/**
 * How a result class stores its entries: not as rows (use from1DArray); as
 * ml-matrix's `Matrix` does, one Float64Array per row in `data`; and, in
 * addition, a (0, columns) instance takes rows assigned to `data` and `rows`
 * afterwards (ml-matrix's plain fields), so that they can be slab-backed.
 */
const enum RowLayout {
  None,
  Rows,
  Adopts,
}

const rowLayouts = new WeakMap<object, RowLayout>();

// The last class asked about: a WeakMap lookup costs about as much as a 2×2 SVD's result matrix.
let lastClass: MatrixClass | undefined;
let lastLayout = RowLayout.None;

function rowLayoutOf(cls: MatrixClass): RowLayout {
  if (cls === lastClass) return lastLayout;
  let known = rowLayouts.get(cls);
  if (known === undefined) {
    known = probeRowLayout(cls);
    rowLayouts.set(cls, known);
  }
  lastClass = cls;
  lastLayout = known;
  return known;
}

function probeRowLayout(cls: MatrixClass): RowLayout {
  type Probe = { data?: unknown; rows?: unknown; columns?: unknown; get?: unknown; to1DArray?: unknown };
  try {
    if (typeof cls !== 'function' || typeof (cls as { isMatrix?: unknown }).isMatrix !== 'function') return RowLayout.None;
    const Ctor = cls as unknown as new (r: number, c: number) => Probe;
    const probe = new Ctor(2, 3);
    const d = probe.data;
    if (!(Array.isArray(d) && d.length === 2 && d.every((r) => r instanceof Float64Array && r.length === 3))) return RowLayout.None;
    // The layout must be what get() reads.
    (d as Float64Array[])[1]![2] = 7;
    if (typeof probe.get !== 'function' || (probe.get as (i: number, j: number) => unknown).call(probe, 1, 2) !== 7) return RowLayout.None;
    return adoptsRows(Ctor) ? RowLayout.Adopts : RowLayout.Rows;
  } catch {
    return RowLayout.None;
  }
}

/** Whether a (0, columns) instance takes rows assigned to `data` and `rows` afterwards; a class that refuses is still Rows. */
function adoptsRows(Ctor: new (r: number, c: number) => { data?: unknown; rows?: unknown; columns?: unknown; get?: unknown; to1DArray?: unknown }): boolean {
  try {
    const adopted = new Ctor(0, 3);
    adopted.data = [new Float64Array(3), Float64Array.of(1, 2, 9)];
    adopted.rows = 2;
    const flat = typeof adopted.to1DArray === 'function' ? (adopted.to1DArray as () => unknown).call(adopted) : undefined;
    return (
      adopted.rows === 2 &&
      adopted.columns === 3 &&
      (adopted.get as (i: number, j: number) => unknown).call(adopted, 1, 2) === 9 &&
      Array.isArray(flat) &&
      flat.length === 6 &&
      flat[5] === 9
    );
  } catch {
    return false;
  }
}

/** The right-hand side of solve/mmul: a matrix, or a plain number[] taken as a column vector. */
export function readOperand(value: unknown, name: string): Dense {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'number') {
    const data = Float64Array.from(value as unknown[], (v, i) => {
      if (typeof v !== 'number') throw invalidArgument(`${name}[${i}] is not a number: ${describe(v)}`);
      return v;
    });
    return toDense({ data, rows: value.length, cols: 1 }, name);
  }
  return readMatrix(value, name);
}

export function emptyMatrixError(): EffrankError {
  return new EffrankError('ERR_INVALID_SHAPE', 'Matrix must be non-empty');
}

// ---------------------------------------------------------------------------
// Dense kernels.

/** (r×inner) · (inner×c), row-major. */
export function multiply(a: Float64Array, r: number, inner: number, b: Float64Array, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < inner; l++) {
      const ail = a[i * inner + l]!;
      if (ail === 0) continue;
      const bo = l * c;
      const oo = i * c;
      for (let j = 0; j < c; j++) out[oo + j]! += ail * b[bo + j]!;
    }
  }
  return out;
}

/** V · diag(inv) · Uᵀ, n×m, for U m×k and V n×k row-major. */
function pinvFromFactors(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  inv: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const scaled = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let l = 0; l < k; l++) scaled[i * k + l] = v[i * k + l]! * inv[l]!;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += scaled[i * k + l]! * u[j * k + l]!;
      out[i * m + j] = sum;
    }
  }
  return out;
}

function transposeData(d: Dense): Float64Array | number[] {
  const size = d.rows * d.cols;
  // From the private slabs above 64 entries (see keep): the factors are private to the decomposition.
  const out = size > 64 ? (privateArray(false, size) as Float64Array) : new Array<number>(size);
  for (let i = 0; i < d.rows; i++) for (let j = 0; j < d.cols; j++) out[j * d.rows + i] = d.data[i * d.cols + j]!;
  return out;
}

/**
 * Zero factors of the 2×2 and 3×3 fast path, shared: the factors are only
 * read after construction (mirrorSigns, which writes, runs only on computed ones).
 */
const ZEROS: number[][] = [[], [0], [0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]];

/** The k values from the unrolled kernel, those ≤ threshold (ε/2·k·s₀) stored as 0. */
function squareValues(k: number): Float64Array {
  const R = UNROLLED;
  const s = new Float64Array(k);
  const threshold = (Number.EPSILON / 2) * k * R[0]!;
  for (let i = 0; i < k; i++) s[i] = R[i]! <= threshold ? 0 : R[i]!;
  return s;
}

/** U (k×k row-major, a plain array) from the unrolled kernel. */
function squareU(k: number): number[] {
  const R = UNROLLED;
  if (k === 2) return [R[U_AT]!, R[U_AT + 1]!, R[U_AT + 2]!, R[U_AT + 3]!];
  return [R[U_AT]!, R[U_AT + 1]!, R[U_AT + 2]!, R[U_AT + 3]!, R[U_AT + 4]!, R[U_AT + 5]!, R[U_AT + 6]!, R[U_AT + 7]!, R[U_AT + 8]!];
}

/** V = vtᵀ (k×k row-major, a plain array) from the unrolled kernel. */
function squareV(k: number): number[] {
  const R = UNROLLED;
  if (k === 2) return [R[VT_AT]!, R[VT_AT + 2]!, R[VT_AT + 1]!, R[VT_AT + 3]!];
  return [R[VT_AT]!, R[VT_AT + 3]!, R[VT_AT + 6]!, R[VT_AT + 1]!, R[VT_AT + 4]!, R[VT_AT + 7]!, R[VT_AT + 2]!, R[VT_AT + 5]!, R[VT_AT + 8]!];
}

/** mirrorSigns for k×k plain arrays (the pair's largest entry positive; vᵢ's on an exact tie). */
function mirrorSquare(u: number[], v: number[], k: number): void {
  for (let i = 0; i < k; i++) {
    let bu = 0;
    let bv = 0;
    for (let r = 0; r < k; r++) {
      const x = u[r * k + i]!;
      if (Math.abs(x) > Math.abs(bu)) bu = x;
      const y = v[r * k + i]!;
      if (Math.abs(y) > Math.abs(bv)) bv = y;
    }
    const pick = Math.abs(bu) > Math.abs(bv) ? bu : bv;
    if (pick >= 0) continue;
    for (let r = 0; r < k; r++) {
      u[r * k + i] = -u[r * k + i]!;
      v[r * k + i] = -v[r * k + i]!;
    }
  }
}

/** buildMatrix for a k×k plain array. */
function buildSquare(cls: MatrixClass, k: number, data: number[]): CompatMatrix {
  if (rowLayoutOf(cls) === RowLayout.None) return buildMatrix(cls, k, k, data);
  const out = new (cls as unknown as new (r: number, c: number) => CompatMatrix & { data: Float64Array[] })(k, k);
  for (let i = 0; i < k; i++) {
    const row = out.data[i]!;
    for (let j = 0; j < k; j++) row[j] = data[i * k + j]!;
  }
  return out;
}

function zerosOf(size: number): Float64Array | number[] {
  return size > 64 ? (privateArray(false, size) as Float64Array) : new Array<number>(size).fill(0);
}

/**
 * ml-matrix's transpose symmetry: SVD(Aᵀ).U equals SVD(A).V (and U, V
 * swapped). effrank's own rule (the largest entry of each right vector
 * positive) is not symmetric under transposition, so the adapter uses one
 * that is: for each pair (uᵢ, vᵢ), the largest-magnitude entry of the two
 * together is positive, the one in the longer vector on a tie (for square
 * matrices, vᵢ's). A transposed input gives the small or LAPACK kernel the
 * same numbers in the same order, so the mirrored results agree bit for bit.
 */
function mirrorSigns(u: Float64Array | number[], v: Float64Array | number[], m: number, n: number, k: number): void {
  for (let i = 0; i < k; i++) {
    let bu = 0;
    for (let r = 0; r < m; r++) if (Math.abs(u[r * k + i]!) > Math.abs(bu)) bu = u[r * k + i]!;
    let bv = 0;
    for (let r = 0; r < n; r++) if (Math.abs(v[r * k + i]!) > Math.abs(bv)) bv = v[r * k + i]!;
    const au = Math.abs(bu);
    const av = Math.abs(bv);
    const pick = au > av ? bu : av > au ? bv : m > n ? bu : bv;
    if (pick >= 0) continue;
    for (let r = 0; r < m; r++) u[r * k + i] = -u[r * k + i]!;
    for (let r = 0; r < n; r++) v[r * k + i] = -v[r * k + i]!;
  }
}

// ---------------------------------------------------------------------------

/** ml-matrix's `SingularValueDecomposition`, computed by effrank (the Golub–Kahan–Reinsch kernel when small, else LAPACK). */
export class SingularValueDecomposition {
  /** Rows of the input. */
  readonly m: number;
  /** Columns of the input. */
  readonly n: number;
  /** The min(m, n) singular values, descending; values ≤ threshold are 0. */
  readonly s: Float64Array;
  /** m×min(m, n) left singular vectors (zeros when not requested). */
  readonly U: CompatMatrix;
  /** n×min(m, n) right singular vectors (zeros when not requested). */
  readonly V: CompatMatrix;

  // Plain arrays when small (a Float64Array over 8 entries costs an off-heap allocation).
  readonly #u: Float64Array | number[];
  readonly #v: Float64Array | number[];
  readonly #cls: MatrixClass;

  constructor(value: MatrixValue, options: SvdOptions = {}) {
    let a = readSmallSquare(value);
    if (a === undefined) {
      if (isEmptyInput(value)) throw emptyMatrixError();
      a = readMatrix(value, 'value');
    }
    const { computeLeftSingularVectors = true, computeRightSingularVectors = true } = options ?? {};
    const wantU = Boolean(computeLeftSingularVectors);
    const wantV = Boolean(computeRightSingularVectors);
    const { rows: m, cols: n } = a;
    const k = Math.min(m, n);
    this.m = m;
    this.n = n;
    if (unrolledSquare(a, wantU || wantV)) {
      // 2×2 and 3×3: straight from the unrolled kernel's buffer, no intermediate arrays, with
      // copies of the generic helpers that see only these plain arrays (the shared ones see every
      // size and array type, and their polymorphic element loads cost a tenth of the call here).
      this.s = squareValues(k);
      const u = wantU ? squareU(k) : ZEROS[k]!;
      const v = wantV ? squareV(k) : ZEROS[k]!;
      if (wantU && wantV) mirrorSquare(u, v, k);
      this.#u = u;
      this.#v = v;
      const cls = resultClass(value);
      this.#cls = cls;
      this.U = buildSquare(cls, k, u);
      this.V = buildSquare(cls, k, v);
      return;
    }
    {
      const r = denseSvd(a, wantU || wantV ? 'thin' : 'none');
      const s = r.s.slice(0, k); // r.s may be the small path's working buffer
      const threshold = (Number.EPSILON / 2) * Math.max(m, n) * s[0]!;
      for (let i = 0; i < k; i++) if (s[i]! <= threshold) s[i] = 0;
      this.s = s;
      this.#u = wantU && r.u ? keep(r.u.data, m * k) : zerosOf(m * k);
      this.#v = wantV && r.vt ? transposeData(r.vt) : zerosOf(n * k);
    }
    if (wantU && wantV) mirrorSigns(this.#u, this.#v, m, n, k);
    this.#cls = resultClass(value);
    this.U = buildMatrix(this.#cls, m, k, this.#u);
    this.V = buildMatrix(this.#cls, n, k, this.#v);
  }

  /** The singular values, descending, as a number[]. */
  get diagonal(): number[] {
    return Array.from(this.s);
  }

  /** diag(s), k×k. */
  get diagonalMatrix(): CompatMatrix {
    const k = this.s.length;
    const d = new Float64Array(k * k);
    for (let i = 0; i < k; i++) d[i * k + i] = this.s[i]!;
    return buildMatrix(this.#cls, k, k, d);
  }

  get leftSingularVectors(): CompatMatrix {
    return this.U;
  }

  get rightSingularVectors(): CompatMatrix {
    return this.V;
  }

  /** Number of singular values above max(m, n)·s₀·ε. */
  get rank(): number {
    const tol = Math.max(this.m, this.n) * this.s[0]! * Number.EPSILON;
    let r = 0;
    for (const v of this.s) if (v > tol) r++;
    return r;
  }

  /** s₀ / s_min: Infinity for a singular matrix, NaN for a zero matrix (as in ml-matrix). */
  get condition(): number {
    return this.s[0]! / this.s[this.s.length - 1]!;
  }

  /** The largest singular value. */
  get norm2(): number {
    return this.s[0]!;
  }

  /** ε/2·max(m, n)·s₀: smaller singular values are ignored by solve and inverse. */
  get threshold(): number {
    return (Number.EPSILON / 2) * Math.max(this.m, this.n) * this.s[0]!;
  }

  /** The least-squares, minimum-norm X with A·X ≈ B (B m×p, or a number[] of length m): n×p. */
  solve(value: MatrixValue | readonly number[]): CompatMatrix {
    const b = readOperand(value, 'value');
    if (b.rows !== this.m) {
      throw invalidShape(`solve: the right-hand side has ${b.rows} rows, the matrix has ${this.m}`);
    }
    const pinv = this.#pinv();
    return buildMatrix(this.#cls, this.n, b.cols, multiply(pinv, this.n, this.m, b.data, b.cols));
  }

  /** solve(diag(values)); values needs m entries. */
  solveForDiagonal(values: ArrayLike<number>): CompatMatrix {
    const l = values.length;
    const d = new Float64Array(l * l);
    for (let i = 0; i < l; i++) d[i * l + i] = values[i]!;
    return this.solve({ data: d, rows: l, cols: l });
  }

  /** The pseudo-inverse, n×m, ignoring singular values ≤ threshold. */
  inverse(): CompatMatrix {
    return buildMatrix(this.#cls, this.n, this.m, this.#pinv());
  }

  #pinv(): Float64Array {
    const e = this.threshold;
    const k = this.s.length;
    const inv = new Float64Array(k);
    for (let i = 0; i < k; i++) inv[i] = Math.abs(this.s[i]!) > e ? 1 / this.s[i]! : 0;
    return pinvFromFactors(this.#u, this.#v, inv, this.m, this.n, k);
  }
}


/**
 * ml-matrix's `pseudoInverse`: V·diag(1/s)·Uᵀ, dropping singular values
 * ≤ threshold·max(m, n)·s₀ (default threshold ε). An empty matrix gives its
 * (empty) transpose, as in ml-matrix.
 */
export function pseudoInverse(matrix: MatrixValue, threshold: number = Number.EPSILON): CompatMatrix {
  const cls = resultClass(matrix);
  const shape = shapeOf(matrix);
  if (shape && (shape[0] === 0 || shape[1] === 0)) return cls.from1DArray(shape[1], shape[0], []);
  const a = readMatrix(matrix, 'matrix');
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const r = denseSvd(a, 'thin');
  const cutoff = threshold * Math.max(m, n) * r.s[0]!;
  const inv = new Float64Array(k);
  for (let i = 0; i < k; i++) inv[i] = Math.abs(r.s[i]!) > cutoff ? 1 / r.s[i]! : 0;
  return buildMatrix(cls, n, m, pinvFromFactors(r.u!.data, transposeData(r.vt!), inv, m, n, k));
}
