// Peak memory of one epsRank call, in a fresh process. Spawned by
// memory.bench.js as
//   node --expose-gc peak-rss-child.js '{"rows","cols","dtype","seed","eps","method"?}'
// and prints one JSON line. Linux only: reads /proc/self/status and resets
// the peak (VmHWM) by writing "5" to /proc/self/clear_refs.
//
// Measured: peak whole-process RSS during the call − RSS just before it, with
// the input allocated and garbage collected. Everything the call touches
// counts: native buffers, OpenBLAS work space, JS results.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomMatrix } from './random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// The same rule as run.js: EFFRANK_BENCH_MODULE or the repository's dist/.
const MODULE = process.env.EFFRANK_BENCH_MODULE || join(HERE, '..', '..', 'dist', 'index.js');
const KB = 1024;

/** VmRSS and VmHWM in bytes. */
function status() {
  const text = readFileSync('/proc/self/status', 'utf8');
  const field = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1]) * KB;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Resets VmHWM to the current RSS; true when the kernel took it (it did if HWM ≈ RSS now). */
function resetPeak() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    return false;
  }
  const s = status();
  return s.hwm - s.rss <= 256 * KB;
}

function settle() {
  global.gc();
  global.gc();
}

/** One measured call: baseline RSS, peak RSS during fn, peak − baseline. */
function measureCall(fn) {
  settle();
  const baseline = process.memoryUsage().rss;
  const reset = resetPeak();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const after = status();
  return { baseline, peak: after.hwm, delta: after.hwm - baseline, ms, reset, result };
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const start = status();
  const fx = await import(pathToFileURL(MODULE).href);
  // Load the addon and start the BLAS threads on a tiny problem, so the
  // baseline is a process that has effrank loaded; the large call's own
  // work space is what gets measured.
  const tiny = randomMatrix(64, 16, spec.dtype, 1);
  fx.epsRankDetailed(tiny, { eps: 1e-3, method: spec.method });
  const loaded = status();

  const a = randomMatrix(spec.rows, spec.cols, spec.dtype, spec.seed);
  const options = { eps: spec.eps, ...(spec.method ? { method: spec.method } : {}), ...(spec.scale ? { scale: spec.scale } : {}) };
  const call = () => {
    const d = fx.epsRankDetailed(a, options);
    return { method: d.method, count: d.counts[0], dtype: d.dtype };
  };
  const first = measureCall(call); // first large call in the process
  const second = measureCall(call); // the same again: what a repeated call costs
  const out = {
    spec,
    module: MODULE,
    inputBytes: a.data.byteLength,
    rssAtStart: start.rss,
    rssLoaded: loaded.rss,
    first,
    second,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exitCode = 1;
});
