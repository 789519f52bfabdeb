/**
 * Detects the staircase phenomenon (docs/paper.md) in a training log: the
 * ε-rank rising in plateaus ("stairs") while the loss falls. Ranks that fall
 * (a conv layer compressing, say), or fall and rise, are stairs too: jumps
 * carry their sign and `trend` says which way the series went.
 */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';

/** One measurement. Points must be sorted by strictly increasing `step`. */
export interface StaircasePoint {
  /** Training step or epoch of the measurement. */
  step: number;
  /** The rank measured then (usually an integer ε-rank; any finite number is accepted). */
  rank: number;
  /** Training loss at that step; `undefined` or `null` means not recorded. */
  loss?: number | null;
}

export interface Stair {
  /** Step of the stair's first measurement. */
  startStep: number;
  /** Step of its last measurement (inclusive). */
  endStep: number;
  rank: number;
}

export interface Jump {
  /** First step of the new stair. */
  step: number;
  from: number;
  to: number;
  /** to − from: positive where the rank rises, negative where it falls. */
  change: number;
}

/**
 * Which way the stairs go: 'flat' (no jump), 'rising' (every jump up),
 * 'falling' (every jump down) or 'mixed'.
 */
export type Trend = 'flat' | 'rising' | 'falling' | 'mixed';

export interface Staircase {
  /** Maximal runs of constant smoothed rank, in order; together they cover every measurement. */
  stairs: Stair[];
  /** One per pair of consecutive stairs. */
  jumps: Jump[];
  /** Number of measurements in each stair (not a step span, so irregular logging does not skew it). */
  plateauLengths: number[];
  /** The stair ranks never fall more than `tolerance` below their running maximum. */
  monotone: boolean;
  trend: Trend;
  /**
   * Spearman's rank correlation between loss and measured (unsmoothed) rank
   * over the points that have a loss, with average ranks for ties. null with
   * fewer than 3 such points or when either variable is constant. The paper
   * predicts a strongly negative value.
   */
  spearman: number | null;
  /**
   * Share of the total log-loss decrease log(loss_first) − log(loss_last)
   * that happens inside the windows around the jumps (see `window`). Only
   * positive losses are used. A non-monotone loss can put it outside [0, 1].
   * null with fewer than two positive losses or when the loss did not decrease.
   */
  lossDropAtJumps: number | null;
}

/**
 * Options of `detectStaircase`; all are optional.
 *
 * - `flicker` (integer ≥ 1, default 3): an excursion away from the current
 *   plateau lasting fewer than `flicker` measurements, staying within
 *   ±`tolerance` of it and then returning to it, is absorbed into the
 *   plateau. An ε-rank flickers by ±1 when an eigenvalue sits right at ε; 3
 *   absorbs excursions of 1–2 measurements while a change held for 3 counts
 *   as real. 1 disables smoothing.
 * - `tolerance` (≥ 0, default 1): the largest flicker amplitude, and the
 *   largest drop below the running maximum still called `monotone`.
 * - `minPlateau` (integer ≥ 1, default 2): stairs need this many
 *   measurements. Shorter runs are transitions and join the following stair
 *   (a rise through 4 → 5 → 6 seen once at 5 is one jump 4 → 6, a fall
 *   through 6 → 5 → 4 one jump 6 → 4); the last run is kept whatever its
 *   length, since the series may end mid-plateau. So is the first when the
 *   transition it leads lasts `minPlateau` measurements or more, since the
 *   series began there: 10, 9, …, 1 is one jump 10 → 1, while a single first
 *   measurement before a plateau (1, 3, 3, 3) joins it. Equal neighbours left
 *   by this merge are joined into one stair.
 * - `window` (integer ≥ 1, default 2): the jump into the stair starting at
 *   measurement j happens between measurements j−1 and j; its window is the
 *   `window` measurements on each side, j−window … j+window−1. The log-loss
 *   change between consecutive positive-loss measurements counts towards
 *   `lossDropAtJumps` when both lie in one window. 2 covers the jump plus
 *   one interval either side, catching a loss drop that leads or lags the
 *   recorded rank change by one measurement.
 */
export interface StaircaseOptions {
  flicker?: number;
  tolerance?: number;
  minPlateau?: number;
  window?: number;
}

/** A stair with the index of its first and last measurement. */
interface Run {
  first: number;
  last: number;
  rank: number;
}

