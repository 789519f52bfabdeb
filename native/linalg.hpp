// The compute core: SVD, symmetric eigendecomposition, Gram matrices and
// eigenvalue counts by inertia, on row-major float/double data.
//
// Row-major data is never transposed into a copy: a row-major m×n matrix is a
// column-major n×m one, so each routine hands LAPACK the transpose and swaps
// the roles of its outputs. Every function validates sizes, scans for NaN/Inf,
// checks LAPACK's info and raises effrank::Error; outputs are caller-owned.
#pragma once
#include <cstddef>
#include <cstdint>

namespace effrank {

using Index = std::int64_t;

enum class Vectors { None, Thin, Full };
enum class GramSide { Cols, Rows };  // Cols: scale·Aᵀ·diag(w)·A (n×n); Rows: scale·A·diag(w)·Aᵀ (m×m)

// Raises NonFinite if any of the `count` values is NaN or ±Inf.
template <class T>
void checkFinite(const T* data, std::size_t count, const char* what);

// Singular values descending into s (min(m,n)); u is m×k or m×m, vt is k×n or
// n×n (row-major, k = min(m,n)); u/vt may be null when vectors == None.
// Sign convention: the largest-magnitude entry of each row of vt is positive
// (first one on ties); the matching column of u flips with it. Columns of a
// full u beyond k follow the same rule on their own.
// Uses ?gesdd, and ?gesvd if divide-and-conquer fails to converge.
template <class T>
void svd(const T* a, Index m, Index n, Vectors vectors, T* s, T* u, T* vt);

// Eigenvalues ascending into w (n); when vectors is non-null, column i of the
// row-major n×n `vectors` is the eigenvector of w[i], its largest-magnitude
// entry positive. Reads only the lower triangle. ?syevd, then ?syev.
template <class T>
void eigh(const T* a, Index n, T* w, T* vectors);

// Raises InvalidArgument if |a_ij − a_ji| > tol·max|a| anywhere.
template <class T>
void checkSymmetric(const T* a, Index n, double relativeTolerance);

// out = scale·Aᵀ·diag(w)·A (side Cols, w has m entries) or scale·A·diag(w)·Aᵀ
// (side Rows, w has n entries); w may be null. Acc is T, or double for T=float
// to accumulate in float64. The result is exactly symmetric.
template <class T, class Acc>
void gram(const T* a, Index m, Index n, GramSide side, const double* weights, double scale, Acc* out);

// Number of eigenvalues of the symmetric g (lower triangle) strictly above
// threshold, from the inertia of g − threshold·I = L·D·Lᵀ (?sytrf).
template <class T>
Index countEigenvaluesAbove(const T* g, Index n, double threshold);

// Singular values (descending) of `count` row-major m×n matrices stored back
// to back; out holds count·min(m,n) values. Parallel across matrices.
template <class T>
void svdvalsBatched(const T* data, Index count, Index m, Index n, T* out);

// Eigenvalues (ascending) of `count` symmetric n×n matrices; out holds count·n.
template <class T>
void eigvalshBatched(const T* data, Index count, Index n, T* out);

}  // namespace effrank

namespace effrank {

// Gram pieces the spectrum engine builds on (each takes the compute lock):
// scale·(A − 1μᵀ)ᵀ·diag(w)·(A − 1μᵀ) with mean μ (may be null), n×n; and the
// unweighted m×m scale·A·Aᵀ.
template <class T, class Acc>
void centeredColsGram(const T* a, Index m, Index n, const double* weights, const double* mean, double scale, Acc* out);
template <class T, class Acc>
void rowsGramUnweighted(const T* a, Index m, Index n, double scale, Acc* out);

// ---- The spectrum engine: features -> M -> eigenvalues or counts. ----
//
// M = scale·(Φ − 1μᵀ)ᵀ·diag(w)·(Φ − 1μᵀ), Φ the m×n features (m sample points,
// n neurons), μ the weighted column mean when centring, else 0.
//
// Routes (chosen by the caller, src/spectrum/route.ts):
//  - Primal: the n×n Gram M itself.
//  - Dual: the m×m kernel K = scale·Φ̃·Φ̃ᵀ with Φ̃ = diag(√w)(Φ − 1μᵀ), whose
//    non-zero eigenvalues are those of M (the other n − m are zero). Cheaper
//    whenever m < n.
//  - Svd: λ = scale·σ² from the singular values of Φ̃, never squaring the
//    condition number.
// A Gram or kernel is formed in the features' dtype or, with `float64`, in
// float64 from float32 features. Then, when thresholds are given and the
// smallest is ≥ inertiaResolution·(upper bound on λ_max), the eigenvalues
// above each threshold are counted by inertia (?sytrf); otherwise all
// eigenvalues are computed.
enum class SpectrumSide { Primal, Dual, Svd };

struct SpectrumRequest {
  const double* weights = nullptr;  // m entries, or null
  double scale = 1;
  bool center = false;
  SpectrumSide side = SpectrumSide::Primal;
  bool float64 = false;             // form the Gram in float64 (float32 features only)
  const double* thresholds = nullptr;
  Index thresholdCount = 0;
  double inertiaResolution = 0;
  int maxThreads = 0;               // cap on BLAS threads for this job (0: no cap)
  // > 0, for a float32 Gram: when it cannot resolve the smallest threshold
  // for sure (by a lower bound on λ_max), form the Gram again in float64 in
  // this same job and decide with this resolution instead. Saves the caller
  // a round trip.
  double escalateResolution = 0;
  // false: the thresholds only decide "unresolved for sure" (and escalation);
  // the eigenvalues are computed, never counts by inertia.
  bool mayCount = true;
};

struct SpectrumResult {
  bool counted = false;   // true: counts were filled (by inertia), values were not
  bool unresolved = false;  // true: the smallest threshold is below inertiaResolution·λ_max for sure; nothing computed
  double lower = 0;       // max(max diagonal entry, Rayleigh quotients of 1 and of 3 power steps) ≤ λ_max
  double upper = 0;       // λ_max ≤ min(trace, ‖M‖_F, max row sum)
  bool gramFloat64 = false;
};

// Dimension of the matrix whose eigenvalues a request computes (values' length).
Index spectrumDimension(Index m, Index n, SpectrumSide side);

// values: descending, spectrumDimension() entries (unless counted); counts:
// thresholdCount entries.
template <class T>
SpectrumResult featureSpectrum(const T* a, Index m, Index n, const SpectrumRequest& req, double* values, double* counts);

// The same decision on a Gram the caller already has (n×n, float64, lower triangle read).
SpectrumResult gramSpectrum(const double* g, Index n, const SpectrumRequest& req, double* values, double* counts);

// The weighted column mean of the m×n features in float64, by the corrected
// two-pass formula μ = μ₀ + Σw(φ − μ₀)/Σw (μ₀ the plain weighted mean): the
// second pass removes the first's rounding, as a centred sum would.
template <class T>
void weightedColumnMean(const T* a, Index m, Index n, const double* weights, double* mean);

}  // namespace effrank
