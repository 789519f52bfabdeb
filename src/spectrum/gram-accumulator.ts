/**
 * A streaming, mergeable Gram matrix: G = Σ_k w_k·φ_kᵀφ_k over rows seen so
 * far, always accumulated in float64, plus the weighted column sums and total
 * weight needed to centre later. Shards of a probe set can each feed their own
 * accumulator; summing their buffers (any all-reduce) and `merge` give the
 * Gram of all rows to rounding.
 *
 * Binary format of `toBuffer()` (little-endian):
 *   offset 0   4 bytes  magic "EFGA"
 *          4   u16      format version (1)
 *          6   u16      dtype code (1 = float64)
 *          8   u32      n
 *         12   u32      flags: bit 0 = some rows were float32 (sets the numerical
 *                             rank's default tolerance); other bits must be 0
 *         16   f64      rows seen
 *         24   f64      total weight Σw
 *         32   f64[n·n] G, row-major
 *      32+8n²  f64[n]   weighted column sums Σ w_k·φ_k
 */
import { EffrankError, invalidArgument } from '../core/errors.js';
import { gram, gramAsync } from '../linalg/gram.js';
import { type Matrix, type MatrixInput, describe, MAX_ELEMENTS, toMatrix } from '../core/matrix.js';
import { readOptions, toWeights } from '../core/options.js';
import { finishGram } from './centering.js';

const MAGIC = 0x41474645; // "EFGA" read as a little-endian u32
const VERSION = 1;
const DTYPE_FLOAT64 = 1;
const HEADER_BYTES = 32;

export interface GramAccumulatorOptions {
  /** Only 'float64' (the default): partial Grams are summed, so they keep full precision. */
  dtype?: 'float64';
}

export class GramAccumulator {
  readonly n: number;
  readonly dtype = 'float64' as const;
  #gram: Float64Array;
  #colSums: Float64Array;
  #rows = 0;
  #weightSum = 0;
  #sawFloat32 = false;

  constructor(n: number, opts?: GramAccumulatorOptions) {
    const options = readOptions(opts, 'GramAccumulator', ['dtype']);
    if (!Number.isInteger(n) || n <= 0 || n * n > MAX_ELEMENTS) {
      throw invalidArgument(`GramAccumulator: n must be a positive integer with n² ≤ ${MAX_ELEMENTS}, got ${describe(n)}`);
    }
    if (options.dtype !== undefined && options.dtype !== 'float64') {
      throw invalidArgument(`GramAccumulator: dtype must be 'float64', got ${describe(options.dtype)}`);
    }
    this.n = n;
    this.#gram = new Float64Array(n * n);
    this.#colSums = new Float64Array(n);
  }

  /** Rows added so far (over all merged accumulators). */
  get rows(): number {
    return this.#rows;
  }

  /**
   * The precision of the rows added: 'float32' if any chunk was float32. The
   * Gram itself is always float64; this sets the numerical rank's default
   * tolerance, as numpy's matrix_rank would on the original features.
   */
  get sourceDtype(): 'float32' | 'float64' {
    return this.#sawFloat32 ? 'float32' : 'float64';
  }

  /** Σ w over rows added (equals `rows` when no weights were given). */
  get weightSum(): number {
    return this.#weightSum;
  }

  /** Adds rows (a chunk of N_chunk × n features), each weighted by `weights[k]` (default 1). */
  add(chunk: MatrixInput, weights?: ArrayLike<number>): this {
    const { m, w } = this.#prepare(chunk, weights);
    this.#absorb(m, gram(m, { weights: w, accumulate: 'float64' }).data, this.#weightedSums(m, w));
    return this;
  }

  /** Like `add`, with the Gram computed off the main thread. */
  async addAsync(chunk: MatrixInput, weights?: ArrayLike<number>): Promise<this> {
    const { m, w } = this.#prepare(chunk, weights);
    // Read the chunk now, as the Gram's native copy does: once the call has
    // returned, the caller may mutate or transfer its buffers.
    const sums = this.#weightedSums(m, w);
    const g = await gramAsync(m, { weights: w, accumulate: 'float64' });
    this.#absorb(m, g.data, sums);
    return this;
  }

  /** Adds everything another accumulator has seen. */
  merge(other: GramAccumulator): this {
    if (!(other instanceof GramAccumulator)) throw invalidArgument('merge: expected a GramAccumulator');
    if (other.n !== this.n) throw invalidArgument(`merge: n differs (${this.n} vs ${other.n})`);
    const g = other.#gram;
    for (let i = 0; i < g.length; i++) this.#gram[i]! += g[i]!;
    for (let j = 0; j < this.n; j++) this.#colSums[j]! += other.#colSums[j]!;
    this.#rows += other.#rows;
    this.#weightSum += other.#weightSum;
    this.#sawFloat32 ||= other.#sawFloat32;
    return this;
  }

