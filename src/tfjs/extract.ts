/**
 * Activations of the tracked layers on the probe set, from one sub-model that
 * outputs all of them. On the host path they are downloaded (float32, N×n per
 * layer); on the device path the raw Gram ΦᵀdiagwΦ (or, for a wide layer on
 * an unchunked probe, the N×N kernel ΦΦᵀ) is formed by tf.matMul on the
 * backend, only that crosses over, and src/spectrum/centering.ts finishes it.
 */
import { finishGram, finishKernel } from '../spectrum/centering.js';
import { GramAccumulator } from '../spectrum/gram-accumulator.js';
import { sideFor } from '../spectrum/route.js';
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
  /** Device path: the finished Gram (weighted, centred, scaled) widened to float64: n×n, or N×N when `deviceSide` is 'dual'. */
  deviceGram?: Float64Array;
  deviceSide?: 'primal' | 'dual';
  /** Per-layer weights when they differ from the tracker's (e.g. positions as sample points). */
  weights?: Float64Array;
}

const GPU_BACKENDS = new Set(['tensorflow', 'webgl', 'webgpu']);

export function wantsDeviceGram(o: ResolvedOptions): boolean {
  return o.gram === 'device' || (o.gram === 'auto' && GPU_BACKENDS.has(o.tf.getBackend()));
}

export class FeatureExtractor {
  #o: ResolvedOptions;
  #sub: LayersModelLike | null = null;
  /** Units (columns) of each tracked layer's flattened output, from the last forward pass. */
  #units: number[] = [];

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
        return this.#forward(chunk).map((phi, i) => {
          this.#units[i] = phi.shape[1]!;
          return device[i] ? this.#deviceGram(phi, r0, rows, whole) : [phi];
        });
      });
      try {
        for (let i = 0; i < outputs.length; i++) {
          const res = results[i]!;
          if (device[i]) {
            const [g, s] = outputs[i]!;
            const values = await g!.data();
            res.deviceSide = s ? 'primal' : 'dual';
            const dim = g!.shape[0]!;
            res.n = s ? dim : this.#units[i]!;
            res.deviceGram ??= new Float64Array(dim * dim);
            for (let k = 0; k < values.length; k++) res.deviceGram[k]! += values[k]!;
            if (s) {
              const colSums = await s.data();
              sums[i] ??= new Float64Array(res.n);
              for (let k = 0; k < res.n; k++) sums[i]![k]! += colSums[k]!;
            }
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
      if (!res.deviceGram) return;
      const { weights, center, scale } = this.#o;
      if (res.deviceSide === 'dual') {
        finishKernel(res.deviceGram, N, { weights, center, scale });
      } else {
        const weightSum = weights ? weights.reduce((a, b) => a + b, 0) : N;
        finishGram(res.deviceGram, res.n, { sums: sums[i], weightSum, center, scale });
      }
    });
    return results;
  }

  /**
   * On the device, for rows [r0, r0 + rows): [Φᵀ·diag(w)·Φ, Φᵀ·w] (primal), or
   * [Φ·Φᵀ] (dual: a wide layer on the whole probe, where N×N is smaller than
   * n×n; weights and centring are applied on the host by finishKernel).
   */
  #deviceGram(phi: TensorLike, r0: number, rows: number, whole: boolean): TensorLike[] {
    const { tf, weights } = this.#o;
    if (whole && sideFor(rows, phi.shape[1]!) === 'dual') return [tf.matMul(phi, phi, false, true)];
    // tfjs takes float32 values; the weights are only scaled by them.
    const w = weights ? tf.tensor1d(Float32Array.from(weights.subarray(r0, r0 + rows))).reshape([rows, 1]) : null;
    const weighted = w ? tf.mul(phi, w) : phi;
    return [tf.matMul(weighted, phi, true, false), tf.sum(weighted, 0)];
  }
}
