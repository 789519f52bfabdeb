#!/usr/bin/python3
"""numpy/scipy reference timings for the effrank benchmarks.

Run with /usr/bin/python3 (Debian's numpy/scipy, the same OpenBLAS as effrank).

    reference.py --probe            print numpy/BLAS info only
    reference.py SPEC.json          spec from a file
    reference.py '{"jobs": ...}'    spec inline
    reference.py < SPEC.json        spec on stdin
    reference.py --serve            one job per stdin line, one result line back
                                    (run.js uses this to time numpy and effrank
                                    case by case, close together in time)

Spec: {"policy": {warmup, minSamples, maxSamples, budgetMs},
       "jobs": [{"key", "op", "inputs": {name: {path, dtype, shape}},
                 "params": {...}, "policy": {...}}]}
Inputs are raw little-endian files written by the JS side, so both sides
time the very same numbers. Output (stdout, JSON):
    {"numpy": {...}, "results": {key: {ms, minMs, maxMs, n, samples, check, gflops?} | {error}}}
"""
import contextlib
import ctypes
import gc
import io
import json
import os
import platform
import sys
import time
import traceback

try:
    import numpy as np
except ImportError as e:  # the JS side reports this and runs effrank alone
    print(json.dumps({"error": f"numpy unavailable in {sys.executable}: {e}"}))
    sys.exit(2)

try:
    import scipy
    import scipy.linalg
except ImportError:
    scipy = None

DTYPES = {"float32": "<f4", "float64": "<f8"}


# ---- ops: each returns (work, check, flops). `work` is what gets timed;
# ---- `check` summarises its result so the JS side can compare answers.

def summary(v):
    v = np.asarray(v, dtype=np.float64).ravel()
    return {"first": float(v[0]), "last": float(v[-1]), "sum": float(v.sum()), "len": int(v.size)}


def op_svdvals_scipy(x, p):
    if scipy is None:
        raise RuntimeError("scipy is not installed")
    a = x["a"]
    return (lambda: scipy.linalg.svdvals(a)), summary, None


def op_svdvals_numpy(x, p):
    a = x["a"]
    return (lambda: np.linalg.svd(a, compute_uv=False)), summary, None


def op_svd_thin(x, p):
    a = x["a"]

    def check(r):
        u, s, vt = r
        return {"s": summary(s), "u": list(u.shape), "vt": list(vt.shape)}
    return (lambda: np.linalg.svd(a, full_matrices=False)), check, None


def op_gram_ata(x, p):
    # numpy sees a.T @ a as one operand twice and calls ?syrk.
    a = x["a"]

    def check(g):
        return {"shape": list(g.shape), "trace": float(np.trace(g, dtype=np.float64)), "g01": float(g[0, 1])}
    n, N = a.shape[1], a.shape[0]
    return (lambda: a.T @ a), check, n * n * N


def op_gemm_at_b(x, p):
    # The Gram's shape as a plain gemm: a copy defeats numpy's syrk path.
    a = x["a"]
    b = a.copy()
    m, k = a.shape[1], a.shape[0]
    return (lambda: a.T @ b), None, 2 * m * m * k


def op_gemm_square(x, p):
    # Machine gemm rate on a square product; its data needs no JS twin.
    n = int(p["n"])
    dtype = np.dtype(p.get("dtype", "float32"))
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (n, n)).astype(dtype)
    b = rng.uniform(-1, 1, (n, n)).astype(dtype)
    return (lambda: a @ b), None, 2 * n ** 3


def op_eigvalsh_count(x, p):
    a = x["a"]
    t = float(p["threshold"])

    def work():
        w = np.linalg.eigvalsh(a)
        return w, int(np.count_nonzero(w > t))

    def check(r):
        w, count = r
        return {"count": count, "min": float(w[0]), "max": float(w[-1])}
    return work, check, None


def op_eps_rank_eigvalsh(x, p):
    # The ε-rank as a numpy user computes it: Gram, every eigenvalue, count.
    # params: eps (absolute); dtype: the features are cast to it first,
    # outside the timing (default: as stored).
    a = x["a"]
    if p.get("dtype"):
        a = a.astype(np.dtype(p["dtype"]))
    eps = float(p["eps"])

    def work():
        w = np.linalg.eigvalsh(a.T @ a)
        return w, int(np.count_nonzero(w > eps))

    def check(r):
        w, count = r
        return {"count": count, "lambdaMax": float(w[-1]), "lambdaMin": float(w[0]), "dtype": str(a.dtype)}
    return work, check, None


def op_eps_rank_dual(x, p):
    # The numpy user's route for wide features (N < n): the N×N kernel
    # scale·A·Aᵀ has the non-zero eigenvalues of scale·AᵀA; eigvalsh, count.
    a = x["a"]
    eps = float(p["eps"])
    scale = float(p.get("scale", 1))

    def work():
        w = np.linalg.eigvalsh((a @ a.T) * scale)
        return w, int(np.count_nonzero(w > eps))

    def check(r):
        w, count = r
        return {"count": count, "lambdaMax": float(w[-1]), "dtype": str(a.dtype)}
    return work, check, None


