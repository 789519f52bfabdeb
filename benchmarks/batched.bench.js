// Singular values of many small float32 matrices in one call.
import { close, vectorMatches } from './lib/checks.js';
import { cached, randomBatch } from './lib/random.js';
import { ratioAtMost } from './lib/targets.js';

const COUNT = 512;
const ROWS = 128;
const COLS = 64;
const batch = cached(randomBatch);

export const cases = [
  {
    id: 'svdvals-batched-512x128x64-f32',
    label: `svdvalsBatched ${COUNT}×(${ROWS}×${COLS})`,
    size: `${COUNT} × ${ROWS}×${COLS} float32`,
    inputs: () => ({ a: batch(COUNT, ROWS, COLS, 'float32', 401) }),
    effrank: (fx, { a }) => fx.svdvalsBatched(a),
    numpy: [{ name: 'np.linalg.svd(stack, compute_uv=False)', op: 'svdvals_batched' }],
    check: (r, ref) => {
      const [count, k] = ref.shape;
      if (r.count !== count || r.k !== k) return `shape ${r.count}×${r.k} vs ${count}×${k}`;
      const bad = vectorMatches(r.data.subarray(0, k), ref.firstMatrix, 1e-4, 'matrix 0');
      if (bad) return bad;
      let sum = 0;
      for (let i = 0; i < r.data.length; i++) sum += r.data[i];
      return close(sum, ref.sum, 1e-4) ? undefined : `sum ${sum} vs ${ref.sum}`;
    },
    target: ratioAtMost(0.5),
  },
];
