/**
 * Reading a small number[][] straight into a reused float64 buffer, for the
 * small-matrix path. `toMatrix` (src/core/matrix.ts) allocates a fresh
 * Float64Array, and above 64 bytes V8 puts one off-heap, which costs about as
 * much as a whole 3×3 SVD. Anything irregular (ragged rows, a non-number,
 * typed-array rows, a throwing getter) returns undefined, and the caller
 * hands the input to `toMatrix`, the one owner of input validation, which
 * throws its usual error.
 */
import type { Matrix } from '../../core/matrix.js';

/** Inputs up to this many entries are read into the reused buffer. */
export const SMALL_INPUT_MAX = 512;

const buffer = new Float64Array(SMALL_INPUT_MAX);
// One reused result: no allocation per call. Valid until the next read.
const view: Matrix<Float64Array> = { data: buffer, rows: 0, cols: 0 };

/**
 * The nested array `a` as a row-major float64 matrix in the reused buffer
 * (`data` is longer than rows·cols), or undefined when it is not a small,
 * regular number[][] (or not an array at all). Valid until the next call: callers use it at once.
 */
export function readSmallNested(a: unknown): Matrix<Float64Array> | undefined {
  try {
    // Inside the try: Array.isArray throws on a revoked Proxy.
    if (!Array.isArray(a)) return undefined;
    const rows = a.length;
    const first: unknown = a[0];
    if (rows === 0 || !Array.isArray(first)) return undefined;
    const cols = first.length;
    if (cols === 0 || rows * cols > SMALL_INPUT_MAX) return undefined;
    for (let i = 0; i < rows; i++) {
      const row: unknown = a[i];
      if (!Array.isArray(row) || row.length !== cols) return undefined;
      for (let j = 0; j < cols; j++) {
        const v: unknown = row[j];
        if (typeof v !== 'number') return undefined;
        buffer[i * cols + j] = v;
      }
    }
    view.rows = rows;
    view.cols = cols;
    return view;
  } catch {
    return undefined; // a Proxy or getter that throws: toMatrix reports it
  }
}
