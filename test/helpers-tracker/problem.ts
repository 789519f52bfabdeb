/** Small deterministic tfjs problems for the tracker tests (cpu backend). */
import * as tf from '@tensorflow/tfjs';

export const N = 128;

/** y = sin(2πx) on N points of [-1, 1], and a seeded MLP 1 → width → width → 1. */
export function mlpProblem(width = 12, optimizer: 'sgd' | 'adam' = 'sgd') {
  const x = tf.linspace(-1, 1, N).reshape([N, 1]);
  const y = tf.tidy(() => tf.sin(x.mul(2 * Math.PI)));
  const model = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(tf.layers.dense({ units: width, activation: 'tanh', inputShape: [1], name: 'h1', kernelInitializer: init(1) }));
  model.add(tf.layers.dense({ units: width, activation: 'tanh', name: 'h2', kernelInitializer: init(2) }));
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: init(3) }));
  model.compile({ optimizer: optimizer === 'sgd' ? tf.train.sgd(0.05) : tf.train.adam(0.01), loss: 'meanSquaredError' });
  const dispose = () => {
    x.dispose();
    y.dispose();
    model.dispose();
  };
  return { x, y, model, dispose };
}

/** A callback that records what tfjs hands over, as a tf.CustomCallback so it mixes with BaseCallbacks. */
export function recorder() {
  const epochLosses: number[] = [];
  const batchLosses: number[] = [];
  const tensors: number[] = [];
  const callback = new tf.CustomCallback({
    onEpochEnd: async (_epoch: number, logs?: tf.Logs) => {
      epochLosses.push(logs!.loss as number);
      tensors.push(tf.memory().numTensors);
    },
    onBatchEnd: async (_batch: number, logs?: tf.Logs) => {
      batchLosses.push(logs!.loss as number);
    },
  });
  return { callback, epochLosses, batchLosses, tensors };
}
