/**
 * RankTracker: the ε-rank (and friends) of hidden layers while a tfjs model
 * trains. Layers at the end of a dense chain are computed from a snapshot of
 * the weights by a native forward pass (src/tfjs/dense-chain.ts); others by
 * a tfjs forward pass on the main thread (tfjs needs it). Everything after
 * that runs on effrank's native queue while training continues. Records are
 * delivered in step order.
 */
import { fromNativeError, invalidArgument } from '../core/errors.js';
import { type Staircase, type StaircaseOptions, detectStaircase } from '../analysis/staircase.js';
import { FeatureExtractor, type LayerFeatures, hostFeatures, wantsDeviceGram } from './extract.js';
import { RunBoard } from '../tensorboard/run-board.js';
import { JsonlLog } from './jsonl.js';
import { queuedJobs } from '../linalg/backend.js';
import { measureLayer, measurementThreads } from './measure.js';
import { type RankRecord, type RankTrackerOptions, type ResolvedOptions, resolveOptions } from './options.js';

interface Logs {
  loss?: number;
  [key: string]: unknown;
}

/**
 * What tracker.callback() returns: a tf.CustomCallback of the caller's tfjs
 * (so it mixes with tf.callbacks.earlyStopping and other BaseCallbacks in any
 * order) when the namespace has one, a plain callback object otherwise.
 */
export interface TrackerCallback {
  onTrainBegin: (logs?: Logs) => Promise<void>;
  onEpochEnd: (epoch: number, logs?: Logs) => Promise<void>;
  onBatchEnd: (batch: number, logs?: Logs) => Promise<void>;
  onTrainEnd: (logs?: Logs) => Promise<void>;
}

interface Moment {
  step: number;
  epoch: number;
  batch?: number;
  loss: number | null;
}

/**
 * force: never skipped (the closing record). patient: the caller takes no
 * event-loop turns of its own (fit's callbacks, a custom loop's observe()),
 * so admission may take a few for finished jobs to be handed on.
 */
interface Admission {
  force?: boolean;
  patient?: boolean;
}

type FeatureSource = Record<string, { data(): Promise<ArrayLike<number>>; shape: number[] }>;

/** Between event-loop turns taken for in-flight measurements during fit (see #pump). */
const PUMP_INTERVAL_MS = 20;
/** Turns #admit takes at most for finished jobs to be handed on. */
const MAX_ADMIT_TURNS = 16;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const CALLBACK_METHODS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onYield'] as const;

export class RankTracker {
  readonly records: RankRecord[] = [];
  /** Errors from onRecord, onError, the log or measurements, in the order they happened. */
  readonly errors: unknown[] = [];
  readonly #o: ResolvedOptions;
  readonly #extractor: FeatureExtractor;
  readonly #log: JsonlLog | null;
  readonly #board: RunBoard | null;
  #device: boolean[];
  /** One entry per admitted measurement, from admission until its job settles; never rejects. */
  #inFlight = new Set<Promise<void>>();
  #delivery: Promise<void> = Promise.resolve();
  #skipped = 0;
  /** Measurements scheduled so far (sets which ones store eigenvalues). */
  #measurements = 0;
  /** Skips since the last record: reported in the next one. */
  #pendingSkips = 0;
  /** The tracker's own count of epochs or batches (the `every` unit) seen over all fits. */
  #steps = 0;
  /** Epochs completed as tfjs numbers them, and the last loss it handed over. */
  #tfEpoch = 0;
  #lastLoss: number | null = null;
  #lastStep = -1;
  #closed = false;
  #lastPump = 0;
  #reported = new Set<string>();

  constructor(options: RankTrackerOptions) {
    this.#o = resolveOptions(options);
    this.#extractor = new FeatureExtractor(this.#o);
    this.#device = this.#o.layers.map(() => this.#o.forward !== 'native' && wantsDeviceGram(this.#o));
    this.#log = this.#o.log ? new JsonlLog(this.#o.log, this.#o.appendLog) : null;
    this.#board = this.#o.tensorboard ? new RunBoard(this.#o.tensorboard) : null;
  }

