/**
 * Leak probe, run as a child process by test/hardening/leaks.test.ts:
 *
 *   node --expose-gc --import ./test/hardening/workers/ts-register.mjs test/hardening/workers/leak-child.ts [calls]
 *
 * For each heavy function: a warm-up, a forced GC, the RSS; then `calls`
 * sync and `calls` async calls (16 in flight at a time), a forced GC, the
 * RSS again. Prints one JSON line with the growth per function in MB.
 * Results are checked against known spectra as it goes, so the calls do
 * real work.
 */
import * as E from '../../../src/index.js';
import type { Known } from './known-types.js';

const { ascending, descending, relError, withEigenvalues, withSingularValues } = (await import(new URL('./known.mjs', import.meta.url).href)) as Known;

const calls = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const sigma = Array.from({ length: 32 }, (_, i) => 10 / (i + 1));
const A = withSingularValues(64, 32, sigma, 1) as E.Matrix<Float64Array>;
const lambda = Array.from({ length: 32 }, (_, i) => i - 10.5);
const S = withEigenvalues(lambda, 2) as E.Matrix<Float64Array>;
const batch = { data: new Float64Array(2 * 64 * 32), count: 2, rows: 64, cols: 32 };
batch.data.set(A.data, 0);
batch.data.set(A.data, 64 * 32);
const sigmaDesc = descending(sigma);
const lambdaAsc = ascending(lambda);
const aboveZero = lambda.filter((l) => l > 0).length;
const gramLambda = descending(sigma.map((s) => s * s));
const epsCount = gramLambda.filter((l) => l > 1e-3).length;

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  const e = relError(got, want);
  if (!(e < 1e-9)) throw new Error(`${what}: relative error ${e}`);
}

type Fn = { name: string; sync: () => void; async: () => Promise<void> };
const fns: Fn[] = [
  {
    name: 'svd',
    sync: () => expectClose(E.svd(A).s, sigmaDesc, 'svd'),
    async: async () => expectClose((await E.svdAsync(A)).s, sigmaDesc, 'svdAsync'),
  },
  {
    name: 'eigh',
    sync: () => expectClose(E.eigh(S).values, lambdaAsc, 'eigh'),
    async: async () => expectClose((await E.eighAsync(S)).values, lambdaAsc, 'eighAsync'),
  },
  {
    name: 'gram',
    sync: () => void E.gram(A, { weights: new Float64Array(64).fill(0.5) }),
    async: async () => void (await E.gramAsync(A, { weights: new Float64Array(64).fill(0.5) })),
  },
  {
    name: 'countEigenvaluesAbove',
    sync: () => {
      if (E.countEigenvaluesAbove(S, 0) !== aboveZero) throw new Error('countEigenvaluesAbove');
    },
    async: async () => {
      if ((await E.countEigenvaluesAboveAsync(S, 0)) !== aboveZero) throw new Error('countEigenvaluesAboveAsync');
    },
  },
  {
    name: 'svdvalsBatched',
    sync: () => expectClose(E.svdvalsBatched(batch).data.subarray(32), sigmaDesc, 'svdvalsBatched'),
    async: async () => expectClose((await E.svdvalsBatchedAsync(batch)).data.subarray(32), sigmaDesc, 'svdvalsBatchedAsync'),
  },
  {
    name: 'epsRank',
    sync: () => {
      if (E.epsRank(A, { eps: 1e-3 }) !== epsCount) throw new Error('epsRank');
    },
    async: async () => {
      if ((await E.epsRankAsync(A, { eps: 1e-3 })) !== epsCount) throw new Error('epsRankAsync');
    },
  },
];

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage.rss();
}

/**
 * n sync calls, then n async calls 16 at a time. A GC every 500 calls keeps
 * the garbage between collections small, so that RSS measures what is
 * retained, not the allocator's high-water mark.
 */
async function round(f: Fn, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    f.sync();
    if (i % 500 === 499) gc!();
  }
  const inFlight = 16;
  for (let i = 0; i < n; i += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, n - i) }, () => f.async()));
    if (i % 496 === 0) gc!();
  }
}

const MB = 1024 * 1024;
const results: Record<string, { before: number; after: number; growthMB: number; heapGrowthMB: number; ms: number }> = {};
const start = await settle();
for (const f of fns) {
  await round(f, Math.min(1000, calls)); // warm-up: JIT, allocator pools, the queue thread
  const before = await settle();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await round(f, calls);
  const ms = performance.now() - t0;
  const after = await settle();
  const heapGrowthMB = (process.memoryUsage().heapUsed - heapBefore) / MB;
  results[f.name] = { before: before / MB, after: after / MB, growthMB: (after - before) / MB, heapGrowthMB, ms: Math.round(ms) };
}
const end = await settle();
process.stdout.write(`${JSON.stringify({ calls, startMB: start / MB, endMB: end / MB, results })}\n`);
