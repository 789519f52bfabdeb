// What RankTracker costs a training run: wall time of model.fit with and
// without tracking. Workload: a width-100 tanh MLP 1→100→100→100→1 fitted
// full-batch with Adam to sin(2πx) + ½·sin(10πx) on 1024 points of [-1, 1],
// which are also the probe (trapezoid weights), on tfjs's wasm backend (cpu
// if wasm cannot start). No numpy here: the ratios are tracked / untracked.
import { close } from './lib/checks.js';
import { median } from './lib/timer.js';

const N = 1024;
const WIDTH = 100;
const DEPTH = 3;
const SEED = 7;
const LR = 1e-3;

const FULL = { epochs: 200, warmupEpochs: 20, rounds: 5, forwardCalls: 20 };
const QUICK = { epochs: 60, warmupEpochs: 10, rounds: 2, forwardCalls: 10 };

const VARIANTS = [
  { key: 'untracked', every: null },
  { key: 'every10', every: 10, name: 'tracked every 10 epochs', maxOverhead: 0.05 },
  { key: 'every1', every: 1, name: 'tracked every epoch', maxOverhead: 0.2 },
];

async function loadTf() {
  const tf = await import('@tensorflow/tfjs');
  let backend = 'cpu';
  let note = '';
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      backend = 'wasm';
      note = `wasm threads: ${wasm.getThreadsCount?.() ?? '?'}`;
    }
  } catch (e) {
    note = `wasm failed (${String(e?.message ?? e).slice(0, 120)}); using cpu`;
  }
  if (backend !== 'wasm') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  return { tf, backend: tf.getBackend(), note };
}

/** The training set, which is also the probe; trapezoid weights on the uniform grid. */
function task(tf) {
  const xs = new Float32Array(N);
  const ys = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const x = -1 + (2 * i) / (N - 1);
    xs[i] = x;
    ys[i] = Math.sin(2 * Math.PI * x) + 0.5 * Math.sin(10 * Math.PI * x);
  }
  const h = 2 / (N - 1);
  const weights = new Float64Array(N).fill(h);
  weights[0] = weights[N - 1] = h / 2;
  return { x: tf.tensor2d(xs, [N, 1]), y: tf.tensor2d(ys, [N, 1]), weights };
}

/** A fresh model with seeded Glorot kernels (zero biases): every variant starts from the same weights. */
function buildModel(tf) {
  const model = tf.sequential();
  for (let i = 0; i < DEPTH; i++) {
    model.add(
      tf.layers.dense({
        units: WIDTH,
        activation: 'tanh',
        name: `h${i + 1}`,
        kernelInitializer: tf.initializers.glorotUniform({ seed: SEED * 101 + i }),
        ...(i === 0 ? { inputShape: [1] } : {}),
      }),
    );
  }
  model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED * 101 + DEPTH }) }));
  const optimizer = tf.train.adam(LR);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return { model, optimizer };
}

const fitOptions = (epochs, callbacks) => ({ epochs, batchSize: N, shuffle: false, verbose: 0, callbacks });

