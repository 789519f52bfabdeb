// Runs one benchmark family case by case. For each case the numpy references
// (one served Python process per family) and effrank are timed in alternating
// rounds, then any JS peers; then ratios, targets and answer checks.
//
// A family file (benchmarks/<name>.bench.js) exports `cases`, each:
//   id, label, size         names for the results and the table
//   inputs()                -> { a: matrix, ... }; matrices reach numpy byte
//                           for byte, other values (e.g. a threshold) don't
//   effrank(fx, inputs)     the timed effrank call (sync or async)
//   numpy: [{ name, op, params?, role? }]
//                           reference.py ops; params may be a function of the
//                           inputs; role 'extra' = measured for targets/notes
//                           but given no table row
//   peers?: [{ name, setup: async (inputs) => fn, policy?, shareKey? }]
//                           JS libraries timed in the same run; setup converts
//                           inputs outside the timing. policy may be a
//                           function of the run's policy (e.g. fewer samples
//                           under --quick). Peers with the same name and
//                           shareKey are timed once per family run and the
//                           timing reused by later cases (slow peers).
//                           alternate: true times the peer in the case's
//                           rounds, between the effrank samples (as numpy
//                           is), instead of after them; the case then has at
//                           most as many rounds as the peer has samples.
//   check?(result, numpyCheck, refName) -> undefined | 'what differs'
//   peerCheck?(result, peerResult, peerName) -> undefined | 'what differs'
//   target?: { text, refs?, evaluate(ctx) -> { value, pass, show? } }
//                           applies to the numpy refs, or to the refs named
//                           in `refs` (numpy or peer)
//   notes?(ctx) -> string[]  ctx: { effrank, refs, extras, result }, result =
//                           the last effrank call's return value
//   policy?: overrides of the timing policy (heavy cases: fewer samples)
//
// A case that is not a timing of effrank against references (peak memory,
// training overhead) instead has
//   run(fx, env) -> { metrics: [metric], notes?: string[], details?: any }
//                           env: { policy, quick, peers, log }; each metric:
//                           { name, value, unit, text?, ref?: { name, value?, text? },
//                             ratio?, target?: { text, pass, show? }, check?, error? }
//                           (check: 'ok' or 'mismatch: …'). These cases get a
//                           table of their own (table.js metricRows).
import { InputFiles, ReferenceServer } from './reference-client.js';
import { measure, mergePolicy, roundPolicy, summarize } from './timer.js';

