/**
 * Centring for sources that no longer have their rows: a streamed
 * GramAccumulator and a Gram or kernel formed on a tfjs device. They keep
 * the weighted sums instead, and centre with the one-pass identities below.
 * Sources that still have their rows (a feature matrix, host activations)
 * are centred natively by the two-pass weighted mean (native/spectrum.cpp,
 * weightedColumnMean), which is as accurate as centring the rows first.
 */
import { EffrankError } from '../core/errors.js';

/**
 * M = scale·(G − s·μᵀ), μ = s/W, in place, from the raw weighted Gram
 * G = Σ w_k φ_kφ_kᵀ (n×n), the weighted column sums s = Σ w_k φ_k and the
 * total weight W. With `center` false it only scales. The lower triangle is
 * mirrored, so M is exactly symmetric. μ = s/W rather than 1/W: 1/W
 * overflows for a subnormal W. An entry that overflows is ERR_NON_FINITE
 * unless `allowOverflow` (a raw accessor returns what it has).
 */
export function finishGram(
  g: Float64Array,
  n: number,
  o: { sums?: ArrayLike<number>; weightSum: number; center: boolean; scale: number; allowOverflow?: boolean },
): Float64Array {
  const { sums, weightSum, center, scale } = o;
  const mean = center && sums && weightSum > 0 ? Float64Array.from(sums, (x) => x / weightSum) : null;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const c = scale * (mean ? g[i * n + j]! - sums![i]! * mean[j]! : g[i * n + j]!);
      g[i * n + j] = c;
      g[j * n + i] = c;
    }
  }
  return o.allowOverflow ? g : checkFinished(g, 'M');
}

/**
 * The dual kernel K = scale·D^½·P·R·Pᵀ·D^½ in place, from the raw kernel
 * R = Φ·Φᵀ (N×N, unweighted), with D = diag(w) and P = I − 1wᵀ/W the
 * weighted centring (identity when not centring):
 *   (P·R·Pᵀ)_kl = R_kl − r_k/W − r_l/W + c/W²,  r = R·w, c = wᵀ·R·w.
 * Its non-zero eigenvalues are those of M = scale·(Φ − 1μᵀ)ᵀ·D·(Φ − 1μᵀ).
 */
export function finishKernel(r: Float64Array, N: number, o: { weights?: ArrayLike<number>; center: boolean; scale: number }): Float64Array {
  const w = o.weights;
  const wt = (k: number) => (w ? w[k]! : 1);
  let shift: Float64Array | null = null;
  let c = 0;
  let W = 0;
  if (o.center) {
    for (let k = 0; k < N; k++) W += wt(k);
    if (W > 0) {
      shift = new Float64Array(N);
      for (let k = 0; k < N; k++) {
        let s = 0;
        for (let l = 0; l < N; l++) s += r[k * N + l]! * wt(l);
        shift[k] = s / W;
        c += wt(k) * shift[k]!;
      }
      c /= W;
    }
  }
  for (let k = 0; k < N; k++) {
    const sk = Math.sqrt(wt(k));
    for (let l = 0; l <= k; l++) {
      const centred = shift ? r[k * N + l]! - shift[k]! - shift[l]! + c : r[k * N + l]!;
      const v = o.scale * sk * Math.sqrt(wt(l)) * centred;
      r[k * N + l] = v;
      r[l * N + k] = v;
    }
  }
  return checkFinished(r, 'the dual kernel');
}

function checkFinished(g: Float64Array, what: string): Float64Array {
  for (let i = 0; i < g.length; i++) {
    if (!Number.isFinite(g[i]!)) {
      throw new EffrankError('ERR_NON_FINITE', `${what} overflows float64 although its inputs are finite; rescale the features (or pass a smaller \`scale\`)`);
    }
  }
  return g;
}
