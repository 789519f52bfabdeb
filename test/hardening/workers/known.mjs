/**
 * Dense matrices with known spectra, in O(m·n) plain JS (no library code):
 * A = H₁·D·H₂ with Householder reflectors H = I − 2vvᵀ/vᵀv, so the singular
 * values of A are |d| exactly, and S = H·diag(λ)·H has eigenvalues λ. Used
 * by the worker scripts and the concurrency tests as independent references.
 */

/** mulberry32: a small seeded PRNG. */
export function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unit(n, next) {
  const v = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += (v[i] = next() - 0.5) ** 2;
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

/** m×n row-major A = H₁·D·H₂ (D = m×n with d on its diagonal); its singular values are |d|. */
export function withSingularValues(m, n, d, seed, Array = Float64Array) {
  const next = rng(seed);
  const u = unit(m, next);
  const w = unit(n, next);
  const k = Math.min(m, n);
  // B = H₁·D = D − 2u(uᵀD); (uᵀD)_j = u_j·d_j for j < k.
  const a = new Float64Array(m * n);
  for (let j = 0; j < k; j++) a[j * n + j] = d[j];
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) a[i * n + j] -= 2 * u[i] * u[j] * d[j];
  // A = B·H₂ = B − 2(Bw)wᵀ.
  for (let i = 0; i < m; i++) {
    let bw = 0;
    for (let j = 0; j < n; j++) bw += a[i * n + j] * w[j];
    for (let j = 0; j < n; j++) a[i * n + j] -= 2 * bw * w[j];
  }
  return { data: Array === Float64Array ? a : Array.from(a), rows: m, cols: n };
}

/** Symmetric n×n S = H·diag(λ)·H (exactly symmetric: the lower triangle mirrored); eigenvalues λ. */
export function withEigenvalues(lambda, seed) {
  const n = lambda.length;
  const v = unit(n, rng(seed));
  // H·Λ·H = Λ − 2v(vᵀΛ) − 2(Λv)vᵀ + 4(vᵀΛv)vvᵀ
  let vLv = 0;
  for (let i = 0; i < n; i++) vLv += v[i] * lambda[i] * v[i];
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = (i === j ? lambda[i] : 0) - 2 * v[i] * v[j] * lambda[j] - 2 * lambda[i] * v[i] * v[j] + 4 * vLv * v[i] * v[j];
      s[i * n + j] = x;
      s[j * n + i] = x;
    }
  }
  return { data: s, rows: n, cols: n };
}

/** max_i |a_i − b_i| / max(1, max|b|). */
export function relError(a, b) {
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  if (a.length !== b.length) return Infinity;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}

export const descending = (x) => Array.from(x).sort((p, q) => q - p);
export const ascending = (x) => Array.from(x).sort((p, q) => p - q);
