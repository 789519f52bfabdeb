/**
 * Activations of the tracked layers on the probe set, from one sub-model that
 * outputs all of them. On the host path they are downloaded (float32, N×n per
 * layer); on the device path the Gram scale·(Φ−μ)ᵀdiag(w)(Φ−μ) is formed by
 * tf.matMul on the backend and only n×n numbers cross over.
 */
import { invalidArgument } from '../core/errors.js';
import { GramAccumulator } from '../spectrum/gram-accumulator.js';
import type { FeatureMode, ResolvedOptions } from './options.js';
import type { LayersModelLike, TensorLike } from './types.js';

export interface LayerFeatures {
  layer: string;
  /** Feature rows: probe rows, times positions in 'channels' mode. */
  N: number;
  n: number;
  /** How the layer output became features. */
  mode: FeatureMode;
  /**
   * Quadrature weight of each of the N rows: the tracker's weights, or in
   * 'channels' mode each sample's weight (1 by default) spread evenly over its
   * positions. undefined means all 1.
   */
  weights?: Float64Array;
  /** Host path, unchunked: the activations, row-major N×n. */
  features?: Float32Array;
  /** Host path, chunked: the float64 Gram of all chunks (unscaled, uncentred). */
  accumulator?: GramAccumulator;
  /** Device path: the finished Gram (weighted, centred, scaled), n×n, widened to float64. */
  deviceGram?: Float64Array;
}

const GPU_BACKENDS = new Set(['tensorflow', 'webgl', 'webgpu']);

export function wantsDeviceGram(o: ResolvedOptions): boolean {
  return o.gram === 'device' || (o.gram === 'auto' && GPU_BACKENDS.has(o.tf.getBackend()));
}

export class FeatureExtractor {
  #o: ResolvedOptions;
  #sub: LayersModelLike | null = null;
  /** Per layer: feature rows per probe row (positions in 'channels' mode, else 1). */
  readonly #positions: number[];

  constructor(o: ResolvedOptions) {
    this.#o = o;
    this.#positions = o.layers.map((l, i) => positionsOf(l, o.layerFeatures[i]!));
  }

