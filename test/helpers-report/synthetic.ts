/**
 * Synthetic RankTracker logs that look like a real run: eigenvalues of the
 * hidden layers' Gram matrices emerge in bursts (modes growing from rounding
 * noise past ε), the loss drops at each burst, with measurement noise, an
 * eigenvalue hovering at ε (flicker) and tiny negative eigenvalues from
 * rounding. test/fixtures/run-small.jsonl is `syntheticRun()` serialised
 * (regenerate with EFFRANK_WRITE_FIXTURE=1 npx vitest run test/report.test.ts).
 */
import type { RankRecord } from '../../src/tfjs/options.js';
import { mulberry32 } from '../helpers/rng.js';


function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const round = (v: number) => Number(v.toPrecision(4));

export interface SyntheticOptions {
  epochs?: number;
  seed?: number;
  /** Leave out `eigenvalues`. */
  spectrum?: boolean;
  /** Multiply the burst epochs (to spread a long run). */
  stretch?: number;
  eps?: number[];
}

interface Mode {
  /** log10 of the eigenvalue before and after it emerges. */
  from: number;
  to: number;
  /** Epoch of emergence (Infinity: never). */
  at: number;
  /** Epochs over which it hovers at ε = 1e-3 before emerging. */
  hover?: [number, number];
}

function layerModes(layer: 0 | 1, bursts: number[]): Mode[] {
  const modes: Mode[] = [];
  const leading = layer === 0 ? [-0.3, -0.75, -1.2] : [-0.2, -0.6, -0.95, -1.4];
  for (const l of leading) modes.push({ from: l, to: l, at: -Infinity });
  const perBurst = layer === 0 ? [2, 2, 1, 2, 1] : [2, 3, 2, 2, 2];
  let level = -1.6;
  perBurst.forEach((k, b) => {
    for (let i = 0; i < k; i++) {
      // Deeper modes start lower; layer 2 lags layer 1 by about an epoch.
      modes.push({ from: -5.2 - 0.35 * modes.length, to: level, at: bursts[b]! + layer + 0.4 * i });
      level -= 0.12;
    }
  });
  // One mode of layer 1 sits at ε = 1e-3 for a while (flicker) before emerging with burst 4.
  if (layer === 0) modes[modes.length - 2]!.hover = [bursts[3]! - 7, bursts[3]!];
  const n = layer === 0 ? 16 : 24;
  let tail = -7.5;
  while (modes.length < n) {
    modes.push({ from: tail, to: tail, at: Infinity });
    tail -= layer === 0 ? 0.9 : 0.6;
  }
  return modes;
}

/** A run of `epochs` epochs, 2 layers, ε = 1e-3 and 1e-6, records in the tracker's order. */
export function syntheticRun(options: SyntheticOptions = {}): RankRecord[] {
  const epochs = options.epochs ?? 60;
  const stretch = options.stretch ?? epochs / 60;
  const eps = options.eps ?? [1e-3, 1e-6];
  const next = mulberry32(options.seed ?? 7);
  const bursts = [6, 17, 29, 42, 52].map((b) => b * stretch);
  const drops = [0.35, 0.3, 0.3, 0.25, 0.22];
  const layers = [
    { name: 'dense_1', modes: layerModes(0, bursts) },
    { name: 'dense_2', modes: layerModes(1, bursts) },
  ];
  const tau = 0.7 * Math.max(1, stretch);
  const records: RankRecord[] = [];
  for (let t = 0; t <= epochs; t++) {
    let logLoss = Math.log10(0.42) - 0.003 * t + 0.012 * gaussian(next);
    bursts.forEach((b, i) => (logLoss -= drops[i]! * logistic((t - b - 0.5) / (1.1 * Math.max(1, stretch)))));
    const loss = t === 0 ? null : round(10 ** logLoss);
    for (const layer of layers) {
      const values = layer.modes.map((m) => {
        let lg = m.at === Infinity ? m.from : m.from + (m.to - m.from) * logistic((t - m.at) / tau);
        if (m.hover && t >= m.hover[0] && t < m.hover[1]) lg = -3 + 0.03 * gaussian(next);
        else lg += 0.025 * gaussian(next);
        return 10 ** lg;
      });
      values.sort((a, b) => b - a);
      const eigenvalues = values.map(round);
      // float64 rounding: the smallest eigenvalue of layer 2 is sometimes a tiny negative number.
      if (layer.name === 'dense_2' && t % 3 === 0) eigenvalues[eigenvalues.length - 1] = round(-2.2e-16 * (1 + next()));
      const record: RankRecord = {
        step: t,
        epoch: t,
        loss,
        layer: layer.name,
        n: layer.modes.length,
        N: 201,
        epsRank: Object.fromEntries(eps.map((e) => [String(e), eigenvalues.filter((v) => v > e).length])),
        lambdaMax: eigenvalues[0]!,
        method: 'gram-host',
        resolved: true,
        ms: round(1.5 + 2 * next()),
        skipped: 0,
      };
      if (options.spectrum !== false) record.eigenvalues = eigenvalues;
      records.push(record);
    }
  }
  return records;
}

export function toJsonl(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