  /** The layers tracked, by name. */
  get layers(): string[] {
    return this.#o.layers.map((l) => l.name);
  }

  /** Measurements skipped so far because the queue was full. */
  get skipped(): number {
    return this.#skipped;
  }

  /**
   * Records in `records` (all of which onRecord saw) that are not in the log:
   * 0 unless a write failed (a full disk), after which logging stops.
   */
  get unlogged(): number {
    return this.#log ? this.records.length - this.#log.written : 0;
  }

  /**
   * The model.fit / fitDataset callback. With the caller's tf.CustomCallback
   * it is a real tfjs BaseCallback, so it can sit beside earlyStopping or any
   * other BaseCallback in one `callbacks` array, in any order; wrap plain
   * callback objects of your own in `new tf.CustomCallback({...})` when you
   * mix them with it (tfjs decides from the first entry how to treat all).
   */
  callback(): TrackerCallback {
    const { every } = this.#o;
    let params: { initialEpoch?: unknown } | undefined;
    const hooks: TrackerCallback = {
      onTrainBegin: async () => {
        const initial = params?.initialEpoch;
        if (typeof initial === 'number' && Number.isSafeInteger(initial) && initial >= 0) this.#tfEpoch = initial;
        if (this.#o.atStart && this.#lastStep < 0) await this.#measure({ step: 0, epoch: this.#tfEpoch, loss: null }, { patient: true });
      },
      onEpochEnd: async (epoch, logs) => {
        this.#tfEpoch = epoch + 1;
        if (every.unit !== 'epochs') return;
        this.#lastLoss = lossOf(logs) ?? this.#lastLoss;
        this.#steps++;
        if (this.#steps % every.count === 0) await this.#measure({ step: this.#steps, epoch: this.#tfEpoch, loss: lossOf(logs) }, { patient: true });
      },
      onBatchEnd: async (batch, logs) => {
        await this.#pump();
        if (every.unit !== 'batches') return;
        this.#lastLoss = lossOf(logs) ?? this.#lastLoss;
        this.#steps++;
        if (this.#steps % every.count === 0) await this.#measure({ step: this.#steps, epoch: this.#tfEpoch, batch, loss: lossOf(logs) }, { patient: true });
      },
      onTrainEnd: async () => {
        // Close the series at the final state if its last step was not measured.
        if (this.#steps > this.#lastStep) await this.#measure({ step: this.#steps, epoch: this.#tfEpoch, loss: this.#lastLoss }, { patient: true, force: true });
      },
    };
    const Custom = (this.#o.tf as { CustomCallback?: new (args: object, yieldEvery?: unknown) => object }).CustomCallback;
    if (typeof Custom !== 'function') return hooks;
    // 'never': the tracker adds no yields of its own to the training loop.
    const cb = new Custom(hooks, 'never') as Record<string, unknown> & { setParams?: (p: object) => void };
    const setParams = cb.setParams;
    if (typeof setParams === 'function') {
      cb.setParams = (p: object) => {
        params = p as typeof params;
        setParams.call(cb, p);
      };
    }
    // Own, bound copies of the methods: when fit wraps every entry of a list
    // whose first entry is a plain object, it copies these off the instance,
    // and unbound prototype methods would then call themselves.
    for (const name of CALLBACK_METHODS) {
      const f = cb[name];
      if (typeof f === 'function') cb[name] = f.bind(cb);
    }
    return cb as unknown as TrackerCallback;
  }

  /** For custom loops (optimizer.minimize): measure now, from `model` and `probe`. */
  async observe(moment: { step: number; loss?: number | null; epoch?: number }): Promise<void> {
    await this.#measure({ step: moment.step, epoch: moment.epoch ?? moment.step, loss: moment.loss ?? null }, { patient: true });
  }

  /**
   * For loops that already hold the activations: `features` maps tracked
   * layer names to [N, …] tensors (not disposed here), read in each layer's
   * feature mode. Subject to `queue` like every measurement: with a full
   * queue it is skipped ('skip', counted in the next record's `skipped`) or
   * waits ('wait') before reading the tensors.
   */
  async observeFeatures(moment: { step: number; loss?: number | null; epoch?: number; features: FeatureSource }): Promise<void> {
    const names = this.layers;
    const given = moment?.features;
    if (!given || typeof given !== 'object') throw invalidArgument('features must map layer names to tensors');
    const N = this.#o.probe.shape[0]!;
    const shapes = names.map((name) => {
      const t = given[name];
      if (!t || !Array.isArray(t.shape) || typeof t.data !== 'function') throw invalidArgument(`features has no tensor for layer '${name}'`);
      const [rows, ...rest] = t.shape;
      if (rows !== N) throw invalidArgument(`features['${name}'] has ${rows} rows, the probe ${N}`);
      if (rest.some((d) => !Number.isSafeInteger(d) || d < 1)) throw invalidArgument(`features['${name}'] has shape [${t.shape.join(', ')}]`);
      return { rows: rows!, n: rest.reduce((a, b) => a * b, 1) };
    });
    const release = await this.#admit({});
    if (!release) return;
    const t0 = performance.now();
    let layers: LayerFeatures[];
    try {
      layers = await Promise.all(
        names.map(async (name, i) => {
          const data = Float32Array.from(await given[name]!.data());
          if (data.length !== shapes[i]!.rows * shapes[i]!.n) throw invalidArgument(`features['${name}'] holds ${data.length} values, its shape says ${shapes[i]!.rows * shapes[i]!.n}`);
          return hostFeatures(name, data, given[name]!.shape, this.#o.layerFeatures[i]!, this.#o.weights);
        }),
      );
    } catch (e) {
      release();
      throw e;
    }
    this.#schedule({ step: moment.step, epoch: moment.epoch ?? moment.step, loss: moment.loss ?? null }, layers, t0, false, release);
  }

  /** Waits until every queued measurement has been recorded. Never rejects. */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await this.#delivery;
    if (this.#board) this.#guard('tensorboard', () => this.#board!.summarize(this.staircase()));
  }

  /**
   * Flushes, then closes the log (freeing its path for another tracker).
   * Later measurements are ignored. Idempotent.
   */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#log?.close();
  }

  /** The staircase of each tracked layer and ε: result[layer][String(ε)]. */
  staircase(options?: StaircaseOptions): Record<string, Record<string, Staircase>> {
    const out: Record<string, Record<string, Staircase>> = {};
    for (const layer of this.layers) {
      const series = this.records.filter((r) => r.layer === layer);
      out[layer] = {};
      for (const eps of this.#o.eps.map(String)) {
        out[layer]![eps] = detectStaircase(
          series.map((r) => ({ step: r.step, rank: r.epsRank[eps]!, loss: r.loss ?? undefined })),
          options,
        );
      }
    }
    return out;
  }

  /**
   * A queue slot for one measurement, or null when it is skipped. The slot
   * is taken before any await, so concurrent callers cannot overfill the queue.
   */
  async #admit({ force = false, patient = false }: Admission): Promise<(() => void) | null> {
    if (this.#closed) return null;
    // Finished native jobs land as macrotasks, and a measurement may be
    // several jobs in a row (forward pass, then spectrum rungs), each
    // needing an event-loop turn to be handed on. For a patient caller, a
    // full queue with effrank's job thread idle means only such turns are
    // missing: take them, so a measurement is skipped only when the
    // computing is behind.
    if (this.#inFlight.size > 0) await nextTurn();
    for (let turns = 0; patient && this.#inFlight.size >= this.#o.queueMax && turns < MAX_ADMIT_TURNS && queuedJobs() === 0; turns++) await nextTurn();
    while (this.#inFlight.size >= this.#o.queueMax) {
      if (this.#o.queuePolicy === 'skip' && !force) {
        this.#skipped++;
        this.#pendingSkips++;
        return null;
      }
      await Promise.race(this.#inFlight);
    }
    if (this.#closed) return null; // closed while this call waited for its turns
    let done!: () => void;
    const slot = new Promise<void>((resolve) => (done = resolve));
    this.#inFlight.add(slot);
    return () => {
      this.#inFlight.delete(slot);
      done();
    };
  }

  /**
   * Gives in-flight measurements an event-loop turn, at most every
   * PUMP_INTERVAL_MS, from onBatchEnd: model.fit itself never yields when
   * its callbacks are all BaseCallbacks (this one and earlyStopping, say),
   * and each native job of a measurement needs a turn to be handed on.
   */
  async #pump(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const now = performance.now();
    if (now - this.#lastPump < PUMP_INTERVAL_MS) return;
    this.#lastPump = now;
    await nextTurn();
  }

  async #measure(moment: Moment, admission: Admission): Promise<void> {
    const release = await this.#admit(admission);
    if (!release) return;
    const t0 = performance.now();
    let layers;
    try {
      layers = await this.#extractor.extract(this.#device, measurementThreads());
    } catch (e) {
      release();
      this.#report('extract', fromNativeError(e));
      return;
    }
    this.#schedule(moment, layers, t0, true, release);
  }

  #schedule(moment: Moment, layers: LayerFeatures[], t0: number, fromModel: boolean, release: () => void): void {
    this.#lastStep = Math.max(this.#lastStep, moment.step);
    const skipped = this.#pendingSkips;
    this.#pendingSkips = 0;
    // Eigenvalues for the spectrum chart every spectrumEvery-th measurement; the others may count by inertia.
    const every = this.#o.spectrumEvery;
    const eigenvalues = every > 0 && this.#measurements++ % every === 0;
    const job = Promise.all(layers.map((lf) => measureLayer(lf, this.#o, { eigenvalues })));
    const settled = job.finally(release);
    // Deliver in call order, whatever order the jobs finish in. Nothing in
    // here may reject: a rejected link would drop every later record.
    this.#delivery = this.#delivery.then(async () => {
      let measured;
      try {
        measured = await settled;
      } catch (e) {
        this.#report('measure', fromNativeError(e));
        return;
      }
      const ms = performance.now() - t0;
      measured.forEach((m, i) => {
        if (fromModel && !m.resolved && this.#device[i]) this.#device[i] = false; // next time: host path, SVD possible
        this.#deliver({ ...moment, ...m, ms, skipped });
      });
    });
  }

  #deliver(record: RankRecord): void {
    // Key order for readable logs: when, then what.
    const { step, epoch, batch, loss, ...rest } = record;
    const ordered: RankRecord = { step, epoch, ...(batch === undefined ? {} : { batch }), loss, ...rest };
    this.records.push(ordered);
    if (this.#log && !this.#log.write(ordered) && this.#log.failure) {
      const held = this.records.length;
      const failure = this.#log.failure;
      failure.message += `; logging stopped: the log holds the first ${this.#log.written} records, tracker.records all ${held} so far (tracker.unlogged counts the difference)`;
      this.#report('log', failure);
      this.#log.failure = null; // reported once; write() stays off (the log is closed below)
      this.#log.close();
    }
    if (this.#board) this.#guard('tensorboard', () => this.#board!.record(ordered));
    if (this.#o.onRecord) {
      try {
        this.#o.onRecord(ordered);
      } catch (e) {
        this.#report('onRecord', e);
      }
    }
  }

  #guard(source: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      this.#report(source, e);
    }
  }

  /**
   * Keeps every error; tells the user once per source, so nothing is
   * swallowed silently. Never throws: an onError that throws is itself kept
   * and warned about, and tracking goes on.
   */
  #report(source: string, error: unknown): void {
    this.errors.push(error);
    if (this.#reported.has(source)) return;
    this.#reported.add(source);
    const warn = (what: string, e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      console.warn(`effrank RankTracker: ${what} (training continues; further errors are kept in tracker.errors): ${message}`);
    };
    if (!this.#o.onError) {
      warn(`${source} failed`, error);
      return;
    }
    try {
      this.#o.onError(error);
    } catch (e) {
      this.errors.push(e);
      if (!this.#reported.has('onError')) {
        this.#reported.add('onError');
        warn(`onError threw while handling a ${source} error`, e);
      }
    }
  }
}

function lossOf(logs: Logs | undefined): number | null {
  const loss = logs?.loss;
  return typeof loss === 'number' && Number.isFinite(loss) ? loss : null;
}
