/** Validation of RankTracker options: everything is checked before training starts. */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { toWeights } from '../core/options.js';
import type { LayerLike, LayersModelLike, TensorLike, TfNamespace } from './types.js';

export const MEASURES = ['epsRank', 'numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank'] as const;
export type MeasureName = (typeof MEASURES)[number];

export interface RankTrackerOptions {
  /** The caller's tfjs namespace: @tensorflow/tfjs, tfjs-node or tfjs-node-gpu. */
  tf: TfNamespace;
  /** A built tf.LayersModel (Sequential or functional). */
  model: LayersModelLike;
  /** Probe inputs (the quadrature points), shape [N, …input shape]. The tracker does not dispose it. */
  probe: TensorLike;
  /** 'last-hidden' (default), 'all-hidden', or layer names / indices into model.layers. */
  layers?: 'last-hidden' | 'all-hidden' | Array<string | number>;
  /** ε (absolute unless `relative`), one or several. Default 1e-3. */
  eps?: number | number[];
  relative?: boolean;
  /** Quadrature weights, one per probe row. Default: all 1. */
  weights?: ArrayLike<number>;
  /** Scalar factor on the Gram (the domain measure). Default 1. */
  scale?: number;
  /** Subtract weighted column means of the activations first. Default false. */
  center?: boolean;
  /** How often to measure. Default { epochs: 1 }. */
  every?: { epochs: number } | { batches: number };
  /** Which measures go into each record. Default ['epsRank']; λ_max is always there. */
  measures?: MeasureName[];
  /** A JSON Lines file: truncated at construction, one record appended per line as it arrives. */
  log?: string;
  /** Called with each record, in step order. If it throws, training goes on and the error is reported once. */
  onRecord?: (record: RankRecord) => void;
  /** Where errors from onRecord or a measurement go. Default: console.warn, once per kind of error. */
  onError?: (error: unknown) => void;
  /**
   * Measurements computing at once. When full, 'skip' (default) skips the new
   * measurement and counts it in the next record's `skipped`; 'wait' holds
   * training until one finishes.
   */
  queue?: { max?: number; policy?: 'skip' | 'wait' };
  /**
   * Where the Gram is formed. 'auto' (default): on the device for GPU backends
   * ('tensorflow', 'webgl', 'webgpu'), downloading only n×n numbers; on the
   * host (native, float64) otherwise.
   */
  gram?: 'auto' | 'device' | 'host';
  /** Probe rows per forward pass; larger probes stream through a GramAccumulator. Default: all rows at once. */
  probeChunk?: number;
  /** Measure once before the first epoch (step 0, loss null). Default true. */
  atStart?: boolean;
  /** Store the eigenvalues (descending) in each record, for spectrum plots. Default true. */
  spectrum?: boolean;
  /** A TensorBoard logdir: each record's values as scalars (see src/tensorboard/run-board.ts), the staircase as text on flush(). */
  tensorboard?: string;
}

export interface RankRecord {
  /** Epochs completed (epoch mode) or batches completed (batch mode); 0 before training. */
  step: number;
  epoch: number;
  batch?: number;
  loss: number | null;
  layer: string;
  /** Neurons of the layer and probe rows. */
  n: number;
  N: number;
  /** Counts keyed by String(ε). */
  epsRank: Record<string, number>;
  numericalRank?: number;
  entropyRank?: number;
  stableRank?: number;
  participationRatio?: number;
  approximateRank?: number;
  /** Largest eigenvalue of M; null when the counts came from inertia (route 'inertia') and no eigenvalues were computed. */
  lambdaMax: number | null;
  /** 'gram-host' (Gram formed natively on the host), 'gram-device' (float32 Gram on the tfjs device) or 'svd'. */
  method: 'gram-host' | 'gram-device' | 'svd';
  /** How the counts were obtained: inertia of M − εI, eigenvalues of the Gram, or the SVD of the features. */
  route?: 'inertia' | 'eigen' | 'svd';
  /** The matrix decomposed: the n×n Gram ('primal'), the N×N dual kernel ('dual'), or the features ('svd'). */
  side?: 'primal' | 'dual' | 'svd';
  /** Precision of that Gram or SVD. */
  dtype?: 'float32' | 'float64';
  /** Whether the method resolves every ε (ε ≥ its resolution × λ_max). */
  resolved: boolean;
  /** Milliseconds from the forward pass to the finished measurement. */
  ms: number;
  /** Measurements skipped since the previous record because the queue was full. */
  skipped: number;
  eigenvalues?: number[];
}

export interface ResolvedOptions {
  tf: TfNamespace;
  model: LayersModelLike;
  probe: TensorLike;
  layers: LayerLike[];
  eps: number[];
  relative: boolean;
  weights: Float64Array | undefined;
  scale: number;
  center: boolean;
  every: { unit: 'epochs' | 'batches'; count: number };
  measures: Set<MeasureName>;
  log: string | undefined;
  onRecord: ((record: RankRecord) => void) | undefined;
  onError: ((error: unknown) => void) | undefined;
  queueMax: number;
  queuePolicy: 'skip' | 'wait';
  gram: 'auto' | 'device' | 'host';
  probeChunk: number;
  atStart: boolean;
  spectrum: boolean;
  tensorboard: string | undefined;
}

