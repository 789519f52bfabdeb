#include <algorithm>
#include <string>

#include "ops.hpp"

namespace effrank::binding {
namespace {

Input float32Input(const Napi::Value& value, const std::string& what, bool optional) {
  Input in = optional ? Input::fromOptional(value, what.c_str()) : Input::from(value, what.c_str());
  if (!in.empty() && in.dtype() != DType::Float32) throw Error(Code::InvalidArgument, what + " must be a Float32Array");
  return in;
}

}  // namespace

DenseForwardOp::DenseForwardOp(const Napi::CallbackInfo& info)
    : x(float32Input(info[0], "denseForward: x", false)), rows(toIndex(info[1], "rows")) {
  if (!info[2].IsArray()) throw Error(Code::InvalidArgument, "denseForward: steps must be an array");
  const auto list = info[2].As<Napi::Array>();
  maxThreads = static_cast<int>(std::max(0.0, std::min(1024.0, toDouble(info[3], "maxThreads"))));
  const std::uint32_t count = list.Length();
  kernels.reserve(count);
  biases.reserve(count);
  scales.reserve(count);
  offsets.reserve(count);
  steps.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const Napi::Value v = list.Get(i);
    if (!v.IsObject()) throw Error(Code::InvalidArgument, "denseForward: each step must be an object");
    const auto o = v.As<Napi::Object>();
    const std::string at = "denseForward: step " + std::to_string(i) + " ";
    DenseStep& s = steps[i];
    s.inputs = toIndex(o.Get("inputs"), "inputs");
    s.units = toIndex(o.Get("units"), "units");
    const double act = toDouble(o.Get("activation"), "activation");
    if (!(act >= 0 && act < static_cast<double>(Activation::Count)) || act != static_cast<int>(act)) {
      throw Error(Code::InvalidArgument, at + "has an unknown activation");
    }
    s.activation = static_cast<Activation>(static_cast<int>(act));
    s.alpha = static_cast<float>(toDouble(o.Get("alpha"), "alpha"));
    s.normalize = toBool(o.Get("normalize"));
    s.epsilon = static_cast<float>(toDouble(o.Get("epsilon"), "epsilon"));
    kernels.push_back(float32Input(o.Get("kernel"), at + "kernel", true));
    biases.push_back(float32Input(o.Get("bias"), at + "bias", true));
    scales.push_back(float32Input(o.Get("scale"), at + "scale", true));
    offsets.push_back(float32Input(o.Get("offset"), at + "offset", true));
    if (!kernels.back().empty()) checkLength(kernels.back(), {s.inputs, s.units}, (at + "kernel").c_str());
    if (!biases.back().empty()) checkLength(biases.back(), {s.units}, (at + "bias").c_str());
    if (!scales.back().empty()) checkLength(scales.back(), {s.units}, (at + "scale").c_str());
    if (!offsets.back().empty()) checkLength(offsets.back(), {s.units}, (at + "offset").c_str());
    if (toBool(o.Get("output"))) {
      outs.emplace_back(DType::Float32, checkedProduct({static_cast<std::size_t>(rows), static_cast<std::size_t>(s.units)}));
      outStep.push_back(i);
    }
  }
  if (!steps.empty()) checkLength(x, {rows, steps[0].inputs}, "denseForward: x");
}

std::vector<Output*> DenseForwardOp::outputs() {
  std::vector<Output*> list;
  for (Output& o : outs) list.push_back(&o);
  return list;
}

void DenseForwardOp::own() {
  x.own();
  for (Input& k : kernels) k.own();
  for (Input& b : biases) b.own();
  for (Input& c : scales) c.own();
  for (Input& c : offsets) c.own();
}

void DenseForwardOp::run() {
  // Pointers are read here, not at parse time: async calls own() their inputs in between.
  for (std::size_t i = 0; i < steps.size(); ++i) {
    steps[i].kernel = kernels[i].empty() ? nullptr : kernels[i].as<float>();
    steps[i].bias = biases[i].empty() ? nullptr : biases[i].as<float>();
    steps[i].scale = scales[i].empty() ? nullptr : scales[i].as<float>();
    steps[i].offset = offsets[i].empty() ? nullptr : offsets[i].as<float>();
    steps[i].out = nullptr;
  }
  for (std::size_t k = 0; k < outs.size(); ++k) steps[outStep[k]].out = outs[k].as<float>();
  denseForward(x.as<float>(), rows, steps, maxThreads);
}

Napi::Value DenseForwardOp::result(Napi::Env env) const {
  Napi::Array r = Napi::Array::New(env, outs.size());
  for (std::size_t k = 0; k < outs.size(); ++k) r.Set(static_cast<std::uint32_t>(k), outs[k].toJs(env));
  return r;
}

}  // namespace effrank::binding
