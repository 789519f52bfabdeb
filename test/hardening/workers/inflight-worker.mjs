/**
 * A worker_thread that queues async jobs and announces it, so that the parent
 * can terminate it while they are in flight. workerData: { n, jobs }.
 * The jobs are full SVDs of n×n matrices (inputs copied, outputs of 2n²
 * doubles each): if a terminated worker's jobs leaked, RSS would show it.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { loadAddon } from './addon.mjs';
import { withSingularValues } from './known.mjs';

const { n = 300, jobs = 2 } = workerData ?? {};
const addon = loadAddon();
const a = withSingularValues(n, n, Array.from({ length: n }, (_, i) => n - i), n);
const pending = [];
for (let j = 0; j < jobs; j++) pending.push(addon.svdAsync(a.data, n, n, 2));
parentPort.postMessage({ started: jobs, queued: addon.backendInfo().queuedJobs });
// Never settles the parent's way: the parent terminates this worker first (or it finishes normally).
Promise.all(pending).then(() => parentPort.postMessage({ finished: true }));
