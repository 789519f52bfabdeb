/** Validation of RankTracker options: everything is checked before training starts. */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { checkOneOf, checkPositive, checkPositiveInteger, optionalBoolean, readOptions, requireOptions, toWeights } from '../core/options.js';
import type { LayerLike, LayersModelLike, TensorLike, TfNamespace } from './types.js';

/**
 * How a layer output with spatial or sequence axes, [N, …positions, C],
 * becomes an N×n feature matrix (outputs of rank 2 are the same in every mode):
 * - 'flatten' (default, the paper's ε-rank): every unit at every position is one
 *   function of the input: N rows of positions·C neurons.
 * - 'channels': positions become extra sample points: N·positions rows of C
 *   neurons, each sample's weight spread evenly over its positions.
 * - 'pool': the global mean over positions: N rows of C neurons.
 */
export const FEATURE_MODES = ['flatten', 'channels', 'pool'] as const;
export type FeatureMode = (typeof FEATURE_MODES)[number];

/** One tracked layer with its own options: `{ layer: 'conv2', features: 'channels' }`. */
export interface LayerSpec {
  /** A layer name or an index into model.layers. */
  layer: string | number;
  features?: FeatureMode;
}

export const MEASURES = ['epsRank', 'numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank'] as const;
export type MeasureName = (typeof MEASURES)[number];

export interface RankTrackerOptions {
  /** The caller's tfjs namespace: @tensorflow/tfjs, tfjs-node or tfjs-node-gpu. */
  tf: TfNamespace;
  /** A built tf.LayersModel (Sequential or functional). */
  model: LayersModelLike;
  /** Probe inputs (the quadrature points), shape [N, …input shape]. The tracker does not dispose it. */
  probe: TensorLike;
  /** 'last-hidden' (default), 'all-hidden', or layer names / indices into model.layers / LayerSpecs with per-layer options. */
  layers?: 'last-hidden' | 'all-hidden' | Array<string | number | LayerSpec>;
  /** How outputs with spatial or sequence axes become features (see FEATURE_MODES). Default 'flatten'. */
  features?: FeatureMode;
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
  /**
   * A JSON Lines file, one record per line as it arrives. Created, or
   * truncated, at construction unless `appendLog`. A path another live
   * tracker is writing is refused (ERR_LOG_IN_USE) until that one's close().
   */
  log?: string;
  /** Append to an existing log instead of truncating it. Default false. */
  appendLog?: boolean;
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
  /**
   * Who computes the activations. 'auto' (default): effrank, natively from a
   * snapshot of the weights, for layers at the end of a chain of Dense and
   * activation layers from the model's input (Dropout, noise and Flatten
   * pass through) whose Gram is formed on the host, when the probe is not
   * chunked; tfjs's predict() otherwise. The native pass runs beside
   * training instead of on its thread, in float32 as tfjs does: counts can
   * differ from predict()'s only where an eigenvalue is within float32
   * rounding of ε. 'native' requires it (ERR_INVALID_ARGUMENT naming the
   * layer that cannot be); 'tfjs' always uses predict().
   */
  forward?: 'auto' | 'native' | 'tfjs';
  /** Probe rows per forward pass; larger probes stream through a GramAccumulator. Default: all rows at once. */
  probeChunk?: number;
  /** Measure once before the first epoch (step 0, loss null). Default true. */
  atStart?: boolean;
  /**
   * Store the eigenvalues (descending) in records, for spectrum plots: true
   * (default) in every record, { every: K } in every K-th measurement (the
   * first included), false never. Measurements without them and without
   * spectral measures count a single absolute ε by inertia, which is cheaper
   * than eigenvalues at real widths; their lambdaMax is then null.
   */
  spectrum?: boolean | { every: number };
  /** A TensorBoard logdir: each record's values as scalars (see src/tensorboard/run-board.ts), the staircase as text on flush(). */
  tensorboard?: string;
}

