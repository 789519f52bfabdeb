// float/double overloads of the LAPACKE column-major "_work" routines and the
// CBLAS calls the core uses, so the algorithms can be written once as templates.
// The _work variants with LAPACK_COL_MAJOR pass straight to LAPACK: no copies.
#pragma once
#include <cblas.h>
#include <lapacke.h>

#include <cmath>
#include <limits>
#include <string>

#include "errors.hpp"

namespace effrank::lapack {

inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, float* a, lapack_int lda, float* s, float* u,
                        lapack_int ldu, float* vt, lapack_int ldvt, float* work, lapack_int lwork,
                        lapack_int* iwork) {
  return LAPACKE_sgesdd_work(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
}
inline lapack_int gesdd(char jobz, lapack_int m, lapack_int n, double* a, lapack_int lda, double* s, double* u,
                        lapack_int ldu, double* vt, lapack_int ldvt, double* work, lapack_int lwork,
                        lapack_int* iwork) {
  return LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork);
}

inline lapack_int gesvd(char jobu, char jobvt, lapack_int m, lapack_int n, float* a, lapack_int lda, float* s,
                        float* u, lapack_int ldu, float* vt, lapack_int ldvt, float* work, lapack_int lwork) {
  return LAPACKE_sgesvd_work(LAPACK_COL_MAJOR, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
}
inline lapack_int gesvd(char jobu, char jobvt, lapack_int m, lapack_int n, double* a, lapack_int lda, double* s,
                        double* u, lapack_int ldu, double* vt, lapack_int ldvt, double* work, lapack_int lwork) {
  return LAPACKE_dgesvd_work(LAPACK_COL_MAJOR, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork);
}

inline lapack_int syevd(char jobz, char uplo, lapack_int n, float* a, lapack_int lda, float* w, float* work,
                        lapack_int lwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_ssyevd_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
}
inline lapack_int syevd(char jobz, char uplo, lapack_int n, double* a, lapack_int lda, double* w, double* work,
                        lapack_int lwork, lapack_int* iwork, lapack_int liwork) {
  return LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
}

inline lapack_int syev(char jobz, char uplo, lapack_int n, float* a, lapack_int lda, float* w, float* work,
                       lapack_int lwork) {
  return LAPACKE_ssyev_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork);
}
inline lapack_int syev(char jobz, char uplo, lapack_int n, double* a, lapack_int lda, double* w, double* work,
                       lapack_int lwork) {
  return LAPACKE_dsyev_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork);
}

inline lapack_int sytrf(char uplo, lapack_int n, float* a, lapack_int lda, lapack_int* ipiv, float* work,
                        lapack_int lwork) {
  return LAPACKE_ssytrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda, ipiv, work, lwork);
}
inline lapack_int sytrf(char uplo, lapack_int n, double* a, lapack_int lda, lapack_int* ipiv, double* work,
                        lapack_int lwork) {
  return LAPACKE_dsytrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda, ipiv, work, lwork);
}

// QR with the compact WY representation (blocks of nb reflectors, each with
// its triangular factor in t): faster here than ?geqrf + ?orgqr for tall
// matrices, and ?gemqrt applies Q without forming it.
inline lapack_int geqrt(lapack_int m, lapack_int n, lapack_int nb, float* a, lapack_int lda, float* t, lapack_int ldt,
                        float* work) {
  return LAPACKE_sgeqrt_work(LAPACK_COL_MAJOR, m, n, nb, a, lda, t, ldt, work);
}
inline lapack_int geqrt(lapack_int m, lapack_int n, lapack_int nb, double* a, lapack_int lda, double* t,
                        lapack_int ldt, double* work) {
  return LAPACKE_dgeqrt_work(LAPACK_COL_MAJOR, m, n, nb, a, lda, t, ldt, work);
}

inline lapack_int gemqrt(char side, char trans, lapack_int m, lapack_int n, lapack_int k, lapack_int nb, const float* v,
                         lapack_int ldv, const float* t, lapack_int ldt, float* c, lapack_int ldc, float* work) {
  return LAPACKE_sgemqrt_work(LAPACK_COL_MAJOR, side, trans, m, n, k, nb, v, ldv, t, ldt, c, ldc, work);
}
inline lapack_int gemqrt(char side, char trans, lapack_int m, lapack_int n, lapack_int k, lapack_int nb,
                         const double* v, lapack_int ldv, const double* t, lapack_int ldt, double* c, lapack_int ldc,
                         double* work) {
  return LAPACKE_dgemqrt_work(LAPACK_COL_MAJOR, side, trans, m, n, k, nb, v, ldv, t, ldt, c, ldc, work);
}

inline void gemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                 float alpha, const float* a, blasint lda, const float* b, blasint ldb, float beta, float* c,
                 blasint ldc) {
  cblas_sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                 double alpha, const double* a, blasint lda, const double* b, blasint ldb, double beta, double* c,
                 blasint ldc) {
  cblas_dgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

inline void syrk(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, blasint n, blasint k, float alpha,
                 const float* a, blasint lda, float beta, float* c, blasint ldc) {
  cblas_ssyrk(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
}
inline void syrk(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, blasint n, blasint k, double alpha,
                 const double* a, blasint lda, double beta, double* c, blasint ldc) {
  cblas_dsyrk(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
}

// LAPACK returns the optimal lwork as a floating-point number in work[0]. In
// float32 an integer above 2^24 is rounded to the nearest float, which may lie
// below it (ssyevd at n = 8194 reported a size under its own minimum and then
// rejected it). The true integer is at most half an ulp, v·eps/2, above the
// float v, so ceil(v·(1 + eps)) + 1 covers it (the product is exact in double).
// Sizes beyond LAPACK's 32-bit lwork are refused rather than wrapped.
template <class T>
lapack_int queriedSize(T value) {
  const double v = static_cast<double>(value);
  const double up = std::ceil(v * (1.0 + static_cast<double>(std::numeric_limits<T>::epsilon()))) + 1.0;
  if (!(up >= 1.0)) return 1;
  if (up > static_cast<double>(std::numeric_limits<lapack_int>::max())) {
    throw Error(Code::OutOfMemory, "LAPACK workspace of " + std::to_string(up) +
                                       " elements exceeds its 32-bit size limit");
  }
  return static_cast<lapack_int>(up);
}

}  // namespace effrank::lapack