/** One variant: build, warm up untracked, then time `epochs` of fit (tracked or not). */
async function runVariant(env, variant, cfg) {
  const { tf, RankTracker, data } = env;
  const { model, optimizer } = buildModel(tf);
  try {
    await model.fit(data.x, data.y, fitOptions(cfg.warmupEpochs, []));
    const tracker = variant.every
      ? new RankTracker({ tf, model, probe: data.x, weights: data.weights, every: { epochs: variant.every } })
      : null;
    const t0 = performance.now();
    const h = await model.fit(data.x, data.y, fitOptions(cfg.epochs, tracker ? [tracker.callback()] : []));
    const ms = performance.now() - t0;
    const t1 = performance.now();
    await tracker?.flush();
    const flushMs = performance.now() - t1;
    const out = { ms, loss: h.history.loss.at(-1) };
    if (tracker) {
      const recordMs = tracker.records.map((r) => r.ms);
      Object.assign(out, {
        flushMs,
        records: tracker.records.length,
        skipped: tracker.skipped,
        errors: tracker.errors.length,
        recordMsMedian: recordMs.length ? median(recordMs) : null,
        lastRank: tracker.records.at(-1)?.epsRank,
        method: tracker.records.at(-1)?.method,
      });
    }
    return out;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * The tracker's main-thread share alone: sub-model forward pass on the probe
 * + download, per call, as the tracker does it (predict's default batch size,
 * 32 rows) and, for comparison, in one batch of all N rows.
 */
async function forwardAndDownload(env, calls) {
  const { tf, data } = env;
  const { model, optimizer } = buildModel(tf);
  try {
    const hidden = model.layers[DEPTH - 1];
    const sub = tf.model({ inputs: model.inputs, outputs: hidden.output });
    const once = async (options) => {
      const t0 = performance.now();
      const t = tf.tidy(() => sub.predict(data.x, options));
      const values = await t.data();
      t.dispose();
      return [performance.now() - t0, values];
    };
    const timeLoop = async (options) => {
      for (let i = 0; i < 3; i++) await once(options);
      const samples = [];
      let features;
      for (let i = 0; i < calls; i++) {
        const [ms, values] = await once(options);
        samples.push(ms);
        features = values;
      }
      return { samples, features };
    };
    const asTracker = await timeLoop(undefined);
    const oneBatch = await timeLoop({ batchSize: N });
    return {
      ms: median(asTracker.samples),
      samples: asTracker.samples,
      oneBatchMs: median(oneBatch.samples),
      oneBatchSamples: oneBatch.samples,
      features: Float32Array.from(asTracker.features),
    };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * The native share, roughly: float64 Gram + eigenvalues of the 1024×100
 * features on effrank's queue, with the main thread idle, and with it busy
 * (spinning in 5 ms slices between event-loop turns, as a training loop
 * keeps it), which is the tracker's situation.
 */
async function nativeCompute(fx, features, weights, calls) {
  const a = { data: Float64Array.from(features), rows: N, cols: WIDTH };
  const job = () => fx.epsRankDetailedAsync(a, { eps: 1e-3, weights, method: 'eigen' });
  const idle = async () => {
    const t0 = performance.now();
    await job();
    return performance.now() - t0;
  };
  const busy = async () => {
    const t0 = performance.now();
    let doneAt = 0;
    job().then(() => (doneAt = performance.now()));
    while (!doneAt) {
      const s = performance.now();
      while (performance.now() - s < 5); // the main thread computing
      await new Promise((resolve) => setImmediate(resolve));
    }
    return doneAt - t0;
  };
  for (let i = 0; i < 3; i++) await idle();
  const idleSamples = [];
  for (let i = 0; i < calls; i++) idleSamples.push(await idle());
  const busySamples = [];
  for (let i = 0; i < calls; i++) busySamples.push(await busy());
  return { ms: median(idleSamples), busyMs: median(busySamples), idleSamples, busySamples };
}

const pct = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export const cases = [
  {
    id: 'rank-tracker-overhead-mlp100',
    label: 'RankTracker overhead',
    size: `MLP 1→${WIDTH}×${DEPTH}→1 tanh, Adam, full batch ${N}, probe ${N}`,
    run: async (fx, { quick, log }) => {
      const cfg = quick ? QUICK : FULL;
      const { tf, backend, note } = await loadTf();
      const { RankTracker } = await import(new URL('../dist/tfjs.js', import.meta.url).href);
      const data = task(tf);
      const env = { tf, RankTracker, data };
      const runs = Object.fromEntries(VARIANTS.map((v) => [v.key, []]));
      const forward = [];
      try {
        for (let r = 0; r < cfg.rounds; r++) {
          // Rotate the order each round so no variant always runs first.
          for (let k = 0; k < VARIANTS.length; k++) {
            const v = VARIANTS[(r + k) % VARIANTS.length];
            log(`tracker: round ${r + 1}/${cfg.rounds}, ${v.key}`);
            runs[v.key].push(await runVariant(env, v, cfg));
          }
          forward.push(await forwardAndDownload(env, cfg.forwardCalls));
        }
      } finally {
        data.x.dispose();
        data.y.dispose();
      }
      const native = await nativeCompute(fx, forward.at(-1).features, data.weights, cfg.forwardCalls);

      const base = median(runs.untracked.map((x) => x.ms));
      const epochMs = base / cfg.epochs;
      const baseLoss = runs.untracked[0].loss;
      const metrics = [
        {
          name: `untracked, ${cfg.epochs} epochs`,
          value: base,
          unit: 'ms',
          text: `${fmtMs(base)} ms (${epochMs.toFixed(1)} ms/epoch)`,
        },
      ];
      const paired = {};
      for (const v of VARIANTS.filter((x) => x.every)) {
        const list = runs[v.key];
        const t = median(list.map((x) => x.ms));
        const overhead = t / base - 1;
        // Round by round (same load phase): a second view of the overhead.
        paired[v.key] = median(list.map((x, i) => x.ms / runs.untracked[i].ms - 1));
        const losses = list.map((x) => x.loss);
        const sameTraining = losses.every((l) => close(l, baseLoss, 1e-6));
        metrics.push({
          name: v.name,
          value: t,
          unit: 'ms',
          text: `${fmtMs(t)} ms`,
          ref: { name: 'untracked', value: base, text: `untracked ${fmtMs(base)} ms` },
          ratio: t / base,
          overhead,
          pairedOverhead: paired[v.key],
          target: { text: `overhead ≤ ${100 * v.maxOverhead}%`, pass: overhead <= v.maxOverhead, show: pct(overhead) },
          check: sameTraining ? 'ok' : `mismatch: final loss ${losses.join(', ')} vs untracked ${baseLoss} (tracking changed training)`,
          skipped: median(list.map((x) => x.skipped)),
          records: median(list.map((x) => x.records)),
        });
        if (list.some((x) => x.errors)) metrics.at(-1).error = `tracker reported ${list.map((x) => x.errors).join('/')} errors`;
      }
      const e1 = runs.every1;
      const attempts = Math.floor(cfg.epochs / 1) + 1; // step 0 + every epoch
      metrics.push({
        name: 'every epoch: measurements skipped',
        value: median(e1.map((x) => x.skipped)),
        text: `${median(e1.map((x) => x.skipped))} of ${attempts} (median)`,
        ref: { name: 'recorded', text: `recorded ${median(e1.map((x) => x.records))}` },
      });
      // Per-measurement costs, each as a share of one untracked epoch.
      const perEpoch = (name, ms) => metrics.push({
        name,
        value: ms,
        unit: 'ms',
        text: `${ms.toFixed(2)} ms`,
        ref: { name: 'epoch', value: epochMs, text: `epoch ${epochMs.toFixed(1)} ms` },
        ratio: ms / epochMs,
      });
      perEpoch('forward + download (predict, default batch 32)', median(forward.map((f) => f.ms)));
      perEpoch(`same, as the tracker does it: predict({ batchSize: ${N} })`, median(forward.map((f) => f.oneBatchMs)));
      perEpoch('native Gram + eigvalsh (async, ≈)', native.ms);
      perEpoch('same, main thread busy (5 ms slices)', native.busyMs);

      const notes = [
        `backend: ${backend}${note ? ` (${note})` : ''}; ${cfg.rounds} rounds × (untracked, every 10, every epoch), order rotated; ` +
          `${cfg.warmupEpochs} untracked warm-up epochs per model; fit yieldEvery default ('auto')`,
        ...VARIANTS.filter((v) => v.every).map((v) => {
          const list = runs[v.key];
          return `${v.name}: overhead ${pct(median(list.map((x) => x.ms)) / base - 1)} of medians, ${pct(paired[v.key])} round-paired median; ` +
            `records ${median(list.map((x) => x.records))}, skipped ${median(list.map((x) => x.skipped))}, ` +
            `record ms (forward→measured) median ${median(list.map((x) => x.recordMsMedian)).toFixed(1)}, ` +
            `flush after fit ${median(list.map((x) => x.flushMs)).toFixed(1)} ms (not in the fit time); last rank ${JSON.stringify(list.at(-1).lastRank)} (${list.at(-1).method})`;
        }),
        `effrank threads: ${JSON.stringify({ threads: fx.backendInfo().threads, blasThreads: fx.backendInfo().blasThreads })}`,
        `per-run fit ms: ${VARIANTS.map((v) => `${v.key} [${runs[v.key].map((x) => x.ms.toFixed(0)).join(', ')}]`).join('; ')}`,
      ];
      return {
        metrics,
        notes,
        details: { backend, note, config: cfg, runs, forward: forward.map(({ features, ...f }) => f), native, tfMemory: tf.memory(), threads: fx.backendInfo() },
      };
    },
  },
];
