#include <algorithm>
#include <type_traits>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "lapack.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {
namespace {

// Unweighted: one ?syrk computes the lower triangle in n²N flops. Measured on
// this project's machines (OpenBLAS 0.3.21, Haswell and SkylakeX kernels), it
// beat both a full ?gemm (2n²N flops) and ?gemm on block rows of the triangle
// (see benchmarks/gram.bench.js). Weighted: ?gemm of (w·X)ᵀ·X on block rows of
// the lower triangle, so w multiplies exactly once (no √w rounding), at
// n²N·(1 + nb/n) flops. Weighted or widened inputs stream through small
// buffers, so the features are never copied whole.
constexpr std::size_t kChunkElements = std::size_t{1} << 20;
constexpr Index kBlock = 256;

template <class Acc>
void mirrorLower(Acc* g, Index n) {
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < i; ++j) g[j * n + i] = g[i * n + j];
  }
}

// G (+)= alpha·XᵀX for a k×n row-major X.
template <class Acc>
void syrkCols(const Acc* x, Index k, Index n, Acc alpha, bool first, Acc* g) {
  lapack::syrk(CblasRowMajor, CblasLower, CblasTrans, static_cast<blasint>(n), static_cast<blasint>(k), alpha, x,
               static_cast<blasint>(n), first ? Acc(0) : Acc(1), g, static_cast<blasint>(n));
}

// G (+)= alpha·XᵀY on the lower block rows, for k×n row-major X and Y.
template <class Acc>
void gemmColsLower(const Acc* x, const Acc* y, Index k, Index n, Acc alpha, bool first, Acc* g) {
  for (Index i0 = 0; i0 < n; i0 += kBlock) {
    const Index i1 = std::min(n, i0 + kBlock);
    lapack::gemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<blasint>(i1 - i0), static_cast<blasint>(i1),
                 static_cast<blasint>(k), alpha, x + i0, static_cast<blasint>(n), y, static_cast<blasint>(n),
                 first ? Acc(0) : Acc(1), g + i0 * n, static_cast<blasint>(n));
  }
}

// mean (may be null) is subtracted from every row as it is converted, so a
// centred Gram needs no centred copy of the features.
template <class T, class Acc>
void colsGram(const T* a, Index m, Index n, const double* w, const double* mean, double scale, Acc* g) {
  const Acc alpha = static_cast<Acc>(scale);
  if (!w && !mean && std::is_same<T, Acc>::value) {
    syrkCols(reinterpret_cast<const Acc*>(a), m, n, alpha, true, g);
  } else {
    const Index rowsPerChunk = std::max<Index>(1, static_cast<Index>(kChunkElements / static_cast<std::size_t>(n)));
    const Index chunk = std::min(rowsPerChunk, m);
    const std::size_t bufSize = static_cast<std::size_t>(chunk) * static_cast<std::size_t>(n);
    auto raw = allocate<Acc>(bufSize, "gram buffer");
    std::vector<Acc> weighted = w ? allocate<Acc>(bufSize, "gram buffer") : std::vector<Acc>();
    for (Index r0 = 0; r0 < m; r0 += chunk) {
      const Index k = std::min(m, r0 + chunk) - r0;
      for (Index r = 0; r < k; ++r) {
        const T* row = a + (r0 + r) * n;
        Acc* out = raw.data() + r * n;
        if (mean) {
          for (Index j = 0; j < n; ++j) out[j] = static_cast<Acc>(static_cast<double>(row[j]) - mean[j]);
        } else {
          for (Index j = 0; j < n; ++j) out[j] = static_cast<Acc>(row[j]);
        }
        if (w) {
          const Acc wr = static_cast<Acc>(w[r0 + r]);
          Acc* wout = weighted.data() + r * n;
          for (Index j = 0; j < n; ++j) wout[j] = wr * out[j];
        }
      }
      if (w) {
        gemmColsLower(weighted.data(), raw.data(), k, n, alpha, r0 == 0, g);
      } else {
        syrkCols(raw.data(), k, n, alpha, r0 == 0, g);
      }
    }
  }
  mirrorLower(g, n);
}

