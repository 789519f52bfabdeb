/**
 * Activations of the tracked layers on the probe set, from one sub-model that
 * outputs all of them. On the host path they are downloaded (float32, N×n per
 * layer); on the device path the Gram scale·(Φ−μ)ᵀdiag(w)(Φ−μ) is formed by
 * tf.matMul on the backend and only n×n numbers cross over.
 */
import { GramAccumulator } from '../spectrum/gram-accumulator.js';
import type { ResolvedOptions } from './options.js';
import type { LayersModelLike, TensorLike } from './types.js';

export interface LayerFeatures {
  layer: string;
  N: number;
  n: number;
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

  constructor(o: ResolvedOptions) {
    this.#o = o;
  }

  #subModel(): LayersModelLike {
    // Built lazily: it shares the model's weights, so it sees training progress.
    this.#sub ??= this.#o.tf.model({ inputs: this.#o.model.inputs, outputs: this.#o.layers.map((l) => l.output) }) as LayersModelLike;
    return this.#sub;
  }

  #forward(chunk: TensorLike): TensorLike[] {
    // One batch for the whole chunk: predict's default of 32 rows per batch costs ~1.4 ms more here.
    const out = this.#subModel().predict(chunk, { batchSize: chunk.shape[0] }) as TensorLike | TensorLike[];
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => t.reshape([t.shape[0]!, -1]));
  }

  /** Runs the probe through the model; `device` selects, per layer, where the Gram is formed. */
  async extract(device: boolean[]): Promise<LayerFeatures[]> {
    const { tf, probe, probeChunk, layers } = this.#o;
    const N = probe.shape[0]!;
    const results: LayerFeatures[] = layers.map((l) => ({ layer: l.name, N, n: 0 }));
    const sums: Float64Array[] = [];
    for (let r0 = 0; r0 < N; r0 += probeChunk) {
      const rows = Math.min(probeChunk, N - r0);
      const whole = rows === N;
      // Per layer: [activations] on the host path, [ΦᵀWΦ, Φᵀw] on the device path.
      const outputs: TensorLike[][] = tf.tidy(() => {
        const chunk = whole ? probe : probe.slice([r0], [rows]);
        return this.#forward(chunk).map((phi, i) => (device[i] ? this.#deviceGram(phi, r0, rows) : [phi]));
      });
      try {
        for (let i = 0; i < outputs.length; i++) {
          const res = results[i]!;
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
              const w = this.#o.weights?.subarray(r0, r0 + rows);
              await res.accumulator.addAsync({ data, rows, cols: res.n }, w);
            }
          }
        }
      } finally {
        for (const list of outputs) for (const t of list) t.dispose();
      }
    }
    results.forEach((res, i) => {
      if (res.deviceGram) finishDeviceGram(res.deviceGram, sums[i]!, res.n, this.#o);
    });
    return results;
  }

  /** [Φᵀ·diag(w)·Φ, Φᵀ·w] for rows [r0, r0 + rows), on the device. */
  #deviceGram(phi: TensorLike, r0: number, rows: number): TensorLike[] {
    const { tf, weights } = this.#o;
    // tfjs takes float32 values; the weights are only scaled by them.
    const w = weights ? tf.tensor1d(Float32Array.from(weights.subarray(r0, r0 + rows))).reshape([rows, 1]) : null;
    const weighted = w ? tf.mul(phi, w) : phi;
    return [tf.matMul(weighted, phi, true, false), tf.sum(weighted, 0)];
  }
}

/** Centres (G − s·sᵀ/Σw) and scales the summed device Gram, in float64 on the host. */
function finishDeviceGram(g: Float64Array, s: Float64Array, n: number, o: ResolvedOptions): void {
  const total = o.weights ? o.weights.reduce((a, b) => a + b, 0) : o.probe.shape[0]!;
  const shift = o.center && total > 0 ? 1 / total : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) g[i * n + j] = o.scale * (g[i * n + j]! - shift * s[i]! * s[j]!);
  }
}
