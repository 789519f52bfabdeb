/**
 * Tracked layers that sit at the end of a plain chain of dense layers from
 * the model's input (Dense, activation layers, batch and layer normalization,
 * and layers that are the identity at inference: Dropout, noise, Flatten) get their activations
 * from native/forward.hpp instead of a tfjs forward pass. The pass runs on
 * effrank's queue, beside training, in float32 as tfjs computes it; on the
 * training thread only the weights are read (n_in·n_out numbers per layer,
 * against N·n activations and a forward pass).
 */
import { type DenseActivation, DENSE_ACTIVATIONS, type DenseStep, denseForwardAsync } from '../linalg/dense-forward.js';
import type { LayerLike, LayersModelLike, TensorLike } from './types.js';

/** Layers that compute nothing at inference time. */
const IDENTITY_LAYERS = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'Flatten', 'InputLayer']);

type StepWeights = Pick<DenseStep, 'kernel' | 'bias' | 'offset' | 'scale'>;

/** What one layer of the chain does, with the weights it reads at each pass. */
interface Link {
  layer: LayerLike;
  /** null for identity layers. */
  step: Omit<DenseStep, 'kernel' | 'bias' | 'offset' | 'scale' | 'output'> | null;
  /** Reads the layer's current weights (at each pass, on the training thread). */
  read?: () => Promise<StepWeights>;
}

const values = async (t: TensorLike | null | undefined) => (t ? toFloat32(await t.data()) : null);

/**
 * Batch normalization at inference as tfjs computes it: (x − μ)·a + β with
 * a = γ/√(σ² + ε) (a in float64, stored as float32). μ is subtracted first,
 * not folded into the shift: x·a − μ·a would cancel when |μ| ≫ σ.
 */
async function batchNormStep(weights: TensorLike[], hasGamma: boolean, hasBeta: boolean, epsilon: number): Promise<StepWeights> {
  const list = [...weights];
  const gamma = hasGamma ? await values(list.shift()) : null;
  const beta = hasBeta ? await values(list.shift()) : null;
  const mean = (await values(list.shift()))!;
  const variance = (await values(list.shift()))!;
  const scale = new Float32Array(mean.length);
  for (let j = 0; j < mean.length; j++) scale[j] = (gamma ? gamma[j]! : 1) / Math.sqrt(variance[j]! + epsilon);
  return { kernel: null, offset: mean, scale, bias: beta };
}

interface LayerInternals extends LayerLike {
  getConfig?(): Record<string, unknown>;
  getWeights?(): TensorLike[];
  inboundNodes?: { inboundLayers: LayerInternals[]; inputTensors: unknown[] }[];
  input?: { shape: (number | null)[] } | unknown[];
  dataFormat?: string;
}

function activationOf(name: unknown): DenseActivation | null {
  return typeof name === 'string' && (DENSE_ACTIVATIONS as readonly string[]).includes(name) && name !== 'leakyReLU'
    ? (name as DenseActivation)
    : null;
}

function inputShape(layer: LayerInternals): (number | null)[] | null {
  const input = layer.input;
  if (!input || Array.isArray(input)) return null;
  return (input as { shape: (number | null)[] }).shape;
}

/** The chain link for one layer, or why there is none. */
function linkOf(layer: LayerInternals): Link | string {
  const cls = layer.getClassName();
  const config = layer.getConfig?.() ?? {};
  const name = `layer '${layer.name}' (${cls})`;
  if (IDENTITY_LAYERS.has(cls)) {
    if (cls === 'Flatten' && (layer.dataFormat === 'channelsFirst' || config.dataFormat === 'channelsFirst')) return `${name} reorders channels first`;
    return { layer, step: null };
  }
  const shape = inputShape(layer);
  const width = shape?.at(-1);
  if (!shape || shape.length !== 2 || typeof width !== 'number') return `${name} does not take a rank-2 input of fixed width`;
  const simple = (activation: DenseActivation | null, alpha = 1): Link | string =>
    activation ? { layer, step: { inputs: width, units: width, activation, alpha } } : `${name} has an activation effrank does not compute`;
  switch (cls) {
    case 'Dense': {
      const activation = activationOf(config.activation ?? 'linear');
      if (!activation) return `${name} has activation '${String(config.activation)}', which effrank does not compute`;
      const weights = layer.getWeights?.() ?? [];
      const units = Number(config.units);
      const [kernel, bias] = weights;
      const useBias = config.useBias !== false;
      const shapeOk = kernel && kernel.shape.length === 2 && kernel.shape[0] === width && kernel.shape[1] === units &&
        weights.length === (useBias ? 2 : 1) && (!useBias || (bias!.shape.length === 1 && bias!.shape[0] === units));
      if (!shapeOk || weights.some((w) => w.dtype !== 'float32')) return `${name} has weights of an unexpected shape or dtype`;
      return {
        layer,
        step: { inputs: width, units, activation },
        read: async () => ({ kernel: await values(kernel), bias: useBias ? await values(bias) : null }),
      };
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : config.axis;
      if (axis !== -1 && axis !== 1) return `${name} does not normalize the last axis`;
      const epsilon = Number(config.epsilon ?? 1e-3);
      const hasGamma = config.scale !== false;
      const hasBeta = config.center !== false;
      const weights = layer.getWeights?.() ?? [];
      const expected = Number(hasGamma) + Number(hasBeta) + (cls === 'BatchNormalization' ? 2 : 0);
      if (weights.length !== expected || weights.some((w) => w.shape.length !== 1 || w.shape[0] !== width || w.dtype !== 'float32') || !(epsilon >= 0)) {
        return `${name} has weights of an unexpected shape or dtype`;
      }
      const step = { inputs: width, units: width, activation: 'linear' as const };
      if (cls === 'BatchNormalization') return { layer, step, read: () => batchNormStep(weights, hasGamma, hasBeta, epsilon) };
      return {
        layer,
        step: { ...step, normalize: true, epsilon },
        read: async () => ({ kernel: null, scale: hasGamma ? await values(weights[0]) : null, bias: hasBeta ? await values(weights[hasGamma ? 1 : 0]) : null }),
      };
    }
    case 'Activation':
      return simple(activationOf(config.activation));
    case 'ReLU':
      return config.maxValue == null ? simple('relu') : config.maxValue === 6 ? simple('relu6') : `${name} has a maxValue other than 6`;
    case 'LeakyReLU':
      return simple('leakyReLU', typeof config.alpha === 'number' ? config.alpha : 0.3);
    case 'ELU':
      return simple('elu', typeof config.alpha === 'number' ? config.alpha : 1);
    case 'Softmax':
      return config.axis === undefined || config.axis === -1 || config.axis === 1 ? simple('softmax') : `${name} is not over the last axis`;
    default:
      return `${name} is not a dense-chain layer`;
  }
}