export interface RankRecord {
  /**
   * The tracker's own count of epochs (epoch mode) or batches (batch mode)
   * seen, across every fit() call it has watched; 0 before training.
   */
  step: number;
  /** Epochs completed as tfjs numbers them (includes fit's initialEpoch). */
  epoch: number;
  batch?: number;
  loss: number | null;
  layer: string;
  /** Neurons of the layer and probe rows. */
  n: number;
  N: number;
  /**
   * Counts keyed by String(ε) of the ε as given (1e-6 → '0.000001'); look
   * them up with rankAt(record, eps), which accepts any spelling of ε.
   */
  epsRank: Record<string, number>;
  /** How the layer output became features (see FEATURE_MODES). */
  features?: FeatureMode;
  numericalRank?: number;
  entropyRank?: number;
  stableRank?: number;
  participationRatio?: number;
  approximateRank?: number;
  /** Largest eigenvalue of M; null when the counts came from inertia (route 'inertia') and no eigenvalues were computed. */
  lambdaMax: number | null;
  /** 'gram-host' (Gram formed natively on the host), 'gram-device' (float32 Gram on the tfjs device) or 'svd'. */
  method: 'gram-host' | 'gram-device' | 'svd';
  /** Who computed the activations: tfjs's predict(), or effrank's native dense-chain pass (see the `forward` option). */
  forward?: 'tfjs' | 'native';
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
  /** Per tracked layer, parallel to `layers`. */
  layerFeatures: FeatureMode[];
  eps: number[];
  relative: boolean;
  weights: Float64Array | undefined;
  scale: number;
  center: boolean;
  every: { unit: 'epochs' | 'batches'; count: number };
  measures: Set<MeasureName>;
  log: string | undefined;
  appendLog: boolean;
  onRecord: ((record: RankRecord) => void) | undefined;
  onError: ((error: unknown) => void) | undefined;
  queueMax: number;
  queuePolicy: 'skip' | 'wait';
  gram: 'auto' | 'device' | 'host';
  forward: 'auto' | 'native' | 'tfjs';
  probeChunk: number;
  atStart: boolean;
  /** Every how many measurements eigenvalues are stored; 0 = never. */
  spectrumEvery: number;
  tensorboard: string | undefined;
}

/** How many times a layer is applied in its model (its inbound nodes); 1 for most. */
function applications(l: LayerLike): number {
  const nodes = (l as { inboundNodes?: unknown[] }).inboundNodes;
  return Array.isArray(nodes) ? nodes.length : 1;
}

/**
 * Layers whose outputs are not model outputs and that are not input layers.
 * A layer applied more than once (a shared layer) has no single output to
 * measure and is left out.
 */
export function hiddenLayers(model: LayersModelLike): LayerLike[] {
  const outputs = new Set(model.outputs);
  return model.layers.filter((l) => {
    if (l.getClassName() === 'InputLayer' || applications(l) !== 1) return false;
    const out = Array.isArray(l.output) ? l.output : [l.output];
    return !out.some((o) => outputs.has(o));
  });
}

const RANK_TRACKER_KEYS = [
  'tf', 'model', 'probe', 'layers', 'features', 'eps', 'relative', 'weights', 'scale', 'center', 'every', 'measures',
  'log', 'appendLog', 'onRecord', 'onError', 'queue', 'gram', 'forward', 'probeChunk', 'atStart', 'spectrum', 'tensorboard',
] as const satisfies readonly (keyof RankTrackerOptions)[];

function layerByRef(model: LayersModelLike, s: unknown): LayerLike {
  let found: LayerLike | undefined;
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 0 || s >= model.layers.length) {
      throw invalidArgument(`layer index ${s} is out of range (the model has ${model.layers.length} layers)`);
    }
    found = model.layers[s]!;
  } else {
    if (typeof s !== 'string') throw invalidArgument(`a layer must be a name or an index into model.layers, got ${describe(s)}`);
    found = model.layers.find((l) => l.name === s);
    if (!found) throw invalidArgument(`unknown layer '${s}'; the model has: ${model.layers.map((l) => l.name).join(', ')}`);
  }
  if (applications(found) !== 1) {
    throw invalidArgument(`layer '${found.name}' is applied ${applications(found)} times in the model, so it has no single output to measure; track the layers after it`);
  }
  return found;
}

