// The README's drop-in table: for each cell of lib/compat-cells.js and each
// size, the peer and the adapter timed alternately in this one process
// (peer, adapter, peer, …), medians of process CPU time; prints peer time / adapter time (above 1:
// the adapter is faster) as a markdown table, and the cells below target.
// Usage: npx tsup && node benchmarks/compat-table.js [--rounds N] [--sizes 2x2,3x3,…] [--threads N]
//
// effrank runs on one BLAS thread unless --threads says otherwise: the peers
// are single-threaded JavaScript, so one core each is the like-for-like
// comparison, and process CPU time would count every BLAS thread (on the
// 2-core machine a second thread doubled the CPU time of a 2000×256 SVD for
// at best 10% less wall time, and was slower than one whenever the other
// core was busy).
import { COMPAT_SIZES, compatCells, loadAdapters, randomRows, targetFactor } from './lib/compat-cells.js';

// Process CPU time (user + system) in ns, not wall time: on a machine shared
// with other jobs, a process waiting for a core does not count against the
// function being timed. Both sides of a pair are timed the same way.
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 11;
const sizesArg = process.argv.indexOf('--sizes');
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map((s) => s.split('x').map(Number)) : COMPAT_SIZES;
const threadsArg = process.argv.indexOf('--threads');
const THREADS = threadsArg > 0 ? Number(process.argv[threadsArg + 1]) : 1;
const { setNumThreads } = await import(new URL('../dist/index.js', import.meta.url).href);
const threadsUsed = setNumThreads(THREADS);
console.error(`effrank BLAS threads: ${threadsUsed}`);
const cells = compatCells(await loadAdapters());

/** Calls per sample so that one sample takes ≥ 3 ms (one call for slow functions). */
function batchOf(f) {
  for (let n = 1; ; n *= 2) {
    const t = cpuNow();
    for (let i = 0; i < n; i++) f();
    if ((cpuNow() - t) > 5e6 || n >= 1 << 20) return n;
  }
}

function sample(f, n) {
  const t = cpuNow();
  for (let i = 0; i < n; i++) f();
  return (cpuNow() - t) / n;
}

const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
// Warm-up: every small cell once through the JIT tiers before anything is timed, so that the
// first sizes measured are not timing the optimising compiler.
for (const [rows, cols] of SIZES.filter(([r, c]) => r * c <= 1024)) {
  for (const cell of cells) {
    const x = cell.input(randomRows(rows, cols, 1));
    for (let i = 0; i < 3000; i++) {
      cell.peerFn(x);
      cell.adapterFn(x);
    }
  }
}
const table = new Map();
const short = [];
for (const [rows, cols] of SIZES) {
  const big = rows * cols >= 100_000;
  for (const cell of cells) {
    const x = cell.input(randomRows(rows, cols, rows * 7 + cols));
    const peer = () => cell.peerFn(x);
    const mine = () => cell.adapterFn(x);
    const np = batchOf(peer);
    const nm = batchOf(mine);
    const tp = [];
    const tm = [];
    for (let r = 0; r < (big ? 3 : ROUNDS); r++) {
      tp.push(sample(peer, np));
      tm.push(sample(mine, nm));
    }
    const ratio = median(tp) / median(tm);
    const key = `${cell.peer} \`${cell.call}\``;
    if (!table.has(key)) table.set(key, []);
    table.get(key).push(ratio);
    const want = targetFactor(rows, cols);
    if (ratio < want) short.push(`${key} ${rows}×${cols}: ${ratio.toFixed(2)} (target ≥ ${want}; peer ${(median(tp) / 1e3).toFixed(2)} µs, adapter ${(median(tm) / 1e3).toFixed(2)} µs)`);
    console.error(`${key} ${rows}×${cols}: peer ${(median(tp) / 1e3).toFixed(2)} µs, adapter ${(median(tm) / 1e3).toFixed(2)} µs, ×${ratio.toFixed(2)}`);
  }
}
const header = `| adapter vs peer | ${SIZES.map(([r, c]) => `${r}×${c}`).join(' | ')} |`;
console.log(header);
console.log(`| --- |${SIZES.map(() => ' --- |').join('')}`);
for (const [key, ratios] of table) {
  console.log(`| ${key} | ${ratios.map((v) => (v >= 10 ? v.toFixed(0) : v.toFixed(2))).join(' | ')} |`);
}
console.log(short.length ? `\nbelow target:\n${short.join('\n')}` : '\nevery cell meets its target');