/**
 * Finds stairs, jumps and their relation to the loss in a rank-vs-step
 * series. An empty series gives empty stairs and null statistics. O(N·flicker)
 * for the stairs; Spearman's correlation sorts, O(N log N).
 */
export function detectStaircase(series: readonly StaircasePoint[], options: StaircaseOptions = {}): Staircase {
  const { flicker, tolerance, minPlateau, window } = readOptions(options);
  checkSeries(series);
  const ranks = series.map((p) => p.rank);
  const smoothed = smooth(runsOf(ranks), flicker, tolerance);
  const stairs = mergeShort(smoothed, minPlateau);

  let runningMax = -Infinity;
  let monotone = true;
  for (const s of stairs) {
    if (s.rank < runningMax - tolerance) monotone = false;
    runningMax = Math.max(runningMax, s.rank);
  }

  const losses = series.map((p) => (p.loss === undefined || p.loss === null ? null : p.loss));
  const jumps = stairs.slice(1).map((s, i) => ({ step: series[s.first]!.step, from: stairs[i]!.rank, to: s.rank, change: s.rank - stairs[i]!.rank }));
  return {
    stairs: stairs.map((s) => ({ startStep: series[s.first]!.step, endStep: series[s.last]!.step, rank: s.rank })),
    jumps,
    plateauLengths: stairs.map((s) => s.last - s.first + 1),
    monotone,
    trend: trendOf(jumps),
    spearman: spearman(losses, ranks),
    lossDropAtJumps: lossDropAtJumps(losses, stairs.slice(1).map((s) => s.first), window),
  };
}

function readOptions(options: StaircaseOptions): Required<StaircaseOptions> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`detectStaircase: options must be an object, got ${describe(options)}`);
  }
  const { flicker = 3, tolerance = 1, minPlateau = 2, window = 2 } = options;
  for (const [name, v] of [['flicker', flicker], ['minPlateau', minPlateau], ['window', window]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw invalidArgument(`detectStaircase: ${name} must be an integer ≥ 1, got ${describe(v)}`);
    }
  }
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw invalidArgument(`detectStaircase: tolerance must be a finite number ≥ 0, got ${describe(tolerance)}`);
  }
  return { flicker, tolerance, minPlateau, window };
}

function checkSeries(series: unknown): asserts series is readonly StaircasePoint[] {
  if (!Array.isArray(series)) throw invalidArgument(`detectStaircase: series must be an array, got ${describe(series)}`);
  let previous = -Infinity;
  series.forEach((p: unknown, i) => {
    if (p === null || typeof p !== 'object') {
      throw invalidArgument(`detectStaircase: series[${i}] must be { step, rank, loss? }, got ${describe(p)}`);
    }
    const { step, rank, loss } = p as Record<string, unknown>;
    for (const [name, v] of [['step', step], ['rank', rank]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw invalidArgument(`detectStaircase: series[${i}].${name} must be a finite number, got ${describe(v)}`);
      }
    }
    if (loss !== undefined && loss !== null && (typeof loss !== 'number' || !Number.isFinite(loss))) {
      throw invalidArgument(`detectStaircase: series[${i}].loss must be a finite number, got ${describe(loss)}`);
    }
    if (!((step as number) > previous)) {
      throw invalidArgument(`detectStaircase: steps must increase strictly, but series[${i}].step = ${step} follows ${previous}`);
    }
    previous = step as number;
  });
}

/** Run-length encoding of the raw ranks. */
function runsOf(ranks: number[]): Run[] {
  const runs: Run[] = [];
  ranks.forEach((rank, i) => {
    const top = runs[runs.length - 1];
    if (top !== undefined && top.rank === rank) top.last = i;
    else runs.push({ first: i, last: i, rank });
  });
  return runs;
}

/** Absorbs short, small excursions that return to the current plateau (see `flicker`). */
function smooth(runs: Run[], flicker: number, tolerance: number): Run[] {
  const out: Run[] = [];
  let i = 0;
  while (i < runs.length) {
    const run = runs[i]!;
    const plateau = out[out.length - 1];
    if (plateau === undefined) {
      out.push({ ...run });
      i++;
      continue;
    }
    // Scan the excursion: fewer than `flicker` measurements, each within tolerance.
    let j = i;
    let length = 0;
    while (j < runs.length) {
      const r = runs[j]!;
      const n = r.last - r.first + 1;
      if (r.rank === plateau.rank || Math.abs(r.rank - plateau.rank) > tolerance || length + n >= flicker) break;
      length += n;
      j++;
    }
    const back = runs[j];
    if (j > i && back !== undefined && back.rank === plateau.rank) {
      plateau.last = back.last;
      i = j + 1;
    } else {
      out.push({ ...run });
      i++;
    }
  }
  return out;
}

