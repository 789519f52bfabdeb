#include "threads.hpp"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

#include "errors.hpp"

namespace effrank {
namespace {

std::mutex& computeMutex() {
  // Leaked on purpose: a job may still hold it while the process exits.
  static std::mutex* m = new std::mutex;
  return *m;
}

// The JS loader starts OpenBLAS at one thread (OPENBLAS_NUM_THREADS=1, with
// EFFRANK_BLAS_THREADS_LAZY=1 to say so) when the user set no thread count, so
// that loading never needs a thread the system may refuse; the default is then
// the hardware threads, started later by ensureBlasThreads.
int initialThreads() {
  const char* lazy = std::getenv("EFFRANK_BLAS_THREADS_LAZY");
  if (lazy && lazy[0] == '1') return hardwareThreads();
  const int blas = openblas_get_num_threads();
  return std::max(1, std::min(blas, hardwareThreads()));
}

// BLAS threads OpenBLAS is known to hold (itself included), under the compute lock.
int& blasCapacity() {
  static int capacity = std::max(1, openblas_get_num_threads());
  return capacity;
}

// True when `extra` more threads can be created right now: creates them
// (blocked), then lets them go. openblas_set_num_threads creates its threads
// without checking, and a missing one would hang the first parallel BLAS call
// forever, so effrank only raises the count after this probe succeeded. The
// window between the probe and OpenBLAS's own creation is microseconds.
bool canCreateThreads(int extra) {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::thread> probes;
  bool ok = true;
  for (int i = 0; i < extra; ++i) {
    try {
      probes.emplace_back([&] {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return release; });
      });
    } catch (const std::system_error&) {
      ok = false;
      break;
    }
  }
  {
    std::lock_guard<std::mutex> g(m);
    release = true;
  }
  cv.notify_all();
  for (auto& t : probes) t.join();
  return ok;
}

// BLAS threads to use for a job that wants `want`: `want` if OpenBLAS holds
// them or they can be started now, otherwise what it holds. Never fails.
int ensureBlasThreads(int want) {
  int& capacity = blasCapacity();
  if (want <= capacity) return want;
  if (!canCreateThreads(want - capacity)) return capacity;
  openblas_set_num_threads(want);  // creates the missing threads
  capacity = want;
  return want;
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
  const int n = ensureBlasThreads(std::max(1, blasThreads));
  if (openblas_get_num_threads() != n) openblas_set_num_threads(n);
}

namespace {

// glibc runs on_exit handlers before the ELF destructors, among them
// OpenBLAS's shutdown, which joins its worker threads. With a job still
// computing on the job thread that join can wait forever (a worker that
// finished its part is never woken again). So: if no job computes, take the
// compute lock for good (no job can start during teardown) and let exit go
// on; if one computes, end the process at once with the status exit() got.
void onProcessExit(int status, void*) {
  if (computeMutex().try_lock()) return;  // held until the process is gone
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace

void installExitGuard() {
  static std::once_flag once;
  std::call_once(once, [] {
#ifdef __GLIBC__
    on_exit(&onProcessExit, nullptr);
#endif
  });
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
  for (int t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(run);
    } catch (const std::system_error&) {
      break;  // no more threads to be had (RLIMIT_NPROC): the workers started so far share the batch
    }
  }
  run();
  for (auto& th : pool) th.join();
  if (firstError) std::rethrow_exception(firstError);
}

}  // namespace effrank