function positiveInteger(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw invalidArgument(`${what} must be a positive integer, got ${describe(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(v as T)) throw invalidArgument(`${what} must be one of ${allowed.join(', ')}, got ${describe(v)}`);
  return v as T;
}

/** Layers whose outputs are not model outputs and that are not input layers. */
export function hiddenLayers(model: LayersModelLike): LayerLike[] {
  const outputs = new Set(model.outputs);
  return model.layers.filter((l) => {
    if (l.getClassName() === 'InputLayer') return false;
    const out = Array.isArray(l.output) ? l.output : [l.output];
    return !out.some((o) => outputs.has(o));
  });
}

function resolveLayers(model: LayersModelLike, spec: RankTrackerOptions['layers']): LayerLike[] {
  const hidden = hiddenLayers(model);
  if (spec === undefined || spec === 'last-hidden') {
    if (hidden.length === 0) throw invalidArgument('the model has no hidden layer');
    return [hidden[hidden.length - 1]!];
  }
  if (spec === 'all-hidden') {
    if (hidden.length === 0) throw invalidArgument('the model has no hidden layer');
    return hidden;
  }
  if (!Array.isArray(spec) || spec.length === 0) {
    throw invalidArgument(`layers must be 'last-hidden', 'all-hidden' or a non-empty array of names/indices, got ${describe(spec)}`);
  }
  return spec.map((s) => {
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < 0 || s >= model.layers.length) {
        throw invalidArgument(`layer index ${s} is out of range (the model has ${model.layers.length} layers)`);
      }
      return model.layers[s]!;
    }
    const found = model.layers.find((l) => l.name === s);
    if (!found) throw invalidArgument(`unknown layer '${String(s)}'; the model has: ${model.layers.map((l) => l.name).join(', ')}`);
    return found;
  });
}

function checkProbe(model: LayersModelLike, probe: TensorLike): void {
  if (!probe || !Array.isArray(probe.shape) || typeof probe.dispose !== 'function') {
    throw invalidArgument(`probe must be a tf.Tensor, got ${describe(probe)}`);
  }
  if (probe.isDisposed) throw invalidArgument('probe has been disposed');
  const expected = model.inputs[0]?.shape;
  if (!expected) throw invalidArgument('the model is not built (it has no inputs): give its first layer an inputShape');
  const ok = probe.shape.length === expected.length && probe.shape[0]! >= 1 &&
    expected.every((d, i) => i === 0 || d === null || d === probe.shape[i]);
  if (!ok) {
    throw invalidArgument(`probe has shape [${probe.shape.join(', ')}], the model expects [${expected.map((d) => d ?? 'N').join(', ')}]`);
  }
}

export function resolveOptions(o: RankTrackerOptions): ResolvedOptions {
  if (o === null || typeof o !== 'object') throw invalidArgument('RankTracker needs an options object');
  const { tf, model, probe } = o;
  if (!tf || typeof tf.tidy !== 'function' || typeof tf.model !== 'function') {
    throw invalidArgument('options.tf must be the tfjs namespace (import * as tf from "@tensorflow/tfjs")');
  }
  if (!model || !Array.isArray(model.layers) || typeof model.predict !== 'function') {
    throw invalidArgument('options.model must be a tf.LayersModel');
  }
  checkProbe(model, probe);
  const N = probe.shape[0]!;
  const epsList = o.eps === undefined ? [1e-3] : Array.isArray(o.eps) ? o.eps : [o.eps];
  if (epsList.length === 0) throw invalidArgument('eps must not be empty');
  for (const e of epsList) {
    if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) throw invalidArgument(`eps must be finite and > 0, got ${describe(e)}`);
  }
  const scale = o.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) throw invalidArgument(`scale must be finite and > 0, got ${describe(scale)}`);
  let every: ResolvedOptions['every'] = { unit: 'epochs', count: 1 };
  if (o.every !== undefined) {
    if ('epochs' in o.every) every = { unit: 'epochs', count: positiveInteger(o.every.epochs, 'every.epochs') };
    else if ('batches' in o.every) every = { unit: 'batches', count: positiveInteger(o.every.batches, 'every.batches') };
    else throw invalidArgument(`every must be { epochs: K } or { batches: K }, got ${describe(o.every)}`);
  }
  const measures = new Set<MeasureName>(['epsRank']);
  for (const m of o.measures ?? []) measures.add(oneOf(m, MEASURES, 'measures[]'));
  for (const [name, f] of [['onRecord', o.onRecord], ['onError', o.onError]] as const) {
    if (f !== undefined && typeof f !== 'function') throw invalidArgument(`${name} must be a function`);
  }
  if (o.log !== undefined && (typeof o.log !== 'string' || o.log === '')) throw invalidArgument('log must be a file path');
  if (o.tensorboard !== undefined && (typeof o.tensorboard !== 'string' || o.tensorboard === '')) throw invalidArgument('tensorboard must be a directory path');
  return {
    tf,
    model,
    probe,
    layers: resolveLayers(model, o.layers),
    eps: epsList,
    relative: o.relative ?? false,
    weights: o.weights === undefined ? undefined : toWeights(o.weights, N, 'weights'),
    scale,
    center: o.center ?? false,
    every,
    measures,
    log: o.log,
    onRecord: o.onRecord,
    onError: o.onError,
    queueMax: o.queue?.max === undefined ? 2 : positiveInteger(o.queue.max, 'queue.max'),
    queuePolicy: oneOf(o.queue?.policy ?? 'skip', ['skip', 'wait'] as const, 'queue.policy'),
    gram: oneOf(o.gram ?? 'auto', ['auto', 'device', 'host'] as const, 'gram'),
    probeChunk: o.probeChunk === undefined ? N : positiveInteger(o.probeChunk, 'probeChunk'),
    atStart: o.atStart ?? true,
    spectrum: o.spectrum ?? true,
    tensorboard: o.tensorboard,
  };
}
