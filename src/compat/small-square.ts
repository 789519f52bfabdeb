/**
 * The adapters' 2×2 and 3×3 fast path: the unrolled kernel
 * (src/linalg/small/unrolled-svd.ts) and nested results built straight from
 * its buffer. At these sizes the generic route's intermediate objects
 * (the DenseSvd record, the working-buffer views, the padding loops) cost as
 * much as the decomposition itself. The kernel's results are the core svd's,
 * signs included, so nothing here changes a number.
 */
import { UNROLLED, U_AT, VT_AT, unrolledSvd2, unrolledSvd3 } from '../linalg/small/unrolled-svd.js';
import { useSmallSvd } from '../linalg/small/route.js';
import type { Dense } from './shared.js';

/**
 * The SVD of a square 2×2 or 3×3 `a` into UNROLLED, or false (another size, a
 * `setLimits` cap, or a matrix the unrolled kernel hands on): then the caller
 * takes its generic path. Throws ERR_NON_FINITE as the other paths do.
 */
export function unrolledSquare(a: Dense, vectors: boolean): boolean {
  const n = a.rows;
  if (n !== a.cols || (n !== 2 && n !== 3) || !useSmallSvd(n, n, vectors ? 1 : 0)) return false;
  return n === 2 ? unrolledSvd2(a.data, vectors) : unrolledSvd3(a.data, vectors);
}

/** U (n×n) as rows, from UNROLLED. */
export function nestedU(n: number): number[][] {
  const R = UNROLLED;
  if (n === 2) return [[R[U_AT]!, R[U_AT + 1]!], [R[U_AT + 2]!, R[U_AT + 3]!]];
  return [
    [R[U_AT]!, R[U_AT + 1]!, R[U_AT + 2]!],
    [R[U_AT + 3]!, R[U_AT + 4]!, R[U_AT + 5]!],
    [R[U_AT + 6]!, R[U_AT + 7]!, R[U_AT + 8]!],
  ];
}

/** V = vtᵀ (n×n, the right singular vectors as columns) as rows, from UNROLLED. */
export function nestedV(n: number): number[][] {
  const R = UNROLLED;
  if (n === 2) return [[R[VT_AT]!, R[VT_AT + 2]!], [R[VT_AT + 1]!, R[VT_AT + 3]!]];
  return [
    [R[VT_AT]!, R[VT_AT + 3]!, R[VT_AT + 6]!],
    [R[VT_AT + 1]!, R[VT_AT + 4]!, R[VT_AT + 7]!],
    [R[VT_AT + 2]!, R[VT_AT + 5]!, R[VT_AT + 8]!],
  ];
}

/** n×n zeros as rows. */
export function nestedZeros(n: number): number[][] {
  return n === 2 ? [[0, 0], [0, 0]] : [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
}

/** The n singular values from UNROLLED, those below relEps·s₀ set to 0 (as paddedValues). */
export function flushedValues(n: number, relEps: number): number[] {
  const R = UNROLLED;
  const cutoff = relEps * R[0]!;
  const s0 = R[0]!;
  const s1 = R[1]! < cutoff ? 0 : R[1]!;
  if (n === 2) return [s0 < cutoff ? 0 : s0, s1];
  return [s0 < cutoff ? 0 : s0, s1, R[2]! < cutoff ? 0 : R[2]!];
}
