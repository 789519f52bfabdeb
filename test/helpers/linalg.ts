/**
 * Plain-JS float64 reference linear algebra for the tests: random orthogonal
 * matrices (Householder QR of a Gaussian matrix), matrices with a chosen
 * spectrum, Gram loops, reconstruction and orthonormality errors, and
 * one-sided / cyclic Jacobi solvers for random matrices whose spectrum is not
 * known in advance. Nothing here calls the library under test.
 */
import type { Rng } from './rng.js';

/** A row-major matrix; element (i, j) is data[i * cols + j]. */
export interface Dense<T extends ArrayLike<number> = Float64Array> {
  data: T;
  rows: number;
  cols: number;
}

export type AnyDense = Dense<ArrayLike<number>>;

export function zeros(rows: number, cols: number): Dense {
  return { data: new Float64Array(rows * cols), rows, cols };
}

export function identity(n: number): Dense {
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

export function randn(rows: number, cols: number, rng: Rng): Dense {
  return { data: rng.normals(rows * cols), rows, cols };
}

export function matmul(a: AnyDense, b: AnyDense): Dense {
  if (a.cols !== b.rows) throw new Error(`matmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const out = zeros(a.rows, b.cols);
  const { rows: m, cols: k } = a;
  const n = b.cols;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a.data[i * k + p]!;
      if (aip === 0) continue;
      for (let j = 0; j < n; j++) out.data[i * n + j]! += aip * b.data[p * n + j]!;
    }
  }
  return out;
}

export function transpose(a: AnyDense): Dense {
  const out = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return out;
}

/** The first `k` columns of a. */
export function leadingCols(a: AnyDense, k: number): Dense {
  const out = zeros(a.rows, k);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < k; j++) out.data[i * k + j] = a.data[i * a.cols + j]!;
  return out;
}

/**
 * A Haar-random n×n orthogonal matrix: Q of the Householder QR of a Gaussian
 * matrix, with column j multiplied by sign(R_jj).
 */
export function randomOrthogonal(n: number, rng: Rng): Dense {
  const a = randn(n, n, rng).data;
  const vs: Float64Array[] = [];
  const rdiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(n - k);
    for (let i = k; i < n; i++) v[i - k] = a[i * n + k]!;
    v[0]! -= alpha;
    let vnorm = 0;
    for (let i = 0; i < v.length; i++) vnorm += v[i]! ** 2;
    vnorm = Math.sqrt(vnorm);
    if (vnorm > 0) for (let i = 0; i < v.length; i++) v[i]! /= vnorm;
    // A[k:, k:] -= 2 v (vᵀ A[k:, k:])
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i - k]! * a[i * n + j]!;
      for (let i = k; i < n; i++) a[i * n + j]! -= 2 * v[i - k]! * dot;
    }
    vs.push(v);
    rdiag[k] = a[k * n + k]!;
  }
  // Q = H_0 H_1 … H_{n−1} applied to I, from the right-most reflector.
  const q = identity(n);
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i - k]! * q.data[i * n + j]!;
      for (let i = k; i < n; i++) q.data[i * n + j]! -= 2 * v[i - k]! * dot;
    }
  }
  for (let j = 0; j < n; j++) {
    if (rdiag[j]! < 0) for (let i = 0; i < n; i++) q.data[i * n + j] = -q.data[i * n + j]!;
  }
  return q;
}

/**
 * An m×n matrix A = U·diag(s)·Vᵀ with random orthogonal U (m×m), V (n×n) and
 * the given singular values (min(m, n) of them, any order, ≥ 0).
 */
export function withSingularValues(m: number, n: number, s: ArrayLike<number>, rng: Rng): Dense {
  const k = Math.min(m, n);
  if (s.length !== k) throw new Error(`withSingularValues: need ${k} values`);
  const u = randomOrthogonal(m, rng);
  const v = randomOrthogonal(n, rng);
  const a = zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += u.data[i * m + p]! * s[p]! * v.data[j * n + p]!;
      a.data[i * n + j] = sum;
    }
  }
  return a;
}

/**
 * A symmetric S = Q·diag(λ)·Qᵀ with a random orthogonal Q. Only the lower
 * triangle is computed; the upper one is mirrored from it, so S is exactly
 * symmetric.
 */
export function withEigenvalues(lambda: ArrayLike<number>, rng: Rng): Dense {
  const n = lambda.length;
  const q = randomOrthogonal(n, rng);
  const s = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += q.data[i * n + p]! * lambda[p]! * q.data[j * n + p]!;
      s.data[i * n + j] = sum;
      s.data[j * n + i] = sum;
    }
  }
  return s;
}

export function sortedAscending(x: ArrayLike<number>): number[] {
  return Array.from(x).sort((a, b) => a - b);
}

export function sortedDescending(x: ArrayLike<number>): number[] {
  return Array.from(x).sort((a, b) => b - a);
}

export interface GramRefOptions {
  weights?: ArrayLike<number>;
  scale?: number;
  side?: 'cols' | 'rows';
}

/** scale·Aᵀ·diag(w)·A (side 'cols') or scale·A·diag(w)·Aᵀ (side 'rows') by a float64 loop. */
export function gramRef(a: AnyDense, options: GramRefOptions = {}): Dense {
  const { rows: m, cols: n, data } = a;
  const scale = options.scale ?? 1;
  const w = options.weights;
  if (options.side === 'rows') {
    const out = zeros(m, m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let c = 0; c < n; c++) sum += (w ? w[c]! : 1) * data[i * n + c]! * data[j * n + c]!;
        out.data[i * m + j] = scale * sum;
        out.data[j * m + i] = scale * sum;
      }
    }
    return out;
  }
  const out = zeros(n, n);
  const acc = out.data;
  for (let r = 0; r < m; r++) {
    const wr = w ? w[r]! : 1;
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const x = wr * data[base + i]!;
      if (x === 0) continue;
      for (let j = 0; j <= i; j++) acc[i * n + j]! += x * data[base + j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      acc[i * n + j]! *= scale;
      acc[j * n + i] = acc[i * n + j]!;
    }
  }
  return out;
}

export function frobenius(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum);
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`maxAbsDiff: lengths ${x.length} and ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** ‖A − U·diag(s)·Vᵀ‖_F / ‖A‖_F, in float64 (uses the first k columns of u and rows of vt). */
export function reconstructionError(a: AnyDense, u: AnyDense, s: ArrayLike<number>, vt: AnyDense): number {
  const { rows: m, cols: n } = a;
  const k = s.length;
  let err = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += u.data[i * u.cols + p]! * s[p]! * vt.data[p * n + j]!;
      err += (a.data[i * n + j]! - sum) ** 2;
    }
  }
  const norm = frobenius(a.data);
  return norm === 0 ? Math.sqrt(err) : Math.sqrt(err) / norm;
}

/** max |QᵀQ − I| over the columns of q ('cols') or max |QQᵀ − I| over its rows ('rows'). */
export function orthonormalityError(q: AnyDense, of: 'cols' | 'rows'): number {
  const { rows: m, cols: n, data } = q;
  const count = of === 'cols' ? n : m;
  const len = of === 'cols' ? m : n;
  const at = of === 'cols' ? (vec: number, i: number) => data[i * n + vec]! : (vec: number, i: number) => data[vec * n + i]!;
  let worst = 0;
  for (let p = 0; p < count; p++) {
    for (let r = 0; r <= p; r++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(p, i) * at(r, i);
      worst = Math.max(worst, Math.abs(dot - (p === r ? 1 : 0)));
    }
  }
  return worst;
}

/** The first largest-magnitude entry of a strided vector (count entries from start). */
export function dominantEntry(data: ArrayLike<number>, start: number, count: number, stride: number): number {
  let best = start;
  for (let i = 1; i < count; i++) {
    if (Math.abs(data[start + i * stride]!) > Math.abs(data[best]!)) best = start + i * stride;
  }
  return data[best]!;
}

/** max |A·V − V·Λ| for eigenpairs in the columns of v. */
export function eigenResidual(a: AnyDense, values: ArrayLike<number>, v: AnyDense): number {
  const n = a.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < n; c++) {
      let av = 0;
      for (let p = 0; p < n; p++) av += a.data[i * n + p]! * v.data[p * n + c]!;
      worst = Math.max(worst, Math.abs(av - v.data[i * n + c]! * values[c]!));
    }
  }
  return worst;
}

