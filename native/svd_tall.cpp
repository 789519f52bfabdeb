// ?gesdd takes the same route (QR first when M ≥ 11N/6), but through ?geqrf
// and, with vectors, an explicit Q from ?orgqr and a product. On this
// project's machine, one thread, 2000×256: ?geqrt 6.7 ms against ?geqrf
// 10.4 ms, and ?gemqrt 10 ms against ?orgqr + ?gemm 14.1 ms, so the thin SVD
// takes 26 ms instead of 34–36 ms and values only 11.4 ms instead of 15.5 ms
// (10000×64: 9.1 against 25 ms). Applying Q from the right to U_Rᵀ also
// writes a row-major U with no transpose. Both are Householder QR: the
// accuracy is ?gesdd's.
#include "svd_tall.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "errors.hpp"
#include "memory.hpp"
#include "svd_fallback.hpp"

namespace effrank::detail {
namespace {

// Block size of the compact WY form: 32 was fastest at 2000×256 (16: 7.7 ms, 64: 7.0 ms, 256: 8.6 ms).
constexpr lapack_int kBlock = 32;

// R (the upper triangle of b), or Rᵀ, into the zeroed N×N column-major r.
template <class T>
void extractR(const T* b, lapack_int M, lapack_int N, bool transpose, T* r) {
  std::memset(r, 0, sizeof(T) * static_cast<std::size_t>(N) * static_cast<std::size_t>(N));
  for (lapack_int j = 0; j < N; ++j) {
    const T* column = b + static_cast<std::size_t>(j) * M;
    if (!transpose) {
      std::memcpy(r + static_cast<std::size_t>(j) * N, column, sizeof(T) * static_cast<std::size_t>(j + 1));
    } else {
      for (lapack_int i = 0; i <= j; ++i) r[j + static_cast<std::size_t>(i) * N] = column[i];
    }
  }
}

// The power of two k that brings max|b| into [√safmin/ε, ε/√safmin], as
// ?gesdd scales its input before its QR (there by the exact ratio; here by
// 2^k, which is exact). Without it, entries near the overflow threshold give
// Householder norms of ±Inf; 0 when no scaling is needed.
template <class T>
int scaleExponent(const T* b, std::size_t count) {
  T amax = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const T x = b[i] < 0 ? -b[i] : b[i];
    if (x > amax) amax = x;
  }
  const T small = std::sqrt(std::numeric_limits<T>::min()) / std::numeric_limits<T>::epsilon();
  const T big = T(1) / small;
  if (amax > big) return std::ilogb(big) - std::ilogb(amax) - 1;
  if (amax > 0 && amax < small) return std::ilogb(small) - std::ilogb(amax) + 1;
  return 0;
}

// ?geqrt, the SVD of R, and with vectors ?gemqrt: svdTallByQr on an input already in range.
template <class T>
void factorAndSolve(T* b, lapack_int M, lapack_int N, Vectors vectors, bool transposed, T* s, T* left, T* right) {
  const lapack_int nb = std::min(kBlock, N);
  const std::size_t nn = static_cast<std::size_t>(N) * static_cast<std::size_t>(N);
  auto t = allocateRaw<T>(static_cast<std::size_t>(nb) * N, "QR factors");
  auto work = allocateRaw<T>(static_cast<std::size_t>(nb) * N, "QR workspace");
  checkLapackArgs(lapack::geqrt(M, N, nb, b, M, t.get(), nb, work.get()), "?geqrt");

  auto r = allocateRaw<T>(nn, "R factor");
  if (vectors == Vectors::None) {
    extractR(b, M, N, false, r.get());
    T dummy = 0;
    gesddOrGesvd('N', N, N, r.get(), N, s, &dummy, 1, &dummy, 1, [&] { extractR(b, M, N, false, r.get()); });
    return;
  }
  // transposed: the SVD of Rᵀ = V_R·Σ·U_Rᵀ, whose U (V_R) is V_B and whose
  // Vᵀ (U_Rᵀ) lands in the first N columns of left, ready for C·Qᵀ.
  // Otherwise U_R lands in the first N rows of left, ready for Q·C.
  extractR(b, M, N, transposed, r.get());
  if (transposed) {
    gesddOrGesvd('S', N, N, r.get(), N, s, right, N, left, N, [&] { extractR(b, M, N, true, r.get()); });
    std::memset(left + nn, 0, sizeof(T) * (static_cast<std::size_t>(M) - N) * N);
    checkLapackArgs(lapack::gemqrt('R', 'T', N, M, N, nb, b, M, t.get(), nb, left, N, work.get()), "?gemqrt");
  } else {
    gesddOrGesvd('S', N, N, r.get(), N, s, left, M, right, N, [&] { extractR(b, M, N, false, r.get()); });
    for (lapack_int j = 0; j < N; ++j) {
      std::memset(left + static_cast<std::size_t>(j) * M + N, 0, sizeof(T) * (static_cast<std::size_t>(M) - N));
    }
    checkLapackArgs(lapack::gemqrt('L', 'N', M, N, N, nb, b, M, t.get(), nb, left, M, work.get()), "?gemqrt");
  }
}

}  // namespace

bool useTallRoute(Index M, Index N, Vectors vectors) {
  return vectors != Vectors::Full && N >= 1 && M >= 2 * N;
}

template <class T>
void svdTallByQr(T* b, lapack_int M, lapack_int N, Vectors vectors, bool transposed, T* s, T* left, T* right) {
  const std::size_t size = static_cast<std::size_t>(M) * static_cast<std::size_t>(N);
  const int k = scaleExponent(b, size);
  if (k != 0) {
    const T f = std::ldexp(T(1), k);
    for (std::size_t i = 0; i < size; ++i) b[i] *= f;
  }
  factorAndSolve(b, M, N, vectors, transposed, s, left, right);
  if (k != 0) {
    for (lapack_int i = 0; i < N; ++i) s[i] = std::ldexp(s[i], -k);
  }
}

template void svdTallByQr<float>(float*, lapack_int, lapack_int, Vectors, bool, float*, float*, float*);
template void svdTallByQr<double>(double*, lapack_int, lapack_int, Vectors, bool, double*, double*, double*);

}  // namespace effrank::detail
