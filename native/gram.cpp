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

// OpenBLAS's ?syrk runs several times slower than ?gemm here, so the Gram is
// built from gemm calls on block rows of its lower triangle: block row I is
// G[I, 0:end(I)], which covers the diagonal block too. That does n²N·(1 + nb/n)
// flops at gemm speed instead of 2n²N for one full gemm.
constexpr Index kBlock = 128;
// Rows of A per pass when A must be converted or weighted: a few MiB of buffer.
constexpr std::size_t kChunkElements = std::size_t{1} << 20;

template <class Acc>
void mirrorLower(Acc* g, Index n) {
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < i; ++j) g[j * n + i] = g[i * n + j];
  }
}

// G += alpha·Xᵀ·Y for k×n row-major X, Y (lower block rows only).
template <class Acc>
void accumulateColsGram(const Acc* x, const Acc* y, Index k, Index n, Acc alpha, bool first, Acc* g) {
  for (Index i0 = 0; i0 < n; i0 += kBlock) {
    const Index i1 = std::min(n, i0 + kBlock);
    lapack::gemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<blasint>(i1 - i0), static_cast<blasint>(i1),
                 static_cast<blasint>(k), alpha, x + i0, static_cast<blasint>(n), y, static_cast<blasint>(n),
                 first ? Acc(0) : Acc(1), g + i0 * n, static_cast<blasint>(n));
  }
}

template <class T, class Acc>
void colsGram(const T* a, Index m, Index n, const double* w, double scale, Acc* g) {
  const Acc alpha = static_cast<Acc>(scale);
  if (!w && std::is_same<T, Acc>::value) {
    const Acc* x = reinterpret_cast<const Acc*>(a);
    accumulateColsGram(x, x, m, n, alpha, true, g);
  } else {
    // Weighted or widened: stream chunks of rows through small buffers, so the
    // features are never copied whole.
    const Index rowsPerChunk = std::max<Index>(1, static_cast<Index>(kChunkElements / static_cast<std::size_t>(n)));
    const Index chunk = std::min(rowsPerChunk, m);
    const std::size_t bufSize = static_cast<std::size_t>(chunk) * static_cast<std::size_t>(n);
    std::vector<Acc> raw = std::is_same<T, Acc>::value ? std::vector<Acc>() : allocate<Acc>(bufSize, "gram buffer");
    std::vector<Acc> weighted = w ? allocate<Acc>(bufSize, "gram buffer") : std::vector<Acc>();
    for (Index r0 = 0; r0 < m; r0 += chunk) {
      const Index r1 = std::min(m, r0 + chunk);
      const Index k = r1 - r0;
      const Acc* y;
      if (std::is_same<T, Acc>::value) {
        y = reinterpret_cast<const Acc*>(a + r0 * n);
      } else {
        for (Index i = 0; i < k * n; ++i) raw[i] = static_cast<Acc>(a[r0 * n + i]);
        y = raw.data();
      }
      const Acc* x = y;
      if (w) {
        for (Index r = 0; r < k; ++r) {
          const Acc wr = static_cast<Acc>(w[r0 + r]);
          for (Index j = 0; j < n; ++j) weighted[r * n + j] = wr * y[r * n + j];
        }
        x = weighted.data();
      }
      accumulateColsGram(x, y, k, n, alpha, r0 == 0, g);
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
  std::vector<Acc> block = w ? allocate<Acc>(static_cast<std::size_t>(kBlock) * n, "gram buffer") : std::vector<Acc>();
  for (Index i0 = 0; i0 < m; i0 += kBlock) {
    const Index i1 = std::min(m, i0 + kBlock);
    const Acc* left = x + i0 * n;
    if (w) {
      for (Index r = 0; r < i1 - i0; ++r) {
        for (Index j = 0; j < n; ++j) block[r * n + j] = static_cast<Acc>(w[j]) * left[r * n + j];
      }
      left = block.data();
    }
    lapack::gemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(i1 - i0), static_cast<blasint>(i1),
                 static_cast<blasint>(n), alpha, left, static_cast<blasint>(n), x, static_cast<blasint>(n), Acc(0),
                 g + i0 * m, static_cast<blasint>(m));
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
  ComputeScope scope(numThreads());
  if (side == GramSide::Cols) {
    colsGram<T, Acc>(a, m, n, weights, scale, out);
  } else {
    rowsGram<T, Acc>(a, m, n, weights, scale, out);
  }
}

template void gram<float, float>(const float*, Index, Index, GramSide, const double*, double, float*);
template void gram<float, double>(const float*, Index, Index, GramSide, const double*, double, double*);
template void gram<double, double>(const double*, Index, Index, GramSide, const double*, double, double*);

}  // namespace effrank