export async function runFamily({ name, cases, effrank, numpy, policy, peers, log, quick = false }) {
  const started = Date.now();
  const out = { family: name, timestamp: new Date().toISOString(), policy, errors: [], cases: [] };
  // Only families with numpy refs start Python.
  const wantsNumpy = numpy.ok && cases.some((c) => c.numpy?.length);
  const reference = wantsNumpy ? { server: new ReferenceServer(), files: new InputFiles() } : null;
  const sharedPeers = new Map();
  try {
    for (const c of cases) {
      log(`${name}: ${c.label}`);
      if (c.run) {
        out.cases.push(await runMetricCase(c, effrank, { policy, quick, peers, log }));
        continue;
      }
      const prepared = { c, inputs: c.inputs(), policy: mergePolicy(policy, c.policy) };
      prepared.livePeers = peers ? await alternatingPeers(prepared, sharedPeers) : [];
      const timed = await timeAlternating(prepared, effrank, reference);
      out.cases.push(await finishCase(prepared, timed, peers, sharedPeers));
    }
  } finally {
    reference?.server.close();
    reference?.files.remove();
  }
  for (const c of out.cases) {
    if (c.error) out.errors.push(`${c.id}: ${c.error}`);
    for (const m of c.metrics ?? []) {
      if (m.error) out.errors.push(`${c.id} ${m.name}: ${m.error}`);
      if (m.check?.startsWith('mismatch')) out.errors.push(`${c.id} ${m.name}: ${m.check.slice(10)}`);
    }
    for (const r of c.refs ?? []) {
      if (r.error) out.errors.push(`${c.id} vs ${r.name}: ${r.error}`);
      if (r.check?.startsWith('mismatch')) out.errors.push(`${c.id}: answers differ from ${r.name}: ${r.check.slice(10)}`);
    }
    for (const [k, r] of Object.entries(c.extras ?? {})) if (r.error) out.errors.push(`${c.id} ${k}: ${r.error}`);
  }
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

/** The reference.py jobs of a case; inputs are written to files on first use. */
function numpyJobs(c, inputs, files) {
  // Only arrays go to Python as files; plain values (a threshold) reach it via params.
  const arrays = Object.entries(inputs).filter(([, v]) => ArrayBuffer.isView(v?.data));
  const specs = Object.fromEntries(arrays.map(([k, v]) => [k, files.describe(v)]));
  return (c.numpy ?? []).map((ref) => {
    const params = (typeof ref.params === 'function' ? ref.params(inputs) : ref.params) ?? {};
    return { ref, job: { key: ref.name, op: ref.op, inputs: specs, params } };
  });
}

/**
 * Rounds of [every numpy job, then effrank], each with its share of the
 * samples. Returns the raw samples of both sides and the last results.
 */
async function timeAlternating(prepared, effrank, reference) {
  const { c, inputs, livePeers } = prepared;
  const jobs = reference ? numpyJobs(c, inputs, reference.files) : [];
  const numpy = new Map(jobs.map(({ ref }) => [ref.name, { samples: [], last: null, error: null }]));
  const mine = { samples: [], result: undefined, error: null };
  // Alternating peers take one share of their samples per round.
  const rounds = Math.min(prepared.policy.rounds, ...livePeers.map((l) => l.policy.maxSamples));
  const policy = { ...prepared.policy, rounds };
  for (let i = 0; i < policy.rounds; i++) {
    const p = roundPolicy(policy, i);
    for (const live of livePeers) {
      if (live.error) continue;
      try {
        const { result, samples } = await measure(live.fn, roundPolicy({ ...live.policy, rounds }, i));
        live.samples.push(...samples);
        live.result = result;
      } catch (e) {
        live.error = errorText(e);
      }
    }
    for (const { ref, job } of jobs) {
      const acc = numpy.get(ref.name);
      if (acc.error) continue;
      const r = await reference.server.run({ ...job, policy: p }).catch((e) => ({ error: e.message }));
      if (r.error) acc.error = r.error;
      else {
        acc.samples.push(...r.samples);
        acc.last = r;
      }
    }
    if (mine.error) continue;
    try {
      const m = await measure(() => c.effrank(effrank, inputs), p);
      mine.samples.push(...m.samples);
      mine.result = m.result;
    } catch (e) {
      mine.error = errorText(e);
    }
  }
  return { numpy, effrank: mine };
}

/** A case with its own runner: its metrics, or the error that stopped it. */
async function runMetricCase(c, effrank, env) {
  const row = { id: c.id, label: c.label, size: c.size, kind: 'metric', metrics: [], notes: [] };
  try {
    const r = await c.run(effrank, env);
    row.metrics = r.metrics ?? [];
    row.notes = (r.notes ?? []).filter(Boolean);
    if (r.details !== undefined) row.details = r.details;
  } catch (e) {
    row.error = errorText(e);
  }
  return row;
}

const shareKeyOf = (peer) => (peer.shareKey === undefined ? null : `${peer.name}|${peer.shareKey}`);
const peerPolicy = (peer, policy) => mergePolicy(policy, typeof peer.policy === 'function' ? peer.policy(policy) : peer.policy);

/** Set-up of the peers to time within the case's rounds (alternate: true, not timed by an earlier case). */
async function alternatingPeers({ c, inputs, policy }, shared) {
  const live = [];
  for (const peer of c.peers ?? []) {
    if (!peer.alternate || shared.has(shareKeyOf(peer))) continue;
    const entry = { name: peer.name, policy: peerPolicy(peer, policy), samples: [], result: undefined, error: null };
    try {
      entry.fn = await peer.setup(inputs);
    } catch (e) {
      entry.error = errorText(e);
    }
    live.push(entry);
  }
  return live;
}

/**
 * A peer's timing: from the case's rounds when it alternated, reused when an
 * earlier case timed the same peer on the same input, else timed now.
 */
async function timePeer(peer, inputs, policy, shared, livePeers) {
  const key = shareKeyOf(peer);
  const live = livePeers.find((l) => l.name === peer.name);
  let timed;
  if (live) {
    if (live.error) throw new Error(live.error);
    timed = { ...summarize(live.samples), result: live.result, alternated: true };
  } else if (key && shared.has(key)) {
    return { ...shared.get(key), shared: true };
  } else {
    timed = await measure(await peer.setup(inputs), peerPolicy(peer, policy));
  }
  if (key) shared.set(key, timed);
  return timed;
}

async function finishCase({ c, inputs, policy, livePeers = [] }, timed, withPeers, sharedPeers = new Map()) {
  const row = { id: c.id, label: c.label, size: c.size, effrank: null, refs: [], extras: {}, notes: [] };
  const mine = timed.effrank;
  if (mine.error) row.error = mine.error;
  else row.effrank = summarize(mine.samples);

  for (const ref of c.numpy ?? []) {
    const acc = timed.numpy.get(ref.name);
    if (!acc) continue; // numpy unavailable: reported once for the whole run
    const entry = acc.error ? { error: acc.error } : numpySummary(acc);
    if (ref.role === 'extra') {
      row.extras[ref.name] = entry;
      continue;
    }
    const rowRef = { name: ref.name, kind: 'numpy', ...entry };
    if (!acc.error && c.check && !mine.error && acc.last.check) {
      const diff = c.check(mine.result, acc.last.check, ref.name);
      rowRef.check = diff ? `mismatch: ${diff}` : 'ok';
    }
    row.refs.push(rowRef);
  }

  if (withPeers) {
    for (const peer of c.peers ?? []) {
      try {
        const { result, ...m } = await timePeer(peer, inputs, policy, sharedPeers, livePeers);
        const entry = { name: peer.name, kind: 'peer', ...m };
        if (c.peerCheck && !mine.error) {
          const diff = c.peerCheck(mine.result, result, peer.name);
          entry.check = diff ? `mismatch: ${diff}` : 'ok';
        }
        row.refs.push(entry);
      } catch (e) {
        row.refs.push({ name: peer.name, kind: 'peer', error: errorText(e) });
      }
    }
  }

  const ctx = { effrank: row.effrank, refs: Object.fromEntries(row.refs.map((r) => [r.name, r])), extras: row.extras, result: mine.result };
  for (const r of row.refs) {
    if (row.effrank && r.ms) {
      r.ratio = row.effrank.ms / r.ms;
      r.ratioOfMins = row.effrank.minMs / r.minMs; // a second view when the machine was noisy
    }
    const applies = c.target && (c.target.refs ? c.target.refs.includes(r.name) : r.kind === 'numpy');
    if (applies && r.ratio !== undefined) r.target = { text: c.target.text, ...c.target.evaluate({ ...ctx, ratio: r.ratio }) };
  }
  if (c.notes && row.effrank) row.notes = c.notes(ctx).filter(Boolean);
  return row;
}

/** Median etc. over all rounds' samples; GFLOP/s from the op's flop count. */
function numpySummary(acc) {
  const s = summarize(acc.samples);
  const { flops } = acc.last;
  return flops ? { ...s, flops, gflops: flops / (s.ms * 1e6) } : s;
}

function errorText(e) {
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e);
}