function resolveLayers(model: LayersModelLike, spec: RankTrackerOptions['layers'], features: FeatureMode): { layers: LayerLike[]; modes: FeatureMode[] } {
  const all = (layers: LayerLike[]) => ({ layers, modes: layers.map(() => features) });
  if (spec === undefined || spec === 'last-hidden' || spec === 'all-hidden') {
    const hidden = hiddenLayers(model);
    if (hidden.length === 0) throw invalidArgument('the model has no hidden layer');
    return all(spec === 'all-hidden' ? hidden : [hidden[hidden.length - 1]!]);
  }
  if (!Array.isArray(spec) || spec.length === 0) {
    throw invalidArgument(`layers must be 'last-hidden', 'all-hidden' or a non-empty array of names/indices, got ${describe(spec)}`);
  }
  const layers: LayerLike[] = [];
  const modes: FeatureMode[] = [];
  spec.forEach((s, i) => {
    if (s !== null && typeof s === 'object') {
      const o = requireOptions(s, `RankTracker layers[${i}]`, ['layer', 'features'], 'layer');
      layers.push(layerByRef(model, o.layer));
      modes.push(o.features === undefined ? features : checkOneOf(o.features, FEATURE_MODES, `layers[${i}].features`));
    } else {
      layers.push(layerByRef(model, s));
      modes.push(features);
    }
  });
  const names = layers.map((l) => l.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw invalidArgument(`layer '${twice}' is listed twice`);
  return { layers, modes };
}

function resolveSpectrum(spectrum: unknown): number {
  if (spectrum === undefined || spectrum === true) return 1;
  if (spectrum === false) return 0;
  if (spectrum !== null && typeof spectrum === 'object' && !Array.isArray(spectrum)) {
    const s = readOptions(spectrum as { every?: number }, 'RankTracker spectrum', ['every']);
    return checkPositiveInteger(s.every, 'spectrum.every');
  }
  throw invalidArgument(`spectrum must be true, false or { every: K }, got ${describe(spectrum)}`);
}

function resolveEvery(every: unknown): ResolvedOptions['every'] {
  if (every === undefined) return { unit: 'epochs', count: 1 };
  const o = requireOptions(every as { epochs?: number; batches?: number }, 'RankTracker every', ['epochs', 'batches'], 'epochs: K } or { batches: K');
  if ((o.epochs === undefined) === (o.batches === undefined)) {
    throw invalidArgument(`every must be { epochs: K } or { batches: K }, got ${describe(every)}`);
  }
  return o.epochs !== undefined
    ? { unit: 'epochs', count: checkPositiveInteger(o.epochs, 'every.epochs') }
    : { unit: 'batches', count: checkPositiveInteger(o.batches, 'every.batches') };
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

export function resolveOptions(options: RankTrackerOptions): ResolvedOptions {
  const o = requireOptions(options, 'RankTracker', RANK_TRACKER_KEYS, 'tf, model, probe');
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
  epsList.forEach((e) => checkPositive(e, 'eps'));
  const measures = new Set<MeasureName>(['epsRank']);
  if (o.measures !== undefined && !Array.isArray(o.measures)) throw invalidArgument(`measures must be an array, got ${describe(o.measures)}`);
  for (const m of o.measures ?? []) measures.add(checkOneOf(m, MEASURES, 'measures[]'));
  for (const [name, f] of [['onRecord', o.onRecord], ['onError', o.onError]] as const) {
    if (f !== undefined && typeof f !== 'function') throw invalidArgument(`${name} must be a function`);
  }
  if (o.log !== undefined && (typeof o.log !== 'string' || o.log === '')) throw invalidArgument('log must be a file path');
  if (o.tensorboard !== undefined && (typeof o.tensorboard !== 'string' || o.tensorboard === '')) throw invalidArgument('tensorboard must be a directory path');
  const queue = readOptions(o.queue, 'RankTracker queue', ['max', 'policy']);
  const features = o.features === undefined ? 'flatten' : checkOneOf(o.features, FEATURE_MODES, 'features');
  const { layers, modes } = resolveLayers(model, o.layers, features);
  if (o.forward === 'native' && o.gram === 'device') throw invalidArgument("forward 'native' forms the Gram on the host: it cannot go with gram 'device'");
  return {
    tf,
    model,
    probe,
    layers,
    layerFeatures: modes,
    eps: epsList,
    relative: optionalBoolean(o.relative, 'relative', false),
    weights: o.weights === undefined ? undefined : toWeights(o.weights, N, 'weights'),
    scale: o.scale === undefined ? 1 : checkPositive(o.scale, 'scale'),
    center: optionalBoolean(o.center, 'center', false),
    every: resolveEvery(o.every),
    measures,
    log: o.log,
    appendLog: optionalBoolean(o.appendLog, 'appendLog', false),
    onRecord: o.onRecord,
    onError: o.onError,
    queueMax: queue.max === undefined ? 2 : checkPositiveInteger(queue.max, 'queue.max'),
    queuePolicy: queue.policy === undefined ? 'skip' : checkOneOf(queue.policy, ['skip', 'wait'] as const, 'queue.policy'),
    gram: o.gram === undefined ? 'auto' : checkOneOf(o.gram, ['auto', 'device', 'host'] as const, 'gram'),
    forward: o.forward === undefined ? 'auto' : checkOneOf(o.forward, ['auto', 'native', 'tfjs'] as const, 'forward'),
    probeChunk: o.probeChunk === undefined ? N : checkPositiveInteger(o.probeChunk, 'probeChunk'),
    atStart: optionalBoolean(o.atStart, 'atStart', true),
    spectrumEvery: resolveSpectrum(o.spectrum),
    tensorboard: o.tensorboard,
  };
}
