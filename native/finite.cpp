#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "errors.hpp"
#include "kernels.hpp"
#include "memory.hpp"

namespace effrank {

namespace {
// 1 when x is finite: |x| ≤ max is false for NaN and ±Inf. An integer AND
// reduction, unlike a floating-point sum, vectorises without -ffast-math.
template <class T>
inline unsigned finite(T x) {
  return std::fabs(x) <= std::numeric_limits<T>::max();
}
}  // namespace

template <class T>
void checkFinite(const T* data, std::size_t count, const char* what) {
  // Scan in blocks; the index is only searched for on failure.
  constexpr std::size_t kBlock = 4096;
  for (std::size_t start = 0; start < count; start += kBlock) {
    const std::size_t end = std::min(count, start + kBlock);
    unsigned ok = 1;
    for (std::size_t i = start; i < end; ++i) ok &= finite(data[i]);
    if (ok) continue;
    for (std::size_t i = start; i < end; ++i) {
      if (!std::isfinite(data[i])) {
        throw Error(Code::NonFinite, std::string(what) + " contains " +
                                         (std::isnan(data[i]) ? "NaN" : "an infinite value") + " at index " +
                                         std::to_string(i));
      }
    }
  }
}

template void checkFinite<float>(const float*, std::size_t, const char*);
template void checkFinite<double>(const double*, std::size_t, const char*);

namespace detail {

namespace {
[[noreturn]] void reportNonFinite(const char* what) {
  throw Error(Code::NonFinite, std::string(what) + " contains NaN or an infinite value");
}
}  // namespace

template <class T>
void copyLowerChecked(const T* src, Index n, T* dst, const char* what) {
  unsigned ok = 1;
  for (Index i = 0; i < n; ++i) {
    const T* row = src + i * n;
    T* out = dst + i * n;
    for (Index j = 0; j <= i; ++j) {
      out[j] = row[j];
      ok &= finite(row[j]);
    }
    for (Index j = i + 1; j < n; ++j) ok &= finite(row[j]);  // the unread triangle must be finite too
  }
  if (!ok) reportNonFinite(what);
}

template <class T>
void transposeChecked(const T* src, Index m, Index n, T* dst, const char* what) {
  constexpr Index kTile = 32;
  unsigned ok = 1;
  for (Index i0 = 0; i0 < m; i0 += kTile) {
    const Index i1 = std::min(m, i0 + kTile);
    for (Index j0 = 0; j0 < n; j0 += kTile) {
      const Index j1 = std::min(n, j0 + kTile);
      for (Index i = i0; i < i1; ++i) {
        for (Index j = j0; j < j1; ++j) {
          const T v = src[i * n + j];
          dst[i + j * m] = v;
          ok &= finite(v);
        }
      }
    }
  }
  if (!ok) reportNonFinite(what);
}

template void copyLowerChecked<float>(const float*, Index, float*, const char*);
template void copyLowerChecked<double>(const double*, Index, double*, const char*);
template void transposeChecked<float>(const float*, Index, Index, float*, const char*);
template void transposeChecked<double>(const double*, Index, Index, double*, const char*);

void checkShape(Index rows, Index cols, const char* what) {
  if (rows <= 0 || cols <= 0) {
    throw Error(Code::InvalidShape, std::string(what) + ": dimensions must be positive, got " +
                                        std::to_string(rows) + "×" + std::to_string(cols));
  }
  if (rows > kLapackIndexLimit || cols > kLapackIndexLimit || rows > kLapackIndexLimit / cols) {
    throw Error(Code::InvalidShape, std::string(what) + ": " + std::to_string(rows) + "×" +
                                        std::to_string(cols) + " exceeds LAPACK's 32-bit index range");
  }
}

}  // namespace detail
}  // namespace effrank
