// The async job queue. Long LAPACK jobs do not belong on libuv's pool (it also
// serves fs, dns and crypto), so effrank keeps one process-wide worker thread
// that runs jobs in order; each job gets all BLAS threads or spreads a batch
// across them. Results come back through one thread-safe function per
// environment, so worker_threads each get their own and may exit at any time.
#pragma once
#include <napi.h>

#include <functional>
#include <memory>
#include <mutex>

#include "../native/errors.hpp"

namespace effrank::binding {

struct Job;

// Per-environment link from the queue back to JS. The env's cleanup hook marks
// it closed before the thread-safe function is torn down, so a job finishing
// after its worker_thread exited just frees itself.
class EnvLink : public std::enable_shared_from_this<EnvLink> {
 public:
  static std::shared_ptr<EnvLink> create(Napi::Env env);

  // On the JS thread: queue `work`, then settle `deferred` with `finish`'s value.
  Napi::Promise submit(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> finish);

  // From the worker thread: hand a finished job back, or free it if closed.
  void deliver(Job* job);

  // On the JS thread, from the tsfn callback; frees the job, throws nothing.
  void settle(Napi::Env env, Job* job);

  std::size_t pending() const { return pending_; }

 private:
  void settleJs(Napi::Env env, Job* job);
  static void cleanup(void* self);
  static void callJs(napi_env env, napi_value, void* context, void* data);

  std::mutex mutex_;
  bool open_ = false;
  napi_threadsafe_function tsfn_ = nullptr;
  std::size_t pending_ = 0;  // touched only on the JS thread
  std::shared_ptr<EnvLink>* self_ = nullptr;
};

// Jobs queued or running, across all environments (for tests and backendInfo).
std::size_t queuedJobs();

}  // namespace effrank::binding
