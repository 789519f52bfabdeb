/**
 * A worker_thread that loads the addon and computes, sync and async, checking
 * every result against a known spectrum. workerData: { id, rounds, n }.
 * Posts { id, checks } when done, or { id, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { loadAddon } from './addon.mjs';
import { ascending, descending, relError, withEigenvalues, withSingularValues } from './known.mjs';

const { id, rounds = 20, n = 24 } = workerData;
const addon = loadAddon();
let checks = 0;

function check(got, want, what) {
  const e = relError(got, want);
  if (!(e < 1e-9)) throw new Error(`worker ${id}: ${what}: relative error ${e}`);
  checks++;
}

try {
  for (let r = 0; r < rounds; r++) {
    const sigma = Array.from({ length: n }, (_, i) => (id + 1) * (n - i) + r);
    const a = withSingularValues(2 * n, n, sigma, 1000 * id + r);
    const lambda = Array.from({ length: n }, (_, i) => i - n / 2 + id + 0.25);
    const s = withEigenvalues(lambda, 2000 * id + r);
    const above = lambda.filter((l) => l > 0).length;

    check(addon.svd(a.data, a.rows, a.cols, 1).s, descending(sigma), 'svd');
    check((await addon.svdAsync(a.data, a.rows, a.cols, 2)).s, descending(sigma), 'svdAsync');
    check(addon.eigh(s.data, n, true, false).values, ascending(lambda), 'eigh');
    check((await addon.eighAsync(s.data, n, false, true)).values, ascending(lambda), 'eighAsync');
    if (addon.countAbove(s.data, n, 0) !== above) throw new Error(`worker ${id}: countAbove`);
    if ((await addon.countAboveAsync(s.data, n, 0)) !== above) throw new Error(`worker ${id}: countAboveAsync`);
    checks += 2;
    // The Gram's trace is Σσ².
    const g = await addon.gramAsync(a.data, a.rows, a.cols, 0, null, 1, false);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += g[i * n + i];
    check([trace], [sigma.reduce((t, x) => t + x * x, 0)], 'gramAsync trace');
    const batch = new Float64Array(3 * a.data.length);
    for (let b = 0; b < 3; b++) batch.set(a.data, b * a.data.length);
    check((await addon.svdvalsBatchedAsync(batch, 3, a.rows, a.cols)).subarray(2 * n), descending(sigma), 'svdvalsBatchedAsync');
  }
  parentPort.postMessage({ id, checks });
} catch (e) {
  parentPort.postMessage({ id, error: String(e && e.stack ? e.stack : e) });
}
