/**
 * worker_threads: the addon loads and computes in several workers at once;
 * terminating a worker with async calls in flight crashes nothing (the main
 * thread keeps computing, the orphaned jobs run and free themselves); the
 * environment cleanup hooks release native resources, so 50
 * create/compute/terminate cycles keep RSS flat.
 *
 * The worker scripts (workers/*.mjs) use the built addon through
 * node-gyp-build, as src/native.ts does: a worker_thread cannot import the
 * TypeScript sources, and this keeps the test on the addon itself.
 */
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { backendInfo, eigvalsh, eigvalshAsync, svdAsync, svdvals } from '../../src/index.js';
import { loadKnown } from './workers/known-types.js';
import { lastJson, runChild } from './workers/spawn.js';

const workerUrl = (name: string) => new URL(`./workers/${name}`, import.meta.url);
const K = await loadKnown();

function exited(w: Worker): Promise<number> {
  return new Promise((resolve) => w.once('exit', resolve));
}

function message<T>(w: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function drained(timeoutMs = 60_000): Promise<number> {
  const t0 = Date.now();
  while (backendInfo().queuedJobs > 0 && Date.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 10));
  return backendInfo().queuedJobs;
}

/** Main-thread work checked against a known spectrum, sync and async. */
async function mainThreadComputes(seed: number): Promise<void> {
  const sigma = [9, 7, 5, 3, 1];
  const a = K.withSingularValues(8, 5, sigma, seed);
  expect(K.relError(svdvals(a), sigma)).toBeLessThan(1e-12);
  expect(K.relError((await svdAsync(a)).s, sigma)).toBeLessThan(1e-12);
  const lambda = [-2, 0.5, 1, 4];
  const s = K.withEigenvalues(lambda, seed + 1);
  expect(K.relError(eigvalsh(s), lambda)).toBeLessThan(1e-12);
  expect(K.relError(await eigvalshAsync(s), lambda)).toBeLessThan(1e-12);
}


const underAsan = /libasan/.test(process.env.LD_PRELOAD ?? '');

describe('worker_threads', () => {
  it('4 workers load the addon and compute at once (sync and async, checked against known spectra) while the main thread computes too', async () => {
    const workers = Array.from({ length: 4 }, (_, id) => new Worker(workerUrl('compute-worker.mjs'), { workerData: { id, rounds: 15, n: 24 } }));
    const results = workers.map((w) => message<{ id: number; checks?: number; error?: string }>(w));
    for (let i = 0; i < 5; i++) await mainThreadComputes(100 + i);
    const done = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of done) {
      expect(r.error, `worker ${r.id}`).toBeUndefined();
      expect(r.checks, `worker ${r.id}`).toBe(15 * 8);
    }
    expect(await drained()).toBe(0);
  });

  it('terminating workers with async calls in flight crashes nothing; the main thread keeps computing; the orphaned jobs drain', async () => {
    for (let round = 0; round < 6; round++) {
      const w = new Worker(workerUrl('inflight-worker.mjs'), { workerData: { n: 400, jobs: 3 } });
      const started = await message<{ started: number; queued: number }>(w);
      expect(started.started).toBe(3);
      expect(started.queued).toBeGreaterThan(0);
      // At once, or while the main thread has jobs queued behind the worker's.
      const mine = round % 2 === 0 ? null : svdAsync(K.withSingularValues(30, 20, Array.from({ length: 20 }, (_, i) => 20 - i), round));
      const code = await Promise.all([w.terminate(), exited(w)]).then(([c]) => c);
      expect(code).toBe(1); // terminated, not crashed
      if (mine) expect(K.relError((await mine).s, Array.from({ length: 20 }, (_, i) => 20 - i))).toBeLessThan(1e-12);
      await mainThreadComputes(200 + round);
    }
    expect(await drained()).toBe(0);
    await mainThreadComputes(300);
  });

  it(
    '50 create/compute/terminate cycles (each leaving two 300×300 full SVDs in flight) keep RSS flat',
    async () => {
      // In a child process with --expose-gc, so the RSS is this probe's alone.
      const r = await runChild('test/hardening/workers/cycles.mjs', ['50', '300'], { gc: true, timeoutMs: 300_000 });
      const report = lastJson<{ cycles: number; samples: { cycle: number; rssMB: number }[]; inFlightAtTerminate: number; queuedAtEnd: number; svd: number[]; ms: number }>(r);
      expect(r.code, r.stderr).toBe(0);
      const at = (c: number) => report.samples.find((s) => s.cycle === c)!.rssMB;
      const growth = at(50) - at(10);
      console.log(
        `worker cycles: RSS ${report.samples.map((s) => `${s.cycle}: ${s.rssMB.toFixed(1)} MB`).join(', ')}; growth 10→50 = ${growth.toFixed(1)} MB; ` +
          `jobs in flight at ${report.inFlightAtTerminate}/50 terminations; ${report.ms} ms`,
      );
      // The terminations did catch jobs in flight (else this would prove nothing).
      expect(report.inFlightAtTerminate).toBeGreaterThanOrEqual(40);
      expect(report.queuedAtEnd).toBe(0);
      expect(report.svd).toEqual([4, 3]);
      // Each cycle's jobs hold ~3 MB (inputs, u, vt): a leak of them would be ~120 MB over 40 cycles.
      // Under ASan freed memory waits in its quarantine, so RSS says nothing about leaks there;
      // LeakSanitizer checks the child at exit instead (a leak makes its exit code non-zero).
      if (!underAsan) expect(growth).toBeLessThan(30);
    },
    320_000,
  );
});
