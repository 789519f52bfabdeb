/**
 * What the report draws, computed once from the records: layers in order of
 * first appearance, each layer's records sorted by step, its ε series and
 * their staircases, and its eigenvalue spectra.
 */
import { invalidArgument } from '../core/errors.js';
import { type Staircase, type StaircaseOptions, detectStaircase } from '../analysis/staircase.js';
import type { RankRecord } from '../tfjs/options.js';
import { validateRecord } from './load-log.js';

export interface ReportOptions {
  /** Page and chart title. Default 'effrank report'. */
  title?: string;
  /** Where the records came from (a file name), shown under the title. */
  source?: string;
  /** Passed to detectStaircase for every layer and ε. */
  staircase?: StaircaseOptions;
  /**
   * Whether the log's ε were relative to λ_max (the record does not say).
   * 'auto' (default) picks whichever reproduces the recorded counts from the
   * recorded eigenvalues; without eigenvalues, absolute.
   */
  relative?: boolean | 'auto';
  /** Points per polyline before downsampling. Default 2000. */
  maxPoints?: number;
}

export interface EpsSeries {
  /** The epsRank key, as written by the tracker (String(ε)). */
  key: string;
  eps: number;
  /** Steps and ranks of the records that have this ε. */
  steps: number[];
  ranks: number[];
  staircase: Staircase;
}

export interface LayerData {
  name: string;
  /** Neurons and probe rows (of the last record). */
  n: number;
  N: number;
  records: RankRecord[];
  steps: number[];
  /** null where not recorded. */
  losses: (number | null)[];
  eps: EpsSeries[];
  /** Records that carry eigenvalues (steps ascending). */
  spectra: { step: number; lambdaMax: number; values: number[] }[];
  relative: boolean;
  methods: string[];
  /** Records dropped because an earlier one had the same step (the last one wins). */
  duplicates: number;
}

export interface ReportData {
  title: string;
  source: string | undefined;
  layers: LayerData[];
  /** x axis title: 'epoch' when every step equals its epoch, 'step (batches)' in batch mode, else 'step'. */
  xLabel: string;
  records: number;
  maxPoints: number;
}

function relativeFits(spectra: LayerData['spectra'], records: RankRecord[], keys: string[]): boolean {
  let absErr = 0;
  let relErr = 0;
  const byStep = new Map(records.map((r) => [r.step, r]));
  for (const s of spectra) {
    const r = byStep.get(s.step);
    if (!r) continue;
    for (const key of keys) {
      const count = r.epsRank[key];
      if (count === undefined) continue;
      const eps = Number(key);
      let a = 0;
      let b = 0;
      for (const v of s.values) {
        if (v > eps) a++;
        if (v > eps * s.lambdaMax) b++;
      }
      absErr += Math.abs(a - count);
      relErr += Math.abs(b - count);
    }
  }
  return relErr < absErr;
}

export function buildReportData(input: readonly RankRecord[], options: ReportOptions = {}): ReportData {
  if (!Array.isArray(input)) throw invalidArgument('records must be an array of rank records');
  if (input.length === 0) throw invalidArgument('no records to report');
  const maxPoints = options.maxPoints ?? 2000;
  if (!Number.isInteger(maxPoints) || maxPoints < 8) throw invalidArgument(`maxPoints must be an integer ≥ 8, got ${String(maxPoints)}`);
  input.forEach((r, i) => validateRecord(r, `records[${i}]`));

  const groups = new Map<string, RankRecord[]>();
  for (const r of input) {
    const g = groups.get(r.layer);
    if (g) g.push(r);
    else groups.set(r.layer, [r]);
  }

  const layers: LayerData[] = [];
  for (const [name, group] of groups) {
    // Stable sort by step; for repeated steps keep the last record written.
    const byStep = new Map<number, RankRecord>();
    for (const r of group) byStep.set(r.step, r);
    const records = [...byStep.values()].sort((a, b) => a.step - b.step);
    const keys: string[] = [];
    for (const r of records) for (const k of Object.keys(r.epsRank)) if (!keys.includes(k)) keys.push(k);
    const last = records[records.length - 1]!;
    const spectra = records
      .filter((r) => Array.isArray(r.eigenvalues) && r.eigenvalues.length > 0)
      .map((r) => ({ step: r.step, lambdaMax: r.lambdaMax ?? Math.max(0, ...r.eigenvalues!.filter((v) => v !== null)), values: r.eigenvalues!.map((v) => (v === null ? NaN : v)) }));
    const relative = options.relative === undefined || options.relative === 'auto' ? relativeFits(spectra, records, keys) : options.relative;
    const eps = keys.map((key) => {
      const rs = records.filter((r) => r.epsRank[key] !== undefined);
      const steps = rs.map((r) => r.step);
      const ranks = rs.map((r) => r.epsRank[key]!);
      const staircase = detectStaircase(
        rs.map((r) => ({ step: r.step, rank: r.epsRank[key]!, loss: r.loss })),
        options.staircase,
      );
      return { key, eps: Number(key), steps, ranks, staircase };
    });
    layers.push({
      name,
      n: last.n,
      N: last.N,
      records,
      steps: records.map((r) => r.step),
      losses: records.map((r) => r.loss),
      eps,
      spectra,
      relative,
      methods: [...new Set(records.map((r) => r.method).filter((m) => typeof m === 'string'))],
      duplicates: group.length - records.length,
    });
  }

  return {
    title: options.title ?? 'effrank report',
    source: options.source,
    layers,
    xLabel: input.some((r) => r.batch !== undefined) ? 'step (batches)' : input.every((r) => r.step === r.epoch) ? 'epoch' : 'step',
    records: input.length,
    maxPoints,
  };
}

/** A file-name-safe form of a layer name; `taken` makes it unique. */
export function slug(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|[._]+$/g, '') || 'layer';
  let s = base;
  for (let i = 2; taken.has(s); i++) s = `${base}-${i}`;
  taken.add(s);
  return s;
}
