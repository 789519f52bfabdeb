/**
 * Issue 11, class 11 and the unclear errors: every user value is read once
 * (a getter cannot pass validation with one value and be used with another),
 * a throwing getter is ERR_INVALID_ARGUMENT rather than a raw TypeError, a
 * weight that changes after validation cannot reach the computation, and a
 * huge sparse nested array is refused before anything large is allocated.
 * Runs in a child process with a timeout.
 */
import { describe, expect, it } from 'vitest';

import { lastJson, runChild } from '../workers/spawn.js';

interface Outcome { value?: unknown; code?: string; raw?: string }

describe('user values are read once (issue 11, class 11)', () => {
  it('spectra, weights and nested arrays behind getters', async () => {
    const r = await runChild('test/hardening/round2/read-once-child.ts', [], { timeoutMs: 60_000 });
    expect(r.signal).toBeNull();
    const out = lastJson<Record<string, Outcome | number>>(r);
    // [1, 0.5 then 0]: the participation ratio of what was validated, (1.5)²/1.25.
    expect((out.prChanging as Outcome).value).toBeCloseTo(1.8, 14);
    expect(out.prChangingReads).toBe(1);
    expect(out.prNaNThenZero).toEqual({ code: 'ERR_NON_FINITE' });
    expect(out.throwingGetter).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
    expect(out.throwingValues).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
    // Matrices: a revoked Proxy as the matrix or its data, a throwing getter.
    expect(out.revokedMatrix).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
    expect(out.revokedData).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
    expect(out.throwingRows).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
    // Weights [1, 1, 1 then −1]: the Gram of the validated weights, [[35, 44], [44, 56]].
    expect(out.changingWeight).toEqual({ value: [35, 44, 44, 56] });
    expect((out.sparseNested as Outcome).code).toMatch(/^ERR_(INVALID_ARGUMENT|OUT_OF_MEMORY)$/);
    expect(out.sparseRssMiB as number).toBeLessThan(512);
  }, 90_000);
});
