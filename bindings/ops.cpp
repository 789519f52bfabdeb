#include "ops.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace effrank::binding {

void checkLength(const Input& in, std::initializer_list<Index> dims, const char* what) {
  std::size_t expected = 1;
  for (Index d : dims) expected = checkedProduct({expected, static_cast<std::size_t>(d)});
  if (in.length() != expected) {
    throw Error(Code::InvalidShape, std::string(what) + ": data has " + std::to_string(in.length()) +
                                        " elements, expected " + std::to_string(expected));
  }
}

namespace {

// Weights must be float64, of the contracted dimension's length, finite and non-negative.
void checkWeights(const Input& weights, Index expected) {
  if (weights.empty()) return;
  if (weights.dtype() != DType::Float64) throw Error(Code::InvalidArgument, "weights must be a Float64Array");
  if (weights.length() != static_cast<std::size_t>(expected)) {
    throw Error(Code::InvalidArgument, "weights has " + std::to_string(weights.length()) + " entries, expected " +
                                           std::to_string(expected));
  }
  const double* w = weights.as<double>();
  for (std::size_t i = 0; i < weights.length(); ++i) {
    if (!(w[i] >= 0) || !std::isfinite(w[i])) {
      throw Error(Code::InvalidArgument, "weights must be finite and non-negative (index " + std::to_string(i) + ")");
    }
  }
}

}  // namespace

SvdOp::SvdOp(const Napi::CallbackInfo& info)
    : a(Input::from(info[0], "data")), m(toIndex(info[1], "rows")), n(toIndex(info[2], "cols")) {
  checkLength(a, {m, n}, "svd");
  const double mode = toDouble(info[3], "mode");
  vectors = mode == 0 ? Vectors::None : mode == 2 ? Vectors::Full : Vectors::Thin;
  const Index k = std::min(m, n);
  s = Output(a.dtype(), static_cast<std::size_t>(k));
  if (vectors != Vectors::None) {
    const Index uCols = vectors == Vectors::Full ? m : k;
    const Index vtRows = vectors == Vectors::Full ? n : k;
    u = Output(a.dtype(), checkedProduct({static_cast<std::size_t>(m), static_cast<std::size_t>(uCols)}));
    vt = Output(a.dtype(), checkedProduct({static_cast<std::size_t>(vtRows), static_cast<std::size_t>(n)}));
  }
}

void SvdOp::run() {
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool want = vectors != Vectors::None;
    svd<T>(a.as<T>(), m, n, vectors, s.as<T>(), want ? u.as<T>() : nullptr, want ? vt.as<T>() : nullptr);
  });
}

Napi::Value SvdOp::result(Napi::Env env) const {
  Napi::Object r = Napi::Object::New(env);
  r.Set("s", s.toJs(env));
  if (vectors != Vectors::None) {
    r.Set("u", u.toJs(env));
    r.Set("vt", vt.toJs(env));
  }
  return r;
}

EighOp::EighOp(const Napi::CallbackInfo& info)
    : a(Input::from(info[0], "data")), n(toIndex(info[1], "n")), vectors(toBool(info[2])), check(toBool(info[3])) {
  checkLength(a, {n, n}, "eigh");
  values = Output(a.dtype(), static_cast<std::size_t>(n));
  if (vectors) vecs = Output(a.dtype(), checkedProduct({static_cast<std::size_t>(n), static_cast<std::size_t>(n)}));
}

void EighOp::run() {
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (check) {
      checkFinite(a.as<T>(), a.length(), "eigh input");
      // A few hundred ulps of the largest entry: rounding, not asymmetry.
      checkSymmetric<T>(a.as<T>(), n, sizeof(T) == 4 ? 1e-5 : 1e-12);
    }
    eigh<T>(a.as<T>(), n, values.as<T>(), vectors ? vecs.as<T>() : nullptr);
  });
}

Napi::Value EighOp::result(Napi::Env env) const {
  Napi::Object r = Napi::Object::New(env);
  r.Set("values", values.toJs(env));
  if (vectors) r.Set("vectors", vecs.toJs(env));
  return r;
}

GramOp::GramOp(const Napi::CallbackInfo& info)
    : a(Input::from(info[0], "data")),
      weights(Input::fromOptional(info[4], "weights")),
      m(toIndex(info[1], "rows")),
      n(toIndex(info[2], "cols")),
      side(toDouble(info[3], "side") == 1 ? GramSide::Rows : GramSide::Cols),
      scale(toDouble(info[5], "scale")),
      widen(toBool(info[6])) {
  checkLength(a, {m, n}, "gram");
  checkWeights(weights, side == GramSide::Cols ? m : n);
  const Index dim = side == GramSide::Cols ? n : m;
  const DType outType = widen ? DType::Float64 : a.dtype();
  out = Output(outType, checkedProduct({static_cast<std::size_t>(dim), static_cast<std::size_t>(dim)}));
}

void GramOp::run() {
  const double* w = weights.empty() ? nullptr : weights.as<double>();
  if (a.dtype() == DType::Float64) {
    gram<double, double>(a.as<double>(), m, n, side, w, scale, out.as<double>());
  } else if (widen) {
    gram<float, double>(a.as<float>(), m, n, side, w, scale, out.as<double>());
  } else {
    gram<float, float>(a.as<float>(), m, n, side, w, scale, out.as<float>());
  }
}

Napi::Value GramOp::result(Napi::Env env) const { return out.toJs(env); }

