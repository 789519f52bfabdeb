/**
 * The singular values of an upper bidiagonal matrix B (diagonal d, superdiagonal
 * e) by implicit-shift QR (Golub & Van Loan, Algorithms 8.6.1–8.6.2):
 * Golub–Kahan steps chase a bulge down each unreduced block until its
 * superdiagonal is negligible. The rotations are applied to the columns of U
 * and V (column-major), so that A = U·B·Vᵀ stays true throughout.
 *
 * - An entry e_i is negligible when |e_i| ≤ ε·(|d_i| + |d_{i+1}|): relative to
 *   its neighbours, so that the small values of a graded matrix keep their
 *   relative accuracy.
 * - The shift is the smaller singular value of the trailing 2×2, or 0 when it
 *   is negligible against d_lo (a zero-shift step then loses nothing to it).
 * - A 2×2 block is diagonalised at once, by one Jacobi rotation of its columns
 *   (the one-sided Jacobi SVD of a 2×2, accurate to high relative precision)
 *   and the rotation of its rows that this leaves triangular.
 * - A (numerically) zero diagonal entry breaks the implicit-Q argument; its
 *   row's superdiagonal is rotated out first (§8.6.2), which splits the block.
 */
import { hypot2 } from './bidiagonalize.js';

const EPS = 2 ** -52;
const SQRT_EPS = 2 ** -26;
/** Above this (and below the 2¹⁰⁰-ish scale of the kernels' inputs) a product of two entries neither underflows nor overflows. */
const SAFE_SQUARE = 2 ** -400;
/**
 * Entries at or below this are zero. The kernels scale their input so that its largest entry is at
 * least 2⁻¹⁰⁰ (./scratch.ts scaleFor), so these are below 2⁻⁹⁰⁰·σ₁: negligible normwise, and keeping
 * them would only bring subnormal arithmetic (and its lost bits) into the rotations.
 */
const TINY = 2 ** -1000;
const UP = 2 ** 600;
/** Sums of two squares strictly between these need no scaling for their square root. */
const SAFE_SUM = 2 ** -900;
const SAFE_BIG = 2 ** 900;

// The last rotation from givens(): [c, s, r] with c·f + s·g = r, −s·f + c·g = 0. A typed array, not
// module-level `let`s (V8 boxes every double stored in one) or an allocated triple.
const G = new Float64Array(3);

function givens(f: number, g: number): void {
  if (g === 0) {
    G[0] = 1;
    G[1] = 0;
    G[2] = f;
    return;
  }
  if (f === 0) {
    G[0] = 0;
    G[1] = 1;
    G[2] = g;
    return;
  }
  if (Math.abs(f) < TINY && Math.abs(g) < TINY) {
    // Near the subnormals r would be rounded to a few bits, and c = f/r, s = g/r would not have
    // c² + s² = 1 to working precision; scaling both up first (exactly) keeps the rotation orthogonal.
    const r = hypot2(f * UP, g * UP);
    G[0] = (f * UP) / r;
    G[1] = (g * UP) / r;
    G[2] = r / UP;
    return;
  }
  const r = hypot2(f, g);
  const inv = 1 / r;
  G[0] = f * inv;
  G[1] = g * inv;
  G[2] = r;
}

/** x_p ← c·x_p + s·x_q, x_q ← −s·x_p + c·x_q over `len` entries of the columns at p and q. */
function rotate(x: Float64Array, p: number, q: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const a = x[p + i]!;
    const b = x[q + i]!;
    x[p + i] = c * a + s * b;
    x[q + i] = c * b - s * a;
  }
}

/** The smaller singular value of [[f, g], [0, h]]. */
function smallerSingularValue(f: number, g: number, h: number): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  if (fa === 0 || ha === 0) return 0;
  const mx = Math.max(fa, ga, ha);
  const mn = Math.min(fa, ha);
  if (mn > SAFE_SQUARE && mx < 2 ** 400) {
    const big = (Math.sqrt((fa + ha) * (fa + ha) + ga * ga) + Math.sqrt((fa - ha) * (fa - ha) + ga * ga)) / 2;
    return (fa * ha) / big;
  }
  // σ_max = (√((f+h)² + g²) + √((f−h)² + g²))/2 for f, h ≥ 0, on entries scaled to ≤ 1; σ_min = f·h/σ_max.
  const inv = 1 / mx;
  const f1 = fa * inv;
  const g1 = ga * inv;
  const h1 = ha * inv;
  const big = (Math.sqrt((f1 + h1) * (f1 + h1) + g1 * g1) + Math.sqrt((f1 - h1) * (f1 - h1) + g1 * g1)) / 2;
  return ((f1 * h1) / big) * mx;
}

function negligible(e: number, d1: number, d2: number): boolean {
  const a = Math.abs(e);
  return a <= EPS * (Math.abs(d1) + Math.abs(d2)) || a <= TINY;
}

