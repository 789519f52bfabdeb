#include "memory.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>
#include <string>

#include "errors.hpp"

namespace effrank {
namespace {

std::atomic<std::uint64_t> g_maxElements{0};

// MemAvailable from /proc/meminfo, in bytes; 0 if unknown.
std::uint64_t availableBytes() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (!f) return 0;
  char line[256];
  std::uint64_t kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "MemAvailable:", 13) == 0) {
      kb = std::strtoull(line + 13, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}

std::string mib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

void* allocateScratch(std::size_t bytes, const char* what) {
  ensureWorkspace(bytes, what);
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  void* p = nullptr;
  if (bytes >= 2 * kHuge) {
    if (posix_memalign(&p, kHuge, bytes) != 0) p = nullptr;
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, bytes, MADV_HUGEPAGE);  // advisory: ignored where THP is off
#endif
  } else {
    p = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (!p) ensureWorkspace(static_cast<std::size_t>(-1), what);  // always throws OutOfMemory
  return p;
}

void freeScratch(void* p) noexcept { std::free(p); }

std::size_t checkedProduct(std::initializer_list<std::size_t> factors) {
  std::size_t total = 1;
  for (std::size_t f : factors) {
    if (f != 0 && total > static_cast<std::size_t>(-1) / f) {
      throw Error(Code::InvalidShape, "matrix size overflows");
    }
    total *= f;
  }
  return total;
}

void setMaxElements(std::uint64_t elements) { g_maxElements.store(elements); }
std::uint64_t maxElements() { return g_maxElements.load(); }

void ensureWorkspace(std::size_t bytes, const char* what) {
  const std::uint64_t cap = g_maxElements.load();
  if (cap != 0 && bytes / 8 > cap) {
    throw Error(Code::OutOfMemory, std::string(what) + " needs " + mib(bytes) +
                                       " of workspace, above the maxElements cap of " +
                                       std::to_string(cap) + " elements");
  }
  // Reading /proc/meminfo costs microseconds; only large requests need it.
  if (bytes < (std::size_t{64} << 20)) return;
  const std::uint64_t avail = availableBytes();
  if (bytes == static_cast<std::size_t>(-1) || (avail != 0 && bytes > avail)) {
    throw Error(Code::OutOfMemory, std::string(what) + " needs " +
                                       (bytes == static_cast<std::size_t>(-1) ? std::string("more memory")
                                                                               : mib(bytes)) +
                                       " but only " + mib(avail) + " is available");
  }
}

}  // namespace effrank