/**
 * Joins runs shorter than `minPlateau` into the following run, then equal
 * neighbours. The last run always stands; the first does when the short runs
 * it leads add up to `minPlateau` measurements or more.
 */
function mergeShort(runs: Run[], minPlateau: number): Run[] {
  const length = (r: Run) => r.last - r.first + 1;
  const stands = runs.map((r, k) => k === runs.length - 1 || length(r) >= minPlateau);
  const firstStanding = stands.indexOf(true);
  if (firstStanding > 0 && runs[firstStanding - 1]!.last - runs[0]!.first + 1 >= minPlateau) stands[0] = true;
  const out: Run[] = [];
  let pendingFirst: number | null = null;
  runs.forEach((run, k) => {
    if (!stands[k]) {
      pendingFirst ??= run.first;
      return;
    }
    const stair = { first: pendingFirst ?? run.first, last: run.last, rank: run.rank };
    pendingFirst = null;
    const top = out[out.length - 1];
    if (top !== undefined && top.rank === stair.rank) top.last = stair.last;
    else out.push(stair);
  });
  return out;
}

function trendOf(jumps: readonly Jump[]): Trend {
  const up = jumps.some((j) => j.change > 0);
  const down = jumps.some((j) => j.change < 0);
  return up && down ? 'mixed' : up ? 'rising' : down ? 'falling' : 'flat';
}

/**
 * The direction of the stairs in words, for summaries: 'flat', 'rising',
 * 'falling', or the phases of a mixed series in order ('rising, then falling').
 */
export function describeTrend(s: Pick<Staircase, 'jumps'>): string {
  const jumps: unknown = (s as { jumps?: unknown } | null)?.jumps;
  if (!Array.isArray(jumps)) throw invalidArgument(`describeTrend: expected a staircase from detectStaircase, got ${describe(s)}`);
  const phases: string[] = [];
  for (const [i, j] of jumps.entries()) {
    const change = (j as { change?: unknown } | null)?.change;
    if (typeof change !== 'number' || !Number.isFinite(change) || change === 0) {
      throw invalidArgument(`describeTrend: jumps[${i}].change must be a finite non-zero number, got ${describe(change)}`);
    }
    const word = change > 0 ? 'rising' : 'falling';
    if (phases[phases.length - 1] !== word) phases.push(word);
  }
  if (phases.length === 0) return 'flat';
  if (phases.length <= 4) return phases.join(', then ');
  return `mixed (${phases.length} phases, ${phases[0]} first, ${phases[phases.length - 1]} last)`;
}

/** Spearman's ρ between loss and rank over the points that have a loss. */
function spearman(losses: (number | null)[], ranks: number[]): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  losses.forEach((l, i) => {
    if (l !== null) {
      xs.push(l);
      ys.push(ranks[i]!);
    }
  });
  if (xs.length < 3) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}

/** 1-based ranks of the values, ties sharing the mean of their positions. */
function averageRanks(values: number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const mean = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]!] = mean;
    start = end + 1;
  }
  return out;
}

function pearson(x: Float64Array, y: Float64Array): number | null {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Share of the log-loss decrease inside the jump windows (see `window`). */
function lossDropAtJumps(losses: (number | null)[], jumpStarts: number[], window: number): number | null {
  const positive: number[] = [];
  losses.forEach((l, i) => {
    if (l !== null && l > 0) positive.push(i);
  });
  if (positive.length < 2) return null;
  const logAt = (i: number) => Math.log(losses[i]!);
  const total = logAt(positive[0]!) - logAt(positive[positive.length - 1]!);
  if (!(total > 0)) return null;

  // Windows are equally wide and sorted, so the latest window opening at or
  // before a point reaches furthest: one forward sweep suffices.
  let w = -1;
  let inWindows = 0;
  for (let k = 0; k + 1 < positive.length; k++) {
    const a = positive[k]!;
    const b = positive[k + 1]!;
    while (w + 1 < jumpStarts.length && jumpStarts[w + 1]! - window <= a) w++;
    if (w >= 0 && b <= jumpStarts[w]! + window - 1) inWindows += logAt(a) - logAt(b);
  }
  return inWindows / total;
}
