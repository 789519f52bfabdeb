// Workspace accounting: refuse a job before allocating when it cannot fit,
// instead of letting the OS kill the process.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace effrank {

// Largest element count a single LAPACK call can index (32-bit lapack_int).
constexpr std::int64_t kLapackIndexLimit = 2147483647;

// Multiplies sizes, raising InvalidShape on overflow.
std::size_t checkedProduct(std::initializer_list<std::size_t> factors);

// Raises OutOfMemory if `bytes` exceeds the cap set by setMaxElements
// (counted in 8-byte elements) or the memory the system reports available.
void ensureWorkspace(std::size_t bytes, const char* what);

// 0 means no cap beyond available memory.
void setMaxElements(std::uint64_t elements);
std::uint64_t maxElements();

// Allocates a vector after ensureWorkspace, turning bad_alloc into OutOfMemory.
template <class T>
std::vector<T> allocate(std::size_t count, const char* what) {
  ensureWorkspace(count * sizeof(T), what);
  try {
    return std::vector<T>(count);
  } catch (const std::bad_alloc&) {
    ensureWorkspace(static_cast<std::size_t>(-1), what);  // always throws OutOfMemory
    throw;
  }
}

// Large scratch memory, not zero-filled, for buffers written before they are
// read. Blocks of several MiB ask the kernel for transparent huge pages: a
// fresh 32 MiB matrix copy otherwise costs ~8000 page faults, a visible share
// of an n = 2048 factorisation.
void* allocateScratch(std::size_t bytes, const char* what);
void freeScratch(void* p) noexcept;

struct ScratchDeleter {
  void operator()(void* p) const noexcept { freeScratch(p); }
};

template <class T>
using Scratch = std::unique_ptr<T[], ScratchDeleter>;

// Like allocate, without zero-filling.
template <class T>
Scratch<T> allocateRaw(std::size_t count, const char* what) {
  return Scratch<T>(static_cast<T*>(allocateScratch(checkedProduct({count, sizeof(T)}), what)));
}

}  // namespace effrank
