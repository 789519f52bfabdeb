/**
 * The forward pass of a chain of dense layers, natively in float32 (see
 * native/forward.hpp): what the RankTracker runs instead of a tfjs forward
 * pass, so the probe's activations are computed off the training thread.
 */
import { type NativeDenseStep, binding, callAsync } from '../native.js';

/** The activations native/forward.hpp implements, numbered as it numbers them (tfjs-layers' names). */
export const DENSE_ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'tanh', 'sigmoid', 'hardSigmoid', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'mish',
  'gelu', 'gelu_new', 'leakyReLU', 'softmax',
] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

/**
 * act(x·kernel + bias); without a kernel the width is kept and the step is
 * act((norm(x) − offset)·scale + bias), norm standardizing each row when
 * `normalize` (layer normalization), offset, scale and bias per-unit
 * vectors (batch normalization at inference: (x − μ)·γ/√(σ² + ε) + β).
 */
export interface DenseStep {
  /** Row-major inputs×units, tfjs's layout; null for a step that keeps its width. */
  kernel: Float32Array | null;
  bias: Float32Array | null;
  /** Per-unit value subtracted first, for steps without a kernel. */
  offset?: Float32Array | null;
  /** Per-unit factor, for steps without a kernel. */
  scale?: Float32Array | null;
  /** Standardize each row first (mean 0, variance 1 after adding epsilon), for steps without a kernel. */
  normalize?: boolean;
  epsilon?: number;
  inputs: number;
  units: number;
  activation: DenseActivation;
  /** ELU's and LeakyReLU's slope parameter (ignored by the others). */
  alpha?: number;
  /** Return this step's output. */
  output?: boolean;
}

/**
 * Runs `rows` rows of x (row-major rows×steps[0].inputs) through the steps
 * on effrank's queue, BLAS threads capped at maxThreads. Resolves with one
 * rows×units Float32Array per step marked `output`, in order. The inputs are
 * copied before this returns, so the caller may reuse them at once.
 */
export function denseForwardAsync(x: Float32Array, rows: number, steps: readonly DenseStep[], maxThreads: number): Promise<Float32Array[]> {
  const native: NativeDenseStep[] = steps.map((s) => ({
    kernel: s.kernel,
    bias: s.bias,
    offset: s.offset ?? null,
    scale: s.scale ?? null,
    normalize: s.normalize === true,
    epsilon: s.epsilon ?? 0,
    inputs: s.inputs,
    units: s.units,
    activation: DENSE_ACTIVATIONS.indexOf(s.activation),
    alpha: s.alpha ?? 1,
    output: s.output === true,
  }));
  return callAsync(() => binding.denseForwardAsync(x, rows, native, maxThreads));
}
