/**
 * The SVD of a 2×2 or 3×3 matrix with every entry in a local variable: the
 * generic small kernel's algorithm (./small-svd.ts: Householder
 * bidiagonalization, implicit-shift QR on the bidiagonal with the same
 * relative convergence test, the same 2×2 step, and its shift after a first
 * step that shifts by σ₃ itself (see below); Golub & Van Loan
 * §8.6), unrolled, so that V8 keeps the matrix, U and V in registers instead
 * of loading and storing typed-array scratch in loops. Same contract and
 * accuracy as that kernel: normwise backward stable (|Δσ| ≤ a few ε·σ₁), and
 * high relative accuracy for column-graded matrices (any shift keeps the QR
 * step backward stable, and the zero-shift rule is the generic kernel's).
 * The 3×3 kernel also sorts rows and columns, longest first, so that 3×3s
 * graded across rows, either way, or on both sides keep that accuracy too
 * (σ₃ of such matrices graded by 1e-12: 4e-16–8e-16 relative; unsorted 7e-5,
 * the generic kernel 1e-5, LAPACK 4e-11; all within the normwise ε·σ₁).
 *
 * Why: at these sizes the generic kernel's loops, scratch loads and stores
 * and sorting cost as much as its arithmetic. Measured 2026-12-02 (process
 * CPU time, the 2-core machine, the benchmark's 3×3 and a 2×2): generic 3×3
 * 719 ns with vectors, 469 ns values only; this kernel 275 ns and 226 ns;
 * 2×2 233 ns against 81 ns. What remains at 3×3 is the QR iteration's chain
 * of dependent square roots and divisions (about 75 ns a step, 3 steps on a
 * typical matrix, 2.6 with the first step's shift below), which unrolling cannot shorten.
 *
 * Anything unusual (an input outside [2⁻¹⁰⁰, 2¹⁰⁰] after scaling where squares
 * would lose bits, a zero on the diagonal of a 3×3 bidiagonal, a rotation
 * whose squares leave the safe range, no convergence in 64 steps) returns
 * false, and the caller runs the generic kernel, which handles all of it: the
 * results cannot tell the two apart.
 *
 * Results go to UNROLLED (valid until the next call), already in the
 * contract's order and signs: s descending at 0..n−1, u row-major n×n at
 * U_AT, vt row-major n×n at VT_AT; the largest-magnitude entry of each row of
 * vt positive (the first on ties), decided on float32-rounded values when
 * `f32`, as the generic kernel decides on its float32 output.
 */
import type { FloatArray } from '../../core/matrix.js';
import { nonFinite, scaleFor } from './scratch.js';
import { BLOCK, diagonalizeUpper2x2 } from './upper-2x2.js';

export const U_AT = 3;
export const VT_AT = 12;
export const UNROLLED = new Float64Array(21);

const EPS = 2 ** -52;
const SQRT_EPS = 2 ** -26;
const TINY = 2 ** -1000;
const SAFE_SQUARE = 2 ** -400;
const SAFE_SUM = 2 ** -900;
const SAFE_BIG = 2 ** 900;
/** Entries between these keep the first step's cubic coefficients (sixth powers) clear of underflow and overflow. */
const CUBIC_LOW = 2 ** -150;
const CUBIC_HIGH = 2 ** 150;
const MAX = Number.MAX_VALUE;
/** LAPACK's limit, 6·N² QR steps, and the generic kernel's +10. */
const MAX_STEPS = 64;

const fround = Math.fround;

function negligible(e: number, d1: number, d2: number): boolean {
  const a = e < 0 ? -e : e;
  return a <= EPS * ((d1 < 0 ? -d1 : d1) + (d2 < 0 ? -d2 : d2)) || a <= TINY;
}

/** +1 or −1: the sign of the largest-magnitude of x, y, z (the first on ties). */
function signOf3(x: number, y: number, z: number, f32: boolean): number {
  if (f32) {
    x = fround(x);
    y = fround(y);
    z = fround(z);
  }
  let best = x;
  let ab = x < 0 ? -x : x;
  const ay = y < 0 ? -y : y;
  if (ay > ab) {
    best = y;
    ab = ay;
  }
  if ((z < 0 ? -z : z) > ab) best = z;
  return best >= 0 ? 1 : -1;
}

