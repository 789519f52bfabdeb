// What RankTracker costs a training run: wall time of model.fit with and
// without tracking. Workloads: the README's width-100 tanh MLP
// 1→100→100→100→1 fitted full-batch with Adam to sin(2πx) + ½·sin(10πx) on
// 1024 points of [-1, 1], which are also the probe (trapezoid weights); wide
// MLPs 1→W→W→1 (W = 1024, 2048) trained on 256 points, probed on N = 4096; and one measurement of a
// 16×16×32 conv layer on 256 probe images in 'flatten' and 'channels' mode
// (time and RSS growth). tfjs's wasm backend (cpu if wasm cannot start; cpu
// for the conv case, as wasm lacks Conv2DBackpropFilter). No numpy here: the
// ratios are tracked / untracked. EFFRANK_TRACKER_CASES=id,id picks cases.
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

/** A 1→W→W→1 tanh MLP on N points: the width the tracker sees is W. */
function wideTask(tf, N, W) {
  const xs = new Float32Array(N);
  const ys = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    xs[i] = -1 + (2 * i) / (N - 1);
    ys[i] = Math.sin(2 * Math.PI * xs[i]);
  }
  const build = () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: W, activation: 'tanh', inputShape: [1], name: 'h1', kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }));
    model.add(tf.layers.dense({ units: W, activation: 'tanh', name: 'h2', kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) }));
    model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 13 }) }));
    const optimizer = tf.train.adam(1e-3);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    return { model, optimizer };
  };
  return { x: tf.tensor2d(xs, [N, 1]), y: tf.tensor2d(ys, [N, 1]), build };
}

