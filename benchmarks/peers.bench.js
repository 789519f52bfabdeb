// The drop-in adapters (effrank/compat/*) against the libraries they replace,
// called the way those libraries' users call them: a number[][] in, the
// default outputs (singular values and both sets of vectors) out, conversion
// on both sides inside the timing. Also effrank's own svd on the typed form,
// against the same peer timings (each peer is timed once per size).
import { createRequire } from 'node:module';
import { close } from './lib/checks.js';
import { toRows } from './lib/peers.js';
import { cached, randomMatrix } from './lib/random.js';
import { fasterBy } from './lib/targets.js';

const require = createRequire(import.meta.url);
const matrix = cached(randomMatrix);
// One number[][] per matrix, shared by adapter and peer (built outside the timing).
const rowsOf = cached((rows, cols, seed) => toRows(matrix(rows, cols, 'float64', seed)));

const SIZES = [
  { rows: 200, cols: 100, seed: 601 },
  { rows: 1000, cols: 300, seed: 602 },
  { rows: 2000, cols: 256, seed: 603 },
];
const TARGET = { rows: 2000, cols: 256, factor: 40 };

// The compat builds, loaded only when the family runs.
const compat = async (name) => import(new URL(`../dist/compat/${name}.js`, import.meta.url).href);

/** Descending singular values from each library's result, for the answer checks. */
const sortedDesc = (v) => Float64Array.from(v).sort().reverse();
const PAIRS = [
  {
    peer: 'svd-js',
    adapter: 'effrank/compat/svd-js SVD',
    load: async () => (await compat('svd-js')).SVD,
    peerFn: () => require('svd-js').SVD,
    call: (SVD, rows) => SVD(rows), // withu, withv default true
    values: (r) => sortedDesc(r.q), // svd-js leaves q unsorted
  },
  {
    peer: 'numeric',
    adapter: 'effrank/compat/numeric svd',
    load: async () => (await compat('numeric')).svd,
    peerFn: () => require('numeric').svd,
    call: (svd, rows) => svd(rows), // always U, S, V
    values: (r) => sortedDesc(r.S),
  },
  {
    peer: 'ml-matrix',
    adapter: 'effrank/compat/ml-matrix SingularValueDecomposition',
    load: async () => (await compat('ml-matrix')).SingularValueDecomposition,
    peerFn: () => require('ml-matrix').SingularValueDecomposition,
    call: (Svd, rows) => new Svd(rows), // left and right vectors by default
    values: (r) => sortedDesc(r.diagonal),
  },
];
const valuesOf = Object.fromEntries(PAIRS.map((p) => [p.peer, p.values]));

/**
 * The peers take seconds at the larger sizes: three timed calls after one
 * warm-up (one call, no warm-up, under --quick). The smallest size is cheap
 * and keeps the run's policy.
 */
const peerPolicy = (size) => (base) => {
  if (size.rows * size.cols < 100_000) return undefined;
  return base.maxSamples <= 6 ? { warmup: 0, minSamples: 1, maxSamples: 1, rounds: 1 } : { warmup: 1, minSamples: 3, maxSamples: 3, rounds: 1 };
};

function peerOf(pair, size) {
  return {
    name: pair.peer,
    shareKey: `${size.rows}x${size.cols}`,
    alternate: true, // peer, adapter, peer, adapter…: load phases hit both sides
    policy: peerPolicy(size),
    setup: async () => {
      const fn = pair.peerFn();
      const rows = rowsOf(size.rows, size.cols, size.seed);
      return () => pair.call(fn, rows);
    },
  };
}

/** Singular values agree with the peer's (relative to s₀: the peers iterate to ~1e-15). */
function valuesAgree(mine, theirs, what) {
  if (mine.length !== theirs.length) return `${what}: ${mine.length} values vs ${theirs.length}`;
  const scale = theirs[0];
  for (let i = 0; i < mine.length; i++) {
    if (!close(mine[i], theirs[i], 1e-9, 1e-9 * scale)) return `${what} s[${i}] ${mine[i]} vs ${theirs[i]}`;
  }
  return undefined;
}

export const cases = SIZES.flatMap((size) => {
  const dims = `${size.rows}×${size.cols}`;
  const key = `${size.rows}x${size.cols}`;
  const atTarget = size.rows === TARGET.rows && size.cols === TARGET.cols;
  const adapters = PAIRS.map((pair) => {
    let fn = null;
    return {
      id: `compat-${pair.peer}-${key}`,
      label: `${pair.peer} adapter ${dims}`,
      size: `${dims} float64 as number[][], U, s and V`,
      inputs: () => ({ rows: rowsOf(size.rows, size.cols, size.seed) }),
      // The first (untimed warm-up) call loads the adapter; later calls are sync,
      // so no promise hop sits inside the timing.
      effrank: (_fx, { rows }) => (fn ? pair.call(fn, rows) : pair.load().then((f) => pair.call((fn = f), rows))),
      peers: [peerOf(pair, size)],
      peerCheck: (mine, theirs) => valuesAgree(pair.values(mine), pair.values(theirs), 'singular values'),
      target: atTarget ? fasterBy(TARGET.factor, [pair.peer]) : undefined,
    };
  });
  const typed = {
    id: `svd-typed-${key}`,
    label: `effrank svd (typed) ${dims}`,
    size: `${dims} Float64Array, svd(a, { vectors: 'thin' })`,
    inputs: () => ({ a: matrix(size.rows, size.cols, 'float64', size.seed) }),
    effrank: (fx, { a }) => fx.svd(a, { vectors: 'thin' }),
    peers: PAIRS.map((pair) => peerOf(pair, size)), // timed above: reused, not re-run
    peerCheck: (mine, theirs, name) => valuesAgree(mine.s, valuesOf[name](theirs), 'singular values'),
  };
  return [...adapters, typed];
});
