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

// Positive eigenvalues of the 2×2 block [[a, b], [b, c]], from the sign of
// det = a·c − b² without forming it: a·c and b² under- or overflow for blocks
// near 1e±154, which is where the first version miscounted.
int blockPositives(double a, double b, double c) {
  if (b == 0) return (a > 0) + (c > 0);
  if (a == 0 || c == 0 || (a > 0) != (c > 0)) return 1;  // det < 0: one of each sign
  // Same sign: compare |a|·|c| with b² as mantissas in [1/4, 1) and a power of two.
  int ea = 0, eb = 0, ec = 0;
  const double ma = std::frexp(std::fabs(a), &ea);
  const double mb = std::frexp(std::fabs(b), &eb);
  const double mc = std::frexp(std::fabs(c), &ec);
  const int d = ea + ec - 2 * eb;
  const double lhs = ma * mc, rhs = mb * mb;
  const int cmp = d >= 2 ? 1 : d <= -2 ? -1 : (std::ldexp(lhs, d) > rhs) - (std::ldexp(lhs, d) < rhs);
  if (cmp < 0) return 1;                     // det < 0
  if (cmp == 0) return a > 0 ? 1 : 0;        // det = 0: eigenvalues 0 and a + c
  return a > 0 ? 2 : 0;                      // det > 0: both have the trace's sign
}

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
    positive += blockPositives(a, f[k + (k + 1) * n], f[(k + 1) + (k + 1) * n]);
    ++k;
  }
  return positive;
}

// Writes 2^k·(g − t·I) over g's referenced triangle (row-major lower, at
// i·n + j, j ≤ i), computed in double and stored as T, with k chosen so the
// largest entry lands in [1, 2). Scaling by a power of two is exact (up to
// entries that fall below the type's range, far below rounding distance of
// the threshold), so the inertia, and the count, are unchanged, while the
// factorisation's pivots stay clear of under- and overflow. Returns false when
// g − t·I is exactly zero (every eigenvalue equals t: none is above it).
template <class T>
bool shiftAndScale(T* f, Index n, double t) {
  double offMax = 0, diagMax = 0, bigMax = std::fabs(t);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < i; ++j) offMax = std::fmax(offMax, std::fabs(static_cast<double>(f[i * n + j])));
    const double a = f[i * n + i];
    diagMax = std::fmax(diagMax, std::fabs(a - t));  // may be +Inf: 1e308 − (−1e308)
    bigMax = std::fmax(bigMax, std::fabs(a));
  }
  const double m = std::fmax(offMax, diagMax);
  if (m == 0) return false;
  // An infinite difference: scale so that both a and t are at most 1/2.
  const int k = std::isinf(m) ? -(std::ilogb(bigMax) + 2) : -std::ilogb(m);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < i; ++j) f[i * n + j] = static_cast<T>(std::ldexp(static_cast<double>(f[i * n + j]), k));
    const double a = f[i * n + i];
    // Scaling down: scale each term (the difference may overflow). Scaling up:
    // the difference is finite and small, and scaling it is exact.
    f[i * n + i] = static_cast<T>(k <= 0 ? std::ldexp(a, k) - std::ldexp(t, k) : std::ldexp(a - t, k));
  }
  return true;
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
  if (!shiftAndScale(f.get(), n, threshold)) return 0;
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
