import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { codeOf } from './helpers/expect.js';
import { describeTrend, detectStaircase, type StaircasePoint } from '../src/analysis/staircase.js';

/** Points at steps 0, 10, 20, … with the given ranks and optional losses. */
function series(ranks: number[], losses?: (number | undefined)[]): StaircasePoint[] {
  return ranks.map((rank, i) => {
    const loss = losses?.[i];
    return loss === undefined ? { step: 10 * i, rank } : { step: 10 * i, rank, loss };
  });
}

describe('detectStaircase', () => {
  it('finds exact stairs, and the loss falling only at the jumps', () => {
    const ranks = [1, 1, 1, 2, 2, 2, 3, 3, 3];
    const r = detectStaircase(series(ranks, ranks.map((k) => Math.exp(-k))));
    expect(r.stairs).toEqual([
      { startStep: 0, endStep: 20, rank: 1 },
      { startStep: 30, endStep: 50, rank: 2 },
      { startStep: 60, endStep: 80, rank: 3 },
    ]);
    expect(r.jumps).toEqual([
      { step: 30, from: 1, to: 2, change: 1 },
      { step: 60, from: 2, to: 3, change: 1 },
    ]);
    expect(r.plateauLengths).toEqual([3, 3, 3]);
    expect(r.monotone).toBe(true);
    // Loss ranks (8,8,8,5,5,5,2,2,2) are the rank ranks mirrored: ρ = −1.
    expect(r.spearman).toBeCloseTo(-1, 12);
    expect(r.lossDropAtJumps).toBeCloseTo(1, 12);
  });

  it('counts the share of log-loss decrease inside the windows', () => {
    // loss = e^{-i}: every interval drops log-loss by 1, 11 in total; jump at index 6.
    const ranks = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2];
    const losses = ranks.map((_, i) => Math.exp(-i));
    const s = series(ranks, losses);
    expect(detectStaircase(s).lossDropAtJumps).toBeCloseTo(3 / 11, 12); // indices 4..7
    expect(detectStaircase(s, { window: 1 }).lossDropAtJumps).toBeCloseTo(1 / 11, 12); // indices 5..6
    expect(detectStaircase(s, { window: 6 }).lossDropAtJumps).toBeCloseTo(11 / 11, 12); // clipped to 0..11
    // Windows clipped at both ends; two jumps whose windows overlap are not counted twice.
    const two = series([1, 1, 2, 2, 3, 3, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8].map((i) => Math.exp(-i)));
    expect(detectStaircase(two, { window: 2 }).lossDropAtJumps).toBeCloseTo(5 / 7, 12); // indices 0..5
  });

  it('skips missing and non-positive losses in lossDropAtJumps', () => {
    // Positive losses at indices 0, 2, 5, 7 → intervals (0,2), (2,5), (5,7); jump at index 4, window 2 → 2..5.
    const losses = [8, undefined, 4, 0, undefined, 1, -1, 0.5];
    const r = detectStaircase(series([1, 1, 1, 1, 2, 2, 2, 2], losses));
    expect(r.lossDropAtJumps).toBeCloseTo(Math.log(4) / Math.log(16), 12);
  });

  it('ignores ±1 flicker shorter than `flicker` measurements', () => {
    const ranks = [3, 3, 3, 4, 3, 3, 3, 2, 3, 3, 4, 4, 3, 3, 4, 4, 4, 4, 5, 4, 4, 4];
    const r = detectStaircase(series(ranks));
    expect(r.stairs).toEqual([
      { startStep: 0, endStep: 130, rank: 3 },
      { startStep: 140, endStep: 210, rank: 4 },
    ]);
    expect(r.jumps).toEqual([{ step: 140, from: 3, to: 4, change: 1 }]);
    expect(r.plateauLengths).toEqual([14, 8]);
  });

  it('keeps an excursion of `flicker` measurements or more', () => {
    const ranks = [3, 3, 3, 4, 4, 4, 3, 3, 3];
    const r = detectStaircase(series(ranks));
    expect(r.stairs.map((s) => s.rank)).toEqual([3, 4, 3]);
    expect(r.monotone).toBe(true); // the drop of 1 is within tolerance
    expect(detectStaircase(series(ranks), { tolerance: 0 }).monotone).toBe(false);
    // flicker = 4 absorbs the 3-long excursion; flicker = 1 disables smoothing.
    expect(detectStaircase(series(ranks), { flicker: 4 }).stairs.map((s) => s.rank)).toEqual([3]);
    expect(detectStaircase(series([3, 3, 4, 3, 3]), { flicker: 1, minPlateau: 1 }).stairs.map((s) => s.rank)).toEqual([
      3, 4, 3,
    ]);
  });

  it('recovers stairs from a noisy log', () => {
    // Three plateaus of 20 measurements with 1- and 2-long ±1 flicker, including at the edges of a plateau.
    const ranks = [
      ...[2, 2, 3, 2, 2, 2, 1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 2, 2, 3, 2],
      ...[5, 5, 5, 4, 5, 5, 5, 6, 5, 5, 5, 5, 4, 4, 5, 5, 5, 5, 5, 5],
      ...[8, 8, 7, 8, 8, 8, 8, 9, 8, 8, 8, 8, 8, 7, 8, 9, 8, 8, 8, 8],
    ];
    const losses = ranks.map((_, i) => 1 / (1 + i) ** 2);
    const r = detectStaircase(series(ranks, losses));
    expect(r.stairs).toEqual([
      { startStep: 0, endStep: 190, rank: 2 },
      { startStep: 200, endStep: 390, rank: 5 },
      { startStep: 400, endStep: 590, rank: 8 },
    ]);
    expect(r.plateauLengths).toEqual([20, 20, 20]);
    expect(r.monotone).toBe(true);
    expect(r.spearman!).toBeLessThan(-0.8);
  });

  it('treats short runs as transitions into the next stair', () => {
    const r = detectStaircase(series([4, 4, 4, 5, 6, 6, 6]));
    expect(r.stairs).toEqual([
      { startStep: 0, endStep: 20, rank: 4 },
      { startStep: 30, endStep: 60, rank: 6 },
    ]);
    expect(r.jumps).toEqual([{ step: 30, from: 4, to: 6, change: 2 }]);
    // With minPlateau = 1 the single 5 is a stair of its own.
    expect(detectStaircase(series([4, 4, 4, 5, 6, 6, 6]), { minPlateau: 1 }).plateauLengths).toEqual([3, 1, 3]);
    // A large one-point spike is not flicker but is too short to be a stair; the equal neighbours join.
    expect(detectStaircase(series([5, 5, 5, 9, 5, 5, 5])).stairs).toEqual([{ startStep: 0, endStep: 60, rank: 5 }]);
    // A short leading run joins the first stair; a short trailing run is kept.
    expect(detectStaircase(series([1, 3, 3, 3])).stairs).toEqual([{ startStep: 0, endStep: 30, rank: 3 }]);
    expect(detectStaircase(series([3, 3, 3, 5])).jumps).toEqual([{ step: 30, from: 3, to: 5, change: 2 }]);
  });

  it('reports a constant series as one stair with no jumps', () => {
    const r = detectStaircase(series(new Array(10).fill(7), [5, 4, 3, 2, 1, 1, 1, 1, 1, 1]));
    expect(r.stairs).toEqual([{ startStep: 0, endStep: 90, rank: 7 }]);
    expect(r.jumps).toEqual([]);
    expect(r.plateauLengths).toEqual([10]);
    expect(r.monotone).toBe(true);
    expect(r.spearman).toBeNull(); // rank has zero variance
    expect(r.lossDropAtJumps).toBe(0); // loss fell, none of it at a jump
  });

  it('reports a decreasing staircase as not monotone', () => {
    const ranks = [9, 9, 9, 8, 8, 8, 7, 7, 7, 6, 6, 6];
    const r = detectStaircase(series(ranks, ranks.map((k) => k / 10)));
    expect(r.stairs.map((s) => s.rank)).toEqual([9, 8, 7, 6]);
    expect(r.jumps.map((j) => j.step)).toEqual([30, 60, 90]);
    expect(r.monotone).toBe(false); // 7 is 2 below the running maximum 9
    expect(r.spearman).toBeCloseTo(1, 12);
    expect(r.lossDropAtJumps).toBeCloseTo(1, 12);
    // Each drop of 1 is tolerated on its own, but not the accumulated fall.
    expect(detectStaircase(series([9, 9, 9, 8, 8, 8])).monotone).toBe(true);
  });

  it('computes Spearman with average ranks for ties', () => {
    // Loss ranks (4, 2.5, 2.5, 1), rank ranks (1, 3, 3, 3): ρ = −3/√(4.5·3) = −√(2/3).
    const r = detectStaircase(series([1, 2, 2, 2], [0.5, 0.4, 0.4, 0.1]));
    expect(r.spearman).toBeCloseTo(-Math.sqrt(2 / 3), 12);
  });

  it('returns null statistics without enough loss information', () => {
    expect(detectStaircase(series([1, 1, 2, 2])).spearman).toBeNull();
    expect(detectStaircase(series([1, 1, 2, 2])).lossDropAtJumps).toBeNull();
    expect(detectStaircase(series([1, 1, 2, 2], [3, undefined, 1, undefined])).spearman).toBeNull(); // 2 points
    expect(detectStaircase(series([1, 2, 3], [1, 1, 1])).spearman).toBeNull(); // constant loss
    expect(detectStaircase(series([1, 1, 2, 2], [1, 2, 3, 4])).lossDropAtJumps).toBeNull(); // loss rose
    expect(detectStaircase(series([1, 1, 2, 2], [0, -1, 2, 0])).lossDropAtJumps).toBeNull(); // one positive loss
    expect(detectStaircase([{ step: 0, rank: 1, loss: null }, { step: 1, rank: 1, loss: null }]).spearman).toBeNull();
  });

  it('returns an empty result for an empty series and one stair for one point', () => {
    expect(detectStaircase([])).toEqual({
      stairs: [],
      jumps: [],
      plateauLengths: [],
      monotone: true,
      trend: 'flat',
      spearman: null,
      lossDropAtJumps: null,
    });
    expect(detectStaircase([{ step: 5, rank: 2, loss: 1 }]).stairs).toEqual([{ startStep: 5, endStep: 5, rank: 2 }]);
  });

  it('rejects invalid series and options with ERR_INVALID_ARGUMENT', () => {
    const bad: unknown[] = [
      null,
      'abc',
      { step: 0, rank: 1 },
      [null],
      [{ step: 0 }],
      [{ step: 0, rank: NaN }],
      [{ step: Infinity, rank: 1 }],
      [{ step: 0, rank: '1' }],
      [{ step: 0, rank: 1, loss: NaN }],
      [{ step: 0, rank: 1, loss: '0.1' }],
      [{ step: 0, rank: 1 }, { step: 0, rank: 1 }],
      [{ step: 2, rank: 1 }, { step: 1, rank: 1 }],
    ];
    for (const s of bad) expect(codeOf(() => detectStaircase(s as StaircasePoint[]))).toBe('ERR_INVALID_ARGUMENT');
    const badOptions: unknown[] = [
      null,
      [],
      { flicker: 0 },
      { flicker: 1.5 },
      { minPlateau: 0 },
      { minPlateau: NaN },
      { window: 0 },
      { window: '2' },
      { tolerance: -1 },
      { tolerance: Infinity },
    ];
    for (const o of badOptions) {
      expect(codeOf(() => detectStaircase(series([1, 2]), o as never))).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('property: stairs partition the series into runs of distinct consecutive ranks', () => {
    const opts = fc.record({
      flicker: fc.integer({ min: 1, max: 5 }),
      minPlateau: fc.integer({ min: 1, max: 4 }),
      tolerance: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 60 }), opts, (ranks, o) => {
        const r = detectStaircase(series(ranks), o);
        const n = r.plateauLengths.reduce((a, b) => a + b, 0);
        if (n !== ranks.length || r.jumps.length !== Math.max(0, r.stairs.length - 1)) return false;
        let index = 0;
        return r.stairs.every((s, k) => {
          const ok = s.startStep === 10 * index && s.endStep === 10 * (index + r.plateauLengths[k]! - 1);
          index += r.plateauLengths[k]!;
          const j = r.jumps[k - 1];
          return ok && (k === 0 || (j!.from === r.stairs[k - 1]!.rank && j!.to === s.rank && j!.from !== j!.to));
        });
      }),
    );
  });

  it('property: without smoothing the stairs are the runs of the raw ranks; non-decreasing ranks are monotone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 60 }), (ranks) => {
        const r = detectStaircase(series(ranks), { flicker: 1, minPlateau: 1, tolerance: 0 });
        const runs = ranks.filter((x, i) => i === 0 || x !== ranks[i - 1]);
        const sorted = [...ranks].sort((a, b) => a - b);
        const rs = detectStaircase(series(sorted), { tolerance: 0 });
        return JSON.stringify(r.stairs.map((s) => s.rank)) === JSON.stringify(runs) && rs.monotone;
      }),
    );
  });
});

