/**
 * Issue 11, unclear errors: under a memory cap (RLIMIT_AS) an allocation
 * that fails is ERR_OUT_OF_MEMORY, not a raw RangeError ("Array buffer
 * allocation failed"). Runs in a child process that caps itself.
 */
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { lastJson, runChild } from '../workers/spawn.js';

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

describe.skipIf(!hasPrlimit)('allocation failures under a memory cap', () => {
  it('a spectrum copy and a nested-array copy that cannot be had are ERR_OUT_OF_MEMORY', async () => {
    const r = await runChild('test/hardening/round2/memory-cap-child.ts', [], { timeoutMs: 120_000 });
    expect(r.signal, r.stderr.slice(-2000)).toBeNull();
    const out = lastJson<{ prlimit: number; spectrum: { code?: string; message?: string }; nested: { code?: string } }>(r);
    expect(out.prlimit).toBe(0);
    expect(out.spectrum.code).toBe('ERR_OUT_OF_MEMORY');
    expect(out.spectrum.message).toMatch(/cannot allocate 400000000 bytes/);
    expect(out.nested.code).toBe('ERR_OUT_OF_MEMORY');
  }, 150_000);
});
