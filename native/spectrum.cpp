#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {

template <class T>
void gramEigenvalues(const T* a, Index m, Index n, const double* weights, double scale, bool center, double* out) {
  detail::checkShape(m, n, "gramEigenvalues");
  detail::checkShape(n, n, "gramEigenvalues (Gram)");
  auto g = allocateRaw<double>(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), "Gram");
  gram<T, double>(a, m, n, GramSide::Cols, weights, scale, g.get());  // takes and releases the compute lock
  if (center) {
    // Σ w (a − μ)(a − μ)ᵀ = Σ w a aᵀ − s sᵀ / W with s = Σ w a, W = Σ w.
    std::vector<double> s(static_cast<std::size_t>(n), 0.0);
    double total = 0;
    for (Index r = 0; r < m; ++r) {
      const double w = weights ? weights[r] : 1.0;
      total += w;
      for (Index j = 0; j < n; ++j) s[j] += w * static_cast<double>(a[r * n + j]);
    }
    if (total > 0) {
      const double f = scale / total;
      for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < n; ++j) g[i * n + j] -= f * s[i] * s[j];
      }
    }
  }
  ComputeScope scope(threadsFor(4.0 / 3.0 * n * n * n));
  detail::eighKernel<double>(g.get(), n, out, nullptr);
}

template void gramEigenvalues<float>(const float*, Index, Index, const double*, double, bool, double*);
template void gramEigenvalues<double>(const double*, Index, Index, const double*, double, bool, double*);

}  // namespace effrank
