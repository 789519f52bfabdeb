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
//   peers?: [{ name, setup: async (inputs) => fn, policy? }]
//                           JS libraries timed in the same run; setup converts
//                           inputs outside the timing
//   check?(result, numpyCheck, refName) -> undefined | 'what differs'
//   target?: { text, refs?, evaluate(ctx) -> { value, pass, show? } }
//   notes?(ctx) -> string[]
//   policy?: overrides of the timing policy (heavy cases: fewer samples)
import { InputFiles, ReferenceServer } from './reference-client.js';
import { measure, mergePolicy, roundPolicy, summarize } from './timer.js';

export async function runFamily({ name, cases, effrank, numpy, policy, peers, log }) {
  const started = Date.now();
  const out = { family: name, timestamp: new Date().toISOString(), policy, errors: [], cases: [] };
  const reference = numpy.ok ? { server: new ReferenceServer(), files: new InputFiles() } : null;
  try {
    for (const c of cases) {
      log(`${name}: ${c.label}`);
      const prepared = { c, inputs: c.inputs(), policy: mergePolicy(policy, c.policy) };
      const timed = await timeAlternating(prepared, effrank, reference);
      out.cases.push(await finishCase(prepared, timed, peers));
    }
  } finally {
    reference?.server.close();
    reference?.files.remove();
  }
  for (const c of out.cases) {
    if (c.error) out.errors.push(`${c.id}: ${c.error}`);
    for (const r of c.refs) {
      if (r.error) out.errors.push(`${c.id} vs ${r.name}: ${r.error}`);
      if (r.check?.startsWith('mismatch')) out.errors.push(`${c.id}: answers differ from ${r.name}: ${r.check.slice(10)}`);
    }
    for (const [k, r] of Object.entries(c.extras)) if (r.error) out.errors.push(`${c.id} ${k}: ${r.error}`);
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
async function timeAlternating({ c, inputs, policy }, effrank, reference) {
  const jobs = reference ? numpyJobs(c, inputs, reference.files) : [];
  const numpy = new Map(jobs.map(({ ref }) => [ref.name, { samples: [], last: null, error: null }]));
  const mine = { samples: [], result: undefined, error: null };
  for (let i = 0; i < policy.rounds; i++) {
    const p = roundPolicy(policy, i);
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

async function finishCase({ c, inputs, policy }, timed, withPeers) {
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
        const fn = await peer.setup(inputs);
        const { result, ...m } = await measure(fn, mergePolicy(policy, peer.policy));
        row.refs.push({ name: peer.name, kind: 'peer', ...m });
      } catch (e) {
        row.refs.push({ name: peer.name, kind: 'peer', error: errorText(e) });
      }
    }
  }

  const ctx = { effrank: row.effrank, refs: Object.fromEntries(row.refs.map((r) => [r.name, r])), extras: row.extras };
  for (const r of row.refs) {
    if (row.effrank && r.ms) {
      r.ratio = row.effrank.ms / r.ms;
      r.ratioOfMins = row.effrank.minMs / r.minMs; // a second view when the machine was noisy
    }
    const applies = c.target && r.kind === 'numpy' && (!c.target.refs || c.target.refs.includes(r.name));
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
