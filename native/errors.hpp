// Errors raised by the compute core. The binding maps `Code` to the stable
// EffrankError codes of the JS API; nothing here knows about Node.
#pragma once
#include <stdexcept>
#include <string>

namespace effrank {

enum class Code {
  InvalidShape,
  InvalidArgument,
  NonFinite,
  NoConvergence,
  OutOfMemory,
  ThreadLimit,  // a native thread could not be created (RLIMIT_NPROC, pids cgroup)
  Internal,
};

const char* codeName(Code code);

class Error : public std::runtime_error {
 public:
  Error(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const { return code_; }

 private:
  Code code_;
};

// Raises Internal for negative LAPACK info (an argument we passed was wrong:
// a bug in effrank, not in the caller's data).
void checkLapackArgs(int info, const char* routine);

}  // namespace effrank