template <class T, class Acc>
void rowsGram(const T* a, Index m, Index n, const double* w, double scale, Acc* g) {
  const Acc alpha = static_cast<Acc>(scale);
  const std::size_t size = static_cast<std::size_t>(m) * static_cast<std::size_t>(n);
  std::vector<Acc> widened;
  const Acc* x = reinterpret_cast<const Acc*>(a);
  if (!std::is_same<T, Acc>::value) {
    widened = allocate<Acc>(size, "gram widened copy");
    for (std::size_t i = 0; i < size; ++i) widened[i] = static_cast<Acc>(a[i]);
    x = widened.data();
  }
  if (!w) {
    lapack::syrk(CblasRowMajor, CblasLower, CblasNoTrans, static_cast<blasint>(m), static_cast<blasint>(n), alpha, x,
                 static_cast<blasint>(n), Acc(0), g, static_cast<blasint>(m));
  } else {
    // Weights are per column here: G[I, 0:end(I)] = (X_I·diag(w))·X[0:end(I)]ᵀ, block row by block row.
    auto block = allocate<Acc>(static_cast<std::size_t>(kBlock) * static_cast<std::size_t>(n), "gram buffer");
    for (Index i0 = 0; i0 < m; i0 += kBlock) {
      const Index i1 = std::min(m, i0 + kBlock);
      for (Index r = 0; r < i1 - i0; ++r) {
        for (Index j = 0; j < n; ++j) block[r * n + j] = static_cast<Acc>(w[j]) * x[(i0 + r) * n + j];
      }
      lapack::gemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(i1 - i0), static_cast<blasint>(i1),
                   static_cast<blasint>(n), alpha, block.data(), static_cast<blasint>(n), x, static_cast<blasint>(n),
                   Acc(0), g + i0 * m, static_cast<blasint>(m));
    }
  }
  mirrorLower(g, m);
}

}  // namespace

template <class T, class Acc>
void gram(const T* a, Index m, Index n, GramSide side, const double* weights, double scale, Acc* out) {
  detail::checkShape(m, n, "gram");
  const Index outDim = side == GramSide::Cols ? n : m;
  detail::checkShape(outDim, outDim, "gram output");
  checkFinite(a, static_cast<std::size_t>(m * n), "gram input");
  ComputeScope scope(threadsFor(static_cast<double>(m) * n * outDim));
  if (side == GramSide::Cols) {
    colsGram<T, Acc>(a, m, n, weights, nullptr, scale, out);
  } else {
    rowsGram<T, Acc>(a, m, n, weights, scale, out);
  }
}

template <class T, class Acc>
void centeredColsGram(const T* a, Index m, Index n, const double* weights, const double* mean, double scale, Acc* out) {
  detail::checkShape(m, n, "gram");
  detail::checkShape(n, n, "gram output");
  ComputeScope scope(threadsFor(static_cast<double>(m) * n * n));
  colsGram<T, Acc>(a, m, n, weights, mean, scale, out);
}

template <class T, class Acc>
void rowsGramUnweighted(const T* a, Index m, Index n, double scale, Acc* out) {
  detail::checkShape(m, n, "gram");
  detail::checkShape(m, m, "gram output");
  ComputeScope scope(threadsFor(static_cast<double>(m) * n * m));
  rowsGram<T, Acc>(a, m, n, nullptr, scale, out);
}

template void centeredColsGram<float, float>(const float*, Index, Index, const double*, const double*, double, float*);
template void centeredColsGram<float, double>(const float*, Index, Index, const double*, const double*, double, double*);
template void centeredColsGram<double, double>(const double*, Index, Index, const double*, const double*, double, double*);
template void rowsGramUnweighted<float, float>(const float*, Index, Index, double, float*);
template void rowsGramUnweighted<float, double>(const float*, Index, Index, double, double*);
template void rowsGramUnweighted<double, double>(const double*, Index, Index, double, double*);

template void gram<float, float>(const float*, Index, Index, GramSide, const double*, double, float*);
template void gram<float, double>(const float*, Index, Index, GramSide, const double*, double, double*);
template void gram<double, double>(const double*, Index, Index, GramSide, const double*, double, double*);

}  // namespace effrank