/**
 * Diagonalises B in place (d then holds the singular values, unsigned and
 * unsorted). u: columns 0..N−1 of U, each `ldu` long; v: N columns of length N.
 * Returns false if some block did not converge within 6·N² steps (LAPACK's limit).
 */
export function bidiagonalQr(d: Float64Array, e: Float64Array, N: number, u: Float64Array, ldu: number, v: Float64Array, vectors: boolean): boolean {
  const maxSteps = 6 * N * N + 10;
  let steps = 0;
  let hi = N - 1;
  while (hi > 0) {
    if (negligible(e[hi - 1]!, d[hi - 1]!, d[hi]!)) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && !negligible(e[lo - 1]!, d[lo - 1]!, d[lo]!)) lo--;
    if (lo > 0) e[lo - 1] = 0;
    if (++steps > maxSteps) return false;

    // A zero diagonal entry: rotate its superdiagonal out (from the left along its row, or for the
    // last one from the right up its column), which splits the block at the next pass.
    let zero = -1;
    for (let i = lo; i <= hi; i++) {
      if (Math.abs(d[i]!) <= TINY) {
        zero = i;
        break;
      }
    }
    if (zero >= 0) {
      d[zero] = 0;
      if (zero < hi) chaseRow(d, e, zero, hi, u, ldu, vectors);
      else chaseColumn(d, e, lo, hi, v, N, vectors);
      continue;
    }
    if (lo === hi - 1) twoByTwo(d, e, lo, u, ldu, v, N, vectors);
    else golubKahanStep(d, e, lo, hi, u, ldu, v, N, vectors);
  }
  for (let i = 0; i < N; i++) {
    if (d[i]! >= 0) continue;
    d[i] = -d[i]!;
    if (vectors) for (let r = 0, o = i * N; r < N; r++) v[o + r] = -v[o + r]!;
  }
  return true;
}

/** d_z = 0, z < hi: zero e_z by rotating rows (j, z), j = z+1..hi, from the left. */
function chaseRow(d: Float64Array, e: Float64Array, z: number, hi: number, u: Float64Array, ldu: number, vectors: boolean): void {
  let x = e[z]!;
  e[z] = 0;
  for (let j = z + 1; j <= hi && x !== 0; j++) {
    givens(d[j]!, x);
    d[j] = G[2]!;
    if (j < hi) {
      x = -G[1]! * e[j]!;
      e[j] = G[0]! * e[j]!;
    }
    if (vectors) rotate(u, j * ldu, z * ldu, ldu, G[0]!, G[1]!);
  }
}

/** d_hi = 0: zero e_{hi−1} by rotating columns (j, hi), j = hi−1..lo, from the right. */
function chaseColumn(d: Float64Array, e: Float64Array, lo: number, hi: number, v: Float64Array, N: number, vectors: boolean): void {
  let x = e[hi - 1]!;
  e[hi - 1] = 0;
  for (let j = hi - 1; j >= lo && x !== 0; j--) {
    givens(d[j]!, x);
    d[j] = G[2]!;
    if (j > lo) {
      x = -G[1]! * e[j - 1]!;
      e[j - 1] = G[0]! * e[j - 1]!;
    }
    if (vectors) rotate(v, j * N, hi * N, N, G[0]!, G[1]!);
  }
}

