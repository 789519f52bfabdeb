// Where the small-matrix kernels (Golub–Kahan–Reinsch SVD, Jacobi eigh) stop
// beating LAPACK: times svd (thin), svdvals, eigh and eigvalsh on both paths at
// each size, alternating the two in one process (a maxElements cap routes
// around the small path; see src/linalg/small/route.ts). Prints the ratio
// LAPACK time / small-path time (above 1: the small path is faster). Sizes
// above the crossover in route.ts run LAPACK on both sides (ratio ~1): to
// measure a new crossover, raise the limits there first.
// Usage: npx tsup && node benchmarks/small-crossover.js
import * as fx from '../dist/index.js';

// Process CPU time (user + system) in ns, not wall time: on a machine shared
// with other jobs, a process waiting for a core does not count against the
// function being timed. Both sides of a pair are timed the same way.
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function randomMatrix(rows, cols, seed) {
  let s = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return { data, rows, cols };
}

/** Median ns per call of f, over `rounds` alternating rounds of ~5 ms each. */
function timePair(a, b, rounds = 15) {
  const ta = [];
  const tb = [];
  const calls = (f) => {
    let n = 1;
    for (;;) {
      const t = cpuNow();
      for (let i = 0; i < n; i++) f();
      if ((cpuNow() - t) > 5e6) return n;
      n *= 2;
    }
  };
  const na = calls(a);
  const nb = calls(b);
  for (let r = 0; r < rounds; r++) {
    for (const [f, n, out] of [[a, na, ta], [b, nb, tb]]) {
      const t = cpuNow();
      for (let i = 0; i < n; i++) f();
      out.push((cpuNow() - t) / n);
    }
  }
  const median = (x) => x.sort((p, q) => p - q)[x.length >> 1];
  return [median(ta), median(tb)];
}

const lapack = (f) => () => {
  fx.setLimits({ maxElements: 2 ** 40 });
  try {
    return f();
  } finally {
    fx.setLimits({ maxElements: 0 });
  }
};

const rows = [];
const shapes = [[2, 2], [3, 3], [4, 4], [6, 6], [8, 8], [10, 10], [12, 12], [14, 14], [16, 16], [32, 4], [64, 4], [16, 8], [24, 8], [20, 12]];
for (const [m, n] of shapes) {
  const a = randomMatrix(m, n, m * 1000 + n);
  const sym = randomMatrix(n, n, n);
  const cells = [`${m}×${n}`];
  for (const [name, f] of [['svd', () => fx.svd(a)], ['svdvals', () => fx.svdvals(a)]]) {
    const [small, big] = timePair(f, lapack(f));
    cells.push(`${name} ${(small / 1000).toFixed(2)} µs vs ${(big / 1000).toFixed(2)} µs → ${(big / small).toFixed(2)}`);
  }
  if (m === n) {
    for (const [name, f] of [['eigh', () => fx.eigh(sym)], ['eigvalsh', () => fx.eigvalsh(sym)]]) {
      const [small, big] = timePair(f, lapack(f));
      cells.push(`${name} ${(small / 1000).toFixed(2)} vs ${(big / 1000).toFixed(2)} → ${(big / small).toFixed(2)}`);
    }
  }
  rows.push(cells.join(' | '));
  console.log(cells.join(' | '));
}
