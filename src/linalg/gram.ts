/**
 * Gram matrices: scale·aᵀ·diag(w)·a (side 'cols', n×n, weights per row) or
 * scale·a·diag(w)·aᵀ (side 'rows', m×m, weights per column). The result is
 * exactly symmetric. float32 input gives a float32 Gram unless
 * `accumulate: 'float64'` is set, which widens before multiplying.
 *
 * Built from gemm on block rows of the lower triangle (OpenBLAS's syrk is
 * slower here), and weighted/widened inputs stream through small buffers,
 * so the features are never copied whole.
 */
import { invalidArgument } from '../core/errors.js';
import type { Matrix, MatrixInput } from '../core/matrix.js';
import { describe, toMatrix } from '../core/matrix.js';
import { binding, callAsync, callSync } from '../native.js';
import { readOptions, toFinite, toWeights } from '../core/options.js';

export interface GramOptions {
  /** Quadrature weights: one per row (side 'cols') or per column (side 'rows'). Non-negative. */
  weights?: ArrayLike<number>;
  /** A scalar factor, e.g. the domain measure. Default 1. */
  scale?: number;
  /** Default 'cols': the n×n Gram of the columns (neurons). */
  side?: 'cols' | 'rows';
  /** 'float64' widens float32 input and returns a Float64Array Gram. */
  accumulate?: 'float64' | 'input';
}

const GRAM_KEYS = ['weights', 'scale', 'side', 'accumulate'] as const;

/** float32 input stays float32 unless accumulate is 'float64'. */
export type GramArrayOf<A, O> = O extends { accumulate: 'float64' }
  ? Float64Array
  : A extends Matrix<infer T>
    ? T
    : Float64Array;

interface GramArgs {
  m: Matrix;
  side: 0 | 1;
  weights: Float64Array | null;
  scale: number;
  widen: boolean;
  dim: number;
}

function parse(a: unknown, options: GramOptions): GramArgs {
  const m = toMatrix(a);
  const sideName = options.side ?? 'cols';
  if (sideName !== 'cols' && sideName !== 'rows') throw invalidArgument(`side must be 'cols' or 'rows', got ${describe(sideName)}`);
  const side = sideName === 'cols' ? 0 : 1;
  const acc = options.accumulate ?? 'input';
  if (acc !== 'float64' && acc !== 'input') throw invalidArgument(`accumulate must be 'float64' or 'input', got ${describe(acc)}`);
  const weights = options.weights === undefined ? null : toWeights(options.weights, side === 0 ? m.rows : m.cols);
  const scale = options.scale === undefined ? 1 : toFinite(options.scale, 'scale');
  return { m, side, weights, scale, widen: acc === 'float64', dim: side === 0 ? m.cols : m.rows };
}

export function gram<A extends MatrixInput, O extends GramOptions = {}>(a: A, options?: O): Matrix<GramArrayOf<A, O>> {
  const g = parse(a, readOptions(options, 'gram', GRAM_KEYS));
  const data = callSync(() => binding.gram(g.m.data, g.m.rows, g.m.cols, g.side, g.weights, g.scale, g.widen));
  return { data: data as GramArrayOf<A, O>, rows: g.dim, cols: g.dim };
}

export async function gramAsync<A extends MatrixInput, O extends GramOptions = {}>(
  a: A,
  options?: O,
): Promise<Matrix<GramArrayOf<A, O>>> {
  const g = parse(a, readOptions(options, 'gramAsync', GRAM_KEYS));
  const data = await callAsync(() => binding.gramAsync(g.m.data, g.m.rows, g.m.cols, g.side, g.weights, g.scale, g.widen));
  return { data: data as GramArrayOf<A, O>, rows: g.dim, cols: g.dim };
}
