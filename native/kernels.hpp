// Unlocked, single-matrix kernels shared by the one-matrix entry points (which
// take the compute lock with all BLAS threads) and the batched loops (which run
// them on several workers with one BLAS thread each).
#pragma once
#include <cstddef>

#include "linalg.hpp"

namespace effrank::detail {

// Validates a rows×cols shape for LAPACK's 32-bit indexing.
void checkShape(Index rows, Index cols, const char* what);

template <class T>
void svdKernel(const T* a, Index m, Index n, Vectors vectors, T* s, T* u, T* vt);

template <class T>
void eighKernel(const T* a, Index n, T* w, T* vectors);

// Copies the lower triangle of a row-major n×n matrix (which LAPACK reads as the
// column-major upper triangle) into dst, raising NonFinite if any entry of the
// whole matrix is NaN or ±Inf. One pass over the source instead of a scan plus
// a full copy.
template <class T>
void copyLowerChecked(const T* src, Index n, T* dst, const char* what);

// Copies a row-major m×n matrix into dst in column-major order (dst[i + j·m]),
// raising NonFinite on NaN or ±Inf. Cache-blocked.
template <class T>
void transposeChecked(const T* src, Index m, Index n, T* dst, const char* what);

// dst (rows×cols, row-major) = src read column-major with leading dimension
// ld (src[r + c·ld]). Cache-blocked, for LAPACK outputs.
template <class T>
void transposeFromColumnMajor(const T* src, Index rows, Index cols, Index ld, T* dst) {
  constexpr Index kTile = 32;
  for (Index c0 = 0; c0 < cols; c0 += kTile) {
    const Index c1 = c0 + kTile < cols ? c0 + kTile : cols;
    for (Index r0 = 0; r0 < rows; r0 += kTile) {
      const Index r1 = r0 + kTile < rows ? r0 + kTile : rows;
      for (Index c = c0; c < c1; ++c) {
        for (Index r = r0; r < r1; ++r) dst[r * cols + c] = src[r + c * ld];
      }
    }
  }
}

// Makes the largest-magnitude entry of a strided vector positive; returns
// true if it flipped the sign.
template <class T>
bool normaliseSign(T* v, Index count, Index stride) {
  Index best = 0;
  T bestAbs = T(-1);
  for (Index i = 0; i < count; ++i) {
    const T x = v[i * stride];
    const T ax = x < 0 ? -x : x;
    if (ax > bestAbs) {
      bestAbs = ax;
      best = i;
    }
  }
  if (v[best * stride] >= 0) return false;
  for (Index i = 0; i < count; ++i) v[i * stride] = -v[i * stride];
  return true;
}

}  // namespace effrank::detail
