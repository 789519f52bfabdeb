// Thread control. OpenBLAS's thread count is process-global, so every
// computation runs under one process-wide lock: a large job gets all BLAS
// threads, a batch gets one BLAS thread per worker, never both at once.
#pragma once
#include <functional>
#include <mutex>
#include <string>

namespace effrank {

// Threads used per job (BLAS threads for one matrix, workers for a batch).
int numThreads();
// Clamped to [1, hardware threads]; returns the value applied.
int setNumThreads(int n);
int hardwareThreads();

struct BackendInfo {
  std::string blas;        // "OpenBLAS"
  std::string blasConfig;  // openblas_get_config()
  std::string coreName;    // kernel family in use
  int blasThreads;
  int threads;
  int hardwareThreads;
};
BackendInfo backendInfo();

// BLAS threads for one job of about `flops` floating-point operations: all of
// numThreads() for large jobs, one for small ones, where waking a second
// thread costs more than it saves (and, next to a busy JS thread on two
// cores, turned a 1 ms job into 10–150 ms).
int threadsFor(double flops);

// Caps threadsFor() on the calling thread for its lifetime (0 = no cap): a
// job that runs beside a busy JS thread (a tracker measurement during
// training) leaves that thread its core.
class ThreadCap {
 public:
  explicit ThreadCap(int cap);
  ~ThreadCap();
  ThreadCap(const ThreadCap&) = delete;
  ThreadCap& operator=(const ThreadCap&) = delete;

 private:
  int previous_;
};

// Holds the compute lock and sets the BLAS thread count for its lifetime:
// `blasThreads`, or fewer when the system refuses new threads (never fails).
class ComputeScope {
 public:
  explicit ComputeScope(int blasThreads);
  ComputeScope(const ComputeScope&) = delete;
  ComputeScope& operator=(const ComputeScope&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
};

// Makes process exit safe while a job computes (see threads.cpp). Idempotent.
void installExitGuard();

// Runs body(i) for i in [0, count) on numThreads() workers with single-threaded
// BLAS. The first exception thrown by any worker is rethrown after all join.
void parallelFor(long count, const std::function<void(long)>& body);

}  // namespace effrank
