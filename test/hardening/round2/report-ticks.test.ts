/**
 * Issue 11, class 4: tick generation is bounded for every finite input.
 * Two-line logs with steps 1e16 and 1e16+2, one ulp apart, up to
 * Number.MAX_VALUE, and ε-rank counts near 1e16 used to spin the tick loop
 * until V8 died (SIGTRAP). Each log is rendered in a child process with a
 * timeout, so a hang fails the test instead of stalling the suite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { linearTicks, logTicks } from '../../../src/report/index.js';
import { lastJson, runChild } from '../workers/spawn.js';

const record = (step: number, rank: number, loss: number | null = 0.5) => ({
  step, epoch: 0, loss, layer: 'h1', n: 4, N: 8, epsRank: { '0.001': rank }, lambdaMax: 1, method: 'gram-host', ms: 1, skipped: 0,
});

const cases: Record<string, object[]> = {
  'steps 1e16 and 1e16+2': [record(1e16, 1), record(1e16 + 2, 2)],
  'steps one ulp apart': [record(1, 1), record(1 + Number.EPSILON, 2)],
  'steps up to MAX_VALUE': [record(0, 1), record(Number.MAX_VALUE, 2)],
  'counts near 1e16': [record(0, 1e16), record(1, 1e16 + 2)],
  'the same huge step twice': [record(2 ** 60, 3), record(2 ** 60, 3)],
  'losses from MIN_VALUE to MAX_VALUE': [record(0, 1, Number.MIN_VALUE), record(1, 2, Number.MAX_VALUE)],
};

describe('report ticks are bounded (issue 11, class 4)', () => {
  for (const [name, records] of Object.entries(cases)) {
    it(`renderReport finishes on ${name}`, async () => {
      const r = await runChild('test/hardening/round2/report-child.ts', [JSON.stringify(records)], { timeoutMs: 60_000 });
      expect(r.signal).toBeNull();
      const out = lastJson<{ bytes: number; texts: number; hasNaN: boolean }>(r);
      expect(r.code).toBe(0);
      expect(out.bytes).toBeGreaterThan(1000);
      expect(out.hasNaN).toBe(false);
    }, 90_000);
  }

  it('linearTicks: at most 1001 finite, strictly increasing ticks inside the domain, for any finite ends', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.oneof(fc.integer({ min: -5, max: 12 }), fc.constant(1e6)), (a, b, integer, ticks) => {
        const { domain, values } = linearTicks(a, b, { integer, ticks });
        expect(Number.isFinite(domain[0]) && Number.isFinite(domain[1])).toBe(true);
        expect(domain[1]).toBeGreaterThan(domain[0]);
        // Ends within 1e-9 of a step of a tick are snapped to it (as before), so allow that much.
        const slack = 1e-8 * (domain[1] / 2 - domain[0] / 2);
        expect(domain[0] - slack).toBeLessThanOrEqual(Math.min(a, b));
        expect(domain[1] + slack).toBeGreaterThanOrEqual(Math.max(a, b));
        expect(values.length).toBeGreaterThan(0);
        expect(values.length).toBeLessThanOrEqual(1001);
        expect(values.every((v, i) => Number.isFinite(v) && (i === 0 || v > values[i - 1]!))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('logTicks: finite positive domain and at most a few hundred labels, for any positive ends', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), (a, b) => {
        const { domain, exponents } = logTicks(a, b);
        expect(domain[0]).toBeGreaterThan(0);
        expect(Number.isFinite(domain[1])).toBe(true);
        expect(domain[1]).toBeGreaterThan(domain[0]);
        expect(exponents.length).toBeLessThanOrEqual(640);
      }),
      { numRuns: 2000 },
    );
  });
});
