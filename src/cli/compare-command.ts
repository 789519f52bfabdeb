/**
 * `effrank compare`: the same task under several training setups, staircases
 * side by side. It mirrors the paper's claim that better methods reach a high
 * ε-rank sooner and skip stairs.
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-file.js';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

import { loadTf } from '../train/backend.js';
import { type RunOptions, type RunResult, trainTracked } from '../train/run.js';
import { renderComparison } from './compare-report.js';
import { type TrainingFlags, addTrainingOptions, positiveInt, positiveNumber, runOptionsFrom } from './demo-command.js';
import { epochProgress } from './progress.js';

export interface Setup {
  name: string;
  describe: string;
  apply: (o: RunOptions) => RunOptions;
}

export const SETUPS: Setup[] = [
  { name: 'adam', describe: 'Adam, default (Glorot) initialisation', apply: (o) => ({ ...o, optimizer: 'adam', lr: 1e-3 }) },
  { name: 'sgd', describe: 'SGD, default initialisation', apply: (o) => ({ ...o, optimizer: 'sgd', lr: 0.05 }) },
  {
    name: 'adam+structured',
    describe: 'Adam, structured first layer (ε-independent by construction)',
    apply: (o) => ({ ...o, optimizer: 'adam', lr: 1e-3, init: 'structured' }),
  },
  {
    name: 'adam+pretrain',
    describe: 'Adam, first layer pre-trained to decorrelate its neurons',
    apply: (o) => ({ ...o, optimizer: 'adam', lr: 1e-3, pretrainSteps: 300 }),
  },
];

export interface ComparisonRow {
  setup: string;
  describe: string;
  epochsToLoss: number | null;
  epochsToRank: number | null;
  finalLoss: number;
  stairs: number;
  finalRank: number;
  firstLayerRankAtStart: number;
  seconds: number;
}

export function compareRows(results: Array<{ setup: Setup; result: RunResult }>, targetLoss: number, targetRank: number, eps: string): ComparisonRow[] {
  return results.map(({ setup, result }) => {
    const last = result.records.filter((r) => r.layer === result.lastLayer);
    const firstLayer = result.records.find((r) => r.layer === result.layers[0]);
    const lossEpoch = result.losses.findIndex((l) => l <= targetLoss);
    const rankRecord = last.find((r) => (r.epsRank[eps] ?? 0) >= targetRank);
    return {
      setup: setup.name,
      describe: setup.describe,
      epochsToLoss: lossEpoch < 0 ? null : lossEpoch + 1,
      epochsToRank: rankRecord ? rankRecord.step : null,
      finalLoss: result.losses.at(-1) ?? NaN,
      stairs: result.staircase[result.lastLayer]![eps]!.stairs.length,
      finalRank: last.at(-1)?.epsRank[eps] ?? 0,
      firstLayerRankAtStart: firstLayer?.epsRank[eps] ?? 0,
      seconds: result.seconds,
    };
  });
}

export function formatTable(rows: ComparisonRow[], targetLoss: number, targetRank: number): string {
  const head = ['setup', `epochs to loss ≤ ${targetLoss}`, `epochs to ε-rank ≥ ${targetRank}`, 'final loss', 'stairs', 'final ε-rank', 'h1 ε-rank at start'];
  const body = rows.map((r) => [
    r.setup,
    r.epochsToLoss === null ? 'never' : String(r.epochsToLoss),
    r.epochsToRank === null ? 'never' : String(r.epochsToRank),
    r.finalLoss.toExponential(2),
    String(r.stairs),
    String(r.finalRank),
    String(r.firstLayerRankAtStart),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function registerCompareCommand(program: Command): void {
  const cmd = program
    .command('compare')
    .description('train the same task under several setups (SGD vs Adam, default vs structured or pre-trained first layer) and compare their staircases');
  addTrainingOptions(cmd)
    .option('--setups <names>', `comma-separated subset of: ${SETUPS.map((s) => s.name).join(', ')}`)
    .option('--target-loss <L>', 'loss for "epochs to loss" (default 3e-2; 0.1 with --quick)', positiveNumber)
    .option('--target-rank <r>', 'ε-rank for "epochs to ε-rank" (default: half the highest final ε-rank)', positiveInt)
    .option('--out <dir>', 'where compare.html and one JSONL log per setup go', 'effrank-compare')
    .action(async (flags: TrainingFlags & { setups?: string; targetLoss?: number; targetRank?: number; out: string }) => {
      const names = flags.setups ? flags.setups.split(',').map((s) => s.trim()) : SETUPS.map((s) => s.name);
      const chosen = names.map((n) => {
        const s = SETUPS.find((x) => x.name === n);
        if (!s) throw new Error(`unknown setup '${n}' (known: ${SETUPS.map((x) => x.name).join(', ')})`);
        return s;
      });
      const { tf, backend, note } = await loadTf(flags.backend);
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      const base = runOptionsFrom(flags);
      const eps = String(base.eps[0]);
      console.log(`effrank compare: ${base.task}, ${base.epochs} epochs, width ${base.width}, depth ${base.depth}, ε = ${eps}; backend ${backend} (${note})`);
      const results: Array<{ setup: Setup; result: RunResult }> = [];
      for (const setup of chosen) {
        const options = { ...setup.apply(base), log: join(out, `${setup.name}.jsonl`) };
        const bar = epochProgress(options.epochs, setup.name.padEnd(16));
        const result = await trainTracked(tf, backend, { ...options, onEpoch: (e, l, last) => bar.update(e, l, last?.epsRank[eps]) });
        bar.stop();
        results.push({ setup, result });
      }
      const targetLoss = flags.targetLoss ?? (flags.quick ? 0.1 : 3e-2);
      const best = Math.max(...results.map(({ result }) => result.records.filter((r) => r.layer === result.lastLayer).at(-1)?.epsRank[eps] ?? 0));
      const targetRank = flags.targetRank ?? Math.max(1, Math.ceil(best / 2));
      const rows = compareRows(results, targetLoss, targetRank, eps);
      console.log('');
      console.log(formatTable(rows, targetLoss, targetRank));
      const file = join(out, 'compare.html');
      writeFileAtomic(file, renderComparison(results, rows, { targetLoss, targetRank, eps: Number(eps) }));
      console.log('');
      console.log(`wrote ${file}`);
    });
}
