// Counting eigenvalues above a threshold (inertia of G − t·I via ?sytrf)
// against computing them all, plus effrank's own eigvalsh for scale.
import { close } from './lib/checks.js';
import { cached, randomSymmetric } from './lib/random.js';
import { fasterBy } from './lib/targets.js';

const SIZES = [1024, 2048, 4096];
const TARGET_N = 2048;
const symmetric = cached(randomSymmetric);

/**
 * The mean of the diagonal: for B + Bᵀ the spectrum is a semicircle centred
 * there, so about half the eigenvalues lie above it, and no eigenvalue sits
 * especially close to it.
 */
function meanDiagonal({ data, rows }) {
  let s = 0;
  for (let i = 0; i < rows; i++) s += data[i * rows + i];
  return s / rows;
}

// One eigendecomposition takes ~2.5 s at n = 4096 here: three samples suffice.
const policyFor = (n) => (n >= 4096 ? { minSamples: 3, maxSamples: 3 } : undefined);

const numpyCount = [
  { name: 'np.linalg.eigvalsh + count', op: 'eigvalsh_count', params: ({ threshold }) => ({ threshold }) },
];

export const cases = SIZES.flatMap((n) => {
  const inputs = () => {
    const a = symmetric(n, 'float64', 300 + n);
    return { a, threshold: meanDiagonal(a) };
  };
  return [
    {
      id: `count-above-${n}-f64`,
      label: `countEigenvaluesAbove n=${n}`,
      size: `${n}×${n} float64 symmetric`,
      inputs,
      effrank: (fx, { a, threshold }) => fx.countEigenvaluesAbove(a, threshold),
      numpy: numpyCount,
      check: (count, ref) => (count === ref.count ? undefined : `count ${count} vs ${ref.count}`),
      target: n === TARGET_N ? fasterBy(4) : undefined,
      policy: policyFor(n),
    },
    {
      // The same numpy job as the count, timed again so it alternates with this case.
      id: `eigvalsh-${n}-f64`,
      label: `eigvalsh n=${n}`,
      size: `${n}×${n} float64 symmetric`,
      inputs,
      effrank: (fx, { a }) => fx.eigvalsh(a),
      numpy: numpyCount,
      check: (w, ref) => {
        const scale = Math.max(Math.abs(ref.min), Math.abs(ref.max));
        if (!close(w[0], ref.min, 1e-8, 1e-8 * scale)) return `min ${w[0]} vs ${ref.min}`;
        if (!close(w[w.length - 1], ref.max, 1e-8, 1e-8 * scale)) return `max ${w[w.length - 1]} vs ${ref.max}`;
        return undefined;
      },
      policy: policyFor(n),
    },
  ];
});
