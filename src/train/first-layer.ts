/**
 * Two ways to start with an ε-linearly-independent first layer (the idea of
 * arXiv 2507.11962, designed here from that idea alone):
 *
 * structuredFirstLayer — by construction. Neuron i is σ(wᵢ·x + bᵢ) with its
 * transition placed at a centre cᵢ of a low-discrepancy (Halton) sequence over
 * the domain, bᵢ = −wᵢ·cᵢ, its direction spread evenly (±1 in 1-D, golden-angle
 * angles in 2-D) and its steepness |wᵢ| cycling through a small geometric range.
 * Shifted, differently oriented sigmoids are far from linearly dependent, so the
 * first layer's Gram has many eigenvalues above ε from step 0.
 *
 * pretrainFirstLayer — by optimisation. Before the main training, Adam moves
 * only the first layer to minimise ‖Ĝ − I‖²_F / n², where Ĝ is the first
 * layer's probe Gram normalised by its mean diagonal: a differentiable push
 * towards orthogonal (hence ε-independent) neurons.
 */
import type { Tf } from './backend.js';
import type { Model } from './model.js';

function halton(index: number, base: number): number {
  let f = 1;
  let r = 0;
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    f /= base;
    r += f * (i % base);
  }
  return r;
}

export function structuredFirstLayer(tf: Tf, model: Model, dim: number): void {
  const layer = model.getLayer('h1');
  // getWeights() hands back the layer's own variables: read the shape, dispose nothing.
  const n = (layer.getWeights()[0] as { shape: number[] }).shape[1]!;
  const w = new Float32Array(dim * n);
  const b = new Float32Array(n);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const steep = 2 * 2 ** (i % 4); // 2, 4, 8, 16: coarse to fine transitions
    const centre = Array.from({ length: dim }, (_, d) => -1 + 2 * halton(i + 1, [2, 3][d]!));
    const dir = dim === 1 ? [i % 2 === 0 ? 1 : -1] : [Math.cos(i * golden), Math.sin(i * golden)];
    let dot = 0;
    for (let d = 0; d < dim; d++) {
      w[d * n + i] = steep * dir[d]!; // kernel is [dim, n], row-major
      dot += steep * dir[d]! * centre[d]!;
    }
    b[i] = -dot;
  }
  const kt = tf.tensor2d(w, [dim, n]);
  const bt = tf.tensor1d(b);
  layer.setWeights([kt, bt]);
  kt.dispose();
  bt.dispose();
}

/** Runs `steps` Adam steps on the first layer only; returns the final decorrelation loss. */
export function pretrainFirstLayer(tf: Tf, model: Model, x: unknown, weights: Float64Array, steps: number, lr = 0.01): number {
  const layer = model.getLayer('h1');
  const vars = layer.trainableWeights.map((v: { read(): unknown }) => v.read());
  const opt = tf.train.adam(lr);
  const w = tf.tensor2d(Float32Array.from(weights), [weights.length, 1]);
  let last = NaN;
  for (let s = 0; s < steps; s++) {
    const cost = opt.minimize(() => {
      const phi = layer.apply(x);
      const g = tf.matMul(tf.mul(phi, w), phi, true, false);
      const n = g.shape[0];
      const eye = tf.eye(n);
      const meanDiag = tf.div(tf.sum(tf.mul(g, eye)), n);
      return tf.div(tf.sum(tf.square(tf.sub(tf.div(g, meanDiag), eye))), n * n);
    }, true, vars);
    if (s === steps - 1) last = (cost.dataSync() as Float32Array)[0]!;
    cost.dispose();
  }
  opt.dispose();
  w.dispose();
  return last;
}
