// Singular values and the thin SVD of tall float64 matrices.
import { shapeMatches, vectorMatches } from './lib/checks.js';
import { singularValuePeers } from './lib/peers.js';
import { cached, randomMatrix } from './lib/random.js';
import { ratioAtMost } from './lib/targets.js';

const matrix = cached(randomMatrix);

export const cases = [
  {
    id: 'svdvals-2000x256-f64',
    label: 'svdvals 2000×256',
    size: '2000×256 float64',
    inputs: () => ({ a: matrix(2000, 256, 'float64', 101) }),
    effrank: (fx, { a }) => fx.svdvals(a),
    numpy: [
      { name: 'scipy.linalg.svdvals', op: 'svdvals_scipy' },
      { name: 'np.linalg.svd(compute_uv=False)', op: 'svdvals_numpy' },
    ],
    check: (s, ref) => vectorMatches(s, ref, 1e-8, 's'),
    target: ratioAtMost(1.0),
    peers: singularValuePeers,
  },
  {
    id: 'svd-thin-2000x500-f64',
    label: 'svd thin 2000×500',
    size: '2000×500 float64, U and Vᵀ',
    inputs: () => ({ a: matrix(2000, 500, 'float64', 102) }),
    effrank: (fx, { a }) => fx.svd(a, { vectors: 'thin' }),
    numpy: [{ name: 'np.linalg.svd(full_matrices=False)', op: 'svd_thin' }],
    check: (r, ref) => vectorMatches(r.s, ref.s, 1e-8, 's') ?? shapeMatches(r.u, ref.u, 'u') ?? shapeMatches(r.vt, ref.vt, 'vt'),
    target: ratioAtMost(1.0),
  },
];
