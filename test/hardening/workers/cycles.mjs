/**
 * Worker churn probe, run as a child process by test/hardening/workers.test.ts:
 *
 *   node --expose-gc test/hardening/workers/cycles.mjs [cycles] [n]
 *
 * Each cycle starts a worker that loads the addon and queues two full SVDs of
 * n×n matrices, then terminates it while they are in flight. After the queue
 * drains (the orphaned jobs run and free themselves), the RSS after GC is
 * sampled. Prints one JSON line: RSS after 10 cycles and after all of them.
 */
import { Worker } from 'node:worker_threads';

import { loadAddon } from './addon.mjs';

const cycles = Number(process.argv[2] ?? 50);
const n = Number(process.argv[3] ?? 300);
const addon = loadAddon();
const MB = 1024 * 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function drained() {
  for (let i = 0; i < 2000 && addon.backendInfo().queuedJobs > 0; i++) await sleep(5);
  return addon.backendInfo().queuedJobs;
}

async function rss() {
  await drained();
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await sleep(10);
  }
  return process.memoryUsage.rss() / MB;
}

const samples = [];
let inFlightAtTerminate = 0;
const t0 = Date.now();
for (let c = 1; c <= cycles; c++) {
  const w = new Worker(new URL('./inflight-worker.mjs', import.meta.url), { workerData: { n, jobs: 2 } });
  await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await sleep(c % 3); // sometimes at once, sometimes a little later
  if (addon.backendInfo().queuedJobs > 0) inFlightAtTerminate++;
  await w.terminate();
  if (c === 10 || c === cycles || c % 10 === 0) samples.push({ cycle: c, rssMB: await rss() });
}
// The process still computes correctly after all of that.
const s = addon.svd(Float64Array.of(3, 0, 0, 4), 2, 2, 0).s;
process.stdout.write(
  `${JSON.stringify({ cycles, n, samples, inFlightAtTerminate, queuedAtEnd: await drained(), svd: Array.from(s), ms: Date.now() - t0 })}\n`,
);
