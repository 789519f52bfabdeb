/**
 * Helpers shared by the drop-in adapters in src/compat/. Everything here is
 * float64: the peers are float64, so a float32 input is widened first.
 */
import { toMatrix } from '../core/matrix.js';
import { svd } from '../linalg/svd.js';

/** A row-major float64 matrix. */
export interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Any input effrank accepts (number[][], rows of typed arrays, `{ data, rows, cols }`), as float64. */
export function toDense(a: unknown, name = 'a'): Dense {
  const m = toMatrix(a, name);
  const data = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  return { data, rows: m.rows, cols: m.cols };
}

export interface DenseSvd {
  /** Descending, min(rows, cols) entries. */
  s: Float64Array;
  /** rows×k ('thin') or rows×rows ('full'). */
  u?: Dense;
  /** k×cols ('thin') or cols×cols ('full'); the rows are the right singular vectors. */
  vt?: Dense;
}

/** effrank's LAPACK SVD of a float64 matrix (see src/linalg/svd.ts for the sign convention). */
export function denseSvd(a: Dense, vectors: 'none' | 'thin' | 'full'): DenseSvd {
  const r = svd({ data: a.data, rows: a.rows, cols: a.cols }, { vectors });
  const out: DenseSvd = { s: r.s as Float64Array };
  if (r.u) out.u = { data: r.u.data as Float64Array, rows: r.u.rows, cols: r.u.cols };
  if (r.vt) out.vt = { data: r.vt.data as Float64Array, rows: r.vt.rows, cols: r.vt.cols };
  return out;
}

/** A rows×cols number[][] of zeros. */
export function zeros2D(rows: number, cols: number): number[][] {
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = new Array<number>(cols).fill(0);
  return out;
}

/**
 * A rows×cols number[][] whose leading block is `src` (or `src` transposed);
 * entries outside `src` are 0. Used for the zero-padded shapes of the peers.
 */
export function padded2D(src: Dense | undefined, rows: number, cols: number, transpose = false): number[][] {
  const out = zeros2D(rows, cols);
  if (!src) return out;
  const srcRows = transpose ? src.cols : src.rows;
  const srcCols = transpose ? src.rows : src.cols;
  const r = Math.min(rows, srcRows);
  const c = Math.min(cols, srcCols);
  for (let i = 0; i < r; i++) {
    const row = out[i]!;
    for (let j = 0; j < c; j++) {
      row[j] = transpose ? src.data[j * src.cols + i]! : src.data[i * src.cols + j]!;
    }
  }
  return out;
}

/**
 * The singular values padded with zeros to `length` entries, values below
 * `relEps`·s₀ set to exactly 0 (the rule svd-js and numeric apply; see docs/compat.md).
 */
export function paddedValues(s: Float64Array, length: number, relEps: number): number[] {
  const out = new Array<number>(length).fill(0);
  const cutoff = relEps * (s[0] ?? 0);
  for (let i = 0; i < Math.min(length, s.length); i++) {
    const v = s[i]!;
    out[i] = v < cutoff ? 0 : v;
  }
  return out;
}