/** The links from the model's input to `layer`, in order, or why it is not such a chain. */
function chainTo(model: LayersModelLike, layer: LayerInternals): Link[] | string {
  if (model.inputs.length !== 1) return 'the model has several inputs';
  const source = (model.inputs[0] as { sourceLayer?: unknown }).sourceLayer;
  const links: Link[] = [];
  let at: LayerInternals = layer;
  for (let guard = 0; guard < 10000; guard++) {
    const nodes = at.inboundNodes ?? [];
    if (at.getClassName() !== 'InputLayer' && nodes.length !== 1) return `layer '${at.name}' is applied ${nodes.length} times`;
    let link: Link | string;
    try {
      link = linkOf(at);
    } catch (e) {
      // A custom or shared layer whose config or input cannot be read: tfjs computes it.
      link = `layer '${at.name}' cannot be inspected (${e instanceof Error ? e.message : String(e)})`;
    }
    if (typeof link === 'string') return link;
    links.unshift(link);
    if (at.getClassName() === 'InputLayer') return at === source ? links : `layer '${at.name}' is not the model's input`;
    const [node] = nodes;
    if (node!.inboundLayers.length !== 1 || node!.inputTensors.length !== 1) return `layer '${at.name}' has several inputs`;
    at = node!.inboundLayers[0]!;
  }
  return 'the chain is too long';
}

/**
 * The native forward pass for some of a model's tracked layers: those whose
 * chain from the input qualifies. Layers on one chain share one pass.
 */
export class DenseChain {
  /** The longest chain; shorter ones are prefixes of it (else a layer is not covered). */
  readonly #links: Link[] = [];
  /** Per tracked layer: the index into #links of its last link, or -1 (not covered). */
  readonly #ends: number[];
  /** Per tracked layer: why it is not covered, when it is not. */
  readonly reasons: (string | null)[];
  #probe: Float32Array | null = null;

  constructor(model: LayersModelLike, layers: readonly LayerLike[]) {
    // Only rank-2 outputs: wider ones have feature modes ('channels', 'pool'), which predict()'s path applies.
    const chains = layers.map((l) => {
      const rank = (Array.isArray(l.output) ? undefined : l.output)?.shape.length;
      return rank === 2 ? chainTo(model, l as LayerInternals) : `layer '${l.name}' has an output of rank ${rank ?? '?'}, not 2`;
    });
    const longest = chains.reduce<Link[]>((a, c) => (typeof c !== 'string' && c.length > a.length ? c : a), []);
    this.#links = longest;
    this.reasons = chains.map((c) => {
      if (typeof c === 'string') return c;
      return c.every((link, i) => longest[i]?.layer === link.layer) ? null : 'it is on another branch than the other tracked layers';
    });
    this.#ends = chains.map((c, i) => (this.reasons[i] === null ? (c as Link[]).length - 1 : -1));
  }

  covers(i: number): boolean {
    return this.#ends[i]! >= 0;
  }

  /**
   * Reads the probe (once) and the current weights, then queues the pass for
   * tracked layers `which` (all covered). Resolves once the inputs are
   * copied, with the promise of each layer's N×n activations.
   */
  async start(probe: TensorLike, which: readonly number[], maxThreads: number): Promise<Promise<Float32Array>[]> {
    const N = probe.shape[0]!;
    this.#probe ??= Float32Array.from(await probe.data());
    const last = Math.max(...which.map((i) => this.#ends[i]!));
    const wanted = new Set(which.map((i) => this.#ends[i]!));
    const steps: DenseStep[] = [];
    const stepOfLink = new Map<number, number>();
    for (let k = 0; k <= last; k++) {
      const link = this.#links[k]!;
      if (link.step) steps.push({ ...link.step, kernel: null, bias: null, ...(await link.read?.()) });
      if (!wanted.has(k)) continue;
      if (steps.length === 0) {
        // The probe itself (only identity layers so far): pass it through as 'linear'.
        const width = this.#probe.length / N;
        steps.push({ inputs: width, units: width, activation: 'linear', kernel: null, bias: null });
      }
      steps[steps.length - 1]!.output = true;
      stepOfLink.set(k, steps.filter((s) => s.output).length - 1);
    }
    const pass = denseForwardAsync(this.#probe, N, steps, maxThreads);
    return which.map((i) => pass.then((outputs) => outputs[stepOfLink.get(this.#ends[i]!)!]!));
  }
}

/** tfjs hands float32 values as a Float32Array on every backend; anything else is converted. */
function toFloat32(values: ArrayLike<number>): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
