// Runs one benchmark family: numpy references first (one Python process),
// then effrank and any JS peers, then ratios, targets and answer checks.
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
import { mergePolicy, measure } from './timer.js';
import { InputFiles, runReference } from './reference-client.js';

export async function runFamily({ name, cases, effrank, numpy, policy, peers, log }) {
  const started = Date.now();
  const prepared = cases.map((c) => ({ c, inputs: c.inputs(), policy: mergePolicy(policy, c.policy) }));
  const out = { family: name, timestamp: new Date().toISOString(), policy, errors: [], cases: [] };

  const reference = numpy.ok ? await timeNumpy(prepared, policy, log, name) : { jobKeys: new Map(), results: {} };
  if (reference.error) out.errors.push(`numpy reference: ${reference.error}`);

  for (const p of prepared) {
    log(`${name}: ${p.c.label}`);
    out.cases.push(await runCase(p, effrank, reference, peers));
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

/** Writes the inputs, times every numpy job in one go; maps each case's refs to job keys. */
async function timeNumpy(prepared, basePolicy, log, family) {
  const files = new InputFiles();
  try {
    const jobs = [];
    const jobKeys = new Map(); // `${case id}/${ref name}` -> job key
    for (const { c, inputs, policy } of prepared) {
      // Only arrays go to Python as files; plain values (a threshold) reach it via params.
      const arrays = Object.entries(inputs).filter(([, v]) => ArrayBuffer.isView(v?.data));
      const specs = Object.fromEntries(arrays.map(([k, v]) => [k, files.describe(v)]));
      for (const ref of c.numpy ?? []) {
        const params = (typeof ref.params === 'function' ? ref.params(inputs) : ref.params) ?? {};
        // Equal op, data and params give an equal key, so e.g. eigvalsh is timed once
        // for both the eigenvalue-count and the eigvalsh case.
        const key = JSON.stringify([ref.op, specs, params]);
        jobKeys.set(`${c.id}/${ref.name}`, key);
        jobs.push({ key, op: ref.op, inputs: specs, params, policy });
      }
    }
    if (!jobs.length) return { jobKeys, results: {} };
    log(`${family}: numpy reference (${new Set(jobs.map((j) => j.key)).size} jobs)`);
    const { results } = await runReference(jobs, basePolicy);
    return { jobKeys, results };
  } catch (e) {
    return { jobKeys: new Map(), results: {}, error: e.message };
  } finally {
    files.remove();
  }
}

async function runCase({ c, inputs, policy }, effrank, reference, withPeers) {
  const row = { id: c.id, label: c.label, size: c.size, effrank: null, refs: [], extras: {}, notes: [] };
  let result;
  try {
    const m = await measure(() => c.effrank(effrank, inputs), policy);
    ({ result } = m);
    delete m.result;
    row.effrank = m;
  } catch (e) {
    row.error = errorText(e);
  }

  for (const ref of c.numpy ?? []) {
    const r = reference.results[reference.jobKeys.get(`${c.id}/${ref.name}`)];
    if (!r) continue; // numpy unavailable: reported once for the whole run
    if (ref.role === 'extra') {
      row.extras[ref.name] = r;
      continue;
    }
    const entry = { name: ref.name, kind: 'numpy', ...timing(r), error: r.error };
    if (!r.error && c.check && result !== undefined && r.check) {
      const diff = c.check(result, r.check, ref.name);
      entry.check = diff ? `mismatch: ${diff}` : 'ok';
    }
    row.refs.push(entry);
  }

  if (withPeers) {
    for (const peer of c.peers ?? []) {
      try {
        const fn = await peer.setup(inputs);
        const m = await measure(fn, mergePolicy(policy, peer.policy));
        delete m.result;
        row.refs.push({ name: peer.name, kind: 'peer', ...m });
      } catch (e) {
        row.refs.push({ name: peer.name, kind: 'peer', error: errorText(e) });
      }
    }
  }

  const ctx = { effrank: row.effrank, refs: Object.fromEntries(row.refs.map((r) => [r.name, r])), extras: row.extras };
  for (const r of row.refs) {
    if (row.effrank && r.ms) r.ratio = row.effrank.ms / r.ms;
    const applies = c.target && r.kind === 'numpy' && (!c.target.refs || c.target.refs.includes(r.name));
    if (applies && r.ratio !== undefined) r.target = { text: c.target.text, ...c.target.evaluate({ ...ctx, ratio: r.ratio }) };
  }
  if (c.notes && row.effrank) row.notes = c.notes(ctx).filter(Boolean);
  return row;
}

function timing(r) {
  return r.error ? {} : { ms: r.ms, minMs: r.minMs, maxMs: r.maxMs, n: r.n, ...(r.gflops ? { gflops: r.gflops } : {}) };
}

function errorText(e) {
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e);
}