function signOf2(x: number, y: number, f32: boolean): number {
  if (f32) {
    x = fround(x);
    y = fround(y);
  }
  return ((y < 0 ? -y : y) > (x < 0 ? -x : x) ? y : x) >= 0 ? 1 : -1;
}

/**
 * The SVD of the row-major 3×3 `a` into UNROLLED (vectors: u and vt too).
 * Throws the LAPACK path's ERR_NON_FINITE for NaN/±Inf; false: use the generic kernel.
 */
export function unrolledSvd3(a: FloatArray, vectors: boolean): boolean {
  const amax = Math.max(Math.abs(a[0]!), Math.abs(a[1]!), Math.abs(a[2]!), Math.abs(a[3]!), Math.abs(a[4]!), Math.abs(a[5]!), Math.abs(a[6]!), Math.abs(a[7]!), Math.abs(a[8]!));
  if (!(amax <= MAX)) throw nonFinite(a, 9, 'svd input', true);
  const p = scaleFor(amax);
  // Rows sorted, longest first (W = P·A): Householder reduction of row-sorted input is row-wise
  // backward stable (Cox & Higham), so rows graded upwards keep their small values to high relative
  // accuracy as rows graded downwards do (3×3s graded by 1e-12 across rows: σ₃ to 4e-16 relative,
  // against 7e-5 unsorted). Row i of W is row o_i/3 of A; U's rows go back there on output.
  let o0 = 0, o1 = 3, o2 = 6;
  {
    const x0 = a[0]! * p, x1 = a[1]! * p, x2 = a[2]! * p;
    const y0 = a[3]! * p, y1 = a[4]! * p, y2 = a[5]! * p;
    const z0 = a[6]! * p, z1 = a[7]! * p, z2 = a[8]! * p;
    let r0 = x0 * x0 + x1 * x1 + x2 * x2;
    let r1 = y0 * y0 + y1 * y1 + y2 * y2;
    let r2 = z0 * z0 + z1 * z1 + z2 * z2;
    let t: number;
    if (r1 > r0) { t = r0; r0 = r1; r1 = t; o0 = 3; o1 = 0; }
    if (r2 > r0) { t = r0; r0 = r2; r2 = t; t = o0; o0 = 6; o2 = t; }
    if (r2 > r1) { t = o1; o1 = o2; o2 = t; }
  }
  let a00 = a[o0]! * p, a01 = a[o0 + 1]! * p, a02 = a[o0 + 2]! * p;
  let a10 = a[o1]! * p, a11 = a[o1 + 1]! * p, a12 = a[o1 + 2]! * p;
  let a20 = a[o2]! * p, a21 = a[o2 + 1]! * p, a22 = a[o2 + 2]! * p;

  // U (u_ij) and V (v_ij) with A = U·B·Vᵀ throughout; B starts as A.
  let u00 = 1, u01 = 0, u02 = 0, u10 = 0, u11 = 1, u12 = 0, u20 = 0, u21 = 0, u22 = 1;
  let v00 = 1, v01 = 0, v02 = 0, v10 = 0, v11 = 1, v12 = 0, v20 = 0, v21 = 0, v22 = 1;

  // Column pivoting, longest column first: the QR chase then runs down a mostly decreasing
  // diagonal and needs fewer steps (2000 random 3×3, mean: 490 → 455 ns with vectors, 367 → 345 values only).
  // V starts as the permutation (W = A·P gives A = U·B·(P·V_W)ᵀ), the swaps applied to its columns.
  {
    let n0 = a00 * a00 + a10 * a10 + a20 * a20;
    let n1 = a01 * a01 + a11 * a11 + a21 * a21;
    let n2 = a02 * a02 + a12 * a12 + a22 * a22;
    let x: number;
    if (n1 > n0) {
      x = a00; a00 = a01; a01 = x; x = a10; a10 = a11; a11 = x; x = a20; a20 = a21; a21 = x;
      x = n0; n0 = n1; n1 = x;
      x = v00; v00 = v01; v01 = x; x = v10; v10 = v11; v11 = x; x = v20; v20 = v21; v21 = x;
    }
    if (n2 > n0) {
      x = a00; a00 = a02; a02 = x; x = a10; a10 = a12; a12 = x; x = a20; a20 = a22; a22 = x;
      x = n0; n0 = n2; n2 = x;
      x = v00; v00 = v02; v02 = x; x = v10; v10 = v12; v12 = x; x = v20; v20 = v22; v22 = x;
    }
    if (n2 > n1) {
      x = a01; a01 = a02; a02 = x; x = a11; a11 = a12; a12 = x; x = a21; a21 = a22; a22 = x;
      x = v01; v01 = v02; v02 = x; x = v11; v11 = v12; v12 = x; x = v21; v21 = v22; v22 = x;
    }
  }

  // Column 0: the Householder reflector H = I − τ·w·wᵀ (w₀ = 1) taking it to (β, 0, 0), as LAPACK's dlarfg.
  let d0: number;
  {
    const ss = a10 * a10 + a20 * a20;
    if (a10 === 0 && a20 === 0) {
      d0 = a00;
    } else {
      if (!(ss > SAFE_SUM)) return false;
      const r = Math.sqrt(a00 * a00 + ss);
      const beta = a00 >= 0 ? -r : r;
      const scale = 1 / (a00 - beta);
      const w1 = a10 * scale;
      const w2 = a20 * scale;
      const tau = (beta - a00) / beta;
      d0 = beta;
      const s1 = tau * (a01 + w1 * a11 + w2 * a21);
      a01 -= s1; a11 -= s1 * w1; a21 -= s1 * w2;
      const s2 = tau * (a02 + w1 * a12 + w2 * a22);
      a02 -= s2; a12 -= s2 * w1; a22 -= s2 * w2;
      if (vectors) {
        const tw1 = tau * w1;
        const tw2 = tau * w2;
        u00 = 1 - tau; u01 = -tw1; u02 = -tw2;
        u10 = -tw1; u11 = 1 - tw1 * w1; u12 = -tw1 * w2;
        u20 = -tw2; u21 = -tw2 * w1; u22 = 1 - tw2 * w2;
      }
    }
  }
  // Row 0 beyond the superdiagonal: a rotation of columns 1, 2 takes a02 into a01.
  let e0: number;
  if (a02 === 0) {
    e0 = a01;
  } else {
    const ss = a01 * a01 + a02 * a02;
    if (!(ss > SAFE_SUM)) return false;
    const r = Math.sqrt(ss);
    const inv = 1 / r;
    const c = a01 * inv;
    const s = a02 * inv;
    e0 = r;
    let x = a11;
    a11 = c * x + s * a12;
    a12 = c * a12 - s * x;
    x = a21;
    a21 = c * x + s * a22;
    a22 = c * a22 - s * x;
    if (vectors) {
      x = v01; v01 = c * x + s * v02; v02 = c * v02 - s * x;
      x = v11; v11 = c * x + s * v12; v12 = c * v12 - s * x;
      x = v21; v21 = c * x + s * v22; v22 = c * v22 - s * x;
    }
  }
  // Column 1 below the diagonal: a rotation of rows 1, 2 takes a21 into a11.
  let d1: number, e1: number, d2: number;
  if (a21 === 0) {
    d1 = a11; e1 = a12; d2 = a22;
  } else {
    const ss = a11 * a11 + a21 * a21;
    if (!(ss > SAFE_SUM)) return false;
    const r = Math.sqrt(ss);
    const inv = 1 / r;
    const c = a11 * inv;
    const s = a21 * inv;
    d1 = r;
    e1 = c * a12 + s * a22;
    d2 = c * a22 - s * a12;
    if (vectors) {
      let x = u01; u01 = c * x + s * u02; u02 = c * u02 - s * x;
      x = u11; u11 = c * x + s * u12; u12 = c * u12 - s * x;
      x = u21; u21 = c * x + s * u22; u22 = c * u22 - s * x;
    }
  }

  // Implicit-shift QR on [[d0, e0, 0], [0, d1, e1], [0, 0, d2]] until a superdiagonal entry is
  // negligible, then the remaining 2×2 block in closed form.
  for (let step = 0; ; step++) {
    if (negligible(e1, d1, d2)) {
      if (negligible(e0, d0, d1)) break;
      if (!diagonalizeUpper2x2(d0, e0, d1)) return false;
      const cv = BLOCK[0]!, sv = BLOCK[1]!, cu = BLOCK[2]!, su = BLOCK[3]!;
      d0 = BLOCK[4]!;
      d1 = BLOCK[5]!;
      if (vectors) {
        let x = v00; v00 = cv * x + sv * v01; v01 = cv * v01 - sv * x;
        x = v10; v10 = cv * x + sv * v11; v11 = cv * v11 - sv * x;
        x = v20; v20 = cv * x + sv * v21; v21 = cv * v21 - sv * x;
        x = u00; u00 = cu * x + su * u01; u01 = cu * u01 - su * x;
        x = u10; u10 = cu * x + su * u11; u11 = cu * u11 - su * x;
        x = u20; u20 = cu * x + su * u21; u21 = cu * u21 - su * x;
      }
      break;
    }
    if (negligible(e0, d0, d1)) {
      if (!diagonalizeUpper2x2(d1, e1, d2)) return false;
      const cv = BLOCK[0]!, sv = BLOCK[1]!, cu = BLOCK[2]!, su = BLOCK[3]!;
      d1 = BLOCK[4]!;
      d2 = BLOCK[5]!;
      if (vectors) {
        let x = v01; v01 = cv * x + sv * v02; v02 = cv * v02 - sv * x;
        x = v11; v11 = cv * x + sv * v12; v12 = cv * v12 - sv * x;
        x = v21; v21 = cv * x + sv * v22; v22 = cv * v22 - sv * x;
        x = u01; u01 = cu * x + su * u02; u02 = cu * u02 - su * x;
        x = u11; u11 = cu * x + su * u12; u12 = cu * u12 - su * x;
        x = u21; u21 = cu * x + su * u22; u22 = cu * u22 - su * x;
      }
      break;
    }
    if (step >= MAX_STEPS) return false;
    const ad0 = d0 < 0 ? -d0 : d0;
    const ad1 = d1 < 0 ? -d1 : d1;
    const ad2 = d2 < 0 ? -d2 : d2;
    // A zero on the diagonal needs the generic kernel's chase.
    if (ad0 <= TINY || ad1 <= TINY || ad2 <= TINY) return false;

    // The first column of BᵀB − σ²I, up to scale, for the shift σ.
    let y: number;
    let z: number;
    const ae0 = e0 < 0 ? -e0 : e0;
    const ae1 = e1 < 0 ? -e1 : e1;
    let lambda = -1;
    if (step === 0 && ad0 > CUBIC_LOW && ad1 > CUBIC_LOW && ad2 > CUBIC_LOW && ae0 > CUBIC_LOW && ae1 > CUBIC_LOW &&
        ad0 < CUBIC_HIGH && ad1 < CUBIC_HIGH && ad2 < CUBIC_HIGH && ae0 < CUBIC_HIGH && ae1 < CUBIC_HIGH) {
      // First step: σ₃² itself, the smallest root of det(BᵀB − λI) = λ³ − pλ² + qλ − r, whose
      // coefficients are sums of squares of products of B's entries (no cancellation). λ = r/(q − pλ + λ²)
      // climbs monotonically to it from 0; two rounds make the first step nearly exact, where the
      // trailing 2×2's value is still a rough guess (5000 random 3×3: 2.94 → 2.56 QR steps on average;
      // the benchmark's 3×3 357 → 275 ns with vectors, 289 → 226 values only).
      const d01 = d0 * d1;
      const d12 = d1 * d2;
      const p = d0 * d0 + d1 * d1 + d2 * d2 + e0 * e0 + e1 * e1;
      const q = d01 * d01 + d12 * d12 + (d0 * e1) * (d0 * e1) + (e0 * e1) * (e0 * e1) + (d0 * d2) * (d0 * d2) + (e0 * d2) * (e0 * d2);
      const r = d01 * d2 * (d01 * d2);
      lambda = r / q;
      lambda = r / (q - lambda * (p - lambda));
      lambda = r / (q - lambda * (p - lambda));
    }
    if (lambda >= 0) {
      if (lambda < EPS * (d0 * d0)) {
        y = d0;
        z = e0;
      } else {
        y = d0 * d0 - lambda;
        z = d0 * e0;
        if (d0 < 0) {
          y = -y;
          z = -z;
        }
      }
    } else {
      // The smaller singular value of the trailing 2×2, 0 when negligible against d0.
      let shift: number;
      {
        const mx = ad1 > ae1 ? (ad1 > ad2 ? ad1 : ad2) : ae1 > ad2 ? ae1 : ad2;
        const mn = ad1 < ad2 ? ad1 : ad2;
        if (!(mn > SAFE_SQUARE && mx < 2 ** 400)) return false;
        const sum = ad1 + ad2;
        const dif = ad1 - ad2;
        const big = (Math.sqrt(sum * sum + ae1 * ae1) + Math.sqrt(dif * dif + ae1 * ae1)) / 2;
        shift = (ad1 * ad2) / big;
      }
      if (shift < SQRT_EPS * ad0) shift = 0;
      if (shift === 0) {
        y = d0;
        z = e0;
      } else if (ad0 > SAFE_SQUARE && shift > SAFE_SQUARE) {
        y = (ad0 - shift) * (ad0 + shift);
        z = d0 * e0;
        if (d0 < 0) {
          y = -y;
          z = -z;
        }
      } else {
        y = (ad0 - shift) * ((d0 >= 0 ? 1 : -1) + shift / d0);
        z = e0;
      }
    }
    if (!((z < 0 ? -z : z) > EPS * (y < 0 ? -y : y))) {
      y = d0;
      z = e0;
    }

    // The chase, k = 0, 1: a rotation of columns k, k+1 from the right, then of rows k, k+1 from the
    // left. The rotation is (c, s) = (y, z)/r; the entries on the iteration's critical path (the next
    // rotation's y and z) are formed as (y·a + z·b)/r, so their products run alongside the square
    // root and only one division follows it (c·a + s·b would add a multiply and an add to the chain).
    let ss = y * y + z * z;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    let r = Math.sqrt(ss);
    let inv = 1 / r;
    let c = y * inv;
    let s = z * inv;
    let ek1 = (y * e0 - z * d0) * inv;
    let dk1r = (y * d1) * inv;
    let yn = (y * d0 + z * e0) / r;
    z = (z * d1) / r; // the bulge at (1, 0)
    y = yn;
    if (vectors) {
      let x = v00; v00 = c * x + s * v01; v01 = c * v01 - s * x;
      x = v10; v10 = c * x + s * v11; v11 = c * v11 - s * x;
      x = v20; v20 = c * x + s * v21; v21 = c * v21 - s * x;
    }
    ss = y * y + z * z;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    r = Math.sqrt(ss);
    inv = 1 / r;
    c = y * inv;
    s = z * inv;
    d0 = r;
    d1 = (y * dk1r - z * ek1) * inv;
    yn = (y * ek1 + z * dk1r) / r;
    z = (z * e1) / r; // the bulge at (0, 2)
    e1 = (y * e1) * inv;
    y = yn;
    if (vectors) {
      let x = u00; u00 = c * x + s * u01; u01 = c * u01 - s * x;
      x = u10; u10 = c * x + s * u11; u11 = c * u11 - s * x;
      x = u20; u20 = c * x + s * u21; u21 = c * u21 - s * x;
    }
    ss = y * y + z * z;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    r = Math.sqrt(ss);
    inv = 1 / r;
    c = y * inv;
    s = z * inv;
    e0 = r;
    ek1 = (y * e1 - z * d1) * inv;
    dk1r = (y * d2) * inv;
    yn = (y * d1 + z * e1) / r;
    z = (z * d2) / r; // the bulge at (2, 1)
    y = yn;
    if (vectors) {
      let x = v01; v01 = c * x + s * v02; v02 = c * v02 - s * x;
      x = v11; v11 = c * x + s * v12; v12 = c * v12 - s * x;
      x = v21; v21 = c * x + s * v22; v22 = c * v22 - s * x;
    }
    ss = y * y + z * z;
    if (!(ss > SAFE_SUM && ss < SAFE_BIG)) return false;
    r = Math.sqrt(ss);
    inv = 1 / r;
    c = y * inv;
    s = z * inv;
    d1 = r;
    e1 = (y * ek1 + z * dk1r) / r;
    d2 = (y * dk1r - z * ek1) / r;
    if (vectors) {
      let x = u01; u01 = c * x + s * u02; u02 = c * u02 - s * x;
      x = u11; u11 = c * x + s * u12; u12 = c * u12 - s * x;
      x = u21; u21 = c * x + s * u22; u22 = c * u22 - s * x;
    }
  }

  // Values made non-negative (V's column flips with each), then sorted descending, stably.
  if (d0 < 0) {
    d0 = -d0;
    v00 = -v00; v10 = -v10; v20 = -v20;
  }
  if (d1 < 0) {
    d1 = -d1;
    v01 = -v01; v11 = -v11; v21 = -v21;
  }
  if (d2 < 0) {
    d2 = -d2;
    v02 = -v02; v12 = -v12; v22 = -v22;
  }
  // The output position of each value: how many come before it in a stable descending sort.
  const p0 = (d1 > d0 ? 1 : 0) + (d2 > d0 ? 1 : 0);
  const p1 = (d0 >= d1 ? 1 : 0) + (d2 > d1 ? 1 : 0);
  const p2 = (d0 >= d2 ? 1 : 0) + (d1 >= d2 ? 1 : 0);
  const R = UNROLLED;
  if (p === 1) {
    R[p0] = d0;
    R[p1] = d1;
    R[p2] = d2;
  } else {
    R[p0] = d0 / p;
    R[p1] = d1 / p;
    R[p2] = d2 / p;
  }
  if (!vectors) return true;
  const f32 = a instanceof Float32Array;
  let g = signOf3(v00, v10, v20, f32);
  R[U_AT + o0 + p0] = g * u00; R[U_AT + o1 + p0] = g * u10; R[U_AT + o2 + p0] = g * u20;
  R[VT_AT + 3 * p0] = g * v00; R[VT_AT + 3 * p0 + 1] = g * v10; R[VT_AT + 3 * p0 + 2] = g * v20;
  g = signOf3(v01, v11, v21, f32);
  R[U_AT + o0 + p1] = g * u01; R[U_AT + o1 + p1] = g * u11; R[U_AT + o2 + p1] = g * u21;
  R[VT_AT + 3 * p1] = g * v01; R[VT_AT + 3 * p1 + 1] = g * v11; R[VT_AT + 3 * p1 + 2] = g * v21;
  g = signOf3(v02, v12, v22, f32);
  R[U_AT + o0 + p2] = g * u02; R[U_AT + o1 + p2] = g * u12; R[U_AT + o2 + p2] = g * u22;
  R[VT_AT + 3 * p2] = g * v02; R[VT_AT + 3 * p2 + 1] = g * v12; R[VT_AT + 3 * p2 + 2] = g * v22;
  return true;
}

