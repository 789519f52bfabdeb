/**
 * Child of exit-and-terminate.test.ts. Starts three worker_threads that
 * compute, then ends them while they are busy, `rounds` times. argv[2]:
 * 'sync' (each worker loops over sync SVDs on valid input), 'failing' (each
 * keeps 20 async SVDs of NaN input in flight, so ERR_NON_FINITE rejections
 * are being settled), or 'exit' (process.exit(5) with the workers busy).
 * Prints one JSON line and exits 0 ('exit': 5) unless something aborts.
 */
import { Worker } from 'node:worker_threads';

const mode = process.argv[2];
const rounds = Number(process.argv[3] ?? 10);
const addonUrl = new URL('../workers/addon.mjs', import.meta.url).href;
const source = `
  import { parentPort, workerData } from 'node:worker_threads';
  const { loadAddon } = await import(${JSON.stringify(addonUrl)});
  const addon = loadAddon();
  const n = 200;
  const good = new Float64Array(n * n).map((_, i) => Math.cos(i));
  const bad = good.slice(); bad[7] = NaN;
  parentPort.postMessage('busy');
  if (workerData === 'sync') for (;;) addon.svd(good, n, n, 1);
  const keep = () => { for (let i = 0; i < 20; i++) addon.svdAsync(bad, n, n, 1).catch(() => {}); addon.svdAsync(bad, n, n, 1).catch(keep); };
  keep();
`;
const workerMode = mode === 'exit' ? 'sync' : mode === 'failing' ? 'failing' : 'sync';
for (let round = 0; round < rounds; round++) {
  const workers = Array.from({ length: 3 }, () => new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: workerMode }));
  await Promise.all(workers.map((w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); })));
  await new Promise((resolve) => setTimeout(resolve, 10 + ((round * 17) % 40)));
  if (mode === 'exit') {
    console.log(JSON.stringify({ rounds: round }));
    process.exit(5);
  }
  await Promise.all(workers.map((w) => w.terminate()));
}
console.log(JSON.stringify({ rounds }));
