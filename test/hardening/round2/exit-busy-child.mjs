/**
 * Child of exit-and-terminate.test.ts. argv[2] says how it ends while four
 * 1200×1200 SVDs are queued on the native job thread (the first one
 * computing on all BLAS threads): 'exit' (process.exit(3)), 'throw' (an
 * uncaught exception) or 'reject' (an unhandled rejection). It must end
 * promptly with that exit code, not wait in OpenBLAS's exit-time shutdown.
 */
import { loadAddon } from '../workers/addon.mjs';

const addon = loadAddon();
const n = 1200;
const data = new Float64Array(n * n).map((_, i) => Math.sin(i * 0.7) + (i % n === Math.floor(i / n) ? 2 : 0));
// Eight jobs (several seconds of work), so some are still queued after the
// longest delay even on a fast machine; waiting for the delay alone (not for
// a queue count that finished jobs lower) can never spin forever.
for (let i = 0; i < 8; i++) addon.svdAsync(data, n, n, 1).then(() => {}, () => {});
const start = Date.now();
const waitForWork = () => {
  if (Date.now() - start < Number(process.argv[3] ?? 150)) return setTimeout(waitForWork, 5);
  console.log(JSON.stringify({ queued: addon.backendInfo().queuedJobs }));
  if (process.argv[2] === 'exit') process.exit(3);
  if (process.argv[2] === 'throw') throw new Error('uncaught, on purpose');
  Promise.reject(new Error('unhandled, on purpose'));
};
waitForWork();
