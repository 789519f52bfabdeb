// One struct per native operation: parse the JS arguments, run the core
// (on any thread), and build the JS result (on the JS thread). The same
// struct serves the sync call and its async twin.
#pragma once
#include <napi.h>

#include "../native/forward.hpp"
#include "../native/linalg.hpp"
#include "../native/memory.hpp"
#include "convert.hpp"

#include <vector>

namespace effrank::binding {

// Raises InvalidShape unless the input holds exactly count·rows·cols values.
void checkLength(const Input& in, std::initializer_list<Index> dims, const char* what);

// svd(data, rows, cols, mode) with mode 0 = none, 1 = thin, 2 = full.
struct SvdOp {
  Input a;
  Index m = 0, n = 0;
  Vectors vectors = Vectors::Thin;
  Output s, u, vt;

  explicit SvdOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return vectors == Vectors::None ? std::vector<Output*>{&s} : std::vector<Output*>{&s, &u, &vt}; }
  void own() { a.own(); }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// eigh(data, n, wantVectors, checkSymmetric)
struct EighOp {
  Input a;
  Index n = 0;
  bool vectors = true;
  bool check = false;
  Output values, vecs;

  explicit EighOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return vectors ? std::vector<Output*>{&values, &vecs} : std::vector<Output*>{&values}; }
  void own() { a.own(); }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// gram(data, rows, cols, side, weights | null, scale, accumulateFloat64)
struct GramOp {
  Input a, weights;
  Index m = 0, n = 0;
  GramSide side = GramSide::Cols;
  double scale = 1;
  bool widen = false;
  Output out;

  explicit GramOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return {&out}; }
  void own() {
    a.own();
    weights.own();
  }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// countAbove(data, n, threshold)
struct CountAboveOp {
  Input g;
  Index n = 0;
  double threshold = 0;
  Index count = 0;

  explicit CountAboveOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return {}; }
  void own() { g.own(); }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// svdvalsBatched(data, count, rows, cols)
struct SvdvalsBatchedOp {
  Input a;
  Index count = 0, m = 0, n = 0;
  Output out;

  explicit SvdvalsBatchedOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return {&out}; }
  void own() { a.own(); }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// eigvalshBatched(data, count, n)
struct EigvalshBatchedOp {
  Input a;
  Index count = 0, n = 0;
  Output out;

  explicit EigvalshBatchedOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs() { return {&out}; }
  void own() { a.own(); }
  void run();
  Napi::Value result(Napi::Env env) const;
};

// spectrum(data, rows, cols, weights | null, scale, center, side 0|1|2, float64,
//          thresholds | null, inertiaResolution, maxThreads, escalateResolution = 0, mayCount = true)
//   -> { values: Float64Array | null (descending), counts: Float64Array | null, unresolved, lower, upper, float64 }
// gramSpectrum(gram, n, thresholds | null, inertiaResolution, maxThreads) -> the same.
// See native/linalg.hpp (the spectrum engine) for what each field means.
struct SpectrumOp {
  Input a, weights, thresholds;
  Index m = 0, n = 0;
  bool ofGram = false;
  SpectrumRequest req;
  SpectrumResult res;
  Output values, counts;

  SpectrumOp(const Napi::CallbackInfo& info, bool ofGram);
  std::vector<Output*> outputs() { return {&values, &counts}; }
  void own() {
    a.own();
    weights.own();
    thresholds.own();
  }
  void run();
  Napi::Value result(Napi::Env env) const;
};

struct FeatureSpectrumOp : SpectrumOp {
  explicit FeatureSpectrumOp(const Napi::CallbackInfo& info) : SpectrumOp(info, false) {}
};
struct GramSpectrumOp : SpectrumOp {
  explicit GramSpectrumOp(const Napi::CallbackInfo& info) : SpectrumOp(info, true) {}
};

// denseForward(x: Float32Array, rows, steps, maxThreads) -> Float32Array[]
// steps: [{ kernel, bias, offset, scale: Float32Array | null, normalize: boolean,
// epsilon, inputs, units, activation, alpha, output: boolean }]; one array per step with
// output true, in order (see native/forward.hpp).
struct DenseForwardOp {
  Input x;
  Index rows = 0;
  int maxThreads = 0;
  std::vector<Input> kernels, biases, scales, offsets;
  std::vector<DenseStep> steps;
  std::vector<Output> outs;
  std::vector<std::size_t> outStep;  // the step of each entry of outs

  explicit DenseForwardOp(const Napi::CallbackInfo& info);
  std::vector<Output*> outputs();
  void own();
  void run();
  Napi::Value result(Napi::Env env) const;
};

}  // namespace effrank::binding
