#include "convert.hpp"

#include <cmath>
#include <limits>

namespace effrank::binding {

Input Input::from(const Napi::Value& value, const char* what) {
  if (!value.IsTypedArray()) throw Error(Code::InvalidArgument, std::string(what) + " must be a Float32Array or Float64Array");
  const auto array = value.As<Napi::TypedArray>();
  const napi_typedarray_type type = array.TypedArrayType();
  if (type != napi_float32_array && type != napi_float64_array) {
    throw Error(Code::InvalidArgument, std::string(what) + " must be a Float32Array or Float64Array");
  }
  const Napi::Env env = value.Env();
  napi_value buffer = nullptr;
  void* data = nullptr;
  std::size_t length = 0;
  std::size_t offset = 0;
  napi_typedarray_type ignored;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, array, &ignored, &length, &data, &buffer, &offset), Input());
  bool isArrayBuffer = false;
  napi_is_arraybuffer(env, buffer, &isArrayBuffer);
  if (isArrayBuffer) {
    bool detached = false;
    napi_is_detached_arraybuffer(env, buffer, &detached);
    if (detached) throw Error(Code::InvalidArgument, std::string(what) + " is backed by a detached ArrayBuffer");
  }
  Input in;
  in.dtype_ = type == napi_float32_array ? DType::Float32 : DType::Float64;
  in.length_ = length;
  in.data_ = length == 0 ? nullptr : data;
  if (length > 0 && data == nullptr) throw Error(Code::InvalidArgument, std::string(what) + " has no backing store");
  return in;
}

Input Input::fromOptional(const Napi::Value& value, const char* what) {
  if (value.IsUndefined() || value.IsNull()) return Input();
  return from(value, what);
}

void Input::own() {
  if (data_ == nullptr || !owned_.empty()) return;
  const std::size_t bytes = length_ * (dtype_ == DType::Float32 ? 4 : 8);
  owned_ = allocate<unsigned char>(bytes, "async input copy");
  std::memcpy(owned_.data(), data_, bytes);
  data_ = owned_.data();
}

namespace {
Napi::TypedArray newTypedArray(Napi::Env env, DType dtype, std::size_t length, void** data) {
  if (dtype == DType::Float32) {
    auto a = Napi::Float32Array::New(env, length);
    *data = a.Data();
    return a;
  }
  auto a = Napi::Float64Array::New(env, length);
  *data = a.Data();
  return a;
}
}  // namespace

void Output::placeInJs(Napi::Env env) {
  ensureWorkspace(bytes_, "result");
  js_ = newTypedArray(env, dtype_, length_, &data_);
}

void Output::placeNative() {
  owned_ = allocate<unsigned char>(bytes_, "result");
  data_ = owned_.data();
}

Napi::Value Output::toJs(Napi::Env env) const {
  if (js_ != nullptr) return Napi::Value(env, js_);
  void* data = nullptr;
  Napi::TypedArray out = newTypedArray(env, dtype_, length_, &data);
  if (bytes_ != 0) std::memcpy(data, owned_.data(), bytes_);
  return out;
}

Index toIndex(const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throw Error(Code::InvalidShape, std::string(what) + " must be a number");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 1) || d != std::floor(d) || d > static_cast<double>(std::numeric_limits<Index>::max() / 4)) {
    throw Error(Code::InvalidShape, std::string(what) + " must be a positive integer");
  }
  return static_cast<Index>(d);
}

double toDouble(const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throw Error(Code::InvalidArgument, std::string(what) + " must be a number");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw Error(Code::InvalidArgument, std::string(what) + " must be finite");
  return d;
}

bool toBool(const Napi::Value& value) { return value.ToBoolean().Value(); }

Napi::Error toJsError(Napi::Env env, Code code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, codeName(code)));
  return error;
}

void throwAsJs(Napi::Env env, Code code, const std::string& message) { throw toJsError(env, code, message); }

}  // namespace effrank::binding
