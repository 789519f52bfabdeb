/**
 * Helpers on plain nested arrays (number[][]) shared by the compat test suites
 * (compat-numeric, compat-svd-js, compat-ml-matrix).
 */
import { expect } from 'vitest';

/** Seeded mulberry32 generator of uniforms in [-0.5, 0.5), for reproducible test matrices. */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** An m×n matrix of seeded uniforms in [-0.5, 0.5). */
export function randomMatrix(m: number, n: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: m }, () => Array.from({ length: n }, () => r()));
}

/** The transpose of a (non-empty) matrix. */
export function transpose(a: number[][]): number[][] {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/** The matrix product a · b. */
export function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((acc, x, l) => acc + x * b[l]![j]!, 0)));
}

/** U · diag(s) · Vᵀ, using as many columns as s has entries. */
export function reconstruct(u: number[][], s: number[], v: number[][]): number[][] {
  return u.map((row) => v.map((vrow) => s.reduce((acc, x, l) => acc + row[l]! * x * vrow[l]!, 0)));
}

/** Largest elementwise |a − b|, after asserting that a and b have the same shape. */
export function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i]!.length);
    row.forEach((x, j) => (d = Math.max(d, Math.abs(x - b[i]![j]!))));
  });
  return d;
}

/** The n×n identity matrix. */
export function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** The columns of a picked (in order) by the indices idx. */
export function columns(a: number[][], idx: number[]): number[][] {
  return a.map((row) => idx.map((j) => row[j]!));
}

/** The 8×5 test matrix from Golub & Reinsch (1970), a classic SVD check. */
export const GOLUB_REINSCH: number[][] = [
  [22, 10, 2, 3, 7],
  [14, 7, 10, 0, 8],
  [-1, 13, -1, -11, 3],
  [-3, -2, 13, -2, 4],
  [9, 8, 1, -2, 4],
  [9, 1, -7, 5, -1],
  [2, -6, 6, 5, 1],
  [4, 5, 0, -2, 2],
];
