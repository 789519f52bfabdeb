/**
 * Child of memory-cap.test.ts: builds a 50-million-entry spectrum (200 MB,
 * ascending, so it must be copied to be sorted) and a 1500×40000 nested
 * array, then lowers its own RLIMIT_AS to 128 MiB above what it maps now (prlimit --pid on itself needs
 * no privilege) and asks for its participation ratio and the singular values of the nested array:
 * their 400 and 480 MB float64 copies cannot be had. Prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { participationRatio, svdvals } from '../../../src/index.js';

const n = 50_000_000;
const spectrum = new Float32Array(n);
for (let i = 0; i < n; i += 1000) spectrum[i] = i; // ascending where set
const big = Array.from({ length: 1500 }, () => new Array<number>(40_000).fill(1)); // 60M numbers: a 480 MB Float64Array
const vm = Number(readFileSync('/proc/self/status', 'utf8').match(/VmSize:\s+(\d+)/)![1]) * 1024;
const cap = vm + 128 * 2 ** 20;
const set = spawnSync('prlimit', [`--pid=${process.pid}`, `--as=${cap}:${cap}`], { encoding: 'utf8' });
const outcome = (f: () => unknown) => {
  try {
    f();
    return { ok: true };
  } catch (e) {
    return { code: (e as { code?: string }).code, name: (e as Error).name, message: (e as Error).message.slice(0, 200) };
  }
};
console.log(JSON.stringify({ prlimit: set.status, stderr: set.stderr, spectrum: outcome(() => participationRatio(spectrum)), nested: outcome(() => svdvals(big)) }));
