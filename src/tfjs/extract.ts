/**
 * Activations of the tracked layers on the probe set, from one sub-model that
 * outputs all of them. On the host path they are downloaded (float32, N×n per
 * layer); on the device path the Gram scale·(Φ−μ)ᵀdiag(w)(Φ−μ) is formed by
 * tf.matMul on the backend and only n×n numbers cross over.
 */
import { GramAccumulator } from '../gram-accumulator.js';
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
    const out = this.#subModel().predict(chunk) as TensorLike | TensorLike[];
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => t.reshape([t.shape[0]!, -1]));
  }

  /** Runs the probe through the model; `device` selects, per layer, where the Gram is formed. */
  async extract(device: boolean[]): Promise<LayerFeatures[]> {
    const { tf, probe, probeChunk, layers } = this.#o;
    const N = probe.shape[0]!;
    const results: LayerFeatures[] = layers.map((l) => ({ layer: l.name, N, n: 0 }));
    for (let r0 = 0; r0 < N; r0 += probeChunk) {
      const rows = Math.min(probeChunk, N - r0);
      const whole = rows === N;
      const outputs: TensorLike[] = tf.tidy(() => {
        const chunk = whole ? probe : probe.slice([r0], [rows]);
        const acts = this.#forward(chunk);
        return acts.map((phi, i) => (device[i] ? this.#deviceGram(phi, r0, rows) : phi));
      });
      try {
        for (let i = 0; i < outputs.length; i++) {
          const t = outputs[i]!;
          const values = (await t.data()) as Float32Array;
          const res = results[i]!;
          if (device[i]) {
            res.n = t.shape[0]!;
            res.deviceGram ??= new Float64Array(res.n * res.n);
            for (let k = 0; k < values.length; k++) res.deviceGram[k]! += values[k]!;
          } else {
            res.n = t.shape[1]!;
            const data = Float32Array.from(values); // own the bytes: backends may reuse theirs
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
        for (const t of outputs) t.dispose();
      }
    }
    return results;
  }

  /** scale·(Φ−μ)ᵀdiag(w)(Φ−μ) on the device for rows [r0, r0+rows); centring needs the whole probe in one chunk. */
  #deviceGram(phi: TensorLike, r0: number, rows: number): TensorLike {
    const { tf, weights, scale, center } = this.#o;
    const w = weights ? tf.tensor1d(weights.subarray(r0, r0 + rows), 'float32').reshape([rows, 1]) : null;
    const weighted = w ? tf.mul(phi, w) : phi;
    let g = tf.matMul(weighted, phi, true, false);
    if (center) {
      const s = tf.sum(weighted, 0);
      const total = weights ? weights.subarray(r0, r0 + rows).reduce((a, b) => a + b, 0) : rows;
      if (total > 0) g = tf.sub(g, tf.mul(tf.outerProduct(s, s), 1 / total));
    }
    return scale === 1 ? g : tf.mul(g, scale);
  }
}