/**
 * An independent reference for series without flicker (every change larger
 * than the tolerance), written point by point: each measurement takes the
 * rank of the first run at or after it that stands (long enough, the last, or
 * the first when it leads a transition of ≥ minPlateau measurements); stairs
 * are the runs of those labels.
 */
function referenceStaircase(ranks: number[], minPlateau: number, tolerance: number) {
  const runOf: number[] = [];
  const runs: { start: number; end: number; rank: number }[] = [];
  ranks.forEach((rank, i) => {
    if (i > 0 && rank === ranks[i - 1]) runs[runs.length - 1]!.end = i;
    else runs.push({ start: i, end: i, rank });
    runOf.push(runs.length - 1);
  });
  const stands = runs.map((r, k) => k === runs.length - 1 || r.end - r.start + 1 >= minPlateau);
  const lead = stands.indexOf(true);
  if (lead > 0 && runs[lead]!.start >= minPlateau) stands[0] = true;
  const label = ranks.map((_, i) => {
    let k = runOf[i]!;
    while (!stands[k]) k++;
    return runs[k]!.rank;
  });
  const stairs: { startStep: number; endStep: number; rank: number }[] = [];
  label.forEach((rank, i) => {
    if (i > 0 && rank === label[i - 1]) stairs[stairs.length - 1]!.endStep = 10 * i;
    else stairs.push({ startStep: 10 * i, endStep: 10 * i, rank });
  });
  const jumps = stairs.slice(1).map((s, k) => ({ step: s.startStep, from: stairs[k]!.rank, to: s.rank, change: s.rank - stairs[k]!.rank }));
  let monotone = true;
  for (let k = 1; k < stairs.length; k++) {
    const highest = Math.max(...stairs.slice(0, k).map((s) => s.rank));
    if (stairs[k]!.rank < highest - tolerance) monotone = false;
  }
  const ups = jumps.filter((j) => j.to > j.from).length;
  const downs = jumps.length - ups;
  const trend = jumps.length === 0 ? 'flat' : ups === 0 ? 'falling' : downs === 0 ? 'rising' : 'mixed';
  return { stairs, jumps, monotone, trend };
}

