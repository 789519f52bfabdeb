#include <algorithm>
#include <cstring>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "lapack.hpp"
#include "memory.hpp"
#include "svd_fallback.hpp"
#include "svd_tall.hpp"
#include "threads.hpp"

namespace effrank {
namespace detail {
namespace {

char jobFor(Vectors v) { return v == Vectors::None ? 'N' : v == Vectors::Thin ? 'S' : 'A'; }

// LAPACK gets a column-major M×N matrix and returns U_L (M×·) and V_Lᵀ (·×N).
//
// Wide or square A (m ≤ n): no transpose. LAPACK sees B = Aᵀ, which is A's
// row-major memory read column-major (M = n, N = m). Since A = V_B·Σ·U_Bᵀ,
// U_B stored column-major is exactly A's vt in row-major, and V_Bᵀ stored
// column-major is exactly A's u: LAPACK writes straight into the outputs.
//
// Tall A (m > n): Aᵀ would be wide, and LAPACK's LQ route on a wide
// column-major matrix ran 2–3× slower here than the QR route on a tall one
// (2000×256: 19–31 ms against 8.6 ms). LAPACK's input is a copy anyway (it
// destroys it), so the copy is made transposed (M = m, N = n), and the
// column-major U_A, V_Aᵀ are transposed into the row-major u, vt.
struct Plan {
  bool transposed;
  lapack_int M, N, k;
  lapack_int uCols, vtRows;  // shape of our u (m×uCols) and vt (vtRows×n)
  lapack_int leftCols;       // columns of U_L
  lapack_int rightRows;      // rows of V_Lᵀ
};

Plan planFor(Index m, Index n, Vectors vectors) {
  Plan p;
  p.transposed = m > n;
  p.M = static_cast<lapack_int>(p.transposed ? m : n);
  p.N = static_cast<lapack_int>(p.transposed ? n : m);
  p.k = std::min(p.M, p.N);
  p.uCols = static_cast<lapack_int>(vectors == Vectors::Full ? m : std::min(m, n));
  p.vtRows = static_cast<lapack_int>(vectors == Vectors::Full ? n : std::min(m, n));
  p.leftCols = vectors == Vectors::Full ? p.M : p.k;
  p.rightRows = vectors == Vectors::Full ? p.N : p.k;
  return p;
}

// Where LAPACK writes U_L and V_Lᵀ: our outputs directly, or scratch to transpose from.
template <class T>
struct Targets {
  T* left = nullptr;
  T* right = nullptr;
  lapack_int ldLeft = 1, ldRight = 1;
  Scratch<T> leftScratch, rightScratch;
  T dummy = 0;
};

template <class T>
Targets<T> targetsFor(const Plan& p, Vectors vectors, T* u, T* vt) {
  Targets<T> t;
  if (vectors == Vectors::None) {
    t.left = t.right = &t.dummy;
    return t;
  }
  t.ldLeft = p.M;
  t.ldRight = p.rightRows;
  if (!p.transposed) {
    t.left = vt;
    t.right = u;
  } else {
    t.leftScratch = allocateRaw<T>(static_cast<std::size_t>(p.M) * p.leftCols, "SVD scratch");
    t.rightScratch = allocateRaw<T>(static_cast<std::size_t>(p.rightRows) * p.N, "SVD scratch");
    t.left = t.leftScratch.get();
    t.right = t.rightScratch.get();
  }
  return t;
}

// Copies A into LAPACK's input layout (scanning for NaN/Inf on the way).
template <class T>
void loadInput(const T* a, Index m, Index n, const Plan& p, T* b) {
  if (p.transposed) {
    transposeChecked(a, m, n, b, "svd input");
  } else {
    const std::size_t size = static_cast<std::size_t>(m) * static_cast<std::size_t>(n);
    checkFinite(a, size, "svd input");
    std::memcpy(b, a, size * sizeof(T));
  }
}

template <class T>
void applySignConvention(Index m, Index n, const Plan& p, T* u, T* vt) {
  // Decide each flip from vt, then apply them to u in one contiguous pass.
  std::vector<T> sign(static_cast<std::size_t>(p.uCols), T(1));
  for (Index i = 0; i < p.vtRows; ++i) {
    if (normaliseSign(vt + i * n, n, 1) && i < p.k) sign[i] = T(-1);
  }
  for (Index j = p.k; j < p.uCols; ++j) {
    // Columns of a full u with no partner row in vt follow the rule on their own.
    Index best = 0;
    T bestAbs = T(-1);
    for (Index r = 0; r < m; ++r) {
      const T x = u[r * p.uCols + j];
      const T ax = x < 0 ? -x : x;
      if (ax > bestAbs) {
        bestAbs = ax;
        best = r;
      }
    }
    if (u[best * p.uCols + j] < 0) sign[j] = T(-1);
  }
  for (Index r = 0; r < m; ++r) {
    T* row = u + r * p.uCols;
    for (Index c = 0; c < p.uCols; ++c) row[c] *= sign[c];
  }
}

}  // namespace

template <class T>
void svdKernel(const T* a, Index m, Index n, Vectors vectors, T* s, T* u, T* vt) {
  const Plan p = planFor(m, n, vectors);
  const std::size_t size = static_cast<std::size_t>(m) * static_cast<std::size_t>(n);
  auto b = allocateRaw<T>(size, "SVD input copy");  // LAPACK overwrites its input
  loadInput(a, m, n, p, b.get());
  if (useTallRoute(p.M, p.N, vectors)) {
    // Tall A: LAPACK's B is A, U_B = u and V_Bᵀ = vt, both row-major (B's
    // outputs transposed). Wide A: B = Aᵀ, U_B column-major is vt and V_Bᵀ
    // column-major is u, as in the ?gesdd route.
    T* left = p.transposed ? u : vt;
    T* right = p.transposed ? vt : u;
    svdTallByQr(b.get(), p.M, p.N, vectors, p.transposed, s, left, right);
    if (vectors != Vectors::None) applySignConvention(m, n, p, u, vt);
    return;
  }
  Targets<T> t = targetsFor(p, vectors, u, vt);
  gesddOrGesvd(jobFor(vectors), p.M, p.N, b.get(), p.M, s, t.left, t.ldLeft, t.right, t.ldRight,
               [&] { loadInput(a, m, n, p, b.get()); });
  if (vectors == Vectors::None) return;
  if (p.transposed) {
    // u (m×uCols, row-major) = U_A (m×leftCols, column-major); vt likewise from V_Aᵀ.
    transposeFromColumnMajor(t.left, m, p.uCols, p.M, u);
    transposeFromColumnMajor(t.right, p.vtRows, n, p.rightRows, vt);
  }
  applySignConvention(m, n, p, u, vt);
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
  const double k = static_cast<double>(std::min(m, n));
  ComputeScope scope(threadsFor(4.0 * static_cast<double>(std::max(m, n)) * k * k));
  detail::svdKernel(a, m, n, vectors, s, u, vt);
}

template void svd<float>(const float*, Index, Index, Vectors, float*, float*, float*);
template void svd<double>(const double*, Index, Index, Vectors, double*, double*, double*);

}  // namespace effrank
