// One LAPACK SVD call with its fallback: ?gesdd (divide and conquer), and if
// it does not converge, ?gesvd (QR iteration) on a fresh copy of the input.
#pragma once
#include <string>
#include <vector>

#include "errors.hpp"
#include "lapack.hpp"
#include "memory.hpp"

namespace effrank::detail {

// The SVD of the column-major M×N `a` (destroyed) into s, u (ldu) and vt
// (ldvt), job 'N', 'S' or 'A' for both factors. `reload` rewrites `a` from
// the caller's source before the ?gesvd retry. Throws NoConvergence if both fail.
template <class T, class Reload>
void gesddOrGesvd(char job, lapack_int M, lapack_int N, T* a, lapack_int lda, T* s, T* u, lapack_int ldu, T* vt,
                  lapack_int ldvt, Reload&& reload) {
  const std::size_t k = static_cast<std::size_t>(M < N ? M : N);
  std::vector<lapack_int> iwork(8 * k);
  T query = 0;
  checkLapackArgs(lapack::gesdd(job, M, N, a, lda, s, u, ldu, vt, ldvt, &query, -1, iwork.data()), "?gesdd workspace query");
  lapack_int lwork = lapack::queriedSize(query);
  int info;
  {
    auto work = allocateRaw<T>(static_cast<std::size_t>(lwork), "SVD workspace");
    info = lapack::gesdd(job, M, N, a, lda, s, u, ldu, vt, ldvt, work.get(), lwork, iwork.data());
    checkLapackArgs(info, "?gesdd");
  }
  if (info == 0) return;
  reload();
  checkLapackArgs(lapack::gesvd(job, job, M, N, a, lda, s, u, ldu, vt, ldvt, &query, -1), "?gesvd workspace query");
  lwork = lapack::queriedSize(query);
  auto work = allocateRaw<T>(static_cast<std::size_t>(lwork), "SVD workspace");
  info = lapack::gesvd(job, job, M, N, a, lda, s, u, ldu, vt, ldvt, work.get(), lwork);
  checkLapackArgs(info, "?gesvd");
  if (info > 0) {
    throw Error(Code::NoConvergence, "SVD did not converge (?gesdd and ?gesvd, info " + std::to_string(info) + ")");
  }
}

}  // namespace effrank::detail
