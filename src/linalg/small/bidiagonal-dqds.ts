/**
 * The singular values (only) of an upper bidiagonal matrix B (diagonal d,
 * superdiagonal f) by the dqds algorithm (Fernando & Parlett 1994). It works
 * on the squares q_i = d_i², e_i = f_i², and each transform is a chain of
 * additions, multiplications and one division per entry: no square roots, and
 * every quantity is computed to high relative accuracy from its inputs, so
 * that tiny singular values of graded matrices keep their relative accuracy.
 *
 * - A transform with shift τ maps the qd array of BBᵀ to that of BBᵀ − τI. It
 *   stays positive exactly when τ < λ_min; a shift that makes a d negative is
 *   rejected and the transform redone with a smaller one, last τ = 0, which
 *   always succeeds on nonnegative data (a zero d then moves to the bottom
 *   and splits off).
 * - The shift is a Laguerre step on det(T − λI) from λ = 0 (T = BᵀB of the
 *   current, already shifted array): below λ_min in exact arithmetic and
 *   cubically convergent to it, with the Newton step 1/trace(T⁻¹) (further
 *   below) as the first retry. The shifts accumulate in σ; an eigenvalue
 *   found is σ + q.
 * - e_{hi−1} ≤ tol²·(σ + q_hi) deflates the bottom: dropping √e_{hi−1} from B
 *   moves each eigenvalue ≥ σ + q_hi by a relative ~tol at most (Weyl), far
 *   less once converged. An interior e_i ≤ tol²·σ (or 0) splits the block, by
 *   the same argument (every eigenvalue there is ≥ σ).
 * - Squares need an exponent range the kernels' scaled inputs (largest entry
 *   near 1, ./scratch.ts scaleFor) have, unless B's entries or values span
 *   more than about 2⁴⁵⁰: then, and when the iteration cap is hit, this
 *   returns false and the caller keeps its implicit-shift QR (./bidiagonal-qr.ts).
 */

const EPS = 2 ** -52;
/** Deflation tolerance, squared (the qd entries are squares). */
const TOL2 = 100 * EPS * EPS;
/** Entries at or below this are zero, as in ./bidiagonal-qr.ts (below 2⁻⁹⁰⁰·σ₁ for the kernels' inputs). */
const TINY = 2 ** -1000;
/** Nonzero entries below this (above TINY) have squares too close to the underflow threshold: refuse. */
const SQUARE_MIN = 2 ** -450;
const SQUARE_MAX = 2 ** 450;
/**
 * An eigenvalue σ² below this (σ < 2⁻⁴⁵⁰, possible even when every entry is in range: [[a, 1], [0, b]]
 * has σ ≈ ab) may have lost bits to underflow; above it, the subnormal rounding of the shifted
 * entries (absolute, ~2⁻¹⁰⁷⁴ a step) is far below a relative ε of it.
 */
const LAMBDA_MIN = 2 ** -900;

// Two qd arrays (a transform writes the other one, so that a rejected shift leaves its input intact).
let qa = new Float64Array(16);
let ea = new Float64Array(16);
let qb = new Float64Array(16);
let eb = new Float64Array(16);
// Blocks split off above the current one, waiting: their bounds, accumulated shift and which qd array
// (0: qa/ea, 1: qb/eb) holds them (a transform writes only the current block's indices).
let pendingLo = new Int32Array(16);
let pendingHi = new Int32Array(16);
let pendingSigma = new Float64Array(16);
let pendingArray = new Int32Array(16);
// Eigenvalues of BBᵀ as they are found; copied to d only once every one is.
let found = new Float64Array(16);

/**
 * Overwrites d[0..N−1] with the singular values of B (unsorted); f is left
 * unchanged. Returns false (d unchanged) when dqds cannot or did not finish.
 */
