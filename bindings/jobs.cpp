#include "jobs.hpp"

#include <condition_variable>
#include <deque>
#include <system_error>
#include <thread>

#include "convert.hpp"

namespace effrank::binding {

struct Job {
  std::shared_ptr<EnvLink> link;
  std::function<void()> work;
  std::function<Napi::Value(Napi::Env)> finish;
  napi_deferred deferred = nullptr;
  bool failed = false;
  Code code = Code::Internal;
  std::string message;
};

namespace {

// One worker thread for the whole process: OpenBLAS's thread count is global,
// so running two jobs at once would only oversubscribe the cores.
class Queue {
 public:
  static Queue& instance() {
    static Queue* q = new Queue();  // leaked: the thread may outlive static destructors
    return *q;
  }

  // Throws ThreadLimit (and queues nothing) when the job thread cannot be started.
  void push(Job* job) {
    {
      std::lock_guard<std::mutex> g(mutex_);
      if (!started_) {
        try {
          std::thread(&Queue::loop, this).detach();
        } catch (const std::system_error& e) {
          throw Error(Code::ThreadLimit, std::string("cannot start effrank's job thread: ") + e.what() +
                                             " (the process or user thread limit is reached)");
        }
        started_ = true;
      }
      jobs_.push_back(job);
      ++size_;
    }
    ready_.notify_one();
  }

  std::size_t size() {
    std::lock_guard<std::mutex> g(mutex_);
    return size_;
  }

 private:
  void loop() {
    for (;;) {
      Job* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return !jobs_.empty(); });
        job = jobs_.front();
        jobs_.pop_front();
      }
      try {
        job->work();
      } catch (const Error& e) {
        job->failed = true;
        job->code = e.code();
        job->message = e.what();
      } catch (const std::bad_alloc&) {
        job->failed = true;
        job->code = Code::OutOfMemory;
        job->message = "out of memory";
      } catch (const std::system_error& e) {
        job->failed = true;
        job->code = Code::ThreadLimit;
        job->message = std::string("cannot create a thread: ") + e.what();
      } catch (const std::exception& e) {
        job->failed = true;
        job->message = e.what();
      }
      {
        std::lock_guard<std::mutex> g(mutex_);
        --size_;
      }
      job->link->deliver(job);
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job*> jobs_;
  std::size_t size_ = 0;
  bool started_ = false;
};

}  // namespace

std::size_t queuedJobs() { return Queue::instance().size(); }

std::shared_ptr<EnvLink> EnvLink::create(Napi::Env env) {
  auto link = std::make_shared<EnvLink>();
  napi_value name = Napi::String::New(env, "effrank");
  // No JS function: callJs settles promises directly. Unref'd while idle so an
  // idle addon never keeps the process alive.
  NAPI_THROW_IF_FAILED(env,
                       napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr,
                                                       link.get(), &EnvLink::callJs, &link->tsfn_),
                       nullptr);
  napi_unref_threadsafe_function(env, link->tsfn_);
  link->open_ = true;
  // Registered after the tsfn, so it runs before the tsfn's own teardown.
  link->self_ = new std::shared_ptr<EnvLink>(link);
  napi_add_env_cleanup_hook(env, &EnvLink::cleanup, link->self_);
  return link;
}

void EnvLink::cleanup(void* arg) {
  auto* holder = static_cast<std::shared_ptr<EnvLink>*>(arg);
  {
    std::lock_guard<std::mutex> g((*holder)->mutex_);
    (*holder)->open_ = false;
  }
  delete holder;
}

Napi::Promise EnvLink::submit(Napi::Env env, std::function<void()> work,
                              std::function<Napi::Value(Napi::Env)> finish) {
  auto* job = new Job();
  job->link = shared_from_this();
  job->work = std::move(work);
  job->finish = std::move(finish);
  napi_value promise = nullptr;
  napi_status status = napi_create_promise(env, &job->deferred, &promise);
  if (status != napi_ok) {
    delete job;
    NAPI_THROW_IF_FAILED(env, status, Napi::Promise());
  }
  try {
    Queue::instance().push(job);
  } catch (const Error& e) {
    // Reject rather than throw: async calls report failures through their promise.
    napi_value error = toJsError(env, e.code(), e.what()).Value();
    napi_reject_deferred(env, job->deferred, error);
    delete job;
    return Napi::Promise(env, promise);
  }
  if (pending_++ == 0) napi_ref_threadsafe_function(env, tsfn_);
  return Napi::Promise(env, promise);
}

void EnvLink::deliver(Job* job) {
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (open_ && napi_call_threadsafe_function(tsfn_, job, napi_tsfn_nonblocking) == napi_ok) return;
  }
  delete job;  // the environment is gone: nobody is waiting for this result (may free this link)
}

void EnvLink::callJs(napi_env env, napi_value, void* context, void* data) {
  auto* job = static_cast<Job*>(data);
  if (env == nullptr) {  // the tsfn is being torn down with this job queued
    delete job;
    return;
  }
  static_cast<EnvLink*>(context)->settle(Napi::Env(env), job);
}

// Never lets an exception out: this runs from a C callback, where one would
// call std::terminate. If the environment is being torn down (a worker
// terminated, process.exit) creating the result or error fails; nobody can
// observe the promise any more, so the job is just freed.
void EnvLink::settle(Napi::Env env, Job* job) {
  if (--pending_ == 0) napi_unref_threadsafe_function(env, tsfn_);
  try {
    settleJs(env, job);
  } catch (...) {
    // the environment is going away: nothing left to settle
  }
  delete job;
}

void EnvLink::settleJs(Napi::Env env, Job* job) {
  Napi::HandleScope scope(env);
  napi_value value = nullptr;
  bool ok = !job->failed;
  if (ok) {
    try {
      value = job->finish(env);
    } catch (const Napi::Error& e) {
      ok = false;
      value = e.Value();
    } catch (const Error& e) {
      ok = false;
      value = toJsError(env, e.code(), e.what()).Value();
    }
  } else {
    value = toJsError(env, job->code, job->message).Value();
  }
  if (ok) {
    napi_resolve_deferred(env, job->deferred, value);
  } else {
    napi_reject_deferred(env, job->deferred, value);
  }
}

}  // namespace effrank::binding
