#!/usr/bin/env node
// effrank benchmarks against numpy/scipy (and JS peers) in the same run.
// Usage: see lib/args.js or `node benchmarks/run.js --help`.
// Exit status: 0 when everything ran, even if targets fall short (benchmarks
// report, they don't gate); 1 when something errored or answers disagreed.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, USAGE } from './lib/args.js';
import { runFamily } from './lib/family.js';
import { machineInfo } from './lib/machine.js';
import { probeNumpy } from './lib/reference-client.js';
import { writeFamily, writeLatest, RESULTS_DIR } from './lib/results.js';
import { METRIC_HEADERS, familyRows, metricRows, renderTable } from './lib/table.js';
import { POLICIES } from './lib/timer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.js';
const log = (msg) => process.stderr.write(`· ${msg}\n`);

// A family is any benchmarks/<name>.bench.js: adding one needs no registration.
const available = readdirSync(HERE)
  .filter((f) => f.endsWith(SUFFIX))
  .map((f) => f.slice(0, -SUFFIX.length))
  .sort();

const loadFamily = async (name) => (await import(pathToFileURL(join(HERE, `${name}${SUFFIX}`)).href)).cases;

// EFFRANK_BENCH_MODULE may name another build to time (a packed install, a prebuild).
const MODULE = process.env.EFFRANK_BENCH_MODULE || join(HERE, '..', 'dist', 'index.js');

async function loadEffrank() {
  try {
    return await import(pathToFileURL(MODULE).href);
  } catch (e) {
    throw new Error(`cannot load effrank from ${MODULE} (run \`npm run build\` first): ${e.message}`);
  }
}

function describeSetup(machine, numpy) {
  const b = machine.effrank;
  const lines = [
    `machine: ${machine.cpu}, ${machine.nproc} CPUs, node ${machine.node}`,
    `effrank: ${b.error ? `backendInfo() failed: ${b.error}` : JSON.stringify(b)}`,
    `env: ${JSON.stringify(machine.env)}`,
  ];
  if (numpy.ok) {
    const n = numpy.info;
    lines.push(`numpy ${n.numpy}, scipy ${n.scipy}, ${n.openblas?.config ?? n.blasLibraries.join(' ')}`);
    const lib = (libs) => libs.filter((p) => /openblas/.test(basename(p))).join(' ');
    const mine = lib(machine.blasLibraries);
    const theirs = lib(n.blasLibraries);
    if (mine && theirs && mine !== theirs) lines.push(`note: effrank loaded ${mine} but numpy ${theirs}`);
  }
  return lines.join('\n');
}

async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv, available);
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (opts.list) {
    for (const name of available) console.log(`${name}: ${(await loadFamily(name)).map((c) => c.id).join(', ')}`);
    return 0;
  }

  let effrank;
  try {
    effrank = await loadEffrank();
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  const numpy = await probeNumpy();
  if (!numpy.ok) console.error(`note: no numpy reference (${numpy.reason}); timing effrank and peers only`);
  const machine = machineInfo(effrank);
  console.log(describeSetup(machine, numpy));

  const header = { machine, numpy: numpy.ok ? numpy.info : { unavailable: numpy.reason }, quick: opts.quick };
  const policy = POLICIES[opts.quick ? 'quick' : 'full'];
  const families = [];
  for (const name of opts.families) {
    const family = await runFamily({ name, cases: await loadFamily(name), effrank, numpy, policy, peers: opts.peers, log, quick: opts.quick });
    writeFamily(family, header);
    families.push(family);
  }
  writeLatest(header, families);

  const timings = families.flatMap(familyRows);
  if (timings.length) {
    console.log(`\n${renderTable(timings)}`);
    console.log('ratio = effrank time / reference time (medians; lower is better)');
  }
  const metrics = families.flatMap(metricRows);
  if (metrics.length) {
    console.log(`\n${renderTable(metrics, METRIC_HEADERS, [2, 3, 4])}`);
    console.log('ratio = value / compared-with value (lower is better)');
  }
  for (const c of families.flatMap((f) => f.cases)) for (const note of c.notes) console.log(`${c.label}: ${note}`);
  const errors = families.flatMap((f) => f.errors);
  for (const e of errors) console.error(`error: ${e}`);
  console.log(`results: ${RESULTS_DIR}/{${families.map((f) => f.family).join(',')},latest}.json`);
  return errors.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e?.stack ?? e);
    process.exitCode = 1;
  },
);
