/**
 * Completing a set of orthonormal vectors to a larger orthonormal set, for the
 * small-matrix SVD: the left vectors of zero singular values and the extra
 * columns of a full U (or rows of a full Vᵀ) are not determined by the
 * matrix, so any orthonormal completion is correct, as LAPACK's is.
 */

/**
 * Fills the columns `missing` of q (column-major, `dim` rows, column c at
 * q[c·dim …]) so that they are orthonormal to the columns in `known` and to
 * each other. Each new column starts from the unit vector eᵢ with the least
 * weight in the current span (the first on ties: deterministic), and is
 * orthogonalised twice (classical Gram–Schmidt, then once more against the
 * rounding it left), which is enough for orthonormality to working precision.
 */
export function completeBasis(q: Float64Array, dim: number, known: number[], missing: number[]): void {
  const span = known.slice();
  for (const c of missing) {
    const off = c * dim;
    let best = 0;
    let bestWeight = Infinity;
    for (let i = 0; i < dim; i++) {
      let w = 0;
      for (const k of span) w += q[k * dim + i]! ** 2;
      if (w < bestWeight - 1e-12) {
        bestWeight = w;
        best = i;
      }
    }
    for (let i = 0; i < dim; i++) q[off + i] = i === best ? 1 : 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const k of span) {
        const ko = k * dim;
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += q[ko + i]! * q[off + i]!;
        for (let i = 0; i < dim; i++) q[off + i]! -= dot * q[ko + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += q[off + i]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) q[off + i]! /= norm;
    span.push(c);
  }
}