/** The SVD of the row-major 2×2 `a` into UNROLLED (u at U_AT, vt at VT_AT, 2×2 row-major); as unrolledSvd3. */
export function unrolledSvd2(a: FloatArray, vectors: boolean): boolean {
  let a00 = a[0]!, a01 = a[1]!;
  let a10 = a[2]!, a11 = a[3]!;
  const amax = Math.max(Math.abs(a00), Math.abs(a01), Math.abs(a10), Math.abs(a11));
  if (!(amax <= MAX)) throw nonFinite(a, 4, 'svd input', true);
  const p = scaleFor(amax);
  if (p !== 1) {
    a00 *= p; a01 *= p;
    a10 *= p; a11 *= p;
  }
  let u00 = 1, u01 = 0, u10 = 0, u11 = 1;
  let v00 = 1, v01 = 0, v10 = 0, v11 = 1;
  // Column 0 below the diagonal: a rotation of the rows leaves [[f, g], [0, h]].
  let f = a00, g = a01, h = a11;
  if (a10 !== 0) {
    const ss = a00 * a00 + a10 * a10;
    if (!(ss > SAFE_SUM)) return false;
    const r = Math.sqrt(ss);
    const inv = 1 / r;
    const c = a00 * inv;
    const s = a10 * inv;
    f = r;
    g = c * a01 + s * a11;
    h = c * a11 - s * a01;
    u00 = c; u10 = s; u01 = -s; u11 = c;
  }
  let d0 = f;
  let d1 = h;
  if (!negligible(g, f, h)) {
    if (!diagonalizeUpper2x2(f, g, h)) return false;
    const cv = BLOCK[0]!, sv = BLOCK[1]!, cu = BLOCK[2]!, su = BLOCK[3]!;
    d0 = BLOCK[4]!;
    d1 = BLOCK[5]!;
    v00 = cv; v10 = sv; v01 = -sv; v11 = cv;
    let x = u00; u00 = cu * x + su * u01; u01 = cu * u01 - su * x;
    x = u10; u10 = cu * x + su * u11; u11 = cu * u11 - su * x;
  }
  if (d0 < 0) {
    d0 = -d0;
    v00 = -v00; v10 = -v10;
  }
  if (d1 < 0) {
    d1 = -d1;
    v01 = -v01; v11 = -v11;
  }
  const p0 = d1 > d0 ? 1 : 0;
  const p1 = 1 - p0;
  const R = UNROLLED;
  R[p0] = p === 1 ? d0 : d0 / p;
  R[p1] = p === 1 ? d1 : d1 / p;
  if (!vectors) return true;
  const f32 = a instanceof Float32Array;
  let sg = signOf2(v00, v10, f32);
  R[U_AT + p0] = sg * u00; R[U_AT + 2 + p0] = sg * u10;
  R[VT_AT + 2 * p0] = sg * v00; R[VT_AT + 2 * p0 + 1] = sg * v10;
  sg = signOf2(v01, v11, f32);
  R[U_AT + p1] = sg * u01; R[U_AT + 2 + p1] = sg * u11;
  R[VT_AT + 2 * p1] = sg * v01; R[VT_AT + 2 * p1 + 1] = sg * v11;
  return true;
}

