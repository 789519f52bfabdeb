#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "lapack.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {
namespace {

// Positive eigenvalues of the block-diagonal D of a Bunch–Kaufman
// factorisation stored by ?sytrf with uplo 'U' (column-major, lda = n).
template <class T>
Index positiveInertia(const T* f, const lapack_int* ipiv, Index n) {
  Index positive = 0;
  for (Index k = 0; k < n; ++k) {
    const double a = f[k + k * n];
    if (ipiv[k] > 0 || k + 1 == n) {
      positive += a > 0;
      continue;
    }
    // 2×2 block on rows k, k+1: its eigenvalues have product det and sum trace.
    const double b = f[k + (k + 1) * n];
    const double c = f[(k + 1) + (k + 1) * n];
    const double det = a * c - b * b;
    if (det < 0) {
      positive += 1;
    } else if (det > 0) {
      positive += (a + c) > 0 ? 2 : 0;
    } else {
      positive += (a + c) > 0 ? 1 : 0;
    }
    ++k;
  }
  return positive;
}

}  // namespace

template <class T>
Index countEigenvaluesAbove(const T* g, Index n, double threshold) {
  detail::checkShape(n, n, "countEigenvaluesAbove");
  if (!std::isfinite(threshold)) throw Error(Code::InvalidArgument, "threshold must be finite");
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
  // Row-major lower triangle = column-major upper triangle: factor with 'U'.
  auto f = allocateRaw<T>(size, "inertia copy");
  detail::copyLowerChecked(g, n, f.get(), "countEigenvaluesAbove input");
  ComputeScope scope(threadsFor(1.0 / 3.0 * n * n * n));
  const T shift = static_cast<T>(threshold);
  for (Index i = 0; i < n; ++i) f[i * n + i] -= shift;
  const lapack_int ln = static_cast<lapack_int>(n);
  std::vector<lapack_int> ipiv(static_cast<std::size_t>(n));
  T query = 0;
  int info = lapack::sytrf('U', ln, f.get(), ln, ipiv.data(), &query, -1);
  checkLapackArgs(info, "?sytrf workspace query");
  const lapack_int lwork = lapack::queriedSize(query);
  auto work = allocateRaw<T>(static_cast<std::size_t>(lwork), "inertia workspace");
  info = lapack::sytrf('U', ln, f.get(), ln, ipiv.data(), work.get(), lwork);
  checkLapackArgs(info, "?sytrf");
  // info > 0 means an exactly zero pivot: an eigenvalue equal to the
  // threshold, which is not strictly above it. The count is still exact.
  return positiveInertia(f.get(), ipiv.data(), n);
}

template Index countEigenvaluesAbove<float>(const float*, Index, double);
template Index countEigenvaluesAbove<double>(const double*, Index, double);

}  // namespace effrank