def op_svdvals_batched(x, p):
    stack = x["a"]

    def check(s):
        return {"shape": list(s.shape), "firstMatrix": summary(s[0]), "sum": float(s.sum(dtype=np.float64))}
    return (lambda: np.linalg.svd(stack, compute_uv=False)), check, None


OPS = {
    "svdvals_scipy": op_svdvals_scipy,
    "svdvals_numpy": op_svdvals_numpy,
    "svd_thin": op_svd_thin,
    "gram_ata": op_gram_ata,
    "gemm_at_b": op_gemm_at_b,
    "gemm_square": op_gemm_square,
    "eigvalsh_count": op_eigvalsh_count,
    "svdvals_batched": op_svdvals_batched,
    "eps_rank_eigvalsh": op_eps_rank_eigvalsh,
    "eps_rank_dual": op_eps_rank_dual,
}


# ---- timing: the same rule as benchmarks/lib/timer.js

def measure(work, policy):
    result = None
    for _ in range(policy["warmup"]):
        result = work()
    samples, spent = [], 0.0
    gc_was_on = gc.isenabled()
    gc.disable()  # as timeit does: no collector pauses inside samples
    try:
        while len(samples) < policy["maxSamples"] and (
                len(samples) < policy["minSamples"] or spent < policy["budgetMs"]):
            t0 = time.perf_counter_ns()
            result = work()
            ms = (time.perf_counter_ns() - t0) / 1e6
            samples.append(ms)
            spent += ms
    finally:
        if gc_was_on:
            gc.enable()
    s = sorted(samples)
    mid = len(s) // 2
    med = s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
    return {"ms": med, "minMs": s[0], "maxMs": s[-1], "n": len(s), "samples": samples}, result


_loaded = {}


def load(spec):
    key = spec["path"]
    if key not in _loaded:
        dtype = DTYPES[spec["dtype"]]
        _loaded[key] = np.fromfile(spec["path"], dtype=dtype).reshape(spec["shape"])
    return _loaded[key]


def run_job(job, base_policy):
    policy = {**base_policy, **job.get("policy", {})}
    inputs = {name: load(s) for name, s in job.get("inputs", {}).items()}
    work, check, flops = OPS[job["op"]](inputs, job.get("params", {}))
    out, result = measure(work, policy)
    if check is not None:
        out["check"] = check(result)
    if flops:
        out["flops"] = flops
        out["gflops"] = flops / (out["ms"] * 1e6)
    return out


# ---- environment: what BLAS numpy really runs on

def loaded_blas_libraries():
    """Shared objects mapped into this process that look like BLAS/LAPACK."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
    except OSError:
        return []
    return sorted(p for p in paths if any(k in os.path.basename(p) for k in ("blas", "lapack", "mkl", "gfortran")))


def openblas_details(libs):
    """openblas_get_config() names the kernel set OpenBLAS picked (OPENBLAS_CORETYPE)."""
    for path in libs:
        if "openblas" not in os.path.basename(path):
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {
                "config": lib.openblas_get_config().decode(),
                "corename": lib.openblas_get_corename().decode(),
                "threads": lib.openblas_get_num_threads(),
            }
        except (OSError, AttributeError):
            continue
    return None


def blas_config():
    """threadpoolctl if present; else numpy's build-time blas_opt_info."""
    try:
        import threadpoolctl
        return {"threadpoolctl": threadpoolctl.threadpool_info()}
    except ImportError:
        pass
    try:
        return {"blas_opt_info": dict(np.__config__.blas_opt_info)}
    except AttributeError:  # numpy >= 1.25 has show_config(mode="dicts")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            np.show_config()
        return {"show_config": buf.getvalue()}


def numpy_info():
    libs = loaded_blas_libraries()
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "numpy": np.__version__,
        "scipy": scipy.__version__ if scipy else None,
        "blasLibraries": libs,
        "openblas": openblas_details(libs),
        "blasConfig": blas_config(),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS_", "OMP_", "GOTO_"))},
    }


def read_spec(argv):
    if not argv:
        return json.load(sys.stdin)
    arg = argv[0]
    if arg.lstrip().startswith("{"):
        return json.loads(arg)
    with open(arg) as f:
        return json.load(f)


DEFAULT_POLICY = {"warmup": 1, "minSamples": 5, "maxSamples": 25, "budgetMs": 1500}


def safe_run(job, base):
    try:
        return run_job(job, base)
    except Exception as e:  # one bad job must not lose the others' timings
        return {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc(limit=3)}


def serve():
    for line in sys.stdin:
        if line.strip():
            job = json.loads(line)
            print(json.dumps({"key": job["key"], **safe_run(job, DEFAULT_POLICY)}), flush=True)
    return 0


def main(argv):
    if argv[:1] == ["--probe"]:
        print(json.dumps({"numpy": numpy_info()}))
        return 0
    if argv[:1] == ["--serve"]:
        return serve()
    spec = read_spec(argv)
    base = spec.get("policy", DEFAULT_POLICY)
    results = {job["key"]: safe_run(job, base) for job in spec.get("jobs", [])}
    # numpy info last: by then every BLAS library numpy uses has been loaded.
    print(json.dumps({"numpy": numpy_info(), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
