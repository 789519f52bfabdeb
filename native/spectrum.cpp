// The spectrum engine's native half: one job from features (or a Gram) to
// eigenvalues or inertia counts. Which route to take is decided in
// src/spectrum/route.ts; this file only carries it out.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "errors.hpp"
#include "kernels.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {
namespace {

[[noreturn]] void overflow(const char* what, bool float64) {
  throw Error(Code::NonFinite, std::string(what) + " overflows " + (float64 ? "float64" : "float32") +
                                   " although the features are finite; rescale the features (or pass a smaller `scale`)");
}

template <class T>
bool allFinite(const T* x, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  return true;
}

// diag(√w)·(A − 1μᵀ) as Acc, row-major m×n.
template <class T, class Acc>
void transformRows(const T* a, Index m, Index n, const double* w, const double* mean, Acc* out) {
  for (Index r = 0; r < m; ++r) {
    const double s = w ? std::sqrt(w[r]) : 1.0;
    const T* row = a + r * n;
    Acc* o = out + r * n;
    for (Index j = 0; j < n; ++j) o[j] = static_cast<Acc>(s * (static_cast<double>(row[j]) - (mean ? mean[j] : 0.0)));
  }
}

// max(max diag, Rayleigh quotients) ≤ λ_max ≤ min(trace, ‖G‖_F, max row sum
// of |g_ij|) for a PSD G; the trace alone overshoots by up to n× on flat
// spectra, and the quotients of the ones vector and of a few power steps
// from it see what the diagonal misses: a shared offset or sign in the
// features puts λ_max far above every diagonal entry.
template <class Acc>
void lambdaMaxBounds(const Acc* g, Index n, SpectrumResult& r) {
  double trace = 0, maxDiag = 0, frob2 = 0, maxRow = 0, total = 0;
  for (Index i = 0; i < n; ++i) {
    const double d = g[i * n + i];
    trace += d;
    maxDiag = std::max(maxDiag, d);
    double row = 0;
    for (Index j = 0; j < n; ++j) {
      const double x = g[i * n + j];
      frob2 += x * x;
      row += std::fabs(x);
      total += x;
    }
    maxRow = std::max(maxRow, row);
  }
  // ‖G‖_F² overflows long before G does; the other bounds still hold then.
  const double frob = std::isfinite(frob2) ? std::sqrt(frob2) : std::numeric_limits<double>::infinity();
  const double ones = n > 0 && std::isfinite(total) ? total / static_cast<double>(n) : 0;
  r.upper = std::min({trace, frob, maxRow});
  // Three power steps from the ones vector (3n² flops, against the n³ of an
  // eigendecomposition): each Rayleigh quotient is a lower bound too.
  double power = 0;
  if (n > 0) {
    std::vector<double> v = allocate<double>(static_cast<std::size_t>(n), "power step");
    std::vector<double> w = allocate<double>(static_cast<std::size_t>(n), "power step");
    std::fill(v.begin(), v.end(), 1.0 / std::sqrt(static_cast<double>(n)));
    for (int step = 0; step < 3; ++step) {
      double vw = 0, ww = 0;
      for (Index i = 0; i < n; ++i) {
        double sum = 0;
        for (Index j = 0; j < n; ++j) sum += static_cast<double>(g[i * n + j]) * v[j];
        w[i] = sum;
        vw += v[i] * sum;
        ww += sum * sum;
      }
      if (!std::isfinite(ww) || !(ww > 0)) break;
      power = std::max(power, vw);  // v has unit norm
      const double inv = 1.0 / std::sqrt(ww);
      for (Index i = 0; i < n; ++i) v[i] = w[i] * inv;
    }
  }
  r.lower = std::min(std::max({maxDiag, ones, power}), r.upper);  // rounding must not push the bounds past each other
}

// Counts by inertia when every threshold is resolved, else all eigenvalues (descending).
template <class Acc>
void decide(const Acc* g, Index n, const SpectrumRequest& req, double* values, double* counts, SpectrumResult& r) {
  lambdaMaxBounds(g, n, r);
  if (req.thresholdCount > 0) {
    const double minT = *std::min_element(req.thresholds, req.thresholds + req.thresholdCount);
    if (minT < req.inertiaResolution * r.lower) {
      r.unresolved = true;  // the caller takes a finer route; eigenvalues here would be noise
      return;
    }
    if (req.mayCount && minT >= req.inertiaResolution * r.upper) {
      for (Index i = 0; i < req.thresholdCount; ++i) {
        counts[i] = static_cast<double>(countEigenvaluesAbove<Acc>(g, n, req.thresholds[i]));
      }
      r.counted = true;
      return;
    }
  }
  std::vector<Acc> w = allocate<Acc>(static_cast<std::size_t>(n), "eigenvalues");
  {
    ComputeScope scope(threadsFor(4.0 / 3.0 * static_cast<double>(n) * n * n));
    detail::eighKernel<Acc>(g, n, w.data(), nullptr);
  }
  for (Index i = 0; i < n; ++i) values[i] = static_cast<double>(w[n - 1 - i]);
}

// Forms M (primal) or K (dual) in Acc; returns false if it overflowed.
template <class T, class Acc>
bool formGram(const T* a, Index m, Index n, const SpectrumRequest& req, const double* mean, Acc* g) {
  const Index dim = req.side == SpectrumSide::Primal ? n : m;
  if (req.side == SpectrumSide::Primal) {
    centeredColsGram<T, Acc>(a, m, n, req.weights, mean, req.scale, g);
  } else if (!req.weights && !mean) {
    rowsGramUnweighted<T, Acc>(a, m, n, req.scale, g);
  } else {
    // √w on both sides of the kernel: w enters each entry as √w_k·√w_l.
    auto x = allocateRaw<Acc>(checkedProduct({static_cast<std::size_t>(m), static_cast<std::size_t>(n)}), "weighted features");
    transformRows<T, Acc>(a, m, n, req.weights, mean, x.get());
    rowsGramUnweighted<Acc, Acc>(x.get(), m, n, req.scale, g);
  }
  return allFinite(g, static_cast<std::size_t>(dim) * static_cast<std::size_t>(dim));
}

template <class T, class Acc>
void gramRoute(const T* a, Index m, Index n, const SpectrumRequest& req, const double* mean, double* values, double* counts,
               SpectrumResult& r) {
  const Index dim = spectrumDimension(m, n, req.side);
  const std::size_t size = static_cast<std::size_t>(dim) * static_cast<std::size_t>(dim);
  auto g = allocateRaw<Acc>(size, "Gram");
  if (!formGram<T, Acc>(a, m, n, req, mean, g.get())) {
    if constexpr (std::is_same<Acc, float>::value) {
      // A float32 Gram of finite float32 features can overflow where float64 cannot: widen, never fail
      // (judged at float64's resolution when the caller gave it, as the escalation below is).
      g.reset();
      SpectrumRequest wide = req;
      if (req.escalateResolution > 0) wide.inertiaResolution = req.escalateResolution;
      wide.escalateResolution = 0;
      gramRoute<T, double>(a, m, n, wide, mean, values, counts, r);
      return;
    } else {
      overflow("the Gram matrix", true);
    }
  }
  r.gramFloat64 = std::is_same<Acc, double>::value;
  decide<Acc>(g.get(), dim, req, values, counts, r);
  if constexpr (std::is_same<Acc, float>::value) {
    if (r.unresolved && req.escalateResolution > 0) {
      // The caller's next rung, taken here: one job instead of a round trip.
      g.reset();
      SpectrumRequest wide = req;
      wide.inertiaResolution = req.escalateResolution;
      wide.escalateResolution = 0;
      r = SpectrumResult{};
      gramRoute<T, double>(a, m, n, wide, mean, values, counts, r);
    }
  }
}

template <class T>
void svdRoute(const T* a, Index m, Index n, const SpectrumRequest& req, const double* mean, double* values, SpectrumResult& r) {
  const Index k = std::min(m, n);
  const T* x = a;
  Scratch<T> copy;
  if (req.weights || mean) {
    copy = allocateRaw<T>(checkedProduct({static_cast<std::size_t>(m), static_cast<std::size_t>(n)}), "weighted features");
    transformRows<T, T>(a, m, n, req.weights, mean, copy.get());
    x = copy.get();
  }
  std::vector<T> s = allocate<T>(static_cast<std::size_t>(k), "singular values");
  {
    ComputeScope scope(threadsFor(4.0 * static_cast<double>(std::max(m, n)) * k * k));
    detail::svdKernel<T>(x, m, n, Vectors::None, s.data(), nullptr, nullptr);
  }
  for (Index i = 0; i < k; ++i) {
    const double sigma = s[i];
    values[i] = req.scale * sigma * sigma;
  }
  if (!allFinite(values, static_cast<std::size_t>(k))) overflow("scale·σ²", true);
  r.gramFloat64 = std::is_same<T, double>::value;
  r.lower = r.upper = k > 0 ? values[0] : 0;
}

}  // namespace

