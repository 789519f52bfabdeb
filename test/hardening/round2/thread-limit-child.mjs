/**
 * Child of thread-limit.test.ts, run as an unprivileged user. Starts libuv's
 * pool, then lowers its own RLIMIT_NPROC to 1 with `prlimit --pid` (same
 * user, so no capability is needed): already over the limit, it can create
 * no further thread. Then it loads effrank (dist/) and computes. Plain
 * JavaScript: the TypeScript loader would spawn esbuild, a process that
 * counts against the same limit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const threads = () => Number(readFileSync('/proc/self/status', 'utf8').match(/Threads:\s+(\d+)/)[1]);
await Promise.all(Array.from({ length: 8 }, () => readFile(new URL(import.meta.url)))); // start libuv's pool now
const set = spawnSync('prlimit', [`--pid=${process.pid}`, '--nproc=1:1'], { encoding: 'utf8' });
const limited = spawnSync('true').error !== undefined || readFileSync('/proc/self/limits', 'utf8').match(/Max processes\s+(\d+)/)?.[1] === '1';
console.log(JSON.stringify({ threads: threads(), prlimit: set.status, stderr: set.stderr, limited }));

const outcome = async (f) => {
  try {
    const v = await f();
    return { value: Array.from(v).slice(0, 3) };
  } catch (e) {
    return { code: e.code, message: e.message, raw: e.code ? undefined : String(e) };
  }
};
const effrank = await import(new URL('../../../dist/index.js', import.meta.url).href);
const n = 600; // large enough for all BLAS threads (4n³ flops)
const diag = new Float64Array(n * n);
for (let i = 0; i < n; i++) diag[i * n + i] = i + 1; // singular values n, n − 1, …
const a = { data: diag, rows: n, cols: n };
const report = {
  threadsAfterLoad: threads(),
  sync: await outcome(() => effrank.svdvals(a)),
  batched: await outcome(() => effrank.svdvalsBatched({ data: new Float64Array([3, 0, 0, 4, 5, 0, 0, 12]), count: 2, rows: 2, cols: 2 }).data),
  async: await outcome(() => effrank.svdvalsAsync(a)),
  syncAfterAsync: await outcome(() => effrank.svdvals(a)),
  threadsAtEnd: threads(),
};
console.log(JSON.stringify(report));
process.exit(0);