/**
 * Matrices that between them take every branch of the two kernels (and of
 * diagonalizeUpper2x2), run once at load. V8 compiles only the branches it
 * has seen run; a branch first met later (a scaled input, the other
 * deflation, a float32 tie) deoptimizes the kernel, and until it is
 * recompiled each call runs in the interpreter at about 5 µs. Seen in the
 * benchmark: the svd-js 3×3 cell at 4.96 µs in one run of three. float64
 * only: priming with float32 input too made the float64 calls 5–10% slower
 * (polymorphic element loads); a float32 caller costs one recompilation.
 * It costs 1.3–1.6 ms of each import. Priming on the first call instead was
 * tried: svd-js's values-only 3×3 cell then fell to 1.35 in two runs of three
 * (2.0–2.2 primed at load), as it does with no priming at all.
 */
const PRIMERS: number[][] = [
  [0.3, -0.2, 0.1, 0.25, 0.4, -0.3, -0.1, 0.2, 0.45],
  [-1, 2, 0, 0, -3, 1e-30, 0, 0, 0.5],
  [1, 1e-3, 0, 0, 1e-9, 1, 0, 0, 2],
  [2, 0, 0, 0, 2, 0, 0, 0, 2],
  [1e300, 2e299, -3e299, 1e299, 5e299, 0, 0, 1e298, 4e299],
  [1, 2, 3, 2, 4, 6, 3, 6, 9],
  [0, 1, 0, 0, 0, 1, 0, 0, 0],
  [1e-310, 0, 0, 0, 1e-300, 0, 0, 0, 1],
];
const PRIMERS_2: number[][] = [[0.3, -0.2, 0.25, 0.4], [1, 1, 2, 2], [0, 1, 0, 1], [1, 1, 0, 0], [-2, 0, 0, 3], [1e300, 1e299, -1e299, 2e300], [1, 1e-20, 0, 1]];

function prime(): void {
  for (let pass = 0; pass < 4; pass++) {
    for (const m of PRIMERS) {
      const a = Float64Array.from(m);
      unrolledSvd3(a, true);
      unrolledSvd3(a, false);
    }
    for (const m of PRIMERS_2) {
      const a = Float64Array.from(m);
      unrolledSvd2(a, true);
      unrolledSvd2(a, false);
    }
  }
}
prime();