export function bidiagonalDqds(d: Float64Array, f: Float64Array, N: number): boolean {
  if (qa.length < N) {
    qa = new Float64Array(N);
    ea = new Float64Array(N);
    qb = new Float64Array(N);
    eb = new Float64Array(N);
    pendingLo = new Int32Array(N);
    pendingHi = new Int32Array(N);
    pendingSigma = new Float64Array(N);
    pendingArray = new Int32Array(N);
    found = new Float64Array(N);
  }
  let q = qa;
  let e = ea;
  // Exact zero values: one for each unreduced block with a zero d (its superdiagonal alone has full
  // rank less one). Any other eigenvalue below LAMBDA_MIN may have underflowed: the QR's job.
  let zeros = 0;
  let zeroInBlock = false;
  for (let i = 0; i < N; i++) {
    let x = d[i]!;
    x = x < 0 ? -x : x;
    if (x <= TINY) x = 0;
    else if (x < SQUARE_MIN || x > SQUARE_MAX) return false;
    q[i] = x * x;
    if (x === 0) zeroInBlock = true;
    let y = i < N - 1 ? f[i]! : 0;
    y = y < 0 ? -y : y;
    if (y <= TINY) y = 0;
    else if (y < SQUARE_MIN || y > SQUARE_MAX) return false;
    e[i] = y * y;
    if (y === 0) {
      if (zeroInBlock) zeros++;
      zeroInBlock = false;
    }
  }

  const maxTransforms = 30 * N + 10;
  let transforms = 0;
  let pending = 0;
  let lo = 0;
  let hi = N - 1;
  let sigma = 0;
  // The block the last transform worked on (its SUMS), none yet.
  let sumsLo = -1;
  let sumsHi = -1;
  // Initial splits at exact zeros are found like any other: the block is taken from the bottom up.
  for (;;) {
    if (hi < lo) {
      if (pending === 0) break;
      pending--;
      lo = pendingLo[pending]!;
      hi = pendingHi[pending]!;
      sigma = pendingSigma[pending]!;
      q = pendingArray[pending] === 0 ? qa : qb;
      e = pendingArray[pending] === 0 ? ea : eb;
      continue;
    }
    if (lo === hi) {
      found[hi] = sigma + q[hi]!;
      hi--;
      continue;
    }
    if (e[hi - 1]! <= TOL2 * (sigma + q[hi]!)) {
      found[hi] = sigma + q[hi]!;
      hi--;
      continue;
    }
    if (lo === hi - 1) {
      twoByTwo(q[lo]!, e[lo]!, q[hi]!, sigma, lo);
      hi = lo - 1;
      continue;
    }
    // An interior split: the block above waits with the current σ.
    let split = -1;
    for (let i = hi - 2; i >= lo; i--) {
      const ei = e[i]!;
      if (ei === 0 || ei <= TOL2 * sigma) {
        split = i;
        break;
      }
    }
    if (split >= 0) {
      pendingLo[pending] = lo;
      pendingHi[pending] = split;
      pendingSigma[pending] = sigma;
      pendingArray[pending] = q === qa ? 0 : 1;
      pending++;
      lo = split + 1;
      continue;
    }
    if (++transforms > maxTransforms) return false;

    // The sums from the last transform serve if the block is the one it produced, or that less its bottom.
    const at = sumsLo === lo && sumsHi === hi ? 0 : sumsLo === lo && sumsHi === hi + 1 ? 2 : -1;
    if (at < 0) sumsOf(q, e, lo, hi);
    let tau = laguerre(hi - lo + 1, at < 0 ? 0 : at);
    const qn = q === qa ? qb : qa;
    const en = q === qa ? eb : ea;
    if (!(tau > 0) || !transform(q, e, qn, en, lo, hi, tau)) {
      tau = NEWTON[0]!;
      if (!(tau > 0) || !transform(q, e, qn, en, lo, hi, tau)) {
        tau = 0;
        // Fails only on non-finite intermediates (an underflowed e beside a zero d): leave it to the QR.
        if (!transform(q, e, qn, en, lo, hi, 0)) return false;
      }
    }
    q = qn;
    e = en;
    sigma += tau;
    sumsLo = lo;
    sumsHi = hi;
  }
  let below = 0;
  for (let i = 0; i < N; i++) if (found[i]! < LAMBDA_MIN) below++;
  if (below > zeros) return false;
  for (let i = 0; i < N; i++) d[i] = Math.sqrt(found[i]!);
  return true;
}

/** laguerre()'s sums as the last transform left them (see transform). */
const SUMS = new Float64Array(4);

/**
 * A Laguerre step on det(T − λI) from λ = 0 for T = BᵀB of the block (k = its
 * size): τ = k/(S₁ + √((k−1)(k·S₂ − S₁²))), with S₁ = trace(T⁻¹), S₂ = trace(T⁻²).
 * For a polynomial with real roots, Laguerre from below the smallest root stays
 * below it and converges cubically (exactly, for a cluster of equal roots).
 * S₁, S₂ come from the derivatives of the pivots of T − λI = LDLᵀ at 0, where
 * D_k = q_k: with ρ = e_{k−1}/q_{k−1}, u_k = −D_k' = 1 + ρ·u_{k−1} and
 * w_k = −D_k'' = ρ·(w_{k−1} + 2u_{k−1}²/q_{k−1}); S₁ = Σ u/q, S₂ = Σ (u/q)² + w/q.
 * Every term is positive: no cancellation but in k·S₂ − S₁² (clamped at 0).
 * A zero q gives an infinite S₁ and τ = 0.
 */