  #subModel(): LayersModelLike {
    // Built lazily: it shares the model's weights, so it sees training progress.
    this.#sub ??= this.#o.tf.model({ inputs: this.#o.model.inputs, outputs: this.#o.layers.map((l) => l.output) }) as LayersModelLike;
    return this.#sub;
  }

  /** Each tracked layer's output on `chunk` as a 2-D feature matrix, in its feature mode. */
  #forward(chunk: TensorLike): TensorLike[] {
    // One batch for the whole chunk: predict's default of 32 rows per batch costs ~1.4 ms more here.
    const out = this.#subModel().predict(chunk, { batchSize: chunk.shape[0] }) as TensorLike | TensorLike[];
    const list = Array.isArray(out) ? out : [out];
    return list.map((t, i) => toFeatureMatrix(this.#o.tf, t, this.#o.layerFeatures[i]!));
  }

  /** Runs the probe through the model; `device` selects, per layer, where the Gram is formed. */
  async extract(device: boolean[]): Promise<LayerFeatures[]> {
    const { tf, probe, probeChunk, layers } = this.#o;
    const N = probe.shape[0]!;
    const results: LayerFeatures[] = layers.map((l, i) => ({ layer: l.name, N: 0, n: 0, mode: this.#o.layerFeatures[i]! }));
    const positions = this.#positions;
    const sums: Float64Array[] = [];
    for (let r0 = 0; r0 < N; r0 += probeChunk) {
      const rows = Math.min(probeChunk, N - r0);
      const whole = rows === N;
      // Per layer: [activations] on the host path, [ΦᵀWΦ, Φᵀw] on the device path.
      const outputs: TensorLike[][] = tf.tidy(() => {
        const chunk = whole ? probe : probe.slice([r0], [rows]);
        return this.#forward(chunk).map((phi, i) => (device[i] ? this.#deviceGram(phi, rowWeights(this.#o.weights, r0, rows, positions[i]!)) : [phi]));
      });
      try {
        for (let i = 0; i < outputs.length; i++) {
          const res = results[i]!;
          res.N += rows * positions[i]!;
          if (device[i]) {
            const [g, s] = outputs[i]!;
            const values = await g!.data();
            res.n = g!.shape[0]!;
            res.deviceGram ??= new Float64Array(res.n * res.n);
            for (let k = 0; k < values.length; k++) res.deviceGram[k]! += values[k]!;
            const colSums = await s!.data();
            sums[i] ??= new Float64Array(res.n);
            for (let k = 0; k < res.n; k++) sums[i]![k]! += colSums[k]!;
          } else {
            const t = outputs[i]![0]!;
            res.n = t.shape[1]!;
            const data = Float32Array.from(await t.data()); // own the bytes: backends may reuse theirs
            if (whole) {
              res.features = data;
            } else {
              res.accumulator ??= new GramAccumulator(res.n);
              const w = rowWeights(this.#o.weights, r0, rows, positions[i]!);
              await res.accumulator.addAsync({ data, rows: rows * positions[i]!, cols: res.n }, w);
            }
          }
        }
      } finally {
        for (const list of outputs) for (const t of list) t.dispose();
      }
    }
    results.forEach((res, i) => {
      res.weights = rowWeights(this.#o.weights, 0, N, positions[i]!);
      if (res.deviceGram) finishDeviceGram(res.deviceGram, sums[i]!, res.n, this.#o);
    });
    return results;
  }

  /** [Φᵀ·diag(w)·Φ, Φᵀ·w] for one chunk's feature rows, on the device. */
  #deviceGram(phi: TensorLike, weights: Float64Array | undefined): TensorLike[] {
    const { tf } = this.#o;
    const rows = phi.shape[0]!;
    // tfjs takes float32 values; the weights are only scaled by them.
    const w = weights ? tf.tensor1d(Float32Array.from(weights)).reshape([rows, 1]) : null;
    const weighted = w ? tf.mul(phi, w) : phi;
    return [tf.matMul(weighted, phi, true, false), tf.sum(weighted, 0)];
  }
}

/**
 * Positions per sample that become feature rows: the product of the axes
 * between batch and channels in 'channels' mode, 1 otherwise.
 */
function positionsOf(layer: { output: unknown; name: string }, mode: FeatureMode): number {
  if (mode !== 'channels') return 1;
  const out = (Array.isArray(layer.output) ? layer.output[0] : layer.output) as { shape: (number | null)[] };
  const inner = out.shape.slice(1, -1);
  if (inner.some((d) => d === null)) {
    throw invalidArgument(`layer '${layer.name}' has an output of shape [${out.shape.map((d) => d ?? 'null').join(', ')}]: 'channels' needs fixed positions`);
  }
  return (inner as number[]).reduce((a, b) => a * b, 1);
}

/** [rows, …positions, C] → the N×n matrix of a feature mode (see FEATURE_MODES). */
function toFeatureMatrix(tf: ResolvedOptions['tf'], t: TensorLike, mode: FeatureMode): TensorLike {
  const [rows, ...rest] = t.shape as [number, ...number[]];
  if (rest.length <= 1 || mode === 'flatten') return t.reshape([rows, -1]);
  const channels = rest[rest.length - 1]!;
  if (mode === 'channels') return t.reshape([-1, channels]); // row-major: sample i's positions are rows i·P … i·P+P−1
  return tf.mean(t, rest.slice(0, -1).map((_, k) => k + 1)) as TensorLike;
}

/**
 * The weights of probe rows [r0, r0 + rows) as feature rows: the tracker's
 * weights (undefined: all 1), each repeated `positions` times divided by it.
 */
function rowWeights(weights: Float64Array | undefined, r0: number, rows: number, positions: number): Float64Array | undefined {
  if (positions === 1) return weights && (r0 === 0 && rows === weights.length ? weights : weights.subarray(r0, r0 + rows));
  const out = new Float64Array(rows * positions);
  for (let i = 0; i < rows; i++) out.fill((weights ? weights[r0 + i]! : 1) / positions, i * positions, (i + 1) * positions);
  return out;
}

/**
 * Activations a custom loop already downloaded ([N, …positions, C], row-major)
 * as the feature rows of `mode`, on the host: the same matrices as
 * toFeatureMatrix gives on the device.
 */
export function hostFeatures(layer: string, data: Float32Array, shape: readonly number[], mode: FeatureMode, weights: Float64Array | undefined): LayerFeatures {
  const [rows, ...rest] = shape as [number, ...number[]];
  const n = rest.reduce((a, b) => a * b, 1);
  if (rest.length <= 1 || mode === 'flatten') return { layer, N: rows, n, mode, weights, features: data };
  const channels = rest[rest.length - 1]!;
  const positions = n / channels;
  if (mode === 'channels') return { layer, N: rows * positions, n: channels, mode, weights: rowWeights(weights, 0, rows, positions), features: data };
  const pooled = new Float64Array(rows * channels);
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < positions; p++) {
      const base = (i * positions + p) * channels;
      for (let c = 0; c < channels; c++) pooled[i * channels + c]! += data[base + c]!;
    }
  }
  // Summed in float64, stored as the float32 activations are.
  const features = new Float32Array(rows * channels);
  for (let k = 0; k < features.length; k++) features[k] = pooled[k]! / positions;
  return { layer, N: rows, n: channels, mode, weights, features };
}

/** Centres (G − s·sᵀ/Σw) and scales the summed device Gram, in float64 on the host. */
function finishDeviceGram(g: Float64Array, s: Float64Array, n: number, o: ResolvedOptions): void {
  const total = o.weights ? o.weights.reduce((a, b) => a + b, 0) : o.probe.shape[0]!;
  const shift = o.center && total > 0 ? 1 / total : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) g[i * n + j] = o.scale * (g[i * n + j]! - shift * s[i]! * s[j]!);
  }
}
