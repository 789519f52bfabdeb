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

// Eigenvalues (ascending, float64) of M = scale·(A − 1μᵀ)ᵀ·diag(w)·(A − 1μᵀ),
// μ the weighted column mean when `center`, else 0: one job for the common
// "features → spectrum" path. The Gram is accumulated in float64.
template <class T>
void gramEigenvalues(const T* a, Index m, Index n, const double* weights, double scale, bool center, double* out);

}  // namespace effrank
