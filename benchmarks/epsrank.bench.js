// The ε-rank of a 10000×1024 float32 feature matrix with default options
// (method 'auto'), against what a numpy user writes:
// np.linalg.eigvalsh(A.T @ A) and a count, in float64 (the target) and, for
// scale, in float32.
import { close } from './lib/checks.js';
import { cached, randomMatrix } from './lib/random.js';
import { ratioAtMost } from './lib/targets.js';

const N = 10000;
const n = 1024;
const SEED = 501;
const matrix = cached(randomMatrix);

// λ_max of AᵀA for this seed, computed once outside the suite with numpy
// (float64 A.T @ A, np.linalg.eigvalsh). The spectrum is Marchenko–Pastur-like
// on [1528.5, 5774.3]; every case re-checks λ_max against numpy's, so a change
// of the generator cannot silently move ε.
const LAMBDA_MAX = 5774.303319285522;

// ε relative to λ_max, given to effrank as absolute thresholds (a single
// absolute ε is what takes the 'auto' → inertia route when the trace bound
// settles it). 1e-3 and 1e-2 count all 1024 eigenvalues; 0.5 lands inside the
// spectrum (617 above it), so the count check has teeth.
const RELATIVE = [1e-3, 1e-2, 0.5];

const F64 = 'A.T@A + eigvalsh + count (float64)';
const F32 = 'A.T@A + eigvalsh + count (float32)';

// Wide features: a conv layer's 16×16×32 = 8192 units on 512 probe points,
// ε = 1e-3 with scale 1/512 (the mean over the probe). numpy's best route is
// the dual one: eigvalsh of the 512×512 kernel.
const WIDE_N = 512;
const WIDE_n = 8192;
const WIDE_SCALE = 1 / WIDE_N;
const WIDE_EPS = 1e-3;
const DUAL = 'A@A.T·scale + eigvalsh + count (float32)';

const wide = {
  id: 'eps-rank-512x8192-f32-wide',
  label: 'epsRank 512×8192 (wide, dual route)',
  size: `${WIDE_N}×${WIDE_n} float32, ε = ${WIDE_EPS}, scale 1/${WIDE_N}`,
  inputs: () => ({ a: matrix(WIDE_N, WIDE_n, 'float32', 502) }),
  effrank: (fx, { a }) => fx.epsRankDetailed(a, { eps: WIDE_EPS, scale: WIDE_SCALE }),
  numpy: [{ name: DUAL, op: 'eps_rank_dual', params: { eps: WIDE_EPS, scale: WIDE_SCALE } }],
  check: (d, ref) => (d.counts[0] === ref.count ? undefined : `count ${d.counts[0]} vs ${ref.count}`),
  target: ratioAtMost(1.0, [DUAL]),
  notes: ({ result }) => [result && `effrank method: ${result.method} on the ${result.side} side (${result.dtype}), count ${result.counts[0]} of ${WIDE_n}`],
};

export const cases = [wide, ...RELATIVE.map((rel) => {
  const eps = rel * LAMBDA_MAX;
  return {
    id: `eps-rank-10000x1024-f32-eps${rel}`,
    label: `epsRank 10000×1024 ε=${rel}·λmax`,
    size: `${N}×${n} float32, ε = ${eps.toPrecision(6)}`,
    inputs: () => ({ a: matrix(N, n, 'float32', SEED), eps }),
    // epsRankDetailed does exactly epsRank's work and also says which method ran.
    effrank: (fx, { a }) => fx.epsRankDetailed(a, { eps }),
    numpy: [
      { name: F64, op: 'eps_rank_eigvalsh', params: { eps, dtype: 'float64' } },
      { name: F32, op: 'eps_rank_eigvalsh', params: { eps } },
    ],
    check: (d, ref) => {
      if (!close(ref.lambdaMax, LAMBDA_MAX, 1e-4)) return `numpy's λ_max ${ref.lambdaMax} is not the ${LAMBDA_MAX} ε was set from`;
      return d.counts[0] === ref.count ? undefined : `count ${d.counts[0]} vs ${ref.count}`;
    },
    target: ratioAtMost(0.5, [F64]),
    notes: ({ result }) => [
      result && `effrank method: ${result.method} (${result.dtype} Gram), count ${result.counts[0]} of ${n}` +
        (result.lambdaMax === null ? '' : `, λ_max ${result.lambdaMax.toPrecision(6)}`),
    ],
  };
})];
