/**
 * Concurrency: 200 async calls in flight at once all resolve to the right
 * values (checked against matrices with known spectra, built in plain JS);
 * inputs mutated, detached (structuredClone and postMessage transfers) or
 * shared right after the calls change nothing; and while 8 large async SVDs
 * (1500×1500 float64, with vectors) are queued, fs.readFile of a small file
 * is served within 100 ms (libuv's pool is not starved: effrank runs on its
 * own thread) and a 10 ms interval timer keeps firing with a median lag
 * under 20 ms. The two timing checks use medians and allow one retry.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import * as E from '../../src/index.js';
import { loadKnown } from './workers/known-types.js';

const K = await loadKnown();
type M = { data: Float64Array | Float32Array; rows: number; cols: number };

const f32 = (m: M): M => ({ data: Float32Array.from(m.data), rows: m.rows, cols: m.cols });
const stack = (m: M, count: number): Float64Array => {
  const out = new Float64Array(count * m.data.length);
  for (let b = 0; b < count; b++) out.set(m.data, b * m.data.length);
  return out;
};

/** One case: a fresh input, the async call, and the check of its result against the known answer. */
interface Case {
  name: string;
  /** The arrays the call reads (to mutate or detach afterwards). */
  buffers: (Float64Array | Float32Array)[];
  start: () => Promise<unknown>;
  check: (v: unknown) => void;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  const e = K.relError(got, want);
  expect(e, what).toBeLessThan(tol);
}

/** Ten kinds of async call, each on fresh matrices with known spectra (seeded by i). */
function makeCase(i: number, shared = false): Case {
  const m = 12 + (i % 7);
  const n = 6 + (i % 5);
  const sigma = Array.from({ length: n }, (_, j) => (n - j) * (1 + (i % 3)) + 0.5);
  const lambda = Array.from({ length: n }, (_, j) => j - n / 2 + 0.3 + (i % 4));
  const a: M = K.withSingularValues(m, n, sigma, i);
  const s: M = K.withEigenvalues(lambda, 1000 + i);
  if (shared) {
    for (const x of [a, s]) {
      const sab = new Float64Array(new SharedArrayBuffer(x.data.byteLength));
      sab.set(x.data);
      x.data = sab;
    }
  }
  const sigmaDesc = K.descending(sigma);
  const lambdaAsc = K.ascending(lambda);
  switch (i % 10) {
    case 0:
      return { name: 'svdAsync', buffers: [a.data], start: () => E.svdAsync(a), check: (v) => close((v as E.SvdResult).s, sigmaDesc, 1e-12, 'svdAsync') };
    case 1: {
      const a32 = f32(a);
      return { name: 'svdvalsAsync f32', buffers: [a32.data], start: () => E.svdvalsAsync(a32), check: (v) => close(v as Float32Array, sigmaDesc, 1e-5, 'svdvalsAsync f32') };
    }
    case 2:
      return { name: 'eighAsync', buffers: [s.data], start: () => E.eighAsync(s), check: (v) => close((v as E.EighResult).values, lambdaAsc, 1e-12, 'eighAsync') };
    case 3: {
      const s32 = f32(s);
      return { name: 'eigvalshAsync f32', buffers: [s32.data], start: () => E.eigvalshAsync(s32), check: (v) => close(v as Float32Array, lambdaAsc, 1e-5, 'eigvalshAsync f32') };
    }
    case 4: {
      const w = Float64Array.from({ length: m }, (_, r) => 0.5 + (r % 3));
      let trace = 0; // trace(aᵀ·diag(w)·a) = Σ_r w_r‖a_r‖²
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) trace += w[r]! * a.data[r * n + c]! ** 2;
      return {
        name: 'gramAsync weighted',
        buffers: [a.data, w],
        start: () => E.gramAsync(a, { weights: w }),
        check: (v) => {
          const g = (v as E.Matrix).data;
          let t = 0;
          for (let c = 0; c < n; c++) t += g[c * n + c]!;
          close([t], [trace], 1e-12, 'gramAsync trace');
        },
      };
    }
    case 5: {
      const t = lambda[Math.floor(n / 2)]! - 0.25;
      const count = lambda.filter((l) => l > t).length;
      return { name: 'countEigenvaluesAboveAsync', buffers: [s.data], start: () => E.countEigenvaluesAboveAsync(s, t), check: (v) => expect(v).toBe(count) };
    }
    case 6: {
      const b = { data: stack(a, 3), count: 3, rows: m, cols: n };
      return {
        name: 'svdvalsBatchedAsync',
        buffers: [b.data],
        start: () => E.svdvalsBatchedAsync(b),
        check: (v) => {
          for (let k = 0; k < 3; k++) close((v as E.SvdvalsBatch).data.subarray(k * n, (k + 1) * n), sigmaDesc, 1e-12, `batch ${k}`);
        },
      };
    }
    case 7: {
      const b = { data: stack(s, 2), count: 2, n };
      return {
        name: 'eigvalshBatchedAsync',
        buffers: [b.data],
        start: () => E.eigvalshBatchedAsync(b),
        check: (v) => {
          for (let k = 0; k < 2; k++) close((v as E.EigvalshBatch).data.subarray(k * n, (k + 1) * n), lambdaAsc, 1e-12, `batch ${k}`);
        },
      };
    }
    case 8: {
      // ε in the widest gap of σ², far from every eigenvalue; the auto method may go Gram → SVD.
      const lam = sigmaDesc.map((x) => x * x);
      const eps = (lam[1]! + lam[2]!) / 2;
      return { name: 'epsRankAsync', buffers: [a.data], start: () => E.epsRankAsync(a, { eps }), check: (v) => expect(v).toBe(2) };
    }
    default: {
      const w = Float64Array.from({ length: m }, () => 0.25);
      return {
        name: 'spectrumAsync svd weighted',
        buffers: [a.data, w],
        start: () => E.spectrumAsync(a, { via: 'svd', weights: w }),
        check: (v) => close(v as Float64Array, sigmaDesc.map((x) => 0.25 * x * x), 1e-12, 'spectrumAsync'),
      };
    }
  }
}

