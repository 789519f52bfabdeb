/**
 * Drop-in replacement for ml-matrix 6: change only the import line,
 * `import { Matrix, SVD, inverse, solve } from 'effrank/compat/ml-matrix'`.
 *
 * The SVD and everything ml-matrix builds on it (`SVD`,
 * `SingularValueDecomposition`, `pseudoInverse`, `linearDependencies`, and
 * `inverse`/`solve` with `useSVD`) are effrank's (./ml-matrix-svd.ts); the
 * rest of ml-matrix's public API is re-exported unchanged from the installed
 * ml-matrix (an optional peer dependency: without it those names are
 * undefined, and the SVD returns `DenseMatrix` objects). See docs/compat.md.
 */
import { createRequire } from 'node:module';

import type * as Peer from 'ml-matrix';

import { EffrankError, invalidArgument } from '../core/errors.js';
import {
  type CompatMatrix,
  type MatrixValue,
  SingularValueDecomposition,
  buildMatrix,
  readMatrix,
  resultClass,
} from './ml-matrix-svd.js';

export {
  type CompatMatrix,
  DenseMatrix,
  type MatrixClass,
  type MatrixSource,
  type MatrixValue,
  type SvdOptions,
  SingularValueDecomposition,
  SingularValueDecomposition as SVD,
  pseudoInverse,
  setMatrixClass,
} from './ml-matrix-svd.js';

type PeerModule = typeof Peer;

/** The installed ml-matrix (its CommonJS build, which its ESM entry re-exports), or undefined. */
function loadPeer(): PeerModule | undefined {
  try {
    return createRequire(import.meta.url)('ml-matrix') as PeerModule;
  } catch {
    return undefined;
  }
}

const peer = loadPeer();

export const AbstractMatrix = peer?.AbstractMatrix as PeerModule['AbstractMatrix'];
export const Matrix = peer?.Matrix as PeerModule['Matrix'];
export const SymmetricMatrix = peer?.SymmetricMatrix as PeerModule['SymmetricMatrix'];
export const DistanceMatrix = peer?.DistanceMatrix as PeerModule['DistanceMatrix'];
export const MatrixColumnView = peer?.MatrixColumnView as PeerModule['MatrixColumnView'];
export const MatrixColumnSelectionView = peer?.MatrixColumnSelectionView as PeerModule['MatrixColumnSelectionView'];
export const MatrixFlipColumnView = peer?.MatrixFlipColumnView as PeerModule['MatrixFlipColumnView'];
export const MatrixFlipRowView = peer?.MatrixFlipRowView as PeerModule['MatrixFlipRowView'];
export const MatrixRowView = peer?.MatrixRowView as PeerModule['MatrixRowView'];
export const MatrixRowSelectionView = peer?.MatrixRowSelectionView as PeerModule['MatrixRowSelectionView'];
export const MatrixSelectionView = peer?.MatrixSelectionView as PeerModule['MatrixSelectionView'];
export const MatrixSubView = peer?.MatrixSubView as PeerModule['MatrixSubView'];
export const MatrixTransposeView = peer?.MatrixTransposeView as PeerModule['MatrixTransposeView'];
export const WrapperMatrix1D = peer?.WrapperMatrix1D as PeerModule['WrapperMatrix1D'];
export const WrapperMatrix2D = peer?.WrapperMatrix2D as PeerModule['WrapperMatrix2D'];
export const wrap = peer?.wrap as PeerModule['wrap'];
export const CholeskyDecomposition = peer?.CholeskyDecomposition as PeerModule['CholeskyDecomposition'];
export const CHO = peer?.CHO as PeerModule['CHO'];
export const EigenvalueDecomposition = peer?.EigenvalueDecomposition as PeerModule['EigenvalueDecomposition'];
export const EVD = peer?.EVD as PeerModule['EVD'];
export const LuDecomposition = peer?.LuDecomposition as PeerModule['LuDecomposition'];
export const LU = peer?.LU as PeerModule['LU'];
export const QrDecomposition = peer?.QrDecomposition as PeerModule['QrDecomposition'];
export const QR = peer?.QR as PeerModule['QR'];
export const Nipals = peer?.Nipals as PeerModule['Nipals'];
export const NIPALS = peer?.NIPALS as PeerModule['NIPALS'];
export const correlation = peer?.correlation as PeerModule['correlation'];
export const covariance = peer?.covariance as PeerModule['covariance'];
export const determinant = peer?.determinant as PeerModule['determinant'];