export function toFloat32(a: AnyDense): Dense<Float32Array> {
  return { data: Float32Array.from(a.data), rows: a.rows, cols: a.cols };
}

/** The float64 values of a float32 matrix (exact widening). */
export function widen(a: AnyDense): Dense {
  return { data: Float64Array.from(a.data), rows: a.rows, cols: a.cols };
}

export function toNested(a: AnyDense): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from({ length: a.cols }, (_, j) => a.data[i * a.cols + j]!));
  return out;
}

/** Mirrors the lower triangle into the upper one (what a lower-triangle reader sees). */
export function symmetrizeFromLower(a: AnyDense): Dense {
  const n = a.rows;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      out.data[i * n + j] = a.data[i * n + j]!;
      out.data[j * n + i] = a.data[i * n + j]!;
    }
  }
  return out;
}

/**
 * Singular values (descending) by one-sided Jacobi (Hestenes) in float64:
 * orthogonalises the columns of A (or Aᵀ when wide) by plane rotations; the
 * column norms are then the singular values, to high relative accuracy.
 */
export function jacobiSingularValues(a: AnyDense): number[] {
  const src = a.rows >= a.cols ? a : transpose(a);
  const m = src.rows;
  const n = src.cols;
  // Scaled by the largest entry so that squares neither underflow nor overflow.
  const scale = maxAbs(src.data) || 1;
  // Column-major working copy: column j is w[j*m … j*m+m).
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = src.data[i * n + j]! / scale;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[p * m + i]!;
          const y = w[q * m + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-16 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[p * m + i]!;
          const y = w[q * m + i]!;
          w[p * m + i] = c * x - s * y;
          w[q * m + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += w[j * m + i]! ** 2;
    out.push(scale * Math.sqrt(sum));
  }
  return out.sort((x, y) => y - x);
}

/** Eigenvalues (ascending) of the symmetric matrix whose lower triangle is a's, by cyclic Jacobi in float64. */
export function jacobiEigenvalues(a: AnyDense): number[] {
  const n = a.rows;
  const s = symmetrizeFromLower(a).data;
  // Scaled by the largest entry so that squares neither underflow nor overflow.
  const scale = maxAbs(s) || 1;
  for (let i = 0; i < s.length; i++) s[i]! /= scale;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = s[i * n + j]! ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-34 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        // S ← Jᵀ S J with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
      }
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(scale * s[i * n + i]!);
  return out.sort((x, y) => x - y);
}

/** Bit-level view of a typed array, for "identical bits" comparisons. */
export function bytesOf(x: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
}