Index spectrumDimension(Index m, Index n, SpectrumSide side) {
  switch (side) {
    case SpectrumSide::Primal: return n;
    case SpectrumSide::Dual: return m;
    case SpectrumSide::Svd: return std::min(m, n);
  }
  return n;
}

template <class T>
void weightedColumnMean(const T* a, Index m, Index n, const double* w, double* mean) {
  std::fill(mean, mean + n, 0.0);
  double total = 0;
  for (Index r = 0; r < m; ++r) total += w ? w[r] : 1.0;
  if (!(total > 0)) return;  // no weight anywhere: nothing to centre
  for (Index r = 0; r < m; ++r) {
    const double wr = w ? w[r] : 1.0;
    if (wr == 0) continue;
    for (Index j = 0; j < n; ++j) mean[j] += wr * static_cast<double>(a[r * n + j]);
  }
  for (Index j = 0; j < n; ++j) mean[j] /= total;
  std::vector<double> correction = allocate<double>(static_cast<std::size_t>(n), "column means");
  for (Index r = 0; r < m; ++r) {
    const double wr = w ? w[r] : 1.0;
    if (wr == 0) continue;
    for (Index j = 0; j < n; ++j) correction[j] += wr * (static_cast<double>(a[r * n + j]) - mean[j]);
  }
  for (Index j = 0; j < n; ++j) mean[j] += correction[j] / total;
}

