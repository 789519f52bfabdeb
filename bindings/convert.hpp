// Conversions between JS values and the core's inputs and outputs. Typed
// arrays are read in place (sync calls) or copied once (async calls, so the
// caller may mutate or detach its buffer at once). Outputs are copied into
// fresh JS typed arrays.
#pragma once
#include <napi.h>

#include <cstring>
#include <string>
#include <vector>

#include "../native/errors.hpp"
#include "../native/linalg.hpp"
#include "../native/memory.hpp"

namespace effrank::binding {

enum class DType { Float32, Float64 };

// A float32 or float64 input, borrowed from a typed array or owned.
class Input {
 public:
  static Input from(const Napi::Value& value, const char* what);
  static Input fromOptional(const Napi::Value& value, const char* what);  // undefined/null -> empty

  DType dtype() const { return dtype_; }
  std::size_t length() const { return length_; }
  bool empty() const { return data_ == nullptr; }
  template <class T>
  const T* as() const { return static_cast<const T*>(data_); }

  // Copies the borrowed data so that it outlives the JS call.
  void own();

 private:
  DType dtype_ = DType::Float64;
  const void* data_ = nullptr;
  std::size_t length_ = 0;
  std::vector<unsigned char> owned_;
};

// A float32 or float64 output. Sized when the call is parsed, then placed:
// sync calls compute straight into a new JS typed array (no copy); async
// calls into native memory, copied into a typed array when they settle,
// because a worker_thread's heap may be gone by the time the job finishes.
class Output {
 public:
  Output() = default;
  Output(DType dtype, std::size_t length)
      : dtype_(dtype), length_(length), bytes_(checkedProduct({length, dtype == DType::Float32 ? 4u : 8u})) {}

  void placeInJs(Napi::Env env);
  void placeNative();

  template <class T>
  T* as() { return reinterpret_cast<T*>(data_); }
  Napi::Value toJs(Napi::Env env) const;

 private:
  DType dtype_ = DType::Float64;
  std::size_t length_ = 0;
  std::size_t bytes_ = 0;
  void* data_ = nullptr;
  napi_value js_ = nullptr;  // valid within the sync call's handle scope
  std::vector<unsigned char> owned_;
};

Index toIndex(const Napi::Value& value, const char* what);
double toDouble(const Napi::Value& value, const char* what);
bool toBool(const Napi::Value& value);

// Calls f with a float or double tag for the dtype.
template <class F>
auto dispatch(DType dtype, F&& f) {
  if (dtype == DType::Float32) return f(float{});
  return f(double{});
}

// Throws the JS error for an effrank::Error, with its stable code.
[[noreturn]] void throwAsJs(Napi::Env env, Code code, const std::string& message);
Napi::Error toJsError(Napi::Env env, Code code, const std::string& message);

}  // namespace effrank::binding