/** A random step series: plateaus of 1–5 measurements, each change of either sign and larger than `tolerance`. */
const stepSeries = fc.integer({ min: 0, max: 2 }).chain((tolerance) =>
  fc.record({
    tolerance: fc.constant(tolerance),
    start: fc.integer({ min: 0, max: 50 }),
    plateaus: fc.array(
      fc.record({ length: fc.integer({ min: 1, max: 5 }), size: fc.integer({ min: tolerance + 1, max: tolerance + 4 }), up: fc.boolean() }),
      { minLength: 1, maxLength: 15 },
    ),
    minPlateau: fc.integer({ min: 1, max: 4 }),
    flicker: fc.integer({ min: 1, max: 5 }),
  }),
);

function ranksOf(start: number, plateaus: { length: number; size: number; up: boolean }[]): number[] {
  const out: number[] = [];
  let rank = start;
  plateaus.forEach((p, k) => {
    if (k > 0) rank += p.up ? p.size : -p.size;
    for (let i = 0; i < p.length; i++) out.push(rank);
  });
  return out;
}

describe('detectStaircase on ranks that fall', () => {
  it('reports a steady fall as stairs going down, not one monotone stair', () => {
    const r = detectStaircase(series([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]));
    expect(r.stairs).toEqual([
      { startStep: 0, endStep: 0, rank: 10 },
      { startStep: 10, endStep: 90, rank: 1 },
    ]);
    expect(r.jumps).toEqual([{ step: 10, from: 10, to: 1, change: -9 }]);
    expect(r.monotone).toBe(false);
    expect(r.trend).toBe('falling');
    expect(describeTrend(r)).toBe('falling');
  });

  it('finds falling plateaus with negative jumps, like a conv layer compressing', () => {
    const ranks = [142, 142, 142, 120, 120, 120, 95, 95, 67, 67, 67];
    const r = detectStaircase(series(ranks, ranks.map((_, i) => 1 / (i + 1))));
    expect(r.stairs.map((s) => s.rank)).toEqual([142, 120, 95, 67]);
    expect(r.jumps.map((j) => j.change)).toEqual([-22, -25, -28]);
    expect(r.monotone).toBe(false);
    expect(r.trend).toBe('falling');
    // Rank and loss fall together; the ties within plateaus keep ρ just below 1.
    expect(r.spearman!).toBeGreaterThan(0.95);
  });

  it('describes a series that rises, then falls, then rises', () => {
    const r = detectStaircase(series([2, 2, 2, 6, 6, 6, 3, 3, 3, 8, 8, 8]));
    expect(r.jumps.map((j) => j.change)).toEqual([4, -3, 5]);
    expect(r.trend).toBe('mixed');
    expect(r.monotone).toBe(false);
    expect(describeTrend(r)).toBe('rising, then falling, then rising');
    expect(detectStaircase(series([5, 5, 5])).trend).toBe('flat');
    expect(describeTrend(detectStaircase(series([1, 1, 4, 4, 9, 9])))).toBe('rising');
    for (const bad of [null, {}, { jumps: 3 }, { jumps: [{ change: 0 }] }, { jumps: [{ change: NaN }] }, { jumps: [null] }]) {
      expect(codeOf(() => describeTrend(bad as never))).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('property: equals an independent reference on random step series', () => {
    fc.assert(
      fc.property(stepSeries, ({ tolerance, start, plateaus, minPlateau, flicker }) => {
        const ranks = ranksOf(start, plateaus);
        const got = detectStaircase(series(ranks), { tolerance, minPlateau, flicker });
        const want = referenceStaircase(ranks, minPlateau, tolerance);
        expect(got.stairs).toEqual(want.stairs);
        expect(got.jumps).toEqual(want.jumps);
        expect(got.monotone).toBe(want.monotone);
        expect(got.trend).toBe(want.trend);
        expect(got.plateauLengths.reduce((a, b) => a + b, 0)).toBe(ranks.length);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a series mirrored (rank → −rank) has mirrored jumps and the opposite trend', () => {
    fc.assert(
      fc.property(stepSeries, ({ start, plateaus, minPlateau }) => {
        const ranks = ranksOf(start, plateaus);
        const up = detectStaircase(series(ranks), { minPlateau, tolerance: 0 });
        const down = detectStaircase(series(ranks.map((r) => -r)), { minPlateau, tolerance: 0 });
        expect(down.jumps.map((j) => -j.change)).toEqual(up.jumps.map((j) => j.change));
        const opposite = { rising: 'falling', falling: 'rising', mixed: 'mixed', flat: 'flat' } as const;
        expect(down.trend).toBe(opposite[up.trend]);
      }),
    );
  });
});
