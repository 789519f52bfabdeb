// The Gram matrix aᵀa of a 10000×1024 float32 feature matrix, and how close
// effrank gets to the machine's sgemm rate. A symmetric Gram needs only n²N
// flops (half a gemm's 2n²N), so effrank's rate counts n²N.
import { close, shapeMatches } from './lib/checks.js';
import { cached, randomMatrix } from './lib/random.js';

const N = 10000;
const n = 1024;
const MIN_FRACTION = 0.7;
const matrix = cached(randomMatrix);

const SAME_SHAPE = 'sgemm aᵀb 1024×10000·10000×1024';
const SQUARE = 'sgemm 2048×2048';

/** effrank's Gram GFLOP/s (n²N flops) and the machine's best measured sgemm GFLOP/s. */
function rates({ effrank, extras }) {
  const gram = (n * n * N) / (effrank.ms * 1e6);
  const sgemm = Math.max(extras[SAME_SHAPE]?.gflops ?? 0, extras[SQUARE]?.gflops ?? 0);
  return { gram, sgemm };
}

export const cases = [
  {
    id: 'gram-10000x1024-f32',
    label: 'gram 10000×1024',
    size: '10000×1024 float32 → 1024×1024',
    inputs: () => ({ a: matrix(N, n, 'float32', 201) }),
    effrank: (fx, { a }) => fx.gram(a, { side: 'cols' }),
    numpy: [
      { name: 'a.T @ a', op: 'gram_ata' },
      { name: SAME_SHAPE, op: 'gemm_at_b', role: 'extra' },
      { name: SQUARE, op: 'gemm_square', params: { n: 2048, dtype: 'float32' }, role: 'extra' },
    ],
    check: (g, ref) => {
      const bad = shapeMatches(g, ref.shape, 'gram');
      if (bad) return bad;
      let trace = 0;
      for (let i = 0; i < n; i++) trace += g.data[i * n + i];
      if (!close(trace, ref.trace, 1e-4)) return `trace ${trace} vs ${ref.trace}`;
      // float32 sums of 10000 terms: compare g01 on the scale of a diagonal entry.
      if (!close(g.data[1], ref.g01, 1e-3, 1e-5 * (ref.trace / n))) return `g[0][1] ${g.data[1]} vs ${ref.g01}`;
      return undefined;
    },
    target: {
      text: `≥ ${MIN_FRACTION.toFixed(2)} of sgemm`,
      evaluate: (ctx) => {
        const { gram, sgemm } = rates(ctx);
        const fraction = sgemm ? gram / sgemm : NaN;
        return { value: fraction, pass: fraction >= MIN_FRACTION, show: `${fraction.toFixed(2)} of sgemm` };
      },
    },
    notes: (ctx) => {
      const { gram, sgemm } = rates(ctx);
      const fmt = (r) => (r?.gflops ? `${r.gflops.toFixed(0)} GFLOP/s` : 'n/a');
      return [
        `${SQUARE}: ${fmt(ctx.extras[SQUARE])}; ${SAME_SHAPE}: ${fmt(ctx.extras[SAME_SHAPE])} (2mnk flops)`,
        `effrank gram: ${gram.toFixed(0)} GFLOP/s counting n²N flops` +
          (sgemm ? ` = ${(gram / sgemm).toFixed(2)} of the faster sgemm` : ''),
      ];
    },
  },
];
