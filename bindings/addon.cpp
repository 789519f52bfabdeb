// Module init: one Addon instance per environment (main thread or worker), so
// the addon is context-aware and holds no per-env state in globals.
#include <dlfcn.h>
#include <napi.h>

#include <memory>
#include <system_error>

#include "../native/memory.hpp"
#include "../native/threads.hpp"
#include "convert.hpp"
#include "jobs.hpp"
#include "ops.hpp"

#ifndef EFFRANK_VERSION
#define EFFRANK_VERSION "0.0.0"
#endif

namespace effrank::binding {
namespace {

// Runs f, turning core errors into JS errors carrying their stable code.
template <class F>
Napi::Value guarded(Napi::Env env, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    throwAsJs(env, e.code(), e.what());
  } catch (const std::bad_alloc&) {
    throwAsJs(env, Code::OutOfMemory, "out of memory");
  } catch (const std::system_error& e) {
    throwAsJs(env, Code::ThreadLimit, std::string("cannot create a thread: ") + e.what());
  } catch (const Napi::Error&) {
    throw;  // node-addon-api throws it into JS (or drops it while the environment shuts down)
  } catch (const std::exception& e) {
    throwAsJs(env, Code::Internal, e.what());
  }
}

// Keeps this library mapped until the process ends. Node unloads an addon
// when the last environment that loaded it goes away (the last worker_thread
// exits), but the job thread and the exit guard are process-wide and run code
// from here; without the pin, exiting after such a worker segfaulted.
void pinLibrary() {
  static bool pinned = [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&pinLibrary), &info) == 0 || info.dli_fname == nullptr) return false;
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
}

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports) : link_(EnvLink::create(env)) {
    numThreads();        // latch the default thread count while the loader's environment is set
    pinLibrary();
    installExitGuard();  // process exit while a job computes must not hang in OpenBLAS's shutdown
    DefineAddon(exports, {
                             InstanceMethod("svd", &Addon::Sync<SvdOp>),
                             InstanceMethod("svdAsync", &Addon::Async<SvdOp>),
                             InstanceMethod("eigh", &Addon::Sync<EighOp>),
                             InstanceMethod("eighAsync", &Addon::Async<EighOp>),
                             InstanceMethod("gram", &Addon::Sync<GramOp>),
                             InstanceMethod("gramAsync", &Addon::Async<GramOp>),
                             InstanceMethod("countAbove", &Addon::Sync<CountAboveOp>),
                             InstanceMethod("countAboveAsync", &Addon::Async<CountAboveOp>),
                             InstanceMethod("svdvalsBatched", &Addon::Sync<SvdvalsBatchedOp>),
                             InstanceMethod("svdvalsBatchedAsync", &Addon::Async<SvdvalsBatchedOp>),
                             InstanceMethod("eigvalshBatched", &Addon::Sync<EigvalshBatchedOp>),
                             InstanceMethod("eigvalshBatchedAsync", &Addon::Async<EigvalshBatchedOp>),
                             InstanceMethod("spectrum", &Addon::Sync<FeatureSpectrumOp>),
                             InstanceMethod("spectrumAsync", &Addon::Async<FeatureSpectrumOp>),
                             InstanceMethod("gramSpectrum", &Addon::Sync<GramSpectrumOp>),
                             InstanceMethod("gramSpectrumAsync", &Addon::Async<GramSpectrumOp>),
                             InstanceMethod("denseForward", &Addon::Sync<DenseForwardOp>),
                             InstanceMethod("denseForwardAsync", &Addon::Async<DenseForwardOp>),
                             InstanceMethod("setNumThreads", &Addon::SetNumThreads),
                             InstanceMethod("getNumThreads", &Addon::GetNumThreads),
                             InstanceMethod("setMaxElements", &Addon::SetMaxElements),
                             InstanceMethod("getMaxElements", &Addon::GetMaxElements),
                             InstanceMethod("backendInfo", &Addon::BackendInfo),
                         });
  }

 private:
  template <class Op>
  Napi::Value Sync(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Op op(info);
      for (Output* o : op.outputs()) o->placeInJs(info.Env());
      op.run();
      return op.result(info.Env());
    });
  }

  // Parses and copies the inputs now, computes on the queue, settles later.
  template <class Op>
  Napi::Value Async(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      auto op = std::make_shared<Op>(info);
      op->own();
      for (Output* o : op->outputs()) o->placeNative();
      return link_->submit(
          info.Env(), [op] { op->run(); }, [op](Napi::Env env) { return op->result(env); });
    });
  }

  Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const Index n = toIndex(info[0], "threads");
      return Napi::Number::New(info.Env(), setNumThreads(static_cast<int>(std::min<Index>(n, 1 << 20))));
    });
  }

  Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), numThreads()); }

  Napi::Value SetMaxElements(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const double cap = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
      if (!(cap >= 0) || cap != static_cast<double>(static_cast<std::uint64_t>(cap))) {
        throw Error(Code::InvalidArgument, "maxElements must be a non-negative integer (0 = no cap)");
      }
      setMaxElements(static_cast<std::uint64_t>(cap));
      return info.Env().Undefined();
    });
  }

  Napi::Value GetMaxElements(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(maxElements()));
  }

  Napi::Value BackendInfo(const Napi::CallbackInfo& info) {
    const auto b = backendInfo();
    Napi::Env env = info.Env();
    Napi::Object r = Napi::Object::New(env);
    r.Set("blas", b.blas);
    r.Set("blasConfig", b.blasConfig);
    r.Set("blasCore", b.coreName);
    r.Set("blasThreads", b.blasThreads);
    r.Set("threads", b.threads);
    r.Set("hardwareThreads", b.hardwareThreads);
    r.Set("queuedJobs", static_cast<double>(queuedJobs()));
    r.Set("pendingInThisThread", static_cast<double>(link_->pending()));
    r.Set("addonVersion", EFFRANK_VERSION);
    r.Set("napiVersion", NAPI_VERSION);
    return r;
  }

  std::shared_ptr<EnvLink> link_;
};

}  // namespace
}  // namespace effrank::binding

using EffrankAddon = effrank::binding::Addon;
NODE_API_ADDON(EffrankAddon)
