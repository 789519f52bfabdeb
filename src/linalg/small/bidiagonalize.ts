/**
 * Householder bidiagonalization of a small tall matrix, and the accumulation
 * of its reflectors into U and V (Golub & Van Loan, §5.4.8 and §5.1.6).
 *
 * W is M×N row-major with M ≥ N. Afterwards Uᵀ·W·V = B, upper bidiagonal with
 * diagonal d[0..N) and superdiagonal e[0..N−1). The reflector vectors are
 * kept in W (the left ones below the diagonal, the right ones right of the
 * superdiagonal, each with an implicit leading 1), their factors in tauL and
 * tauR. U and V are column-major (column j at j·M, resp. j·N), so that the
 * bidiagonal QR's rotations, which combine columns, run over contiguous memory.
 *
 * The input is scaled (./scratch.ts scaleFor) so that its largest entry lies
 * in [2⁻¹⁰⁰, 2¹⁰⁰]: squares cannot overflow, and norms fall back to a scaled
 * sum only when everything they add is tiny.
 */

/** Sums of squares above this lose nothing to underflowed squares of the entries. */
const SAFE_SUM = 2 ** -900;
const UP = 2 ** 600;
const SAFE_BIG = 2 ** 900;
const TINY_NORM = 2 ** -900;

/** ‖x‖ over count entries of x[off + i·stride], robust to entries whose squares underflow. */
function norm(x: Float64Array, off: number, count: number, stride: number): number {
  let ss = 0;
  for (let i = 0, o = off; i < count; i++, o += stride) ss += x[o]! * x[o]!;
  if (ss > SAFE_SUM) return Math.sqrt(ss);
  ss = 0;
  for (let i = 0, o = off; i < count; i++, o += stride) {
    const y = x[o]! * UP;
    ss += y * y;
  }
  return Math.sqrt(ss) / UP;
}

/** √(a² + b²) without losing tiny operands or overflowing on huge ones (a shift's first rotation can see 10²⁶⁰). */
export function hypot2(a: number, b: number): number {
  const ss = a * a + b * b;
  if (ss > SAFE_SUM && ss < SAFE_BIG) return Math.sqrt(ss);
  const m = Math.max(Math.abs(a), Math.abs(b));
  if (m === 0) return 0;
  const x = a / m;
  const y = b / m;
  return Math.sqrt(x * x + y * y) * m;
}

/**
 * Makes x[off + i·stride], i < count, into β·e₀ by H = I − τ·v·vᵀ with v₀ = 1:
 * v[1..] overwrites x[1..], x[0] becomes β, and τ is returned (0: H = I, when
 * x[1..] is already zero; β then keeps the sign of x₀, as LAPACK's does).
 */
function reflector(x: Float64Array, off: number, count: number, stride: number): number {
  if (count <= 1) return 0;
  // ‖x[1..]‖ and √(α² + ‖x[1..]‖²) inline in the common case (a call returning a double boxes it).
  let ss = 0;
  for (let i = 1, o = off + stride; i < count; i++, o += stride) ss += x[o]! * x[o]!;
  if (ss === 0 && norm(x, off + stride, count - 1, stride) === 0) return 0;
  let alpha = x[off]!;
  const total = alpha * alpha + ss;
  let r = ss > SAFE_SUM && total < SAFE_BIG ? Math.sqrt(total) : hypot2(alpha, norm(x, off + stride, count - 1, stride));
  // Near the subnormals v = x/(α − β) would lose the bits that make H orthogonal: scale x up (exactly) first.
  const up = r < TINY_NORM;
  if (up) {
    for (let i = 0, o = off; i < count; i++, o += stride) x[o]! *= UP;
    alpha = x[off]!;
    r = hypot2(alpha, norm(x, off + stride, count - 1, stride));
  }
  const beta = alpha >= 0 ? -r : r;
  const scale = 1 / (alpha - beta);
  for (let i = 1, o = off + stride; i < count; i++, o += stride) x[o]! *= scale;
  x[off] = up ? beta / UP : beta;
  return (beta - alpha) / beta;
}

/** Reduces W (M×N row-major, M ≥ N) to bidiagonal form in place. */
export function bidiagonalize(w: Float64Array, M: number, N: number, d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array): void {
  for (let k = 0; k < N; k++) {
    const kk = k * N + k;
    // Left: zero column k below the diagonal, then apply H to the columns right of it.
    const tl = reflector(w, kk, M - k, N);
    tauL[k] = tl;
    d[k] = w[kk]!;
    if (tl !== 0) {
      for (let j = k + 1; j < N; j++) {
        let s = w[k * N + j]!;
        for (let i = k + 1; i < M; i++) s += w[i * N + k]! * w[i * N + j]!;
        s *= tl;
        w[k * N + j]! -= s;
        for (let i = k + 1; i < M; i++) w[i * N + j]! -= s * w[i * N + k]!;
      }
    }
    if (k >= N - 1) continue;
    // Right: zero row k beyond the superdiagonal, then apply G to the rows below.
    const tr = reflector(w, kk + 1, N - k - 1, 1);
    tauR[k] = tr;
    e[k] = w[kk + 1]!;
    if (tr !== 0) {
      for (let i = k + 1; i < M; i++) {
        const row = i * N;
        let s = w[row + k + 1]!;
        for (let j = k + 2; j < N; j++) s += w[row + j]! * w[k * N + j]!;
        s *= tr;
        w[row + k + 1]! -= s;
        for (let j = k + 2; j < N; j++) w[row + j]! -= s * w[k * N + j]!;
      }
    }
  }
}

/**
 * U = H₀·H₁·…·H_{N−1} applied to the first `cols` columns of the M×M
 * identity (cols = N: thin, M: full), column-major, by backward accumulation:
 * H_k leaves the columns before k of the partial product alone.
 */
export function accumulateLeft(w: Float64Array, M: number, N: number, tauL: Float64Array, u: Float64Array, cols: number): void {
  // Plain loops, not fill(): a builtin call costs more than filling a few dozen entries.
  for (let i = 0; i < M * cols; i++) u[i] = 0;
  for (let j = 0; j < cols; j++) u[j * M + j] = 1;
  for (let k = N - 1; k >= 0; k--) {
    const t = tauL[k]!;
    if (t === 0) continue;
    for (let j = k; j < cols; j++) {
      const c = j * M;
      let s = u[c + k]!;
      for (let i = k + 1; i < M; i++) s += w[i * N + k]! * u[c + i]!;
      s *= t;
      u[c + k]! -= s;
      for (let i = k + 1; i < M; i++) u[c + i]! -= s * w[i * N + k]!;
    }
  }
}

/** V = G₀·G₁·…·G_{N−3} (N×N, column-major), G_k acting on coordinates k+1..N−1. */
export function accumulateRight(w: Float64Array, N: number, tauR: Float64Array, v: Float64Array): void {
  for (let i = 0; i < N * N; i++) v[i] = 0;
  for (let j = 0; j < N; j++) v[j * N + j] = 1;
  for (let k = N - 3; k >= 0; k--) {
    const t = tauR[k]!;
    if (t === 0) continue;
    const row = k * N;
    for (let j = k + 1; j < N; j++) {
      const c = j * N;
      let s = v[c + k + 1]!;
      for (let i = k + 2; i < N; i++) s += w[row + i]! * v[c + i]!;
      s *= t;
      v[c + k + 1]! -= s;
      for (let i = k + 2; i < N; i++) v[c + i]! -= s * w[row + i]!;
    }
  }
}