function sumsOf(q: Float64Array, e: Float64Array, lo: number, hi: number): void {
  let u = 1;
  let w = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = lo; ; i++) {
    const iq = 1 / q[i]!;
    const v = u * iq;
    s1 += v;
    s2 += v * v + w * iq;
    if (i === hi) break;
    const rho = e[i]! * iq;
    w = rho * (w + 2 * u * v);
    u = 1 + rho * u;
  }
  SUMS[0] = s1;
  SUMS[1] = s2;
}

/**
 * The Laguerre shift from S₁ = SUMS[at], S₂ = SUMS[at + 1] for a block of k, and in
 * NEWTON[0] the Newton step 1/S₁ (a lower bound too, further below). Both are rounded
 * down a little: once λ_min is isolated they are within rounding of it.
 */
function laguerre(k: number, at: number): number {
  const s1 = SUMS[at]!;
  const margin = 1 - 4 * k * EPS;
  NEWTON[0] = margin / s1;
  let disc = k * SUMS[at + 1]! - s1 * s1;
  if (!(disc > 0)) disc = 0;
  return (margin * k) / (s1 + Math.sqrt((k - 1) * disc));
}

// The last shift's fallback, the Newton step (a typed array: V8 boxes a double kept in a module `let`).
const NEWTON = new Float64Array(1);

/**
 * One dqds transform of the block lo..hi from (q, e) into (qn, en) with shift
 * τ. Returns false, when τ > 0, as soon as an auxiliary d goes negative (τ ≥
 * λ_min up to rounding, or NaN); with τ = 0 it succeeds unless a ratio
 * overflows. Only the block's entries of qn/en are written. On the way it
 * accumulates laguerre()'s sums for the new array (the recurrences run
 * beside the transform's own dependent chain, nearly free), into SUMS:
 * [S₁, S₂] over lo..hi and over lo..hi−1 (the block after a deflation).
 */
function transform(q: Float64Array, e: Float64Array, qn: Float64Array, en: Float64Array, lo: number, hi: number, tau: number): boolean {
  let dd = q[lo]! - tau;
  if (!(dd >= 0)) return false;
  let u = 1;
  let w = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = lo; i < hi; i++) {
    const ei = e[i]!;
    const qh = dd + ei;
    // qh = 0 needs dd = 0 and e_i = 0; e_i > 0 inside a block (splits are taken first).
    const t = q[i + 1]! / qh;
    const eh = ei * t;
    qn[i] = qh;
    en[i] = eh;
    dd = dd * t - tau;
    if (!(dd >= 0 && t <= Number.MAX_VALUE)) return false;
    const iq = 1 / qh;
    const v = u * iq;
    s1 += v;
    s2 += v * v + w * iq;
    const rho = eh * iq;
    w = rho * (w + 2 * u * v);
    u = 1 + rho * u;
  }
  qn[hi] = dd;
  SUMS[2] = s1;
  SUMS[3] = s2;
  const iq = 1 / dd;
  const v = u * iq;
  SUMS[0] = s1 + v;
  SUMS[1] = s2 + v * v + w * iq;
  return true;
}

/**
 * The two eigenvalues of the 2×2 block (q₁, e₁, q₂), i.e. σ² of [[d₁, f₁], [0, d₂]], plus σ:
 * λ₊ = (s + √disc)/2 with s = q₁ + e₁ + q₂, disc = (q₁ − q₂)² + e₁(e₁ + 2q₁ + 2q₂) (no cancellation),
 * and λ₋ = q₁q₂/λ₊ to full relative accuracy. disc is a square of squares, formed on the entries
 * divided by the largest so that it cannot underflow.
 */
function twoByTwo(q1: number, e1: number, q2: number, sigma: number, lo: number): void {
  let m = q1 > q2 ? q1 : q2;
  if (e1 > m) m = e1;
  if (m === 0) {
    found[lo] = sigma;
    found[lo + 1] = sigma;
    return;
  }
  const inv = 1 / m;
  const a = q1 * inv;
  const b = q2 * inv;
  const c = e1 * inv;
  const dq = a - b;
  const big = ((a + c + b + Math.sqrt(dq * dq + c * (c + 2 * a + 2 * b))) / 2) * m;
  found[lo] = sigma + big;
  found[lo + 1] = sigma + (q1 / big) * q2;
}
