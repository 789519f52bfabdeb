/**
 * Helpers shared by the drop-in adapters in src/compat/. Everything here is
 * float64: the peers are float64, so a float32 input is widened first.
 */
import { freemem } from 'node:os';

import { EffrankError } from '../core/errors.js';
import { toMatrix } from '../core/matrix.js';
import { privateArray } from '../linalg/small/results.js';
import { smallSvd } from '../linalg/small/small-svd.js';
import { readSmallNested } from '../linalg/small/input.js';
import { maxElementsCap, useSmallSvd } from '../linalg/small/route.js';
import { binding, callSync } from '../native.js';

/** A row-major float64 matrix (`data` may be longer than rows·cols: a reused working buffer). */
export interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Inputs up to this many entries are read into a reused buffer (they go to the small kernel, which copies them). */
const SCRATCH_INPUT = 512;
const inputBuffer = new Float64Array(SCRATCH_INPUT);

/**
 * Any input effrank accepts (number[][], rows of typed arrays, `{ data, rows, cols }`), as float64.
 * A small, well-formed number[][] is read into a reused buffer
 * (src/linalg/small/input.ts); anything irregular goes to `toMatrix`, the one
 * owner of input validation, which throws its usual error. The buffer is
 * valid until the next call: callers use it at once (or copy it).
 */
export function toDense(a: unknown, name = 'a'): Dense {
  const fast = readSmallNested(a);
  if (fast) return fast;
  const m = toMatrix(a, name);
  const data = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  return { data, rows: m.rows, cols: m.cols };
}

/**
 * The reused input buffer when `size` fits in it (valid until the next read:
 * callers use it at once), else a fresh array.
 */
export function inputArray(size: number): Float64Array {
  return size <= SCRATCH_INPUT ? inputBuffer : new Float64Array(size);
}

/**
 * A copy of data[0, size) that outlives the next SVD: a plain array when small (on V8's heap, cheap),
 * else a Float64Array (up to 4 KiB from the private slabs of ../linalg/small/results.ts: a fresh one
 * that size lives off V8's heap and costs about 1 µs). For the adapters' private factors only.
 */
export function keep(data: Float64Array, size: number): Float64Array | number[] {
  if (size > 64) {
    const out = privateArray(false, size) as Float64Array;
    out.set(size === data.length ? data : data.subarray(0, size));
    return out;
  }
  const out = new Array<number>(size);
  for (let i = 0; i < size; i++) out[i] = data[i]!;
  return out;
}

export interface DenseSvd {
  /** Descending, min(rows, cols) entries (the first k of `s`: it may be a longer working buffer). */
  s: Float64Array;
  k: number;
  /** rows×k ('thin') or rows×rows ('full'). */
  u?: Dense;
  /** k×cols ('thin') or cols×cols ('full'); the rows are the right singular vectors. */
  vt?: Dense;
}

const MODES = { none: 0, thin: 1, full: 2 } as const;

/**
 * effrank's SVD of a float64 matrix (see src/linalg/svd.ts for the sign
 * convention). Small matrices come back in the small kernel's working
 * buffers, valid until the next SVD: the adapters copy them into their own
 * result shapes at once, so no intermediate typed array is allocated.
 */
export function denseSvd(a: Dense, vectors: 'none' | 'thin' | 'full'): DenseSvd {
  const { rows, cols } = a;
  const k = Math.min(rows, cols);
  const mode = MODES[vectors];
  const small = useSmallSvd(rows, cols, mode) ? smallSvd(a.data, rows, cols, mode, true) : undefined;
  if (small) {
    const out: DenseSvd = { s: small.s as Float64Array, k };
    if (mode !== 0) {
      out.u = { data: small.u as Float64Array, rows, cols: mode === 2 ? rows : k };
      out.vt = { data: small.vt as Float64Array, rows: mode === 2 ? cols : k, cols };
    }
    return out;
  }
  // LAPACK straight through the addon (which checks the values and the workspace itself): `a` is a
  // validated float64 matrix already, so the public svd()'s option and input checks would be repeated work.
  const size = rows * cols;
  const data = a.data.length === size ? a.data : a.data.subarray(0, size);
  const r = callSync(() => binding.svd(data, rows, cols, mode));
  const out: DenseSvd = { s: r.s as Float64Array, k };
  if (mode !== 0 && r.u && r.vt) {
    out.u = { data: r.u as Float64Array, rows, cols: mode === 2 ? rows : k };
    out.vt = { data: r.vt as Float64Array, rows: mode === 2 ? cols : k, cols };
  }
  return out;
}

/**
 * A rows×cols number[][] whose leading block is `src` (or `src` transposed);
 * entries outside `src` are 0 (the zero-padded shapes of the peers). Each
 * row is built once, at its final length, with no fill pass.
 */
export function padded2D(src: Dense | undefined, rows: number, cols: number, transpose = false): number[][] {
  const out: number[][] = new Array(rows);
  const srcRows = src ? (transpose ? src.cols : src.rows) : 0;
  const srcCols = src ? (transpose ? src.rows : src.cols) : 0;
  const c = Math.min(cols, srcCols);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    let j = 0;
    if (src && i < srcRows) {
      const d = src.data;
      if (transpose) for (; j < c; j++) row[j] = d[j * src.cols + i]!;
      else for (let o = i * src.cols; j < c; j++) row[j] = d[o + j]!;
    }
    for (; j < cols; j++) row[j] = 0;
    out[i] = row;
  }
  return out;
}

/**
 * The k singular values padded with zeros to `length` entries, values below
 * `relEps`·s₀ set to exactly 0 (the rule svd-js and numeric apply; see docs/compat.md).
 */
export function paddedValues(s: Float64Array, k: number, length: number, relEps: number): number[] {
  const out = new Array<number>(length);
  const cutoff = relEps * (s[0] ?? 0);
  const top = Math.min(length, k);
  let i = 0;
  for (; i < top; i++) {
    const v = s[i]!;
    out[i] = v < cutoff ? 0 : v;
  }
  for (; i < length; i++) out[i] = 0;
  return out;
}

/** Requests below this skip the available-memory check (as the native core's ensureWorkspace does). */
const CHECK_MEMORY_ABOVE_BYTES = 64 * 2 ** 20;

/**
 * Throws ERR_OUT_OF_MEMORY, before anything is allocated, when `elements`
 * float64 values exceed the `setLimits({ maxElements })` cap or the memory
 * the system reports available: the same rule as the native workspace check.
 */
export function ensureAllocatable(elements: number, what: string): void {
  const cap = maxElementsCap();
  if (cap !== 0 && elements > cap) {
    throw new EffrankError('ERR_OUT_OF_MEMORY', `${what} needs ${elements} elements, above the maxElements cap of ${cap}`);
  }
  const bytes = elements * 8;
  if (bytes >= CHECK_MEMORY_ABOVE_BYTES && bytes > freemem()) {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    throw new EffrankError('ERR_OUT_OF_MEMORY', `${what} needs ${mib(bytes)} but only ${mib(freemem())} is available`);
  }
}
