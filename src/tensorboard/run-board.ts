/**
 * A RankTracker run in TensorBoard: which tags each record becomes. Per
 * record (steps are the tracker's steps):
 *
 *   loss                       once per step, when the record has a loss
 *   eps_rank/<layer>/<ε>       one per ε (ε as in the record's keys, String(ε))
 *   lambda_max/<layer>
 *   <measure>/<layer>          each other measure the record carries (stableRank, entropyRank, …)
 *   log10_eigenvalues/<layer>  histogram of log10 λ over the positive eigenvalues, when the record has them
 *
 * and at the end (summarize) one text per layer, `staircase/<layer>`: the
 * staircase of each ε as a Markdown table, at the layer's last step.
 */
import type { Staircase } from '../analysis/staircase.js';
import type { RankRecord } from '../tfjs/options.js';
import { TensorBoardWriter } from './writer.js';

const MEASURE_KEYS = ['numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank'] as const;

/** log10 of the positive eigenvalues; zero and negative ones (rounding) have no logarithm and are left out. */
export function log10Positive(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) if (v > 0 && Number.isFinite(v)) out.push(Math.log10(v));
  return out;
}

function fmt(x: number | null): string {
  return x === null ? '—' : Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

/** The Markdown of one layer's staircases (one row per ε). */
export function staircaseMarkdown(layer: string, byEps: Record<string, Staircase>, finalRanks: Record<string, number>): string {
  const rows = Object.entries(byEps).map(([eps, s]) => {
    const jumps = s.jumps.slice(0, 12).map((j) => `${j.from}→${j.to} @${j.step}`).join(', ') + (s.jumps.length > 12 ? ', …' : '');
    return `| ${eps} | ${finalRanks[eps] ?? '—'} | ${s.stairs.length} | ${s.jumps.length} | ${jumps || '—'} | ${fmt(s.spearman)} | ${s.lossDropAtJumps === null ? '—' : `${Math.round(100 * s.lossDropAtJumps)} %`} | ${s.monotone ? 'yes' : 'no'} |`;
  });
  return [
    `**ε-rank staircase of ${layer}**`,
    '',
    '| ε | final ε-rank | stairs | jumps | jumps (from→to @step) | Spearman ρ(loss, rank) | loss drop at jumps | monotone |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export class RunBoard {
  readonly logdir: string;
  #writer: TensorBoardWriter | null = null;
  #lossSteps = new Set<number>();
  #lastStep = new Map<string, RankRecord>();

  constructor(logdir: string) {
    this.logdir = logdir;
    this.#writer = new TensorBoardWriter(logdir);
  }

  /** The event file written (the latest one, if a closed board was written to again). */
  get path(): string | undefined {
    return this.#writer?.path;
  }

  /** A record arriving after close() starts a new event file in the same logdir. */
  #open(): TensorBoardWriter {
    if (this.#writer === null || this.#writer.closed) this.#writer = new TensorBoardWriter(this.logdir);
    return this.#writer;
  }

  record(r: RankRecord): void {
    const w = this.#open();
    if (r.loss !== null && !this.#lossSteps.has(r.step)) {
      this.#lossSteps.add(r.step);
      w.scalar('loss', r.loss, r.step);
    }
    for (const [eps, count] of Object.entries(r.epsRank)) w.scalar(`eps_rank/${r.layer}/${eps}`, count, r.step);
    // null when the counts came from inertia, without eigenvalues.
    if (r.lambdaMax !== null) w.scalar(`lambda_max/${r.layer}`, r.lambdaMax, r.step);
    for (const key of MEASURE_KEYS) {
      const v = r[key];
      if (typeof v === 'number') w.scalar(`${key}/${r.layer}`, v, r.step);
    }
    if (r.eigenvalues) {
      const logs = log10Positive(r.eigenvalues);
      if (logs.length > 0) w.histogram(`log10_eigenvalues/${r.layer}`, logs, r.step);
    }
    this.#lastStep.set(r.layer, r);
    // A record at a time, as the JSONL log does: TensorBoard shows the run while it trains.
    w.flush();
  }

  /** Writes each layer's staircase summary at its last step, then flushes and closes the file. */
  summarize(staircases: Record<string, Record<string, Staircase>>): void {
    const w = this.#open();
    try {
      for (const [layer, byEps] of Object.entries(staircases)) {
        const last = this.#lastStep.get(layer);
        if (!last) continue;
        w.text(`staircase/${layer}`, staircaseMarkdown(layer, byEps, last.epsRank), last.step);
      }
    } finally {
      w.close();
    }
  }

  close(): void {
    this.#writer?.close();
  }
}