describe('200 async calls in flight at once', () => {
  it('all resolve to the known values (10 kinds of call, float64 and float32)', async () => {
    const cases = Array.from({ length: 200 }, (_, i) => makeCase(i));
    let settled = 0;
    const promises = cases.map((c) => {
      const p = c.start();
      p.then(() => settled++, () => settled++);
      return p;
    });
    // All 200 are pending together (none can settle before this synchronous loop ends);
    // the native queue has meanwhile worked through some of them.
    const queued = E.backendInfo().queuedJobs;
    expect(settled).toBe(0);
    const results = await Promise.all(promises);
    results.forEach((r, i) => cases[i]!.check(r));
    console.log(`200 async calls pending at once (${queued} native jobs still queued when the last was started), all correct`);
    expect(E.backendInfo().queuedJobs).toBe(0);
  });
});

describe('inputs disturbed right after the call', () => {
  const detachByClone = (b: Float64Array | Float32Array) => structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
  const detachByPost = (b: Float64Array | Float32Array) => {
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(b.buffer, [b.buffer as ArrayBuffer]);
    port1.close();
    port2.close();
  };
  const modes: [string, (b: Float64Array | Float32Array) => void][] = [
    ['overwritten with NaN', (b) => b.fill(Number.NaN)],
    ['detached by structuredClone', detachByClone],
    ['detached by postMessage', detachByPost],
  ];

  for (const [mode, disturb] of modes) {
    it(`${mode}: no crash, results unchanged (every kind of call, 3 rounds)`, async () => {
      const cases = Array.from({ length: 30 }, (_, i) => makeCase(i + 7));
      const promises = cases.map((c) => {
        const p = c.start();
        for (const b of c.buffers) disturb(b);
        return p;
      });
      for (const c of cases) for (const b of c.buffers) if (mode !== 'overwritten with NaN') expect(b.length).toBe(0);
      const results = await Promise.all(promises);
      results.forEach((r, i) => cases[i]!.check(r));
    });
  }

  it('SharedArrayBuffer-backed inputs overwritten right after the call: results unchanged', async () => {
    const cases = Array.from({ length: 30 }, (_, i) => makeCase(i + 40, true));
    const promises = cases.map((c) => {
      const p = c.start();
      for (const b of c.buffers) if (b.buffer instanceof SharedArrayBuffer) b.fill(Number.NaN);
      return p;
    });
    const results = await Promise.all(promises);
    results.forEach((r, i) => cases[i]!.check(r));
  });

  it('GramAccumulator.addAsync and rankReportAsync: chunk and weights detached or overwritten after the call', async () => {
    const sigma = [5, 4, 3, 2, 1];
    for (const [, disturb] of modes) {
      const acc = new E.GramAccumulator(5);
      const chunks = [0, 1, 2].map((k) => K.withSingularValues(10, 5, sigma, 50 + k));
      const weights = chunks.map(() => new Float64Array(10).fill(2));
      // What the accumulator must hold: Σ 2·(column sums) and Σ trace = 2·3·Σσ².
      const sums = new Float64Array(5);
      for (const c of chunks) for (let r = 0; r < 10; r++) for (let j = 0; j < 5; j++) sums[j]! += 2 * c.data[r * 5 + j]!;
      const adds = chunks.map((c, k) => {
        const p = acc.addAsync(c, weights[k]);
        disturb(c.data);
        disturb(weights[k]!);
        return p;
      });
      await Promise.all(adds);
      expect(acc.rows).toBe(30);
      expect(acc.weightSum).toBe(60);
      close(acc.columnSums(), sums, 1e-12, 'column sums');
      const g = acc.gram().data;
      close([g.reduce((t, x, i) => (i % 6 === 0 ? t + x : t), 0)], [6 * sigma.reduce((t, x) => t + x * x, 0)], 1e-12, 'trace');

      const f = K.withSingularValues(12, 5, sigma, 77);
      const report = E.rankReportAsync(f, { eps: 3.5 });
      disturb(f.data);
      const r = await report;
      close(r.eigenvalues, sigma.map((x) => x * x), 1e-12, 'rankReport eigenvalues');
      expect(r.epsRank).toBe(4); // σ² = 25, 16, 9, 4 > 3.5 > 1
    }
  });
});

