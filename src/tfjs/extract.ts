/**
 * Activations of the tracked layers on the probe set: from native/forward.hpp
 * for layers at the end of a dense chain (src/tfjs/dense-chain.ts; the pass
 * runs beside training), else from one tfjs sub-model that outputs the rest. On the host path they are downloaded (float32, N×n per
 * layer); on the device path the raw Gram ΦᵀdiagwΦ (or, for a wide layer on
 * an unchunked probe, the N×N kernel ΦΦᵀ) is formed by tf.matMul on the
 * backend, only that crosses over, and src/spectrum/centering.ts finishes it.
 */
import { invalidArgument } from '../core/errors.js';
import { finishGram, finishKernel } from '../spectrum/centering.js';
import { GramAccumulator } from '../spectrum/gram-accumulator.js';
import { DenseChain } from './dense-chain.js';
import { sideFor } from '../spectrum/route.js';
import type { FeatureMode, ResolvedOptions } from './options.js';
import type { LayersModelLike, TensorLike } from './types.js';

export interface LayerFeatures {
  layer: string;
  /** Feature rows: probe rows, times positions in 'channels' mode. */
  N: number;
  n: number;
  /** How the layer output became features. */
  mode: FeatureMode;
  /** Host path, unchunked: the activations, row-major N×n. */
  features?: Float32Array;
  /** Native forward pass: the activations once it finishes (then `features` is unset). */
  pending?: Promise<Float32Array>;
  /** Where the activations were computed: by tfjs, or natively from the weights (src/tfjs/dense-chain.ts). */
  forward: 'tfjs' | 'native';
  /** Host path, chunked: the float64 Gram of all chunks (unscaled, uncentred). */
  accumulator?: GramAccumulator;
  /** Device path: the finished Gram (weighted, centred, scaled) widened to float64: n×n, or N×N when `deviceSide` is 'dual'. */
  deviceGram?: Float64Array;
  deviceSide?: 'primal' | 'dual';
  /**
   * Quadrature weight of each of the N rows: the tracker's weights, or in
   * 'channels' mode each sample's weight (1 by default) spread evenly over its
   * positions. undefined means all 1.
   */
  weights?: Float64Array;
}

const GPU_BACKENDS = new Set(['tensorflow', 'webgl', 'webgpu']);

export function wantsDeviceGram(o: ResolvedOptions): boolean {
  return o.gram === 'device' || (o.gram === 'auto' && GPU_BACKENDS.has(o.tf.getBackend()));
}

export class FeatureExtractor {
  #o: ResolvedOptions;
  /** Sub-models by the set of layers they output. */
  #subs = new Map<string, LayersModelLike>();
  readonly #chain: DenseChain | null;
  /** Units (columns) of each tracked layer's flattened output, from the last forward pass. */
  #units: number[] = [];
  /** Per layer: feature rows per probe row (positions in 'channels' mode, else 1). */
  readonly #positions: number[];

  constructor(o: ResolvedOptions) {
    this.#o = o;
    this.#positions = o.layers.map((l, i) => positionsOf(l, o.layerFeatures[i]!));
    const unchunked = o.probeChunk >= o.probe.shape[0]!;
    this.#chain = o.forward !== 'tfjs' && unchunked ? new DenseChain(o.model, o.layers) : null;
    if (o.forward === 'native') {
      if (!unchunked) throw invalidArgument("forward 'native' computes the whole probe in one pass: leave probeChunk unset");
      o.layers.forEach((l, i) => {
        if (!this.#chain!.covers(i)) throw invalidArgument(`forward 'native' cannot compute layer '${l.name}': ${this.#chain!.reasons[i]}`);
      });
    }
  }

  /** Whether tracked layer i is computed natively when its Gram is formed on the host. */
  native(i: number): boolean {
    return this.#chain?.covers(i) ?? false;
  }

  #subModel(which: readonly number[]): LayersModelLike {
    // Built lazily: it shares the model's weights, so it sees training progress.
    const key = which.join(',');
    let sub = this.#subs.get(key);
    if (!sub) {
      sub = this.#o.tf.model({ inputs: this.#o.model.inputs, outputs: which.map((i) => this.#o.layers[i]!.output) }) as LayersModelLike;
      this.#subs.set(key, sub);
    }
    return sub;
  }

