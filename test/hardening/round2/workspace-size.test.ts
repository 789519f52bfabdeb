/**
 * Issue 11, class 10: LAPACK workspace sizes reported through a float32
 * work[0] are rounded up safely. `eigh` with vectors of a float32 matrix of
 * order ≥ 8194 failed with ERR_INTERNAL because ssyevd reported a size below
 * its own minimum. The full n = 8194 run (268 MB per matrix, minutes on two
 * cores) is too heavy for CI and was run by hand (docs/reliability.md); here
 * the rounding function itself is compiled and checked against 2·10⁶ sizes
 * and ssyevd's real query at n = 8194, in a child process with a timeout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../workers/spawn.js';

const includeDirs = ['/usr/include/x86_64-linux-gnu/openblas-pthread', '/usr/include/openblas', '/usr/include'].filter((d) => existsSync(join(d, 'cblas.h')));

describe('LAPACK workspace queries round up (issue 11, class 10)', () => {
  it('queriedSize covers every integer a float32 or float64 work[0] can stand for, and ssyevd n = 8194', () => {
    const dir = mkdtempSync(join(tmpdir(), 'effrank-ws-'));
    try {
      const exe = join(dir, 'workspace-size');
      execFileSync('g++', ['-std=c++17', '-O1', `-I${includeDirs[0]}`, '-o', exe, join(repoRoot, 'test/hardening/round2/workspace-size.cpp'), join(repoRoot, 'native/errors.cpp'), '-llapacke', '-lopenblas'], { stdio: 'pipe', timeout: 120_000 });
      const run = spawnSync(exe, { timeout: 60_000, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
      expect(run.signal).toBeNull();
      expect(run.status).toBe(0);
      const r = JSON.parse(run.stdout.trim()) as Record<string, number | boolean>;
      expect(r.checked).toBe(2_000_000);
      expect(r.belowFloat).toBeGreaterThan(10_000); // float32 really rounds many sizes down…
      expect(r.short32).toBe(0); // …and none comes back short
      expect(r.short64).toBe(0);
      expect(r.refused).toBe(true); // 3e9 > 2³¹ − 1: ERR_OUT_OF_MEMORY, not a wrapped size
      expect(r.info).toBe(0);
      expect(r.syevdRaw as number).toBeLessThan(r.syevdMinimum as number); // the bug: LAPACK's own float is short
      expect(r.syevdRounded as number).toBeGreaterThanOrEqual(r.syevdMinimum as number);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
