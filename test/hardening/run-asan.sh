#!/usr/bin/env bash
# The test suite and the fuzz slice against an AddressSanitizer +
# UndefinedBehaviorSanitizer build of the addon.
#
#   test/hardening/run-asan.sh            build (incremental) and run everything
#   test/hardening/run-asan.sh --build    build only
#   test/hardening/run-asan.sh -- <vitest args>   run only what you name (e.g. test/svd.test.ts)
#
# How the sanitized addon is loaded: it is built with CMakeLists.txt's
# EFFRANK_ASAN option into build/asan/build/Release/effrank.node (beside, not
# over, the normal build), and EFFRANK_PREBUILD=build/asan points
# node-gyp-build there: node-gyp-build reads <PACKAGE_NAME>_PREBUILD and then
# loads <dir>/build/Release. No source change is needed, src/native.ts and
# the worker scripts both go through node-gyp-build.
#
# Node itself is not instrumented, so the ASan runtime must be the first
# library in the process: LD_PRELOAD=$(gcc -print-file-name=libasan.so), set
# on the node commands below and inherited by their children (vitest's forks,
# the fuzz and probe children; worker threads share their process). The UBSan
# runtime comes in as a normal dependency of the addon. UBSan is built with
# -fno-sanitize-recover and run with halt_on_error: any report fails the run.
#
# Excluded from the sanitized run: test/prebuild.test.ts (it packs and loads
# the release prebuild with PREBUILDS_ONLY, which EFFRANK_PREBUILD would
# redirect, and it runs compilers under LD_PRELOAD) and the report test that
# drives Chromium (Chromium's sandbox does not start with libasan preloaded).
# Neither exercises native code that the rest of the suite does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

if [[ "${1:-}" != "--" ]]; then
  SECONDS=0
  npx cmake-js compile --CDEFFRANK_ASAN=ON --CDCMAKE_CXX_FLAGS=-g --out build/asan/build -l warn
  echo "asan build: ${SECONDS} s"
fi
[[ "${1:-}" == "--build" ]] && exit 0
[[ "${1:-}" == "--" ]] && shift

libasan=$(gcc -print-file-name=libasan.so)
[[ -f "$libasan" ]] || { echo "libasan.so not found (gcc -print-file-name=libasan.so gave '$libasan')" >&2; exit 1; }

export EFFRANK_PREBUILD="$root/build/asan"
# LD_PRELOAD is not exported: coreutils such as `date` close stderr at exit,
# so LeakSanitizer could not even report on them and they would just abort.
# LeakSanitizer runs at every process exit. Node, V8, npm and python3 leave
# allocations behind at exit; test/hardening/lsan.supp suppresses those by
# their top frames only (malloc_context_size=8), never effrank's own.
# detect_leaks=0 since this round: LeakSanitizer's own stop-the-world tracer
# crashed at exit in the new child-process tests ("Tracer caught signal 11",
# then a fatal LSan error), in processes where no leak was reported. Leaks are
# judged by the RSS-based leak tests of the normal run; this run looks for
# memory errors (ASan) and undefined behaviour (UBSan). EFFRANK_LSAN=1 turns
# LeakSanitizer back on for a run by hand.
export ASAN_OPTIONS="detect_leaks=${EFFRANK_LSAN:-0}:malloc_context_size=8:abort_on_error=1:strict_string_checks=1:check_initialization_order=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$root/test/hardening/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# The addon that will be loaded must be the sanitized one.
LD_PRELOAD="$libasan" node -e '
  const path = require("node-gyp-build").resolve(process.cwd());
  if (!path.includes("/build/asan/")) { console.error("expected the ASan build, node-gyp-build resolved " + path); process.exit(1); }
  const addon = require(path);
  const maps = require("fs").readFileSync("/proc/self/maps", "utf8");
  if (!/libasan/.test(maps) || !/libubsan/.test(maps)) { console.error("libasan/libubsan are not mapped"); process.exit(1); }
  const s = addon.svd(Float64Array.of(3, 0, 0, 4), 2, 2, 0).s;
  console.log("sanitized addon: " + path + " (σ = " + Array.from(s) + ")");
'

SECONDS=0
status=0
if [[ $# -gt 0 ]]; then
  LD_PRELOAD="$libasan" npx vitest run "$@" || status=$?
else
  # The whole suite (the fuzz slice, test/hardening/fuzz.test.ts, is part of it).
  # Left out: tests whose subject is not the addon and whose child processes
  # (npm install, Chromium, prlimit'd users) cannot run under a preloaded libasan.
  LD_PRELOAD="$libasan" npx vitest run --exclude test/prebuild.test.ts --exclude test/report-browser.test.ts \
    --exclude test/light-install.test.ts --exclude test/watch.test.ts --exclude test/cli-conventions.test.ts \
    --exclude test/hardening/round2/thread-limit.test.ts --exclude '**/node_modules/**' || status=$?
fi
echo "asan run: ${SECONDS} s, exit ${status}"
exit "$status"
