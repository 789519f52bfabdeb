/** `effrank demo`: a real training run whose ε-rank climbs a staircase. */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';

import { writeFilesAtomic } from '../core/atomic-file.js';
import { renderReport, renderStaircaseSvg } from '../report/index.js';
import { type BackendName, loadTf } from '../train/backend.js';
import { type RunOptions, trainTracked } from '../train/run.js';
import { TASKS, type TaskName } from '../train/tasks.js';
import { epochProgress } from './progress.js';
import { spawnWatch } from './watch/child.js';
import { port } from './watch-command.js';
import { formatSummary } from './summary.js';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function positiveNumber(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError('expected a number > 0');
  return x;
}

export function collectEps(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), positiveNumber(value)];
}

export interface TrainingFlags {
  task: TaskName;
  epochs?: number;
  width?: number;
  depth: number;
  activation: string;
  optimizer: 'adam' | 'sgd';
  lr?: number;
  eps?: number[];
  seed: number;
  backend?: BackendName;
  quick?: boolean;
  points?: number;
  every?: number;
}

/** Options shared by demo and compare. */
export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--task <task>', 'function to fit').choices([...TASKS]).default('sin1d'))
    .option('--epochs <n>', 'training epochs (default 3000; 1500 with --quick)', positiveInt)
    .option('--width <n>', 'neurons per hidden layer (default 100; 40 with --quick)', positiveInt)
    .option('--depth <n>', 'hidden layers', positiveInt, 3)
    .option('--activation <name>', 'tfjs activation of the hidden layers', 'tanh')
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(['adam', 'sgd']).default('adam'))
    .option('--lr <rate>', 'learning rate (default 1e-3 for adam, 0.05 for sgd)', positiveNumber)
    .option('--eps <eps>', 'ε threshold, repeatable (default 1e-3)', collectEps)
    .option('--points <n>', 'grid points (default 512; 256 with --quick)', positiveInt)
    .option('--every <k>', 'measure every k epochs (default: epochs/300, at least 1)', positiveInt)
    .option('--seed <n>', 'random seed (runs are deterministic per seed and backend)', positiveInt, 1)
    .addOption(new Option('--backend <name>', 'tfjs backend (default: the fastest available)').choices(['cpu', 'wasm', 'tensorflow']))
    .option('--quick', 'a small run that finishes in well under 30 s');
}

export function runOptionsFrom(f: TrainingFlags): RunOptions {
  const epochs = f.epochs ?? (f.quick ? 1500 : 3000);
  return {
    task: f.task,
    points: f.points ?? (f.quick ? 256 : 512),
    epochs,
    width: f.width ?? (f.quick ? 40 : 100),
    depth: f.depth,
    activation: f.activation,
    optimizer: f.optimizer,
    lr: f.lr ?? (f.optimizer === 'adam' ? 1e-3 : 0.05),
    eps: f.eps ?? [1e-3],
    seed: f.seed,
    init: 'default',
    pretrainSteps: 0,
    every: f.every ?? Math.max(1, Math.floor(epochs / 300)),
  };
}

export function registerDemoCommand(program: Command): void {
  const cmd = program
    .command('demo')
    .description('train an MLP with TensorFlow.js, track the ε-rank of every hidden layer, and show the staircase');
  addTrainingOptions(cmd)
    .option('--out <dir>', 'where run.jsonl, report.html and staircase.svg go', 'effrank-demo')
    .option('--tensorboard <dir>', 'also write TensorBoard event files there (tensorboard --logdir <dir>)')
    .option('--watch', 'serve a live view of the run on 127.0.0.1 (effrank watch), until Ctrl-C after training')
    .option('--port <n>', 'port of --watch (0: any free port)', port, 0)
    .action(async (flags: TrainingFlags & { out: string; tensorboard?: string; watch?: boolean; port: number }) => {
      const { tf, backend, note } = await loadTf(flags.backend);
      const out = resolve(flags.out);
      mkdirSync(out, { recursive: true });
      // One run's outputs only: the previous run's report and staircase go
      // now (run.jsonl is truncated when the tracker opens it), so an
      // interrupted run never leaves its log beside another run's report.
      for (const stale of ['report.html', 'staircase.svg']) rmSync(join(out, stale), { force: true });
      const watcher = flags.watch ? spawnWatch(join(out, 'run.jsonl'), flags.port) : null;
      const tensorboard = flags.tensorboard === undefined ? undefined : resolve(flags.tensorboard);
      const options = { ...runOptionsFrom(flags), log: join(out, 'run.jsonl'), tensorboard };
      console.log(`effrank demo: ${options.task}, MLP ${options.task === 'sin2d' ? 2 : 1}→${Array(options.depth).fill(options.width).join('→')}→1 (${options.activation}), ` +
        `${options.optimizer} lr ${options.lr}, ${options.points} grid points, ε = ${options.eps.join(', ')}`);
      console.log(`backend: ${backend} (${note})`);
      const bar = epochProgress(options.epochs, 'training');
      const result = await trainTracked(tf, backend, {
        ...options,
        onEpoch: (epoch, loss, last) => bar.update(epoch, loss, last?.epsRank[String(options.eps[0])]),
      });
      bar.stop();
      console.log('');
      console.log(formatSummary(result));
      const title = `effrank demo: ${options.task}, ${options.optimizer}, seed ${options.seed}`;
      writeFilesAtomic([
        { path: join(out, 'report.html'), data: renderReport(result.records, { title }) },
        { path: join(out, 'staircase.svg'), data: renderStaircaseSvg(result.records, { layer: result.lastLayer, eps: options.eps[0] }) },
      ]);
      console.log('');
      console.log(`wrote ${join(out, 'run.jsonl')}, ${join(out, 'report.html')} and ${join(out, 'staircase.svg')}`);
      if (tensorboard) console.log(`TensorBoard events in ${tensorboard} (view with: tensorboard --logdir ${tensorboard})`);
      if (watcher) {
        console.log('training done; the live page stays up until Ctrl-C');
        await watcher.serveUntilStopped();
      }
    });
}