template <class T>
SpectrumResult featureSpectrum(const T* a, Index m, Index n, const SpectrumRequest& req, double* values, double* counts) {
  detail::checkShape(m, n, "spectrum");
  const Index dim = spectrumDimension(m, n, req.side);
  detail::checkShape(dim, dim, "spectrum (Gram)");
  checkFinite(a, static_cast<std::size_t>(m) * static_cast<std::size_t>(n), "features");
  std::vector<double> mean;
  if (req.center) {
    mean = allocate<double>(static_cast<std::size_t>(n), "column means");
    weightedColumnMean<T>(a, m, n, req.weights, mean.data());
    if (!allFinite(mean.data(), mean.size())) overflow("the weighted column mean", true);
  }
  const double* mu = req.center ? mean.data() : nullptr;
  ThreadCap cap(req.maxThreads);
  SpectrumResult r;
  if (req.side == SpectrumSide::Svd) {
    svdRoute<T>(a, m, n, req, mu, values, r);
  } else if constexpr (std::is_same<T, double>::value) {
    gramRoute<T, double>(a, m, n, req, mu, values, counts, r);
  } else if (req.float64) {
    gramRoute<T, double>(a, m, n, req, mu, values, counts, r);
  } else {
    gramRoute<T, float>(a, m, n, req, mu, values, counts, r);
  }
  return r;
}

SpectrumResult gramSpectrum(const double* g, Index n, const SpectrumRequest& req, double* values, double* counts) {
  detail::checkShape(n, n, "spectrum (Gram)");
  checkFinite(g, static_cast<std::size_t>(n) * static_cast<std::size_t>(n), "Gram matrix");
  ThreadCap cap(req.maxThreads);
  SpectrumResult r;
  r.gramFloat64 = true;
  decide<double>(g, n, req, values, counts, r);
  return r;
}

template void weightedColumnMean<float>(const float*, Index, Index, const double*, double*);
template void weightedColumnMean<double>(const double*, Index, Index, const double*, double*);
template SpectrumResult featureSpectrum<float>(const float*, Index, Index, const SpectrumRequest&, double*, double*);
template SpectrumResult featureSpectrum<double>(const double*, Index, Index, const SpectrumRequest&, double*, double*);

}  // namespace effrank
