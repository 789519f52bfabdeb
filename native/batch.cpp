#include <algorithm>
#include <string>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {

template <class T>
void svdvalsBatched(const T* data, Index count, Index m, Index n, T* out) {
  detail::checkShape(m, n, "svdvalsBatched");
  if (count <= 0) throw Error(Code::InvalidShape, "svdvalsBatched: count must be positive");
  const std::size_t each = static_cast<std::size_t>(m * n);
  checkedProduct({each, static_cast<std::size_t>(count)});  // each kernel scans its matrix for NaN/Inf
  const Index k = std::min(m, n);
  parallelFor(count, [&](long i) {
    detail::svdKernel(data + i * each, m, n, Vectors::None, out + i * k, static_cast<T*>(nullptr),
                      static_cast<T*>(nullptr));
  });
}

template <class T>
void eigvalshBatched(const T* data, Index count, Index n, T* out) {
  detail::checkShape(n, n, "eigvalshBatched");
  if (count <= 0) throw Error(Code::InvalidShape, "eigvalshBatched: count must be positive");
  const std::size_t each = static_cast<std::size_t>(n * n);
  checkedProduct({each, static_cast<std::size_t>(count)});  // each kernel scans its matrix for NaN/Inf
  parallelFor(count, [&](long i) { detail::eighKernel(data + i * each, n, out + i * n, static_cast<T*>(nullptr)); });
}

template void svdvalsBatched<float>(const float*, Index, Index, Index, float*);
template void svdvalsBatched<double>(const double*, Index, Index, Index, double*);
template void eigvalshBatched<float>(const float*, Index, Index, float*);
template void eigvalshBatched<double>(const double*, Index, Index, double*);

}  // namespace effrank
