/**
 * Issue 11, classes 1 and 2: ending a process or a worker while native jobs
 * run.
 *  1. process.exit(), an uncaught exception or an unhandled rejection with
 *     four 1200×1200 SVDs queued used to hang in OpenBLAS's exit-time
 *     shutdown (seen 6 in 10 on a loaded machine, 1 in 17 on a quiet one) and
 *     otherwise waited for the running SVD; the exit guard
 *     (native/threads.cpp) ends the process at once with its exit code.
 *  2. worker.terminate() during a sync call, or while failing async jobs are
 *     settled, and process.exit() with busy workers aborted the process
 *     ("terminate called after throwing an instance of 'Napi::Error'").
 * Every case runs in a child process with a timeout, several times, since
 * the old failures were races.
 */
import { describe, expect, it } from 'vitest';

import { lastJson, runChild } from '../workers/spawn.js';

describe('exit while async jobs run (issue 11, class 1)', () => {
  const expected = { exit: 3, throw: 1, reject: 1 } as const;
  for (const [how, code] of Object.entries(expected)) {
    it(`${how}: ends with exit code ${code}, every time`, async () => {
      for (const delay of [50, 150, 300, 450]) {
        const r = await runChild('test/hardening/round2/exit-busy-child.mjs', [how, String(delay)], { timeoutMs: 30_000 });
        expect(r.signal, `delay ${delay} ms: killed after ${r.ms} ms (hung)`).toBeNull();
        expect(r.code).toBe(code);
        expect(lastJson<{ queued: number }>(r).queued).toBeGreaterThanOrEqual(1);
      }
    }, 150_000);
  }
});

describe('worker termination while busy (issue 11, class 2)', () => {
  for (const [mode, what] of [
    ['sync', 'workers are inside sync calls on valid input'],
    ['failing', 'failing async jobs (ERR_NON_FINITE) are being settled'],
  ] as const) {
    it(`terminate() while ${what}`, async () => {
      const r = await runChild('test/hardening/round2/terminate-busy-child.mjs', [mode, '12'], { timeoutMs: 90_000 });
      expect(r.signal, r.stderr.slice(-2000)).toBeNull();
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      expect(lastJson<{ rounds: number }>(r).rounds).toBe(12);
    }, 120_000);
  }

  it('process.exit(5) with busy workers exits with 5', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await runChild('test/hardening/round2/terminate-busy-child.mjs', ['exit', '1'], { timeoutMs: 30_000 });
      expect(r.signal, r.stderr.slice(-2000)).toBeNull();
      expect(r.code, r.stderr.slice(-2000)).toBe(5);
    }
  }, 150_000);
});
