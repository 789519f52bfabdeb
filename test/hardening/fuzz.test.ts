/**
 * The fuzz slice that runs with `npm test`: every exported entry point of
 * src/index.ts (sync and async), the compat adapters, GramAccumulator.fromBuffer
 * and the file readers, FUZZ_RUNS cases each (default 1000), with a seed that
 * rotates daily (or per CI run: see test/fuzz/run.ts). The fuzz runs in
 * child processes, so a crash (a signal, or an exit without a complete
 * report) fails this test and names the target it died in instead of taking
 * vitest down. `npm run test:fuzz` is the same with 10 000 cases each.
 */
import { availableParallelism } from 'node:os';

import { describe, expect, it } from 'vitest';

import { defaultSeed, runFuzz, summary } from '../fuzz/run.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = defaultSeed();
// Two shards at most: vitest runs other test files beside this one.
const shards = Number(process.env.FUZZ_SHARDS ?? Math.min(2, availableParallelism()));

describe('fuzzing every entry point in a child process', () => {
  it(
    `${runs} cases per entry point (seed ${seed}): a valid result or a documented EffrankError, never a crash`,
    async () => {
      const result = await runFuzz({ runs, seed, shards, skip: process.env.FUZZ_SKIP, timeoutMs: 60_000 + runs * 400 });
      console.log(summary(result));
      expect(result.problems, `${result.problems.join('\n\n')}\n\nReproduce: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_ONLY='<target>' npm run test:fuzz`).toEqual([]);
      expect(result.missing).toEqual([]);
      expect(result.targets.length).toBeGreaterThanOrEqual(40);
      for (const t of result.targets) {
        expect(t.numRuns, t.name).toBe(runs);
        // Huge shapes are refused before allocating: no single call may take long.
        expect(t.maxCallMs, `${t.name}: slowest call`).toBeLessThan(5_000);
      }
    },
    // Generous: the child enforces its own timeout, and ASan runs are slower.
    30 * 60_000,
  );
});