/** Timed fit of a fresh model, untracked (every = null) or tracked with default options on `probe`. */
async function timedFit(tf, RankTracker, t, probe, epochs, every) {
  const { model, optimizer } = t.build();
  const batchSize = t.x.shape[0];
  try {
    await model.fit(t.x, t.y, { epochs: 2, batchSize, verbose: 0 });
    const tracker = every ? new RankTracker({ tf, model, probe, every: { epochs: every } }) : null;
    const t0 = performance.now();
    await model.fit(t.x, t.y, { epochs, batchSize, shuffle: false, verbose: 0, callbacks: tracker ? [tracker.callback()] : [] });
    const ms = performance.now() - t0;
    await tracker?.close();
    const last = tracker?.records.at(-1);
    return { ms, records: tracker?.records.length ?? 0, skipped: tracker?.skipped ?? 0, errors: tracker?.errors.length ?? 0, method: last && `${last.method}, forward ${last.forward}, ${last.route} ${last.dtype} ${last.side}` };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

const WIDE = [
  { W: 1024, every: 1, target: 1.2 },
  { W: 1024, every: 10, target: 1.05 },
  { W: 2048, every: 10, target: 1.1, zeroSkips: true },
];

// Training runs full-batch on TRAIN points and the tracker measures on N
// probe points: on wasm a W = 2048 epoch on 4096 points takes minutes, and a
// short epoch is the harder case for the tracker (its cost is relatively larger).
const TRAIN = 256;

async function wideCase(fx, { quick, log }) {
  const N = 4096;
  const { tf, backend, note } = await loadTf();
  const { RankTracker } = await import(new URL('../dist/tfjs.js', import.meta.url).href);
  const metrics = [];
  const notes = [
    `backend: ${backend}${note ? ` (${note})` : ''}; probe N = ${N} grid points, training on ${TRAIN} points full batch; ` +
      'default tracker options (last hidden layer, ε = 1e-3, queue skip, max 2, eigenvalues in every record)',
  ];
  const probe = tf.linspace(-1, 1, N).reshape([N, 1]);
  for (const W of [...new Set(WIDE.map((c) => c.W))]) {
    const t = wideTask(tf, TRAIN, W);
    const epochs = quick ? 10 : 20;
    try {
      log(`tracker: W = ${W}, untracked`);
      const base = await timedFit(tf, RankTracker, t, probe, epochs, null);
      for (const c of WIDE.filter((x) => x.W === W)) {
        log(`tracker: W = ${W}, every ${c.every}`);
        const r = await timedFit(tf, RankTracker, t, probe, epochs, c.every);
        const ratio = r.ms / base.ms;
        const attempts = Math.floor(epochs / c.every) + 1;
        metrics.push({
          name: `W = ${W}, N = ${N}, every ${c.every === 1 ? 'epoch' : `${c.every} epochs`}`,
          value: r.ms,
          unit: 'ms',
          text: `${fmtMs(r.ms)} ms`,
          ref: { name: 'untracked', value: base.ms, text: `untracked ${fmtMs(base.ms)} ms` },
          ratio,
          target: { text: `≤ ${c.target}${c.zeroSkips ? ', 0 skipped' : ''}`, pass: ratio <= c.target && (!c.zeroSkips || r.skipped === 0), show: `${ratio.toFixed(2)}, skipped ${r.skipped} of ${attempts}` },
          skipped: r.skipped,
          records: r.records,
          ...(r.errors ? { error: `tracker reported ${r.errors} errors` } : {}),
        });
        notes.push(`W = ${W} every ${c.every}: ${epochs} epochs, untracked ${fmtMs(base.ms)} ms, tracked ${fmtMs(r.ms)} ms, records ${r.records}, skipped ${r.skipped} (${r.method})`);
      }
    } finally {
      t.x.dispose();
      t.y.dispose();
    }
  }
  probe.dispose();
  return { metrics, notes };
}

/** One measurement of a 16×16×32 conv layer on 256 probe images: its time and the RSS it adds. */
async function convCase(fx, { log }) {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  const { RankTracker } = await import(new URL('../dist/tfjs.js', import.meta.url).href);
  const N = 256;
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const probe = tf.tensor4d(Float32Array.from({ length: N * 256 }, rand), [N, 16, 16, 1]);
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 1 }));
  const metrics = [];
  const notes = [];
  try {
    for (const features of ['channels', 'flatten']) {
      log(`tracker: conv 16×16×32, ${features}`);
      const tracker = new RankTracker({ tf, model, probe, layers: ['conv'], features });
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const t0 = performance.now();
      await tracker.observe({ step: 1 });
      await tracker.close();
      const ms = performance.now() - t0;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      const rec = tracker.records[0];
      const growthMb = (peak - before) / 2 ** 20;
      metrics.push({
        name: `conv 16×16×32, N = ${N}, '${features}': one measurement`,
        value: ms,
        unit: 'ms',
        text: `${fmtMs(ms)} ms, RSS +${growthMb.toFixed(0)} MB`,
        target: { text: '≤ 500 ms, RSS growth ≤ 150 MB', pass: ms <= 500 && growthMb <= 150, show: `${fmtMs(ms)} ms, +${growthMb.toFixed(0)} MB` },
        rssGrowthMb: growthMb,
        ...(tracker.errors.length ? { error: `tracker reported ${tracker.errors.length} errors` } : {}),
      });
      notes.push(`'${features}': N = ${rec?.N}, n = ${rec?.n}, ε-rank ${JSON.stringify(rec?.epsRank)} (${rec?.method}), record ms ${rec?.ms.toFixed(0)}`);
    }
  } finally {
    probe.dispose();
    model.dispose();
  }
  return { metrics, notes };
}

const allCases = [
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
  {
    id: 'rank-tracker-overhead-wide',
    label: 'RankTracker overhead, wide dense layers',
    size: 'MLP 1→W→W→1 tanh, Adam, full batch 256, probe 4096, W = 1024 and 2048',
    run: wideCase,
  },
  {
    id: 'rank-tracker-conv-measurement',
    label: 'RankTracker, one conv-layer measurement',
    size: "conv 16×16×32 (3×3, relu) on 256 probe images, 'channels' and 'flatten'",
    run: convCase,
  },
];

const picked = process.env.EFFRANK_TRACKER_CASES?.split(',').map((s) => s.trim()).filter(Boolean);
export const cases = picked?.length ? allCases.filter((c) => picked.includes(c.id)) : allCases;
