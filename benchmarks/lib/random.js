// Seeded random matrices. Benchmarks must be reproducible run to run, and the
// numpy side receives these exact bytes (see reference-client.js), so no
// generator has to be mirrored in Python.

/** Marsaglia xorshift32: tiny, fast, and plenty random for timing inputs. */
function xorshift32(seed) {
  let x = seed >>> 0 || 0x9e3779b9; // a zero state would stick at zero
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296; // [0, 1)
  };
}

/**
 * Fills a typed array with uniform values in [-1, 1). Uniform rather than
 * Gaussian: LAPACK timings don't depend on the entry distribution, and this
 * keeps generating 10M entries well under a second.
 */
export function fillUniform(data, seed) {
  const next = xorshift32(seed);
  for (let i = 0; i < data.length; i++) data[i] = 2 * next() - 1;
  return data;
}

const ARRAYS = { float32: Float32Array, float64: Float64Array };

/** A rows×cols row-major matrix of uniform entries. */
export function randomMatrix(rows, cols, dtype, seed) {
  const data = fillUniform(new ARRAYS[dtype](rows * cols), seed);
  return { data, rows, cols };
}

/** A symmetric n×n matrix B + Bᵀ; its eigenvalues spread around 0 (a semicircle). */
export function randomSymmetric(n, dtype, seed) {
  const b = fillUniform(new ARRAYS[dtype](n * n), seed);
  const data = new ARRAYS[dtype](n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = b[i * n + j] + b[j * n + i];
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  }
  return { data, rows: n, cols: n };
}

/** `count` stacked rows×cols matrices, in the batched form effrank takes. */
export function randomBatch(count, rows, cols, dtype, seed) {
  const data = fillUniform(new ARRAYS[dtype](count * rows * cols), seed);
  return { data, count, rows, cols };
}

/**
 * Wraps a generator so equal arguments return the same object. Cases that
 * share an input then share one array, and the numpy side gets one file.
 */
export function cached(make) {
  const memo = new Map();
  return (...args) => {
    const key = JSON.stringify(args);
    if (!memo.has(key)) memo.set(key, make(...args));
    return memo.get(key);
  };
}
