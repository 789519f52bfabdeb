#include <algorithm>
#include <cstring>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "lapack.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {
namespace detail {
namespace {

char jobFor(Vectors v) { return v == Vectors::None ? 'N' : v == Vectors::Thin ? 'S' : 'A'; }

// LAPACK sees B = Aᵀ (n×m, column-major, lda = n). With B = U_B·Σ·V_Bᵀ we have
// A = V_B·Σ·U_Bᵀ, so U_B stored column-major is exactly A's vt in row-major,
// and V_Bᵀ stored column-major is exactly A's u in row-major.
struct Layout {
  lapack_int bm, bn, k;  // B's shape and min(m, n)
  lapack_int ldu, ldvt;  // leading dimensions of U_B (our vt) and V_Bᵀ (our u)
  lapack_int vtRows;     // rows of our vt: k or n
  lapack_int uCols;      // columns of our u: k or m
};

Layout layoutFor(Index m, Index n, Vectors vectors) {
  Layout l;
  l.bm = static_cast<lapack_int>(n);
  l.bn = static_cast<lapack_int>(m);
  l.k = std::min(l.bm, l.bn);
  l.vtRows = vectors == Vectors::Full ? l.bm : l.k;
  l.uCols = vectors == Vectors::Full ? l.bn : l.k;
  l.ldu = vectors == Vectors::None ? 1 : l.bm;
  l.ldvt = vectors == Vectors::None ? 1 : l.uCols;
  return l;
}

template <class T>
int runGesdd(std::vector<T>& b, const Layout& l, Vectors vectors, T* s, T* u, T* vt) {
  const char jobz = jobFor(vectors);
  T dummy = 0;
  T* uB = vectors == Vectors::None ? &dummy : vt;
  T* vtB = vectors == Vectors::None ? &dummy : u;
  std::vector<lapack_int> iwork(8 * static_cast<std::size_t>(l.k));
  T query = 0;
  int info = lapack::gesdd(jobz, l.bm, l.bn, b.data(), l.bm, s, uB, l.ldu, vtB, l.ldvt, &query, -1, iwork.data());
  checkLapackArgs(info, "?gesdd workspace query");
  const lapack_int lwork = lapack::queriedSize(query);
  auto work = allocate<T>(static_cast<std::size_t>(lwork), "SVD workspace");
  info = lapack::gesdd(jobz, l.bm, l.bn, b.data(), l.bm, s, uB, l.ldu, vtB, l.ldvt, work.data(), lwork,
                       iwork.data());
  checkLapackArgs(info, "?gesdd");
  return info;
}

template <class T>
int runGesvd(std::vector<T>& b, const Layout& l, Vectors vectors, T* s, T* u, T* vt) {
  const char job = jobFor(vectors);
  T dummy = 0;
  T* uB = vectors == Vectors::None ? &dummy : vt;
  T* vtB = vectors == Vectors::None ? &dummy : u;
  T query = 0;
  int info = lapack::gesvd(job, job, l.bm, l.bn, b.data(), l.bm, s, uB, l.ldu, vtB, l.ldvt, &query, -1);
  checkLapackArgs(info, "?gesvd workspace query");
  const lapack_int lwork = lapack::queriedSize(query);
  auto work = allocate<T>(static_cast<std::size_t>(lwork), "SVD workspace");
  info = lapack::gesvd(job, job, l.bm, l.bn, b.data(), l.bm, s, uB, l.ldu, vtB, l.ldvt, work.data(), lwork);
  checkLapackArgs(info, "?gesvd");
  return info;
}

template <class T>
void applySignConvention(Index m, Index n, const Layout& l, T* u, T* vt) {
  for (Index i = 0; i < l.vtRows; ++i) {
    const bool flipped = normaliseSign(vt + i * n, n, 1);
    if (flipped && i < l.k) {
      for (Index r = 0; r < m; ++r) u[r * l.uCols + i] = -u[r * l.uCols + i];
    }
  }
  for (Index j = l.k; j < l.uCols; ++j) normaliseSign(u + j, m, l.uCols);
}

}  // namespace

template <class T>
void svdKernel(const T* a, Index m, Index n, Vectors vectors, T* s, T* u, T* vt) {
  const Layout l = layoutFor(m, n, vectors);
  const std::size_t size = static_cast<std::size_t>(m) * static_cast<std::size_t>(n);
  auto b = allocate<T>(size, "SVD input copy");  // LAPACK overwrites its input
  std::memcpy(b.data(), a, size * sizeof(T));
  int info = runGesdd(b, l, vectors, s, u, vt);
  if (info > 0) {
    // Divide and conquer did not converge: retry with the QR-iteration SVD.
    std::memcpy(b.data(), a, size * sizeof(T));
    info = runGesvd(b, l, vectors, s, u, vt);
    if (info > 0) {
      throw Error(Code::NoConvergence, "SVD did not converge (?gesdd and ?gesvd, info " + std::to_string(info) + ")");
    }
  }
  if (vectors != Vectors::None) applySignConvention(m, n, l, u, vt);
}

template void svdKernel<float>(const float*, Index, Index, Vectors, float*, float*, float*);
template void svdKernel<double>(const double*, Index, Index, Vectors, double*, double*, double*);

}  // namespace detail

template <class T>
void svd(const T* a, Index m, Index n, Vectors vectors, T* s, T* u, T* vt) {
  detail::checkShape(m, n, "svd");
  if (vectors == Vectors::Full) {
    detail::checkShape(m, m, "svd (full u)");
    detail::checkShape(n, n, "svd (full vt)");
  }
  checkFinite(a, static_cast<std::size_t>(m * n), "svd input");
  ComputeScope scope(numThreads());
  detail::svdKernel(a, m, n, vectors, s, u, vt);
}

template void svd<float>(const float*, Index, Index, Vectors, float*, float*, float*);
template void svd<double>(const double*, Index, Index, Vectors, double*, double*, double*);

}  // namespace effrank
