#include "threads.hpp"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace effrank {
namespace {

std::mutex& computeMutex() {
  // Leaked on purpose: a job may still hold it while the process exits.
  static std::mutex* m = new std::mutex;
  return *m;
}

int initialThreads() {
  const int blas = openblas_get_num_threads();
  return std::max(1, std::min(blas, hardwareThreads()));
}

std::atomic<int>& threadSetting() {
  static std::atomic<int> n{initialThreads()};
  return n;
}

}  // namespace

int hardwareThreads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

int numThreads() { return threadSetting().load(); }

int setNumThreads(int n) {
  const int clamped = std::max(1, std::min(n, hardwareThreads()));
  threadSetting().store(clamped);
  return clamped;
}

BackendInfo backendInfo() {
  BackendInfo info;
  info.blas = "OpenBLAS";
  const char* config = openblas_get_config();
  info.blasConfig = config ? config : "";
  const char* core = openblas_get_corename();
  info.coreName = core ? core : "";
  info.blasThreads = openblas_get_num_threads();
  info.threads = numThreads();
  info.hardwareThreads = hardwareThreads();
  return info;
}

namespace {
thread_local int threadCap = 0;  // 0: no cap (see ThreadCap)
}  // namespace

int threadsFor(double flops) {
  constexpr double kParallelAbove = 5e7;
  const int n = flops < kParallelAbove ? 1 : numThreads();
  return threadCap > 0 ? std::min(n, threadCap) : n;
}

ThreadCap::ThreadCap(int cap) : previous_(threadCap) { threadCap = cap; }
ThreadCap::~ThreadCap() { threadCap = previous_; }

ComputeScope::ComputeScope(int blasThreads) : lock_(computeMutex()) {
  if (openblas_get_num_threads() != blasThreads) openblas_set_num_threads(blasThreads);
}

void parallelFor(long count, const std::function<void(long)>& body) {
  const int workers = static_cast<int>(std::min<long>(numThreads(), count));
  ComputeScope scope(1);
  if (workers <= 1) {
    for (long i = 0; i < count; ++i) body(i);
    return;
  }
  std::atomic<long> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr firstError;
  std::mutex errorMutex;
  auto run = [&]() {
    for (long i = next.fetch_add(1); i < count && !failed.load(); i = next.fetch_add(1)) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> g(errorMutex);
        if (!firstError) firstError = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (int t = 1; t < workers; ++t) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
  if (firstError) std::rethrow_exception(firstError);
}

}  // namespace effrank
