// The forward pass of a chain of dense layers on the host, in float32 as
// tfjs computes it: the RankTracker's features without a tfjs forward pass on
// the training thread (see src/tfjs/dense-chain.ts for which models qualify).
#pragma once
#include <vector>

#include "linalg.hpp"

namespace effrank {

// Element-wise (or, for Softmax, row-wise) activations, as tfjs-layers
// defines them. The numbering is shared with src/linalg/dense-forward.ts.
enum class Activation {
  Linear = 0,
  Relu = 1,
  Relu6 = 2,
  Tanh = 3,
  Sigmoid = 4,
  HardSigmoid = 5,  // clip(0.2·x + 0.5, 0, 1)
  Elu = 6,          // x ≥ 0 ? x : alpha·(eˣ − 1)
  Selu = 7,
  Softplus = 8,
  Softsign = 9,
  Swish = 10,       // x·sigmoid(x)
  Mish = 11,        // x·tanh(softplus(x))
  Gelu = 12,        // x·Φ(x), with erf
  GeluTanh = 13,    // 'gelu_new': the tanh approximation
  LeakyRelu = 14,   // x ≥ 0 ? x : alpha·x
  Softmax = 15,     // over each row
  Count
};

// One step of the chain: y = act(x·kernel + bias) with a row-major
// inputs×units kernel (tfjs's layout). Without a kernel the step keeps its
// width: y = act((norm(x) − offset)·scale + bias), where norm standardizes
// each row (mean 0, variance 1 with `epsilon` added: layer normalization)
// when `normalize`, and offset, scale and bias are per-unit vectors (batch
// normalization at inference: (x − μ)·γ/√(σ² + ε) + β, in that order, as
// tfjs computes it). Vectors may be null.
struct DenseStep {
  const float* kernel = nullptr;
  const float* bias = nullptr;
  const float* offset = nullptr;
  const float* scale = nullptr;
  bool normalize = false;
  float epsilon = 0;
  Index inputs = 0;
  Index units = 0;
  Activation activation = Activation::Linear;
  float alpha = 1;
  // Where this step's output goes (rows×units); null: an internal buffer.
  float* out = nullptr;
};

// Runs `rows` input rows (row-major rows×steps[0].inputs) through the steps
// in order, writing each step's output to its `out` when set. BLAS threads
// are capped at maxThreads (0: no cap), so the pass can run beside training.
void denseForward(const float* x, Index rows, std::vector<DenseStep>& steps, int maxThreads);

}  // namespace effrank
