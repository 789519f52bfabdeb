#include "errors.hpp"

namespace effrank {

const char* codeName(Code code) {
  switch (code) {
    case Code::InvalidShape: return "ERR_INVALID_SHAPE";
    case Code::InvalidArgument: return "ERR_INVALID_ARGUMENT";
    case Code::NonFinite: return "ERR_NON_FINITE";
    case Code::NoConvergence: return "ERR_NO_CONVERGENCE";
    case Code::OutOfMemory: return "ERR_OUT_OF_MEMORY";
    case Code::ThreadLimit: return "ERR_THREAD_LIMIT";
    case Code::Internal: return "ERR_INTERNAL";
  }
  return "ERR_INTERNAL";
}

void checkLapackArgs(int info, const char* routine) {
  if (info < 0) {
    throw Error(Code::Internal, std::string(routine) + ": illegal value in argument " + std::to_string(-info));
  }
}

}  // namespace effrank
