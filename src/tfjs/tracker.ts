/**
 * RankTracker: the ε-rank (and friends) of hidden layers while a tfjs model
 * trains. The forward pass on the probe runs on the main thread (tfjs needs
 * it); everything after the download runs on effrank's native queue while
 * training continues. Records are delivered in step order.
 */
import { fromNativeError, invalidArgument } from '../core/errors.js';
import { type Staircase, type StaircaseOptions, detectStaircase } from '../analysis/staircase.js';
import { FeatureExtractor, wantsDeviceGram } from './extract.js';
import { RunBoard } from '../tensorboard/run-board.js';
import { JsonlLog } from './jsonl.js';
import { measureLayer } from './measure.js';
import { type RankRecord, type RankTrackerOptions, type ResolvedOptions, resolveOptions } from './options.js';

interface Logs {
  loss?: number;
  [key: string]: unknown;
}

/** Plain callback object for model.fit: works with any copy of tfjs-layers. */
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

export class RankTracker {
  readonly records: RankRecord[] = [];
  /** Errors from onRecord or from measurements, in the order they happened. */
  readonly errors: unknown[] = [];
  readonly #o: ResolvedOptions;
  readonly #extractor: FeatureExtractor;
  readonly #log: JsonlLog | null;
  readonly #board: RunBoard | null;
  #device: boolean[];
  #inFlight = new Set<Promise<unknown>>();
  #delivery: Promise<void> = Promise.resolve();
  #skipped = 0;
  /** Skips since the last record: reported in the next one. */
  #pendingSkips = 0;
  #epoch = 0;
  #batches = 0;
  #lastStep = -1;
  #reported = new Set<string>();

  constructor(options: RankTrackerOptions) {
    this.#o = resolveOptions(options);
    this.#extractor = new FeatureExtractor(this.#o);
    this.#device = this.#o.layers.map(() => wantsDeviceGram(this.#o));
    this.#log = this.#o.log ? new JsonlLog(this.#o.log) : null;
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

  callback(): TrackerCallback {
    const { every } = this.#o;
    return {
      onTrainBegin: async () => {
        if (this.#o.atStart && this.#lastStep < 0) await this.#measure({ step: 0, epoch: 0, loss: null });
      },
      onEpochEnd: async (epoch, logs) => {
        this.#epoch = epoch + 1;
        if (every.unit === 'epochs' && this.#epoch % every.count === 0) {
          await this.#measure({ step: this.#epoch, epoch: this.#epoch, loss: lossOf(logs) });
        }
      },
      onBatchEnd: async (batch, logs) => {
        this.#batches++;
        if (every.unit === 'batches' && this.#batches % every.count === 0) {
          await this.#measure({ step: this.#batches, epoch: this.#epoch, batch, loss: lossOf(logs) });
        }
      },
      onTrainEnd: async () => {
        // Close the series at the final state if the last step was not measured.
        const step = every.unit === 'epochs' ? this.#epoch : this.#batches;
        if (step > this.#lastStep) {
          const last = this.records.at(-1);
          await this.#measure({ step, epoch: this.#epoch, loss: last && last.step === step ? last.loss : null }, true);
        }
      },
    };
  }

  /** For custom loops (optimizer.minimize): measure now, from `model` and `probe`. */
  async observe(moment: { step: number; loss?: number | null; epoch?: number }): Promise<void> {
    await this.#measure({ step: moment.step, epoch: moment.epoch ?? moment.step, loss: moment.loss ?? null });
  }

  /**
   * For loops that already hold the activations: `features` maps tracked layer
   * names to [N, n] tensors (not disposed here).
   */
  async observeFeatures(moment: { step: number; loss?: number | null; epoch?: number; features: Record<string, { data(): Promise<ArrayLike<number>>; shape: number[] }> }): Promise<void> {
    const names = this.layers;
    const given = moment.features;
    if (!given || typeof given !== 'object') throw invalidArgument('features must map layer names to tensors');
    const layers = await Promise.all(
      names.map(async (name) => {
        const t = given[name];
        if (!t) throw invalidArgument(`features has no tensor for layer '${name}'`);
        const [N, ...rest] = t.shape;
        const n = rest.reduce((a, b) => a * b, 1);
        if (N !== this.#o.probe.shape[0]) throw invalidArgument(`features['${name}'] has ${N} rows, the probe ${this.#o.probe.shape[0]}`);
        return { layer: name, N: N!, n, features: Float32Array.from(await t.data()) };
      }),
    );
    await this.#schedule({ step: moment.step, epoch: moment.epoch ?? moment.step, loss: moment.loss ?? null }, layers, performance.now(), false);
  }

  /** Waits until every queued measurement has been recorded. */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await this.#delivery;
    if (this.#board) this.#guard('tensorboard', () => this.#board!.summarize(this.staircase()));
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

  async #measure(moment: Moment, force = false): Promise<void> {
    // fit() yields to the event loop only every ~125 ms; one turn here lets
    // finished native jobs (delivered as macrotasks) land before we count them.
    if (this.#inFlight.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#inFlight.size >= this.#o.queueMax) {
      if (this.#o.queuePolicy === 'skip' && !force) {
        this.#skipped++;
        this.#pendingSkips++;
        return;
      }
      while (this.#inFlight.size >= this.#o.queueMax) await Promise.race(this.#inFlight);
    }
    const t0 = performance.now();
    let layers;
    try {
      layers = await this.#extractor.extract(this.#device);
    } catch (e) {
      this.#report('extract', fromNativeError(e));
      return;
    }
    await this.#schedule(moment, layers, t0, true);
  }

  async #schedule(moment: Moment, layers: Awaited<ReturnType<FeatureExtractor['extract']>>, t0: number, fromModel: boolean): Promise<void> {
    this.#lastStep = Math.max(this.#lastStep, moment.step);
    const skipped = this.#pendingSkips;
    this.#pendingSkips = 0;
    const job = Promise.all(layers.map((lf) => measureLayer(lf, this.#o, { eigenvalues: this.#o.spectrum })));
    this.#inFlight.add(job);
    const settled = job.finally(() => this.#inFlight.delete(job));
    // Deliver in call order, whatever order the jobs finish in.
    this.#delivery = this.#delivery.then(async () => {
      try {
        const measured = await settled;
        const ms = performance.now() - t0;
        measured.forEach((m, i) => {
          if (fromModel && !m.resolved && this.#device[i]) this.#device[i] = false; // next time: host path, SVD possible
          this.#deliver({ ...moment, ...m, ms, skipped });
        });
      } catch (e) {
        this.#report('measure', fromNativeError(e));
      }
    });
  }

  #deliver(record: RankRecord): void {
    // Key order for readable logs: when, then what.
    const { step, epoch, batch, loss, ...rest } = record;
    const ordered: RankRecord = { step, epoch, ...(batch === undefined ? {} : { batch }), loss, ...rest };
    this.records.push(ordered);
    this.#log?.write(ordered);
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

  /** Keeps every error; tells the user once per source, so nothing is swallowed silently. */
  #report(source: string, error: unknown): void {
    this.errors.push(error);
    if (this.#reported.has(source)) return;
    this.#reported.add(source);
    if (this.#o.onError) {
      this.#o.onError(error);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.warn(`effrank RankTracker: ${source} failed (training continues; further ${source} errors are kept in tracker.errors): ${message}`);
    }
  }
}

function lossOf(logs: Logs | undefined): number | null {
  const loss = logs?.loss;
  return typeof loss === 'number' && Number.isFinite(loss) ? loss : null;
}