  /** The output of tracked layers `which` on `chunk`, each as a 2-D feature matrix in its feature mode. */
  #forward(chunk: TensorLike, which: readonly number[]): TensorLike[] {
    // One batch for the whole chunk: predict's default of 32 rows per batch costs ~1.4 ms more here.
    const out = this.#subModel(which).predict(chunk, { batchSize: chunk.shape[0] }) as TensorLike | TensorLike[];
    const list = Array.isArray(out) ? out : [out];
    return list.map((t, k) => toFeatureMatrix(this.#o.tf, t, this.#o.layerFeatures[which[k]!]!));
  }

  /**
   * The tracked layers' features on the probe; `device` selects, per layer,
   * where the Gram is formed. Natively computed layers come back with
   * `pending` (the pass is queued, not awaited: training goes on meanwhile).
   */
  async extract(device: boolean[], maxThreads: number): Promise<LayerFeatures[]> {
    const { probe, layers } = this.#o;
    const N = probe.shape[0]!;
    const results: LayerFeatures[] = layers.map((l, i) => ({ layer: l.name, N: 0, n: 0, mode: this.#o.layerFeatures[i]!, forward: 'tfjs' }));
    const byNative = layers.map((_, i) => !device[i] && this.native(i));
    const nativeLayers = layers.map((_, i) => i).filter((i) => byNative[i]);
    if (nativeLayers.length > 0) {
      const pending = await this.#chain!.start(probe, nativeLayers, maxThreads);
      // Handled where measured; this keeps a failed pass from being an unhandled
      // rejection if the tfjs half below throws first and nobody measures.
      for (const p of pending) p.catch(() => {});
      nativeLayers.forEach((i, k) => {
        const units = (layers[i]!.output as { shape: (number | null)[] }).shape.at(-1) as number;
        Object.assign(results[i]!, { N, n: units, forward: 'native', pending: pending[k]!, weights: this.#o.weights });
      });
    }
    const tfjsLayers = layers.map((_, i) => i).filter((i) => !byNative[i]);
    if (tfjsLayers.length > 0) await this.#extractTfjs(tfjsLayers, device, results);
    return results;
  }

  async #extractTfjs(which: readonly number[], device: boolean[], results: LayerFeatures[]): Promise<void> {
    const { tf, probe, probeChunk } = this.#o;
    const N = probe.shape[0]!;
    const positions = this.#positions;
    const sums: Float64Array[] = [];
    for (let r0 = 0; r0 < N; r0 += probeChunk) {
      const rows = Math.min(probeChunk, N - r0);
      const whole = rows === N;
      // Per layer: [activations] on the host path, [ΦᵀWΦ, Φᵀw] on the device path.
      const outputs: TensorLike[][] = tf.tidy(() => {
        const chunk = whole ? probe : probe.slice([r0], [rows]);
        return this.#forward(chunk, which).map((phi, k) => {
          const i = which[k]!;
          this.#units[i] = phi.shape[1]!;
          return device[i] ? this.#deviceGram(phi, rowWeights(this.#o.weights, r0, rows, positions[i]!), whole) : [phi];
        });
      });
      try {
        for (let k = 0; k < outputs.length; k++) {
          const i = which[k]!;
          const res = results[i]!;
          res.N += rows * positions[i]!;
          if (device[i]) {
            const [g, s] = outputs[k]!;
            const values = await g!.data();
            res.deviceSide = s ? 'primal' : 'dual';
            const dim = g!.shape[0]!;
            res.n = s ? dim : this.#units[i]!;
            res.deviceGram ??= new Float64Array(dim * dim);
            for (let j = 0; j < values.length; j++) res.deviceGram[j]! += values[j]!;
            if (s) {
              const colSums = await s.data();
              sums[i] ??= new Float64Array(res.n);
              for (let j = 0; j < res.n; j++) sums[i]![j]! += colSums[j]!;
            }
          } else {
            const t = outputs[k]![0]!;
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
    for (const i of which) {
      const res = results[i]!;
      res.weights = rowWeights(this.#o.weights, 0, N, positions[i]!);
      if (!res.deviceGram) continue;
      const { center, scale } = this.#o;
      const weights = res.weights;
      if (res.deviceSide === 'dual') {
        finishKernel(res.deviceGram, res.N, { weights, center, scale });
      } else {
        const weightSum = weights ? weights.reduce((a, b) => a + b, 0) : N;
        finishGram(res.deviceGram, res.n, { sums: sums[i], weightSum, center, scale });
      }
    }
  }

  /**
   * On the device, for one chunk's feature rows: [Φᵀ·diag(w)·Φ, Φᵀ·w] (primal), or
   * [Φ·Φᵀ] (dual: a wide layer on the whole probe, where N×N is smaller than
   * n×n; weights and centring are applied on the host by finishKernel).
   */
  #deviceGram(phi: TensorLike, weights: Float64Array | undefined, whole: boolean): TensorLike[] {
    const { tf } = this.#o;
    const rows = phi.shape[0]!; // feature rows of this chunk (positions included)
    if (whole && sideFor(rows, phi.shape[1]!) === 'dual') return [tf.matMul(phi, phi, false, true)];
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
  if (rest.length <= 1 || mode === 'flatten') return { layer, N: rows, n, mode, weights, features: data, forward: 'tfjs' };
  const channels = rest[rest.length - 1]!;
  const positions = n / channels;
  if (mode === 'channels') return { layer, N: rows * positions, n: channels, mode, weights: rowWeights(weights, 0, rows, positions), features: data, forward: 'tfjs' };
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
  return { layer, N: rows, n: channels, mode, weights, features, forward: 'tfjs' };
}