CountAboveOp::CountAboveOp(const Napi::CallbackInfo& info)
    : g(Input::from(info[0], "data")), n(toIndex(info[1], "n")), threshold(toDouble(info[2], "threshold")) {
  checkLength(g, {n, n}, "countEigenvaluesAbove");
}

void CountAboveOp::run() {
  dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    count = countEigenvaluesAbove<T>(g.as<T>(), n, threshold);
  });
}

Napi::Value CountAboveOp::result(Napi::Env env) const { return Napi::Number::New(env, static_cast<double>(count)); }

SvdvalsBatchedOp::SvdvalsBatchedOp(const Napi::CallbackInfo& info)
    : a(Input::from(info[0], "data")),
      count(toIndex(info[1], "count")),
      m(toIndex(info[2], "rows")),
      n(toIndex(info[3], "cols")) {
  checkLength(a, {count, m, n}, "svdvalsBatched");
  out = Output(a.dtype(), checkedProduct({static_cast<std::size_t>(count), static_cast<std::size_t>(std::min(m, n))}));
}

void SvdvalsBatchedOp::run() {
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    svdvalsBatched<T>(a.as<T>(), count, m, n, out.as<T>());
  });
}

Napi::Value SvdvalsBatchedOp::result(Napi::Env env) const { return out.toJs(env); }

EigvalshBatchedOp::EigvalshBatchedOp(const Napi::CallbackInfo& info)
    : a(Input::from(info[0], "data")), count(toIndex(info[1], "count")), n(toIndex(info[2], "n")) {
  checkLength(a, {count, n, n}, "eigvalshBatched");
  out = Output(a.dtype(), checkedProduct({static_cast<std::size_t>(count), static_cast<std::size_t>(n)}));
}

void EigvalshBatchedOp::run() {
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    eigvalshBatched<T>(a.as<T>(), count, n, out.as<T>());
  });
}

Napi::Value EigvalshBatchedOp::result(Napi::Env env) const { return out.toJs(env); }

namespace {

void checkThresholds(const Input& t) {
  if (t.empty()) return;
  if (t.dtype() != DType::Float64) throw Error(Code::InvalidArgument, "thresholds must be a Float64Array");
  const double* x = t.as<double>();
  for (std::size_t i = 0; i < t.length(); ++i) {
    if (!std::isfinite(x[i])) throw Error(Code::InvalidArgument, "thresholds must be finite");
  }
}

}  // namespace

SpectrumOp::SpectrumOp(const Napi::CallbackInfo& info, bool gramInput) : ofGram(gramInput) {
  a = Input::from(info[0], "data");
  if (ofGram) {
    n = m = toIndex(info[1], "n");
    checkLength(a, {n, n}, "gramSpectrum");
    if (a.dtype() != DType::Float64) throw Error(Code::InvalidArgument, "gramSpectrum: the Gram must be a Float64Array");
    thresholds = Input::fromOptional(info[2], "thresholds");
    req.inertiaResolution = toDouble(info[3], "inertiaResolution");
    req.maxThreads = static_cast<int>(std::max(0.0, std::min(1024.0, toDouble(info[4], "maxThreads"))));
  } else {
    m = toIndex(info[1], "rows");
    n = toIndex(info[2], "cols");
    checkLength(a, {m, n}, "spectrum");
    weights = Input::fromOptional(info[3], "weights");
    checkWeights(weights, m);
    req.scale = toDouble(info[4], "scale");
    req.center = toBool(info[5]);
    const double side = toDouble(info[6], "side");
    req.side = side == 1 ? SpectrumSide::Dual : side == 2 ? SpectrumSide::Svd : SpectrumSide::Primal;
    req.float64 = toBool(info[7]);
    thresholds = Input::fromOptional(info[8], "thresholds");
    req.inertiaResolution = toDouble(info[9], "inertiaResolution");
    req.maxThreads = static_cast<int>(std::max(0.0, std::min(1024.0, toDouble(info[10], "maxThreads"))));
    req.escalateResolution = info[11].IsUndefined() ? 0 : std::max(0.0, toDouble(info[11], "escalateResolution"));
    req.mayCount = info[12].IsUndefined() || toBool(info[12]);
  }
  checkThresholds(thresholds);
  req.thresholdCount = static_cast<Index>(thresholds.length());
  values = Output(DType::Float64, static_cast<std::size_t>(ofGram ? n : spectrumDimension(m, n, req.side)));
  counts = Output(DType::Float64, thresholds.length());
}

void SpectrumOp::run() {
  // Pointers are read here, not at parse time: async calls own() their inputs in between.
  req.weights = weights.empty() ? nullptr : weights.as<double>();
  req.thresholds = thresholds.empty() ? nullptr : thresholds.as<double>();
  if (ofGram) {
    res = gramSpectrum(a.as<double>(), n, req, values.as<double>(), counts.as<double>());
    return;
  }
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    res = featureSpectrum<T>(a.as<T>(), m, n, req, values.as<double>(), counts.as<double>());
  });
}

Napi::Value SpectrumOp::result(Napi::Env env) const {
  Napi::Object r = Napi::Object::New(env);
  r.Set("values", res.counted || res.unresolved ? env.Null() : values.toJs(env));
  r.Set("counts", res.counted ? counts.toJs(env) : env.Null());
  r.Set("unresolved", Napi::Boolean::New(env, res.unresolved));
  r.Set("lower", Napi::Number::New(env, res.lower));
  r.Set("upper", Napi::Number::New(env, res.upper));
  r.Set("float64", Napi::Boolean::New(env, res.gramFloat64));
  return r;
}

}  // namespace effrank::binding
