#include "forward.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "errors.hpp"
#include "lapack.hpp"
#include "memory.hpp"
#include "threads.hpp"

namespace effrank {
namespace {

// SELU's constants (Klambauer et al. 2017), as tfjs uses them.
constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
constexpr float kSeluScale = 1.0507009873554804934193349852946f;

inline float softplus(float x) { return std::max(x, 0.0f) + std::log1p(std::exp(-std::fabs(x))); }
inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

float apply(Activation a, float x, float alpha) {
  switch (a) {
    case Activation::Linear: return x;
    case Activation::Relu: return x > 0 ? x : 0.0f;
    case Activation::Relu6: return std::min(std::max(x, 0.0f), 6.0f);
    case Activation::Tanh: return std::tanh(x);
    case Activation::Sigmoid: return sigmoid(x);
    case Activation::HardSigmoid: return std::min(std::max(0.2f * x + 0.5f, 0.0f), 1.0f);
    case Activation::Elu: return x >= 0 ? x : alpha * std::expm1(x);
    case Activation::Selu: return kSeluScale * (x >= 0 ? x : kSeluAlpha * std::expm1(x));
    case Activation::Softplus: return softplus(x);
    case Activation::Softsign: return x / (1.0f + std::fabs(x));
    case Activation::Swish: return x * sigmoid(x);
    case Activation::Mish: return x * std::tanh(softplus(x));
    case Activation::Gelu: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Activation::GeluTanh: {
      const float inner = 0.79788456080286536f * (x + 0.044715f * x * x * x);  // √(2/π)·(x + 0.044715x³)
      return 0.5f * x * (1.0f + std::tanh(inner));
    }
    case Activation::LeakyRelu: return x >= 0 ? x : alpha * x;
    default: return x;  // Softmax is row-wise (below); Count is rejected by the caller
  }
}

void activate(Activation a, float alpha, float* y, Index rows, Index units) {
  if (a == Activation::Linear) return;
  if (a == Activation::Softmax) {
    for (Index r = 0; r < rows; ++r) {
      float* row = y + r * units;
      const float top = *std::max_element(row, row + units);
      double sum = 0;
      for (Index j = 0; j < units; ++j) sum += (row[j] = std::exp(row[j] - top));
      const float inv = static_cast<float>(1.0 / sum);
      for (Index j = 0; j < units; ++j) row[j] *= inv;
    }
    return;
  }
  const std::size_t count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(units);
  for (std::size_t k = 0; k < count; ++k) y[k] = apply(a, y[k], alpha);
}

// Each row to mean 0 and variance 1 (population variance plus epsilon), in float64 sums.
void standardizeRows(float* y, Index rows, Index units, float epsilon) {
  for (Index r = 0; r < rows; ++r) {
    float* row = y + r * units;
    double mean = 0;
    for (Index j = 0; j < units; ++j) mean += row[j];
    mean /= static_cast<double>(units);
    double var = 0;
    for (Index j = 0; j < units; ++j) var += (row[j] - mean) * (row[j] - mean);
    var /= static_cast<double>(units);
    const double inv = 1.0 / std::sqrt(var + static_cast<double>(epsilon));
    for (Index j = 0; j < units; ++j) row[j] = static_cast<float>((row[j] - mean) * inv);
  }
}

// y = (y − offset)·scale + shift per unit; any may be null.
void affine(float* y, Index rows, Index units, const float* offset, const float* scale, const float* shift) {
  for (Index r = 0; r < rows; ++r) {
    float* row = y + r * units;
    if (offset) {
      for (Index j = 0; j < units; ++j) row[j] -= offset[j];
    }
    if (scale) {
      for (Index j = 0; j < units; ++j) row[j] *= scale[j];
    }
    if (shift) {
      for (Index j = 0; j < units; ++j) row[j] += shift[j];
    }
  }
}

void checkSteps(Index rows, const std::vector<DenseStep>& steps) {
  if (rows < 1 || rows > kLapackIndexLimit) throw Error(Code::InvalidShape, "denseForward: rows must be in [1, 2^31)");
  if (steps.empty()) throw Error(Code::InvalidArgument, "denseForward: no steps");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const DenseStep& s = steps[i];
    const std::string at = "denseForward: step " + std::to_string(i);
    if (s.inputs < 1 || s.units < 1 || s.inputs > kLapackIndexLimit || s.units > kLapackIndexLimit) {
      throw Error(Code::InvalidShape, at + " has " + std::to_string(s.inputs) + " inputs and " + std::to_string(s.units) + " units");
    }
    if (!s.kernel && s.inputs != s.units) throw Error(Code::InvalidShape, at + ": a step without a kernel keeps its width");
    if (s.kernel && (s.offset || s.scale || s.normalize)) {
      throw Error(Code::InvalidArgument, at + ": offset, scale and normalize are for steps without a kernel");
    }
    if (!(s.epsilon >= 0) || !std::isfinite(s.epsilon)) throw Error(Code::InvalidArgument, at + ": epsilon must be finite and non-negative");
    if (i > 0 && s.inputs != steps[i - 1].units) {
      throw Error(Code::InvalidShape, at + " takes " + std::to_string(s.inputs) + " inputs, the step before gives " +
                                          std::to_string(steps[i - 1].units));
    }
    if (static_cast<int>(s.activation) < 0 || s.activation >= Activation::Count) throw Error(Code::InvalidArgument, at + ": unknown activation");
  }
  if (!steps.back().out) throw Error(Code::InvalidArgument, "denseForward: the last step has no output");
}

}  // namespace

void denseForward(const float* x, Index rows, std::vector<DenseStep>& steps, int maxThreads) {
  checkSteps(rows, steps);
  double flops = 0;
  Index widest = 0;
  for (const DenseStep& s : steps) {
    if (s.kernel) flops += 2.0 * static_cast<double>(rows) * static_cast<double>(s.inputs) * static_cast<double>(s.units);
    if (!s.out) widest = std::max(widest, s.units);
  }
  // Two buffers at most, for the steps whose outputs nobody asked for.
  const std::size_t scratchCount = checkedProduct({static_cast<std::size_t>(rows), static_cast<std::size_t>(widest)});
  Scratch<float> ping, pong;
  if (widest > 0) {
    ping = allocateRaw<float>(scratchCount, "forward buffer");
    pong = allocateRaw<float>(scratchCount, "forward buffer");
  }
  ThreadCap cap(maxThreads);
  ComputeScope scope(threadsFor(flops));
  const float* cur = x;
  for (DenseStep& s : steps) {
    float* dest = s.out ? s.out : (cur == ping.get() ? pong.get() : ping.get());
    const Index units = s.units;
    if (s.kernel) {
      if (s.bias) {
        for (Index r = 0; r < rows; ++r) std::copy(s.bias, s.bias + units, dest + r * units);
      }
      lapack::gemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(rows), static_cast<blasint>(units),
                   static_cast<blasint>(s.inputs), 1.0f, cur, static_cast<blasint>(s.inputs), s.kernel,
                   static_cast<blasint>(units), s.bias ? 1.0f : 0.0f, dest, static_cast<blasint>(units));
    } else {
      std::copy(cur, cur + static_cast<std::size_t>(rows) * static_cast<std::size_t>(units), dest);
      if (s.normalize) standardizeRows(dest, rows, units, s.epsilon);
      if (s.offset || s.scale || s.bias) affine(dest, rows, units, s.offset, s.scale, s.bias);
    }
    activate(s.activation, s.alpha, dest, rows, units);
    cur = dest;
  }
}

}  // namespace effrank
