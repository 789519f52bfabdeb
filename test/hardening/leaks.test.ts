/**
 * Leaks: 10 000 sync and 10 000 async calls of each heavy function on 64×32
 * matrices (32×32 for the symmetric ones) in a child process started with
 * --expose-gc; after a warm-up, the RSS after forced GCs must grow by less
 * than 20 MB per function (and in total). A leak of 1 KB per call would
 * show as 20 MB. See workers/leak-child.ts.
 */
import { describe, expect, it } from 'vitest';

import { lastJson, runChild } from './workers/spawn.js';

interface LeakReport {
  calls: number;
  startMB: number;
  endMB: number;
  results: Record<string, { before: number; after: number; growthMB: number; heapGrowthMB: number; ms: number }>;
}

const CALLS = Number(process.env.LEAK_CALLS ?? 10_000);
// Under AddressSanitizer (test/hardening/run-asan.sh) freed memory sits in ASan's
// quarantine, so RSS says nothing about leaks; LeakSanitizer checks the child at
// its exit instead (a leak makes it abort), and the calls still run under ASan.
const underAsan = /libasan/.test(process.env.LD_PRELOAD ?? '');

describe('no leaks', () => {
  it(
    `${CALLS} sync + ${CALLS} async calls of svd, eigh, gram, countEigenvaluesAbove, svdvalsBatched, epsRank: RSS grows < 20 MB`,
    async () => {
      const r = await runChild('test/hardening/workers/leak-child.ts', [String(CALLS)], { gc: true, timeoutMs: 600_000 });
      const report = lastJson<LeakReport>(r);
      expect(r.code, r.stderr).toBe(0);
      const lines = Object.entries(report.results).map(
        ([name, x]) => `  ${name.padEnd(22)} RSS ${x.before.toFixed(1)} → ${x.after.toFixed(1)} MB (${x.growthMB >= 0 ? '+' : ''}${x.growthMB.toFixed(2)} MB, heap ${x.heapGrowthMB >= 0 ? '+' : ''}${x.heapGrowthMB.toFixed(2)} MB) in ${x.ms} ms`,
      );
      console.log(`leaks: ${report.calls} sync + ${report.calls} async calls per function${underAsan ? ' (ASan: RSS not checked, LeakSanitizer checked the exit)' : ''}\n${lines.join('\n')}`);
      expect(Object.keys(report.results).sort()).toEqual(['countEigenvaluesAbove', 'eigh', 'epsRank', 'gram', 'svd', 'svdvalsBatched']);
      if (underAsan) return;
      let total = 0;
      for (const [name, x] of Object.entries(report.results)) {
        expect(x.growthMB, `${name}: RSS growth after warm-up`).toBeLessThan(20);
        total += x.growthMB;
      }
      expect(total, 'RSS growth summed over the six functions').toBeLessThan(20);
    },
    700_000,
  );
});
