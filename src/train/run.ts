/**
 * One tracked training run: build the task and the MLP, optionally shape the
 * first layer, train full-batch while a RankTracker watches every hidden
 * layer, and summarise the staircase.
 */
import { RankTracker } from '../tfjs/tracker.js';
import type { RankRecord } from '../tfjs/options.js';
import type { Staircase } from '../analysis/staircase.js';
import { type BackendName, type Tf } from './backend.js';
import { pretrainFirstLayer, structuredFirstLayer } from './first-layer.js';
import { buildMlp } from './model.js';
import { type TaskName, makeTask } from './tasks.js';

export interface RunOptions {
  task: TaskName;
  points: number;
  epochs: number;
  width: number;
  depth: number;
  activation: string;
  optimizer: 'adam' | 'sgd';
  lr: number;
  eps: number[];
  seed: number;
  init: 'default' | 'structured';
  pretrainSteps: number;
  every: number;
  log?: string;
  /** A TensorBoard logdir for the tracker (its `tensorboard` option). */
  tensorboard?: string;
  /** Called after every epoch with the loss and the latest record of the last hidden layer. */
  onEpoch?: (epoch: number, loss: number, last: RankRecord | undefined) => void;
}

export interface RunResult {
  options: RunOptions;
  backend: BackendName;
  records: RankRecord[];
  losses: number[];
  layers: string[];
  lastLayer: string;
  staircase: Record<string, Record<string, Staircase>>;
  seconds: number;
  pretrainLoss: number | null;
}

export async function trainTracked(tf: Tf, backend: BackendName, o: RunOptions): Promise<RunResult> {
  const task = makeTask(o.task, o.points);
  const x = tf.tensor2d(task.x, [task.N, task.dim]);
  const y = tf.tensor2d(task.y, [task.N, 1]);
  const model = buildMlp(tf, { dim: task.dim, width: o.width, depth: o.depth, activation: o.activation, seed: o.seed });
  if (o.init === 'structured') structuredFirstLayer(tf, model, task.dim);
  const pretrainLoss = o.pretrainSteps > 0 ? pretrainFirstLayer(tf, model, x, task.weights, o.pretrainSteps) : null;
  const optimizer = o.optimizer === 'adam' ? tf.train.adam(o.lr) : tf.train.sgd(o.lr);
  model.compile({ optimizer, loss: 'meanSquaredError' });

  const tracker = new RankTracker({
    tf,
    model,
    probe: x,
    layers: 'all-hidden',
    eps: o.eps,
    weights: task.weights,
    every: { epochs: o.every },
    measures: ['stableRank', 'entropyRank'],
    log: o.log,
    tensorboard: o.tensorboard,
    queue: { max: 8, policy: 'wait' },
  });
  const lastLayer = tracker.layers.at(-1)!;
  const losses: number[] = [];
  const started = performance.now();
  // A tf.CustomCallback like the tracker's: tfjs treats a callbacks list by its first entry.
  const progress = new tf.CustomCallback({
    onEpochEnd: async (epoch: number, logs?: { loss?: number }) => {
      const loss = logs?.loss ?? NaN;
      losses.push(loss);
      const last = [...tracker.records].reverse().find((r) => r.layer === lastLayer);
      o.onEpoch?.(epoch + 1, loss, last);
    },
  });
  try {
    await model.fit(x, y, {
      epochs: o.epochs,
      batchSize: task.N,
      shuffle: false,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: [tracker.callback(), progress],
    });
  } finally {
    await tracker.close(); // frees the log path even if fit fails
  }
  const seconds = (performance.now() - started) / 1000;
  const result: RunResult = {
    options: o,
    backend,
    records: tracker.records,
    losses,
    layers: tracker.layers,
    lastLayer,
    staircase: tracker.staircase(),
    seconds,
    pretrainLoss,
  };
  model.dispose();
  optimizer.dispose?.();
  x.dispose();
  y.dispose();
  return result;
}