/** One implicit-shift QR step on the unreduced block lo..hi, chasing the bulge downwards. */
function golubKahanStep(d: Float64Array, e: Float64Array, lo: number, hi: number, u: Float64Array, ldu: number, v: Float64Array, N: number, vectors: boolean): void {
  const dl = d[lo]!;
  const adl = Math.abs(dl);
  let shift = smallerSingularValue(d[hi - 1]!, e[hi - 1]!, d[hi]!);
  // (shift/d_lo)² < ε, without a division (a division or square root costs ~10 ns of latency here).
  if (shift < SQRT_EPS * adl) shift = 0;
  // The direction of the first column of BᵀB − σ²I, (d² − σ², d·e): as it is when its squares are
  // safe, else divided by d (no squares, but a division).
  let y: number;
  let z: number;
  if (shift === 0) {
    y = dl;
    z = e[lo]!;
  } else if (adl > SAFE_SQUARE && shift > SAFE_SQUARE) {
    y = (adl - shift) * (adl + shift);
    z = dl * e[lo]!;
    if (dl < 0) {
      y = -y;
      z = -z;
    }
  } else {
    y = (adl - shift) * ((dl >= 0 ? 1 : -1) + shift / dl);
    z = e[lo]!;
  }
  // A shift far above the top of the block (d_lo ≪ d_hi) makes the first rotation the identity to
  // working precision, and the whole step with it: take a zero-shift step, which always moves.
  if (!(Math.abs(z) > EPS * Math.abs(y))) {
    y = dl;
    z = e[lo]!;
  }
  for (let k = lo; k < hi; k++) {
    // From the right, on columns k and k+1: zero the bulge z at (k−1, k+1), or start the chase.
    // The rotation is inlined for the common case (squares safe, no function call returning a
    // boxed double), givens() otherwise.
    let c: number;
    let s: number;
    let r: number;
    let ss = y * y + z * z;
    if (ss > SAFE_SUM && ss < SAFE_BIG) {
      r = Math.sqrt(ss);
      const inv = 1 / r;
      c = y * inv;
      s = z * inv;
    } else {
      givens(y, z);
      c = G[0]!;
      s = G[1]!;
      r = G[2]!;
    }
    if (k > lo) e[k - 1] = r;
    const dk = d[k]!;
    const ek = e[k]!;
    const dk1 = d[k + 1]!;
    y = c * dk + s * ek;
    const ek1 = c * ek - s * dk;
    z = s * dk1; // the bulge at (k+1, k)
    const dk1r = c * dk1;
    if (vectors) {
      for (let i = 0, p = k * N, q = p + N; i < N; i++, p++, q++) {
        const a = v[p]!;
        const b = v[q]!;
        v[p] = c * a + s * b;
        v[q] = c * b - s * a;
      }
    }
    // From the left, on rows k and k+1: zero the bulge at (k+1, k).
    ss = y * y + z * z;
    if (ss > SAFE_SUM && ss < SAFE_BIG) {
      r = Math.sqrt(ss);
      const inv = 1 / r;
      c = y * inv;
      s = z * inv;
    } else {
      givens(y, z);
      c = G[0]!;
      s = G[1]!;
      r = G[2]!;
    }
    d[k] = r;
    const ekn = c * ek1 + s * dk1r;
    e[k] = ekn;
    d[k + 1] = c * dk1r - s * ek1;
    if (k + 1 < hi) {
      const en = e[k + 1]!;
      z = s * en; // the bulge at (k, k+2)
      e[k + 1] = c * en;
      y = ekn;
    }
    if (vectors) {
      for (let i = 0, p = k * ldu, q = p + ldu; i < ldu; i++, p++, q++) {
        const a = u[p]!;
        const b = u[q]!;
        u[p] = c * a + s * b;
        u[q] = c * b - s * a;
      }
    }
  }
}

/**
 * The 2×2 block [[f, g], [0, h]] at rows/columns lo, lo+1 (f, g, h ≠ 0): a
 * Jacobi rotation makes its columns orthogonal (Rutishauser's formulas, on the
 * block scaled to ≤ 1 so that no square underflows), then a rotation of the
 * rows, taken from the longer column, makes the block diagonal to rounding.
 */
function twoByTwo(d: Float64Array, e: Float64Array, lo: number, u: Float64Array, ldu: number, v: Float64Array, N: number, vectors: boolean): void {
  const f = d[lo]!;
  const g = e[lo]!;
  const h = d[lo + 1]!;
  // Scaled to ≤ 1 only when a square could underflow or overflow (a division costs ~10 ns here).
  const mx = Math.max(Math.abs(f), Math.abs(g), Math.abs(h));
  const mn = Math.min(Math.abs(f), Math.abs(g), Math.abs(h));
  const inv = mn > SAFE_SQUARE && mx < 1 / SAFE_SQUARE ? 1 : 1 / mx;
  const f1 = f * inv;
  const g1 = g * inv;
  const h1 = h * inv;
  const alpha = f1 * f1;
  const beta = g1 * g1 + h1 * h1;
  const gamma = f1 * g1;
  // γ underflows only when the columns are orthogonal to working precision already.
  const zeta = gamma === 0 ? Infinity : (beta - alpha) / (2 * gamma);
  const az = Math.abs(zeta);
  const t = az > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = c * t;
  // Columns: b₁ ← c·b₁ − s·b₂, b₂ ← s·b₁ + c·b₂.
  const x0 = c * f - s * g;
  const x1 = -s * h;
  const y0 = s * f + c * g;
  const y1 = c * h;
  if (vectors) rotate(v, lo * N, (lo + 1) * N, N, c, -s);
  // The rows' rotation from the longer column: the shorter one's direction can be all rounding.
  // The shorter one's length then comes from the determinant, f·h = d_lo·d_hi, to full relative accuracy.
  let cu: number;
  let su: number;
  if (Math.abs(x0) + Math.abs(x1) >= Math.abs(y0) + Math.abs(y1)) {
    givens(x0, x1);
    cu = G[0]!;
    su = G[1]!;
    d[lo] = G[2]!;
    d[lo + 1] = f * (h / G[2]!);
  } else {
    givens(y1, -y0);
    cu = G[0]!;
    su = G[1]!;
    d[lo + 1] = G[2]!;
    d[lo] = f * (h / G[2]!);
  }
  e[lo] = 0;
  if (vectors) rotate(u, lo * ldu, (lo + 1) * ldu, ldu, cu, su);
}
