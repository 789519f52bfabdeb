// The cells of the drop-in comparison: each adapter against the library it
// replaces, called the way that library's users call it, with the input built
// outside the timing (number[][] for all three; an ml-matrix Matrix for the
// second ml-matrix form). Shared by peers.bench.js (the benchmark family) and
// compat-table.js (the pairwise table in the README).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const COMPAT_SIZES = [
  [2, 2], [3, 3], [4, 4], [8, 8], [10, 10], [16, 16], [32, 32], [200, 100], [2000, 256],
];

/** The adapter modules, from dist/ (what users import). */
export async function loadAdapters() {
  const url = (name) => new URL(`../../dist/compat/${name}.js`, import.meta.url).href;
  return { svdJs: await import(url('svd-js')), numeric: await import(url('numeric')), mlMatrix: await import(url('ml-matrix')) };
}

/** Descending singular values of each result form, for the answer checks. */
const desc = (v) => Float64Array.from(v).sort().reverse();

/**
 * The cells: { id, peer, call, form, peerFn(input), adapterFn(input), input(rows), values(result) }.
 * `values` is 'all' (the default call) or 'values' (values only, where the peer has such a call).
 */
export function compatCells(adapters) {
  const { Matrix } = require('ml-matrix');
  const peerSvdJs = require('svd-js').SVD;
  const peerNumeric = require('numeric').svd;
  const PeerSvd = require('ml-matrix').SingularValueDecomposition;
  const { SVD: mySvdJs } = adapters.svdJs;
  const { svd: myNumeric } = adapters.numeric;
  const MySvd = adapters.mlMatrix.SingularValueDecomposition;
  const NONE = { computeLeftSingularVectors: false, computeRightSingularVectors: false };
  const rowsForm = (rows) => rows;
  const matrixForm = (rows) => new Matrix(rows);
  return [
    { id: 'svd-js', peer: 'svd-js', call: 'SVD(a)', input: rowsForm, peerFn: (a) => peerSvdJs(a), adapterFn: (a) => mySvdJs(a), values: (r) => desc(r.q) },
    { id: 'svd-js-values', peer: 'svd-js', call: 'SVD(a, false, false)', input: rowsForm, peerFn: (a) => peerSvdJs(a, false, false), adapterFn: (a) => mySvdJs(a, false, false), values: (r) => desc(r.q) },
    { id: 'numeric', peer: 'numeric', call: 'svd(A)', input: rowsForm, peerFn: (a) => peerNumeric(a), adapterFn: (a) => myNumeric(a), values: (r) => desc(r.S) },
    { id: 'ml-matrix-rows', peer: 'ml-matrix', call: 'new SVD(number[][])', input: rowsForm, peerFn: (a) => new PeerSvd(a), adapterFn: (a) => new MySvd(a), values: (r) => desc(r.diagonal) },
    { id: 'ml-matrix-matrix', peer: 'ml-matrix', call: 'new SVD(Matrix)', input: matrixForm, peerFn: (a) => new PeerSvd(a), adapterFn: (a) => new MySvd(a), values: (r) => desc(r.diagonal) },
    { id: 'ml-matrix-rows-values', peer: 'ml-matrix', call: 'new SVD(number[][], no vectors)', input: rowsForm, peerFn: (a) => new PeerSvd(a, NONE), adapterFn: (a) => new MySvd(a, NONE), values: (r) => desc(r.diagonal) },
    { id: 'ml-matrix-matrix-values', peer: 'ml-matrix', call: 'new SVD(Matrix, no vectors)', input: matrixForm, peerFn: (a) => new PeerSvd(a, NONE), adapterFn: (a) => new MySvd(a, NONE), values: (r) => desc(r.diagonal) },
  ];
}

/** A seeded uniform matrix in [-0.5, 0.5) as number[][] (LCG: independent of the libraries timed). */
export function randomRows(rows, cols, seed) {
  let s = seed >>> 0;
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32 - 0.5;
    }),
  );
}

/** Targets of issue 12: ≥ 1 everywhere, ≥ 2 at 3×3, ≥ 40 at 2000×256 (peer time / adapter time). */
export function targetFactor(rows, cols) {
  if (rows === 3 && cols === 3) return 2;
  if (rows === 2000 && cols === 256) return 40;
  return 1;
}
