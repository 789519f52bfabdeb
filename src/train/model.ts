/** The MLPs of the staircase literature: dim → width × depth → 1, seeded. */
import type { Tf } from './backend.js';

export interface ModelSpec {
  dim: number;
  width: number;
  depth: number;
  activation: string;
  seed: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Model = any;

/** Dense layers named h1…h{depth} and out; Glorot-uniform kernels seeded from `seed`. */
export function buildMlp(tf: Tf, spec: ModelSpec): Model {
  const model = tf.sequential();
  for (let i = 0; i < spec.depth; i++) {
    model.add(
      tf.layers.dense({
        units: spec.width,
        activation: spec.activation,
        name: `h${i + 1}`,
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed * 101 + i }),
        ...(i === 0 ? { inputShape: [spec.dim] } : {}),
      }),
    );
  }
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed * 101 + spec.depth }) }));
  return model;
}
