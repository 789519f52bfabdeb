// Median-of-N timing. The same policy object is sent to reference.py, so
// effrank, peers and numpy are all sampled by one rule.

/**
 * warmup: untimed calls first (thread-pool start-up, page faults, JIT).
 * Then at least minSamples and at most maxSamples timed calls, stopping once
 * budgetMs of timed work has been spent: cheap cases get many samples, a
 * multi-second case gets minSamples.
 * rounds: the samples are split into this many alternating rounds (numpy,
 * effrank, numpy, effrank, …). This machine has phases of a second or more
 * where everything runs at half speed; alternating spreads them over both sides.
 */
export const POLICIES = {
  full: { warmup: 1, minSamples: 6, maxSamples: 24, budgetMs: 1500, rounds: 6 },
  quick: { warmup: 1, minSamples: 2, maxSamples: 6, budgetMs: 300, rounds: 2 },
};

/** A case's override (e.g. { minSamples: 3 } for a heavy case) on top of the run's policy. */
export function mergePolicy(base, override) {
  const p = { ...base, ...override };
  p.minSamples = Math.min(p.minSamples, p.maxSamples);
  p.rounds = Math.max(1, Math.min(p.rounds ?? 1, p.maxSamples));
  return p;
}

/** Round i's share of a policy: warm up in the first round only. */
export function roundPolicy(p, i) {
  return {
    warmup: i === 0 ? p.warmup : 0,
    minSamples: Math.ceil(p.minSamples / p.rounds),
    maxSamples: Math.ceil(p.maxSamples / p.rounds),
    budgetMs: p.budgetMs / p.rounds,
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Summary kept in the results: the median is what ratios use. */
export function summarize(samplesMs) {
  return {
    ms: median(samplesMs),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
    n: samplesMs.length,
    samples: samplesMs.map((x) => Math.round(x * 1000) / 1000),
  };
}

/**
 * Times fn (sync, or returning a promise) under policy. Returns the summary
 * plus `result`, the last call's return value, for correctness checks.
 */
export async function measure(fn, policy) {
  let result;
  for (let i = 0; i < policy.warmup; i++) [, result] = await timeOnce(fn);
  const samples = [];
  let spent = 0;
  while (samples.length < policy.maxSamples && (samples.length < policy.minSamples || spent < policy.budgetMs)) {
    let ms;
    [ms, result] = await timeOnce(fn);
    samples.push(ms);
    spent += ms;
  }
  return { ...summarize(samples), result };
}

// Only real promises are awaited inside the timed span, so a sync call's
// time holds no microtask hop.
async function timeOnce(fn) {
  const t0 = process.hrtime.bigint();
  let result = fn();
  if (result && typeof result.then === 'function') result = await result;
  return [Number(process.hrtime.bigint() - t0) / 1e6, result];
}