describe('the libuv pool and the event loop stay free while large SVDs run', () => {
  const N = 1500;
  const d = Array.from({ length: N }, (_, i) => 1 + i / 10);
  const big = K.withSingularValues(N, N, d, 7);
  const dDesc = K.descending(d);
  const small = join(tmpdir(), `effrank-hardening-${process.pid}.txt`);

  interface Measurement {
    reads: number[];
    lags: number[];
    queuedAtReads: number[];
    svdMs: number;
  }

  async function measure(): Promise<Measurement> {
    await writeFile(small, 'a small file\n');
    const t0 = performance.now();
    const jobs = Array.from({ length: 8 }, () => E.svdAsync(big));
    let done = false;
    const all = Promise.all(jobs).finally(() => (done = true));
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(Math.max(0, now - last - 10));
      last = now;
    }, 10);
    const reads: number[] = [];
    const queuedAtReads: number[] = [];
    try {
      while (!done) {
        const queued = E.backendInfo().queuedJobs;
        if (queued === 0) break;
        const r0 = performance.now();
        expect(await readFile(small, 'utf8')).toBe('a small file\n');
        reads.push(performance.now() - r0);
        queuedAtReads.push(queued);
        await new Promise((r) => setTimeout(r, 40));
      }
    } finally {
      clearInterval(timer);
    }
    const results = await all;
    const svdMs = performance.now() - t0;
    for (const r of results) close(r.s, dDesc, 1e-10, '1500×1500 svd');
    return { reads, lags, queuedAtReads, svdMs };
  }

  const median = (x: number[]) => {
    const s = [...x].sort((p, q) => p - q);
    return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
  };
  const pct = (x: number[], p: number) => [...x].sort((a, b) => a - b)[Math.min(x.length - 1, Math.floor(p * x.length))]!;

  it(
    'fs.readFile < 100 ms (median) and a 10 ms timer lags < 20 ms (median) while 8 async 1500×1500 SVDs are queued',
    async () => {
      let m = await measure();
      let ok = median(m.reads) < 100 && median(m.lags) < 20;
      const attempts = [m];
      if (!ok) {
        m = await measure(); // one retry: a loaded CI machine may stall a single run
        attempts.push(m);
        ok = median(m.reads) < 100 && median(m.lags) < 20;
      }
      for (const [k, a] of attempts.entries()) {
        console.log(
          `attempt ${k + 1}: 8 SVDs 1500×1500 in ${(a.svdMs / 1000).toFixed(1)} s; readFile ×${a.reads.length} median ${median(a.reads).toFixed(2)} ms, ` +
            `max ${Math.max(...a.reads).toFixed(2)} ms (jobs queued at the reads: ${Math.min(...a.queuedAtReads)}–${Math.max(...a.queuedAtReads)}); ` +
            `timer ×${a.lags.length} lag median ${median(a.lags).toFixed(2)} ms, p95 ${pct(a.lags, 0.95).toFixed(2)} ms, max ${Math.max(...a.lags).toFixed(1)} ms`,
        );
      }
      expect(m.reads.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...m.queuedAtReads)).toBeGreaterThanOrEqual(7); // the reads did happen with the SVDs queued
      expect(median(m.reads)).toBeLessThan(100);
      expect(median(m.lags)).toBeLessThan(20);
    },
    120_000,
  );
});