  /** A copy of the accumulated Gram Σ w_k φ_kᵀφ_k (unscaled, uncentred). */
  gram(): Matrix<Float64Array> {
    return { data: this.#gram.slice(), rows: this.n, cols: this.n };
  }

  /** A copy of the weighted column sums Σ w_k φ_k. */
  columnSums(): Float64Array {
    return this.#colSums.slice();
  }

  /** The Gram of the centred features, Σ w_k (φ_k − μ)ᵀ(φ_k − μ) with μ the weighted mean (src/spectrum/centering.ts). */
  centeredGram(): Matrix<Float64Array> {
    const data = finishGram(this.#gram.slice(), this.n, { sums: this.#colSums, weightSum: this.#weightSum, center: true, scale: 1, allowOverflow: true });
    return { data, rows: this.n, cols: this.n };
  }

  toBuffer(): Uint8Array {
    const n = this.n;
    const buf = new ArrayBuffer(HEADER_BYTES + 8 * (n * n + n));
    const view = new DataView(buf);
    view.setUint32(0, MAGIC, true);
    view.setUint16(4, VERSION, true);
    view.setUint16(6, DTYPE_FLOAT64, true);
    view.setUint32(8, n, true);
    view.setUint32(12, this.#sawFloat32 ? 1 : 0, true);
    view.setFloat64(16, this.#rows, true);
    view.setFloat64(24, this.#weightSum, true);
    let off = HEADER_BYTES;
    for (const x of this.#gram) (view.setFloat64(off, x, true), (off += 8));
    for (const x of this.#colSums) (view.setFloat64(off, x, true), (off += 8));
    return new Uint8Array(buf);
  }

  static fromBuffer(buffer: ArrayBufferView | ArrayBuffer): GramAccumulator {
    const bad = (why: string) => new EffrankError('ERR_INVALID_ARGUMENT', `GramAccumulator.fromBuffer: ${why}`);
    let view: DataView;
    if (!(buffer instanceof ArrayBuffer) && !ArrayBuffer.isView(buffer)) throw bad(`expected bytes, got ${describe(buffer)}`);
    try {
      view = buffer instanceof ArrayBuffer ? new DataView(buffer) : new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch {
      throw bad('the bytes cannot be read (a detached buffer?)'); // DataView throws a TypeError on detached buffers
    }
    if (view.byteLength < HEADER_BYTES) throw bad(`${view.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`);
    if (view.getUint32(0, true) !== MAGIC) throw bad('missing the "EFGA" magic');
    const version = view.getUint16(4, true);
    if (version !== VERSION) throw bad(`unsupported format version ${version}`);
    const dtype = view.getUint16(6, true);
    if (dtype !== DTYPE_FLOAT64) throw bad(`unsupported dtype code ${dtype}`);
    const n = view.getUint32(8, true);
    if (n === 0 || n * n > MAX_ELEMENTS) throw bad(`invalid n = ${n}`);
    const expected = HEADER_BYTES + 8 * (n * n + n);
    if (view.byteLength !== expected) throw bad(`${view.byteLength} bytes, expected ${expected} for n = ${n}`);
    const flags = view.getUint32(12, true);
    if ((flags & ~1) !== 0) throw bad(`unknown flags 0x${flags.toString(16)}`);
    const rows = view.getFloat64(16, true);
    const weightSum = view.getFloat64(24, true);
    if (!Number.isSafeInteger(rows) || rows < 0) throw bad(`invalid row count ${rows}`);
    if (!Number.isFinite(weightSum) || weightSum < 0) throw bad(`invalid total weight ${weightSum}`);
    const acc = new GramAccumulator(n);
    let off = HEADER_BYTES;
    for (let i = 0; i < n * n; i++, off += 8) acc.#gram[i] = view.getFloat64(off, true);
    for (let j = 0; j < n; j++, off += 8) acc.#colSums[j] = view.getFloat64(off, true);
    if (!acc.#gram.every(Number.isFinite) || !acc.#colSums.every(Number.isFinite)) throw bad('non-finite values');
    acc.#rows = rows;
    acc.#weightSum = weightSum;
    acc.#sawFloat32 = (flags & 1) === 1;
    return acc;
  }

  #prepare(chunk: MatrixInput, weights?: ArrayLike<number>): { m: Matrix; w: Float64Array | undefined } {
    const m = toMatrix(chunk, 'chunk');
    if (m.cols !== this.n) throw new EffrankError('ERR_INVALID_SHAPE', `chunk has ${m.cols} columns, the accumulator ${this.n}`);
    return { m, w: weights === undefined ? undefined : toWeights(weights, m.rows) };
  }

  /** The chunk's weighted column sums and total weight (reads the chunk; changes nothing). */
  #weightedSums(m: Matrix, w: Float64Array | undefined): { sums: Float64Array; total: number } {
    const { data, rows, cols } = m;
    const sums = new Float64Array(cols);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const wr = w ? w[r]! : 1;
      total += wr;
      if (wr === 0) continue;
      const base = r * cols;
      for (let j = 0; j < cols; j++) sums[j]! += wr * data[base + j]!;
    }
    return { sums, total };
  }

  #absorb(m: Matrix, g: Float64Array, { sums, total }: { sums: Float64Array; total: number }): void {
    for (let i = 0; i < g.length; i++) this.#gram[i]! += g[i]!;
    for (let j = 0; j < this.n; j++) this.#colSums[j]! += sums[j]!;
    this.#rows += m.rows;
    this.#weightSum += total;
    if (m.data instanceof Float32Array) this.#sawFloat32 = true;
  }
}

/** `x instanceof GramAccumulator`, refusing what cannot be inspected (a revoked Proxy throws a TypeError there). */
export function isAccumulator(x: unknown): x is GramAccumulator {
  try {
    return x instanceof GramAccumulator;
  } catch {
    throw invalidArgument('the input cannot be read (a revoked Proxy?)');
  }
}
