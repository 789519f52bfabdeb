// Pure-JS peer libraries, for `peers` lists in case definitions. Each peer's
// setup converts the input to the library's own form outside the timing, and
// returns the call to time.
import { createRequire } from 'node:module';

// The peers ship CommonJS builds; require() avoids guessing their ESM interop.
const require = createRequire(import.meta.url);

/** number[][] rows of a row-major matrix: the form every JS peer takes. */
export function toRows({ data, rows, cols }) {
  const out = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Array.from(data.subarray(i * cols, (i + 1) * cols));
  return out;
}

/** Singular values only, from each peer (all need rows ≥ cols). */
export const singularValuePeers = [
  {
    name: 'svd-js',
    setup: async ({ a }) => {
      const { SVD } = require('svd-js');
      const rows = toRows(a);
      return () => SVD(rows, false, false).q;
    },
  },
  {
    name: 'ml-matrix',
    setup: async ({ a }) => {
      const { Matrix, SingularValueDecomposition } = require('ml-matrix');
      const m = new Matrix(toRows(a));
      const opts = { computeLeftSingularVectors: false, computeRightSingularVectors: false };
      return () => new SingularValueDecomposition(m, opts).diagonal;
    },
  },
  {
    name: 'numeric',
    setup: async ({ a }) => {
      const numeric = require('numeric');
      const rows = toRows(a);
      return () => numeric.svd(rows).S; // always forms U and V: numeric has no values-only SVD
    },
  },
].map((p) => ({ ...p, policy: { minSamples: 3, maxSamples: 3 } })); // ~0.4–1.1 s a call here
