/**
 * The SVD of an upper triangular 2×2 block [[f, g], [0, h]] as two rotations,
 * for the unrolled kernels (./unrolled-svd.ts). The same method as the
 * generic kernel's final 2×2 step (./bidiagonal-qr.ts twoByTwo): a one-sided
 * Jacobi rotation of the columns, then the rotation of the rows taken from the
 * longer column, with the shorter value from the determinant f·h, so that
 * both values keep high relative accuracy. A (numerically) zero f or h is
 * rotated out directly, as the generic kernel's chase does.
 *
 * The six results go to BLOCK (one store each, once per SVD): the columns'
 * rotation (cv, sv), the rows' rotation (cu, su), both applied as
 * x_lo ← c·x_lo + s·x_hi, x_hi ← c·x_hi − s·x_lo to the columns of V and U,
 * and the new diagonal (dlo, dhi), unsigned or signed.
 */

const TINY = 2 ** -1000;
const SAFE_SQUARE = 2 ** -400;
const SAFE_SUM = 2 ** -900;
const SAFE_BIG = 2 ** 900;

/** cv, sv, cu, su, dlo, dhi of the last diagonalizeUpper2x2. */
export const BLOCK = new Float64Array(6);

/**
 * Diagonalises [[f, g], [0, h]] (g ≠ 0) into BLOCK. Returns false when an
 * operand is so small or large that squares would lose bits (then the caller
 * hands the matrix to the generic kernel, which rescales).
 */
export function diagonalizeUpper2x2(f: number, g: number, h: number): boolean {
  const af = f < 0 ? -f : f;
  const ag = g < 0 ? -g : g;
  const ah = h < 0 ? -h : h;
  if (ah <= TINY) {
    // [[f, g], [0, 0]]: one rotation of the columns takes g into f.
    const ss = f * f + g * g;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    const r = Math.sqrt(ss);
    const inv = 1 / r;
    set(f * inv, g * inv, 1, 0, r, 0);
    return true;
  }
  if (af <= TINY) {
    // [[0, g], [0, h]]: one rotation of the rows takes g into h.
    const ss = h * h + g * g;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    const r = Math.sqrt(ss);
    const inv = 1 / r;
    set(1, 0, h * inv, -g * inv, 0, r);
    return true;
  }
  const mx = af > ag ? (af > ah ? af : ah) : ag > ah ? ag : ah;
  const mn = af < ag ? (af < ah ? af : ah) : ag < ah ? ag : ah;
  if (!(mn > SAFE_SQUARE && mx < 1 / SAFE_SQUARE)) return false;
  // Rutishauser's rotation making the columns (f, 0) and (g, h) orthogonal.
  const alpha = f * f;
  const beta = g * g + h * h;
  const gamma = f * g;
  const zeta = (beta - alpha) / (2 * gamma);
  const az = zeta < 0 ? -zeta : zeta;
  const t = az > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = c * t;
  // The columns after the rotation (c, −s): x = c·b₁ − s·b₂, y = s·b₁ + c·b₂.
  const x0 = c * f - s * g;
  const x1 = -s * h;
  const y0 = s * f + c * g;
  const y1 = c * h;
  const ax = (x0 < 0 ? -x0 : x0) + (x1 < 0 ? -x1 : x1);
  const ay = (y0 < 0 ? -y0 : y0) + (y1 < 0 ? -y1 : y1);
  // The rows' rotation from the longer column: the shorter one's direction can be all rounding.
  const p = ax >= ay ? x0 : y1;
  const q = ax >= ay ? x1 : -y0;
  const ss = p * p + q * q;
  if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
  const r = Math.sqrt(ss);
  const inv = 1 / r;
  const other = f * (h / r);
  if (ax >= ay) set(c, -s, p * inv, q * inv, r, other);
  else set(c, -s, p * inv, q * inv, other, r);
  return true;
}

function set(cv: number, sv: number, cu: number, su: number, dlo: number, dhi: number): void {
  BLOCK[0] = cv;
  BLOCK[1] = sv;
  BLOCK[2] = cu;
  BLOCK[3] = su;
  BLOCK[4] = dlo;
  BLOCK[5] = dhi;
}
