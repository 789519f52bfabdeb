#include <cmath>
#include <string>

#include "errors.hpp"
#include "kernels.hpp"
#include "memory.hpp"

namespace effrank {

template <class T>
void checkFinite(const T* data, std::size_t count, const char* what) {
  // x·0 is NaN exactly when x is NaN or ±Inf; summing in blocks lets the
  // compiler vectorise the scan, and the index is only searched on failure.
  constexpr std::size_t kBlock = 4096;
  for (std::size_t start = 0; start < count; start += kBlock) {
    const std::size_t end = std::min(count, start + kBlock);
    T probe = 0;
    for (std::size_t i = start; i < end; ++i) probe += data[i] * T(0);
    if (probe == probe) continue;
    for (std::size_t i = start; i < end; ++i) {
      if (!std::isfinite(data[i])) {
        throw Error(Code::NonFinite, std::string(what) + " contains " +
                                         (std::isnan(data[i]) ? "NaN" : "an infinite value") + " at index " +
                                         std::to_string(i));
      }
    }
  }
}

template void checkFinite<float>(const float*, std::size_t, const char*);
template void checkFinite<double>(const double*, std::size_t, const char*);

namespace detail {

void checkShape(Index rows, Index cols, const char* what) {
  if (rows <= 0 || cols <= 0) {
    throw Error(Code::InvalidShape, std::string(what) + ": dimensions must be positive, got " +
                                        std::to_string(rows) + "×" + std::to_string(cols));
  }
  if (rows > kLapackIndexLimit || cols > kLapackIndexLimit || rows > kLapackIndexLimit / cols) {
    throw Error(Code::InvalidShape, std::string(what) + ": " + std::to_string(rows) + "×" +
                                        std::to_string(cols) + " exceeds LAPACK's 32-bit index range");
  }
}

}  // namespace detail
}  // namespace effrank