function requirePeer(what: string): PeerModule {
  if (!peer) throw invalidArgument(`${what} without useSVD needs ml-matrix installed (npm install ml-matrix)`);
  return peer;
}

/**
 * ml-matrix's `inverse`: with `useSVD`, effrank's SVD pseudo-inverse;
 * otherwise ml-matrix's own LU solve against the identity.
 */
export function inverse(matrix: MatrixValue, useSVD = false): CompatMatrix {
  if (useSVD) return new SingularValueDecomposition(matrix).inverse();
  return requirePeer('inverse').inverse(matrix as never) as unknown as CompatMatrix;
}

/**
 * ml-matrix's `solve`: with `useSVD`, effrank's SVD least-squares solution;
 * otherwise ml-matrix's own LU (square) or QR (rectangular) solve.
 */
export function solve(leftHandSide: MatrixValue, rightHandSide: MatrixValue, useSVD = false): CompatMatrix {
  if (useSVD) return new SingularValueDecomposition(leftHandSide).solve(rightHandSide);
  return requirePeer('solve').solve(leftHandSide as never, rightHandSide as never) as unknown as CompatMatrix;
}

export interface LinearDependenciesOptions {
  /** Coefficients below this (in absolute value) are reported as 0 (default 1e-9, as ml-matrix). */
  thresholdValue?: number;
  /** A row counts as dependent when its least-squares residual, relative to the row's largest entry, is at most this (default 1e-9). */
  thresholdError?: number;
}

/**
 * ml-matrix's `linearDependencies`, on effrank's SVD: row i of the n×n
 * result holds the coefficients that write row i of `matrix` as a
 * combination of the other rows (0 at position i), or all zeros when no
 * combination reproduces it within `thresholdError`.
 */
export function linearDependencies(matrix: MatrixValue, options: LinearDependenciesOptions = {}): CompatMatrix {
  const { thresholdValue = 10e-10, thresholdError = 10e-10 } = options ?? {};
  const read = readMatrix(matrix, 'matrix');
  const { rows: n, cols: c } = read;
  // A copy: a small number[][] is read into a buffer that the SVDs below may reuse.
  const a = { data: read.data.slice(0, n * c), rows: n, cols: c };
  // The SVDs below check their inputs, but a single row needs none: check here so every n gets the same answer.
  const bad = a.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new EffrankError('ERR_NON_FINITE', `linearDependencies: matrix has a non-finite value (${a.data[bad]}) at row ${Math.floor(bad / c)}, column ${bad % c}`);
  const out = new Float64Array(n * n);
  if (n > 1) {
    for (let i = 0; i < n; i++) {
      // The other rows, transposed: c×(n−1); b = row i as a column.
      const others = new Float64Array(c * (n - 1));
      for (let r = 0, col = 0; r < n; r++) {
        if (r === i) continue;
        for (let j = 0; j < c; j++) others[j * (n - 1) + col] = a.data[r * c + j]!;
        col++;
      }
      const b = a.data.slice(i * c, (i + 1) * c);
      const x = new SingularValueDecomposition({ data: others, rows: c, cols: n - 1 }).solve({ data: b, rows: c, cols: 1 }).to1DArray();
      let residual = 0;
      let scale = 0;
      for (let j = 0; j < c; j++) {
        let fit = 0;
        for (let l = 0; l < n - 1; l++) fit += others[j * (n - 1) + l]! * x[l]!;
        residual = Math.max(residual, Math.abs(b[j]! - fit));
        scale = Math.max(scale, Math.abs(b[j]!));
      }
      // `!(… ≤ …)` also skips NaN: a pseudo-inverse that overflowed (σ near the subnormals) explains nothing.
      if (!(residual / (scale || 1) <= thresholdError)) continue;
      for (let r = 0, l = 0; r < n; r++) {
        if (r === i) continue;
        const v = x[l++]!;
        out[i * n + r] = Math.abs(v) < thresholdValue ? 0 : v;
      }
    }
  }
  return buildMatrix(resultClass(matrix), n, n, out);
}

/** ml-matrix's default export, its `Matrix` class. */
export default Matrix;
