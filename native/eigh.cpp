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
namespace detail {
namespace {

// The row-major lower triangle is the column-major upper triangle, hence 'U'.
constexpr char kUplo = 'U';

template <class T>
int runSyevd(T* z, lapack_int n, char jobz, T* w) {
  T query = 0;
  lapack_int iquery = 0;
  int info = lapack::syevd(jobz, kUplo, n, z, n, w, &query, -1, &iquery, -1);
  checkLapackArgs(info, "?syevd workspace query");
  const lapack_int lwork = lapack::queriedSize(query);
  const lapack_int liwork = iquery;
  auto work = allocateRaw<T>(static_cast<std::size_t>(lwork), "eigh workspace");
  std::vector<lapack_int> iwork(static_cast<std::size_t>(liwork));
  info = lapack::syevd(jobz, kUplo, n, z, n, w, work.get(), lwork, iwork.data(), liwork);
  checkLapackArgs(info, "?syevd");
  return info;
}

template <class T>
int runSyev(T* z, lapack_int n, char jobz, T* w) {
  T query = 0;
  int info = lapack::syev(jobz, kUplo, n, z, n, w, &query, -1);
  checkLapackArgs(info, "?syev workspace query");
  const lapack_int lwork = lapack::queriedSize(query);
  auto work = allocateRaw<T>(static_cast<std::size_t>(lwork), "eigh workspace");
  info = lapack::syev(jobz, kUplo, n, z, n, w, work.get(), lwork);
  checkLapackArgs(info, "?syev");
  return info;
}

}  // namespace

template <class T>
void eighKernel(const T* a, Index n, T* w, T* vectors) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
  auto z = allocateRaw<T>(size, "eigh input copy");
  copyLowerChecked(a, n, z.get(), "eigh input");
  const char jobz = vectors ? 'V' : 'N';
  const lapack_int ln = static_cast<lapack_int>(n);
  int info = runSyevd(z.get(), ln, jobz, w);
  if (info > 0) {
    copyLowerChecked(a, n, z.get(), "eigh input");
    info = runSyev(z.get(), ln, jobz, w);
    if (info > 0) {
      throw Error(Code::NoConvergence,
                  "eigendecomposition did not converge (?syevd and ?syev, info " + std::to_string(info) + ")");
    }
  }
  if (!vectors) return;
  // z holds the eigenvectors as column-major columns; numpy's convention is
  // columns of a row-major matrix, which is the transpose in memory.
  for (Index c = 0; c < n; ++c) {
    T* col = z.get() + c * n;
    normaliseSign(col, n, 1);
    for (Index r = 0; r < n; ++r) vectors[r * n + c] = col[r];
  }
}

template void eighKernel<float>(const float*, Index, float*, float*);
template void eighKernel<double>(const double*, Index, double*, double*);

}  // namespace detail

template <class T>
void checkSymmetric(const T* a, Index n, double relativeTolerance) {
  double maxAbs = 0;
  for (Index i = 0; i < n * n; ++i) maxAbs = std::fmax(maxAbs, std::fabs(static_cast<double>(a[i])));
  const double tol = relativeTolerance * maxAbs;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < i; ++j) {
      const double d = std::fabs(static_cast<double>(a[i * n + j]) - static_cast<double>(a[j * n + i]));
      if (d > tol) {
        throw Error(Code::InvalidArgument, "matrix is not symmetric: |a[" + std::to_string(i) + "][" +
                                               std::to_string(j) + "] - a[" + std::to_string(j) + "][" +
                                               std::to_string(i) + "]| = " + std::to_string(d));
      }
    }
  }
}

template void checkSymmetric<float>(const float*, Index, double);
template void checkSymmetric<double>(const double*, Index, double);

template <class T>
void eigh(const T* a, Index n, T* w, T* vectors) {
  detail::checkShape(n, n, "eigh");
  ComputeScope scope(threadsFor(4.0 / 3.0 * n * n * n));
  detail::eighKernel(a, n, w, vectors);
}

template void eigh<float>(const float*, Index, float*, float*);
template void eigh<double>(const double*, Index, double*, double*);

}  // namespace effrank
