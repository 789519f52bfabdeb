/**
 * GramAccumulator: chunked / merged accumulation against a one-shot plain-JS
 * float64 Gram, centring, the documented binary format, malformed buffers,
 * and the rank functions taking an accumulator in place of features.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EffrankError,
  GramAccumulator,
  epsRank,
  epsRankDetailed,
  epsRankDetailedAsync,
  numericalRank,
  spectrum,
  spectrumAsync,
} from '../src/index.js';
import { expectCode, expectRejectCode } from './helpers/expect.js';
import { gramRef, maxAbs, maxAbsDiff } from './helpers/linalg.js';
import {
  Rng,
  addRowOffset,
  asInput,
  centerRef,
  epsBetween,
  geometric,
  knownFeatures,
  rowSlice,
  toF32,
  roughWeights,
  trapezoid,
} from './helpers-rank/known.js';

type Feat = { data: Float64Array | Float32Array; rows: number; cols: number };

/** Small-integer features and dyadic weights: every Gram entry and column sum is exact in float64, whatever the order. */
function integerCase(N: number, n: number, seed: number) {
  const rng = new Rng(seed);
  const data = Float64Array.from({ length: N * n }, () => rng.int(-8, 8));
  const weights = Float64Array.from({ length: N }, () => [0.25, 0.5, 1, 2][rng.int(0, 3)]!);
  return { f: { data, rows: N, cols: n }, weights };
}

function jsColumnSums(f: Feat, w?: ArrayLike<number>): Float64Array {
  const s = new Float64Array(f.cols);
  for (let i = 0; i < f.rows; i++) for (let j = 0; j < f.cols; j++) s[j]! += (w ? w[i]! : 1) * f.data[i * f.cols + j]!;
  return s;
}

/** Adds f in chunks with the given row counts (which must sum to f.rows). */
function addInChunks(acc: GramAccumulator, f: Feat, sizes: number[], w?: Float64Array, dtypes?: ('f32' | 'f64')[]): void {
  let r = 0;
  sizes.forEach((k, c) => {
    let chunk: Feat = rowSlice(f, r, r + k);
    if (dtypes?.[c] === 'f32') chunk = { ...chunk, data: Float32Array.from(chunk.data) };
    acc.add(chunk, w ? w.subarray(r, r + k) : undefined);
    r += k;
  });
  expect(r).toBe(f.rows);
}

describe('accumulating chunks equals the one-shot float64 Gram', () => {
  it('integer data, dyadic weights: exactly equal, in any chunking', () => {
    const { f, weights } = integerCase(57, 9, 1);
    const want = gramRef(f, { weights });
    const wantSums = jsColumnSums(f, weights);
    for (const sizes of [[57], [1, 56], [10, 1, 20, 25, 1], Array(57).fill(1) as number[]]) {
      const acc = new GramAccumulator(9);
      addInChunks(acc, f, sizes, weights);
      expect(Array.from(acc.gram().data)).toEqual(Array.from(want.data));
      expect(Array.from(acc.columnSums())).toEqual(Array.from(wantSums));
      expect(acc.rows).toBe(57);
      expect(acc.weightSum).toBe(weights.reduce((a, b) => a + b, 0));
    }
  });

  it('Gaussian data with trapezoid weights, uneven chunks incl. 1-row chunks: 1e-12 of max|G|', () => {
    const rng = new Rng(2);
    const N = 200;
    const n = 17;
    const f = { data: rng.normals(N * n), rows: N, cols: n };
    const w = trapezoid(N, 0, 4);
    const want = gramRef(f, { weights: w });
    const acc = new GramAccumulator(n);
    addInChunks(acc, f, [1, 63, 1, 100, 34, 1], w);
    const g = acc.gram();
    expect(g.rows).toBe(n);
    expect(g.cols).toBe(n);
    expect(g.data).toBeInstanceOf(Float64Array);
    expect(maxAbsDiff(g.data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data));
    expect(maxAbsDiff(acc.columnSums(), jsColumnSums(f, w))).toBeLessThanOrEqual(1e-12 * maxAbs(jsColumnSums(f, w)) + 1e-15);
    expect(acc.rows).toBe(N);
    expect(Math.abs(acc.weightSum - 4)).toBeLessThan(1e-13); // trapezoid weights on [0, 4] sum to 4
    // Exactly symmetric.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(g.data[i * n + j]).toBe(g.data[j * n + i]);
  });

  it('without weights: weightSum === rows and G = ΦᵀΦ', () => {
    const rng = new Rng(3);
    const f = { data: rng.normals(45 * 6), rows: 45, cols: 6 };
    const acc = new GramAccumulator(6);
    addInChunks(acc, f, [20, 1, 24]);
    expect(acc.rows).toBe(45);
    expect(acc.weightSum).toBe(45);
    const want = gramRef(f);
    expect(maxAbsDiff(acc.gram().data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data));
  });

  it('float32 and float64 chunks mixed: the float32 values are widened exactly and accumulated in float64', () => {
    const rng = new Rng(4);
    const N = 90;
    const n = 11;
    // The reference uses the float32-rounded values where a chunk is float32.
    const f64 = { data: rng.normals(N * n), rows: N, cols: n };
    const sizes = [30, 1, 29, 30];
    const dtypes: ('f32' | 'f64')[] = ['f32', 'f64', 'f32', 'f64'];
    const ref = Float64Array.from(f64.data);
    let r = 0;
    sizes.forEach((k, c) => {
      if (dtypes[c] === 'f32') for (let i = r * n; i < (r + k) * n; i++) ref[i] = Math.fround(ref[i]!);
      r += k;
    });
    const w = Float64Array.from({ length: N }, () => rng.range(0.1, 1));
    const want = gramRef({ data: ref, rows: N, cols: n }, { weights: w });
    const acc = new GramAccumulator(n);
    addInChunks(acc, f64, sizes, w, dtypes);
    expect(maxAbsDiff(acc.gram().data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data));
    // A float32 Gram would be off by ~1e-7; this one is float64-accurate.
    const allF32 = new GramAccumulator(n).add(toF32(f64), w);
    const want32 = gramRef({ data: Float64Array.from(Float32Array.from(f64.data)), rows: N, cols: n }, { weights: w });
    expect(maxAbsDiff(allF32.gram().data, want32.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want32.data));
  });

  it('accepts number[][] chunks and number[] / Float32Array weights', () => {
    const { f, weights } = integerCase(6, 3, 5);
    const nested = Array.from({ length: 6 }, (_, i) => Array.from(f.data.subarray(i * 3, i * 3 + 3)));
    const acc = new GramAccumulator(3);
    acc.add(nested.slice(0, 2), Array.from(weights.subarray(0, 2)));
    acc.add(nested.slice(2), Float32Array.from(weights.subarray(2)));
    expect(Array.from(acc.gram().data)).toEqual(Array.from(gramRef(f, { weights }).data));
  });

  it('gram() and columnSums() return copies', () => {
    const acc = new GramAccumulator(2).add([[1, 2]]);
    acc.gram().data[0] = 99;
    acc.columnSums()[0] = 99;
    expect(Array.from(acc.gram().data)).toEqual([1, 2, 2, 4]);
    expect(Array.from(acc.columnSums())).toEqual([1, 2]);
  });

  it('a failed add leaves the accumulator unchanged', () => {
    const acc = new GramAccumulator(2).add([[1, 2]]);
    const before = acc.toBuffer();
    expectCode(() => acc.add([[1, 2, 3]]), 'ERR_INVALID_SHAPE');
    expectCode(() => acc.add([[1, 2]], [-1]), 'ERR_INVALID_ARGUMENT');
    expectCode(() => acc.add([[1, 2]], [1, 1]), 'ERR_INVALID_ARGUMENT');
    expectCode(() => acc.add([[1, 2]], [NaN]), 'ERR_INVALID_ARGUMENT');
    expect(acc.toBuffer()).toEqual(before);
  });
});

describe('merge', () => {
  it('shards merged (directly and through buffers) equal the one-shot Gram', () => {
    const rng = new Rng(6);
    const N = 150;
    const n = 13;
    const f = { data: rng.normals(N * n), rows: N, cols: n };
    const w = trapezoid(N, -1, 1);
    const want = gramRef(f, { weights: w });
    const cuts = [0, 1, 50, 51, 120, 150];
    const shards: GramAccumulator[] = [];
    for (let s = 0; s + 1 < cuts.length; s++) {
      shards.push(new GramAccumulator(n).add(rowSlice(f, cuts[s]!, cuts[s + 1]!), w.subarray(cuts[s]!, cuts[s + 1]!)));
    }
    const direct = new GramAccumulator(n);
    for (const s of shards) direct.merge(s);
    const viaBuffers = GramAccumulator.fromBuffer(shards[0]!.toBuffer());
    for (const s of shards.slice(1)) viaBuffers.merge(GramAccumulator.fromBuffer(s.toBuffer()));
    for (const acc of [direct, viaBuffers]) {
      expect(maxAbsDiff(acc.gram().data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data));
      expect(maxAbsDiff(acc.columnSums(), jsColumnSums(f, w))).toBeLessThanOrEqual(1e-12 * maxAbs(jsColumnSums(f, w)));
      expect(acc.rows).toBe(N);
      expect(Math.abs(acc.weightSum - 2)).toBeLessThan(1e-13);
    }
    // Merging does not modify the shard merged in.
    expect(shards[1]!.rows).toBe(49);
  });

  it('integer data: merge order does not matter (exact)', () => {
    const { f, weights } = integerCase(40, 5, 7);
    const a = new GramAccumulator(5).add(rowSlice(f, 0, 13), weights.subarray(0, 13));
    const b = new GramAccumulator(5).add(rowSlice(f, 13, 40), weights.subarray(13));
    const ab = new GramAccumulator(5).merge(a).merge(b);
    const ba = new GramAccumulator(5).merge(b).merge(a);
    expect(ab.toBuffer()).toEqual(ba.toBuffer());
    expect(Array.from(ab.gram().data)).toEqual(Array.from(gramRef(f, { weights }).data));
  });

  it('rejects a different n or a non-accumulator', () => {
    const acc = new GramAccumulator(4);
    expectCode(() => acc.merge(new GramAccumulator(5)), 'ERR_INVALID_ARGUMENT');
    expectCode(() => acc.merge({ n: 4 } as never), 'ERR_INVALID_ARGUMENT');
    expectCode(() => acc.merge(null as never), 'ERR_INVALID_ARGUMENT');
  });
});

describe('centeredGram', () => {
  it('equals the JS Gram of the weighted-mean-centred features', () => {
    const rng = new Rng(8);
    const N = 120;
    const n = 10;
    const base = rng.normals(N * n);
    for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) base[i * n + j]! += 2 + j; // nonzero means
    const f = { data: base, rows: N, cols: n };
    const w = roughWeights(N, 81, 0, 3);
    const acc = new GramAccumulator(n);
    addInChunks(acc, f, [1, 59, 60], w);
    const want = gramRef(centerRef(f, w), { weights: w });
    const scaleRef = maxAbs(gramRef(f, { weights: w }).data);
    const got = acc.centeredGram();
    expect(got.rows).toBe(n);
    expect(maxAbsDiff(got.data, want.data)).toBeLessThanOrEqual(1e-12 * scaleRef);
    // Unweighted: plain column means.
    const acc1 = new GramAccumulator(n).add(f);
    expect(maxAbsDiff(acc1.centeredGram().data, gramRef(centerRef(f)).data)).toBeLessThanOrEqual(1e-12 * maxAbs(gramRef(f).data));
    // Centring really changed it.
    expect(maxAbsDiff(got.data, acc.gram().data)).toBeGreaterThan(0.1 * scaleRef);
  });

  it('on an empty accumulator is all zeros', () => {
    expect(Array.from(new GramAccumulator(3).centeredGram().data)).toEqual(new Array(9).fill(0));
  });
});

describe('binary format', () => {
  const { f, weights } = integerCase(23, 4, 9);
  const acc = new GramAccumulator(4).add(f, weights);
  const bytes = acc.toBuffer();

  it('has the documented header and layout (little-endian)', () => {
    const n = 4;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteLength).toBe(32 + 8 * (n * n + n));
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x45, 0x46, 0x47, 0x41]); // "EFGA"
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('EFGA');
    expect(v.getUint16(4, true)).toBe(1);
    expect(v.getUint16(6, true)).toBe(1);
    expect(v.getUint32(8, true)).toBe(n);
    expect(v.getUint32(12, true)).toBe(0);
    expect(v.getFloat64(16, true)).toBe(23);
    expect(v.getFloat64(24, true)).toBe(weights.reduce((a, b) => a + b, 0));
    const g = gramRef(f, { weights }).data;
    for (let i = 0; i < n * n; i++) expect(v.getFloat64(32 + 8 * i, true)).toBe(g[i]);
    const s = jsColumnSums(f, weights);
    for (let j = 0; j < n; j++) expect(v.getFloat64(32 + 8 * n * n + 8 * j, true)).toBe(s[j]);
  });

  it('round-trips bitwise, from Uint8Array, ArrayBuffer and an unaligned view into a larger buffer', () => {
    const rng = new Rng(10);
    const g = new GramAccumulator(7).add({ data: rng.normals(30 * 7), rows: 30, cols: 7 }, trapezoid(30));
    const b = g.toBuffer();
    expect(GramAccumulator.fromBuffer(b).toBuffer()).toEqual(b);
    expect(GramAccumulator.fromBuffer(b.slice().buffer).toBuffer()).toEqual(b);
    const big = new Uint8Array(b.byteLength + 13);
    big.set(b, 5);
    const back = GramAccumulator.fromBuffer(big.subarray(5, 5 + b.byteLength));
    expect(back.toBuffer()).toEqual(b);
    expect(back.n).toBe(7);
    expect(back.rows).toBe(30);
    expect(back.weightSum).toBe(g.weightSum);
    expect(back.dtype).toBe('float64');
    // Bitwise, including the sign of zero and subnormals.
    const z = new GramAccumulator(2).add({ data: new Float64Array([-0, 5e-324, 0, -0]), rows: 2, cols: 2 });
    expect(GramAccumulator.fromBuffer(z.toBuffer()).toBuffer()).toEqual(z.toBuffer());
  });

  it('a restored accumulator keeps accumulating', () => {
    const { f: f2, weights: w2 } = integerCase(30, 4, 11);
    const restored = GramAccumulator.fromBuffer(bytes).add(f2, w2);
    const all = { data: Float64Array.from([...f.data, ...f2.data]), rows: 53, cols: 4 };
    const allW = Float64Array.from([...weights, ...w2]);
    expect(Array.from(restored.gram().data)).toEqual(Array.from(gramRef(all, { weights: allW }).data));
    expect(restored.rows).toBe(53);
    // …and does not share memory with the source bytes.
    expect(GramAccumulator.fromBuffer(bytes).rows).toBe(23);
  });

  function mutated(edit: (v: DataView, b: Uint8Array) => void, length = bytes.byteLength): Uint8Array {
    const b = new Uint8Array(length);
    b.set(bytes.subarray(0, Math.min(length, bytes.byteLength)));
    edit(new DataView(b.buffer), b);
    return b;
  }

  const bad: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['31 bytes', bytes.slice(0, 31)],
    ['header only', bytes.slice(0, 32)],
    ['truncated by one byte', bytes.slice(0, bytes.byteLength - 1)],
    ['one byte too many', mutated(() => {}, bytes.byteLength + 1)],
    ['wrong magic', mutated((v) => v.setUint32(0, 0x41474646, true))],
    ['magic in big-endian order', mutated((v) => v.setUint32(0, 0x41474645, false))],
    ['version 0', mutated((v) => v.setUint16(4, 0, true))],
    ['version 2', mutated((v) => v.setUint16(4, 2, true))],
    ['dtype code 0', mutated((v) => v.setUint16(6, 0, true))],
    ['dtype code 2 (float32)', mutated((v) => v.setUint16(6, 2, true))],
    ['n = 0', mutated((v) => v.setUint32(8, 0, true))],
    ['n = 3 (length mismatch)', mutated((v) => v.setUint32(8, 3, true))],
    ['n = 5 (length mismatch)', mutated((v) => v.setUint32(8, 5, true))],
    ['n = 2^32 − 1', mutated((v) => v.setUint32(8, 0xffffffff, true))],
    ['NaN in G', mutated((v) => v.setFloat64(32 + 8 * 5, NaN, true))],
    ['Infinity in G', mutated((v) => v.setFloat64(32, Infinity, true))],
    ['NaN in column sums', mutated((v) => v.setFloat64(32 + 8 * 16 + 8 * 3, NaN, true))],
    ['-Infinity in column sums', mutated((v) => v.setFloat64(32 + 8 * 16, -Infinity, true))],
    ['negative rows', mutated((v) => v.setFloat64(16, -1, true))],
    ['fractional rows', mutated((v) => v.setFloat64(16, 2.5, true))],
    ['NaN rows', mutated((v) => v.setFloat64(16, NaN, true))],
    ['rows beyond 2^53', mutated((v) => v.setFloat64(16, 2 ** 60, true))],
    ['negative total weight', mutated((v) => v.setFloat64(24, -0.5, true))],
    ['NaN total weight', mutated((v) => v.setFloat64(24, NaN, true))],
    ['infinite total weight', mutated((v) => v.setFloat64(24, Infinity, true))],
  ];
  for (const [name, b] of bad) {
    it(`rejects a malformed buffer: ${name}`, () => {
      expectCode(() => GramAccumulator.fromBuffer(b), 'ERR_INVALID_ARGUMENT');
      expectCode(() => GramAccumulator.fromBuffer(b.slice().buffer), 'ERR_INVALID_ARGUMENT');
    });
  }

  it('rejects inputs that are not bytes', () => {
    for (const x of [null, undefined, 'EFGA', [1, 2, 3], {}, 42]) {
      expectCode(() => GramAccumulator.fromBuffer(x as never), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('random bytes: a valid accumulator or ERR_INVALID_ARGUMENT, never another error', () => {
    const check = (b: Uint8Array) => {
      let acc: GramAccumulator | undefined;
      try {
        acc = GramAccumulator.fromBuffer(b);
      } catch (e) {
        expect(e).toBeInstanceOf(EffrankError);
        expect((e as EffrankError).code).toBe('ERR_INVALID_ARGUMENT');
        return false;
      }
      // Accepted: it re-serialises to the same bytes (flags hold only bit 0) and has a sane state.
      const expected = Uint8Array.from(b);
      expect(new DataView(b.buffer, b.byteOffset + 12, 4).getUint32(0, true) & ~1).toBe(0);
      expect(acc.toBuffer()).toEqual(expected);
      expect(acc.n * acc.n + acc.n).toBe((b.byteLength - 32) / 8);
      expect(Number.isSafeInteger(acc.rows) && acc.rows >= 0).toBe(true);
      expect(acc.weightSum >= 0 && Number.isFinite(acc.weightSum)).toBe(true);
      return true;
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void check(b)), { numRuns: 300 });
    // A valid magic/version/dtype/n, then random bytes (rows, weight, payload), sometimes cut to the right length.
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.uint8Array({ minLength: 0, maxLength: 240 }),
        fc.boolean(),
        fc.boolean(),
        (n, tail, fitLength, saneCounts) => {
          const b = new Uint8Array(16 + tail.length);
          const v = new DataView(b.buffer);
          v.setUint32(0, 0x41474645, true);
          v.setUint16(4, 1, true);
          v.setUint16(6, 1, true);
          v.setUint32(8, n, true);
          b.set(tail, 16);
          if (saneCounts && b.byteLength >= 32) {
            v.setFloat64(16, tail[0]!, true);
            v.setFloat64(24, tail[1]! / 7, true);
          }
          const total = 32 + 8 * (n * n + n);
          if (check(fitLength && b.byteLength >= total ? b.subarray(0, total) : b)) accepted++;
        },
      ),
      { numRuns: 400 },
    );
    // Single-byte flips of a valid buffer.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = bytes.slice();
        b[at] = b[at]! ^ x;
        if (check(b)) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(0); // the generators do reach the accepting path
  });
});

describe('argument checks', () => {
  it('constructor', () => {
    for (const n of [0, -1, 1.5, NaN, Infinity, '3', 2 ** 16]) {
      expectCode(() => new GramAccumulator(n as number), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => new GramAccumulator(3, { dtype: 'float32' as never }), 'ERR_INVALID_ARGUMENT');
    const acc = new GramAccumulator(3, { dtype: 'float64' });
    expect(acc.n).toBe(3);
    expect(acc.rows).toBe(0);
    expect(acc.weightSum).toBe(0);
    expect(Array.from(acc.gram().data)).toEqual(new Array(9).fill(0));
  });

  it('a chunk with the wrong number of columns → ERR_INVALID_SHAPE (sync and async)', async () => {
    const acc = new GramAccumulator(3);
    expectCode(() => acc.add({ data: new Float64Array(8), rows: 2, cols: 4 }), 'ERR_INVALID_SHAPE');
    expectCode(() => acc.add([[1, 2]]), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => acc.addAsync({ data: new Float32Array(4), rows: 2, cols: 2 }), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => acc.addAsync([[1, 2, 3]], [-1]), 'ERR_INVALID_ARGUMENT');
    expect(acc.rows).toBe(0);
  });
});

describe('addAsync', () => {
  it('equals add (same bytes) and the JS Gram', async () => {
    const rng = new Rng(12);
    const f = { data: rng.normals(70 * 8), rows: 70, cols: 8 };
    const w = trapezoid(70);
    const syncAcc = new GramAccumulator(8);
    const asyncAcc = new GramAccumulator(8);
    addInChunks(syncAcc, f, [1, 40, 29], w);
    expect(await asyncAcc.addAsync(rowSlice(f, 0, 1), w.subarray(0, 1))).toBe(asyncAcc);
    await asyncAcc.addAsync(toF32(rowSlice(f, 1, 41)), w.subarray(1, 41));
    await asyncAcc.addAsync(rowSlice(f, 41, 70), w.subarray(41));
    const mixedSync = new GramAccumulator(8);
    mixedSync.add(rowSlice(f, 0, 1), w.subarray(0, 1)).add(toF32(rowSlice(f, 1, 41)), w.subarray(1, 41)).add(rowSlice(f, 41, 70), w.subarray(41));
    expect(asyncAcc.toBuffer()).toEqual(mixedSync.toBuffer());
    const want = gramRef(f, { weights: w });
    expect(maxAbsDiff(syncAcc.gram().data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data));
  });
});

describe('rank functions take an accumulator in place of features', () => {
  const N = 160;
  const scale = 2.75;
  const w = trapezoid(N, 0, 2);
  const lambda = geometric(14, 6, 0.3); // 6 … 9.6e-7
  const phi = asInput(knownFeatures({ N, lambda, weights: w, scale, seed: 13 }));
  const acc = new GramAccumulator(14);
  addInChunks(acc, phi, [1, 80, 79], w);
  const { eps, counts } = epsBetween(lambda);

  it('epsRank(acc) equals epsRank(features) and the known counts, for every allowed method', () => {
    for (const method of ['auto', 'inertia', 'eigen'] as const) {
      expect(epsRank(acc, { scale, eps, method })).toEqual(counts);
      expect(epsRank(acc, { scale, eps, method })).toEqual(epsRank(phi, { weights: w, scale, eps, method }));
      for (let k = 0; k < eps.length; k += 4) expect(epsRank(acc, { scale, eps: eps[k]!, method })).toBe(counts[k]);
    }
    expect(epsRank(acc, { scale, eps: eps.map((e) => e / 6), relative: true })).toEqual(counts);
    const d = epsRankDetailed(acc, { scale, eps });
    expect(d.method).toBe('eigen');
    expect(d.dtype).toBe('float64');
    expect(d.N).toBe(N);
    expect(d.n).toBe(14);
  });

  it('spectrum(acc) gives the known eigenvalues', () => {
    const s = spectrum(acc, { scale });
    for (let i = 0; i < 14; i++) expect(Math.abs(s[i]! - lambda[i]!)).toBeLessThanOrEqual(1e-12 * 6);
  });

  it('float32 features accumulate in float64: ε = 1e-9·λ_max counted right on the Gram', () => {
    const lam = [1, ...Array.from({ length: 12 }, (_, i) => 10 ** -(i + 0.5))];
    const p = toF32(knownFeatures({ N: 200, lambda: lam, weights: trapezoid(200), seed: 14 }));
    const a = new GramAccumulator(13);
    a.add(rowSlice(p, 0, 100), trapezoid(200).subarray(0, 100)).add(rowSlice(p, 100, 200), trapezoid(200).subarray(100));
    const d = epsRankDetailed(a, { eps: 1e-9, relative: true });
    expect(d.method).toBe('eigen');
    expect(d.counts).toEqual([lam.filter((l) => l > 1e-9).length]);
  });

  it('center: true on an accumulator uses the centred Gram', () => {
    const lam = geometric(8, 2, 0.35);
    const rw = roughWeights(70, 16);
    const p0 = knownFeatures({ N: 70, lambda: lam, weights: rw, scale: 3, zeroMean: true, seed: 15 });
    const p = addRowOffset(p0, [1, -2, 3, 0.5, -1, 2, 0, 1.5].map((x) => x * maxAbs(p0.data)));
    const a = new GramAccumulator(8).add(p, rw);
    const { eps: e, counts: c } = epsBetween(lam);
    expect(epsRank(a, { eps: e, scale: 3, center: true })).toEqual(c);
    expect(epsRank(a, { eps: e, scale: 3, center: true, method: 'inertia' })).toEqual(c);
    const s = spectrum(a, { scale: 3, center: true });
    for (let i = 0; i < 8; i++) expect(Math.abs(s[i]! - lam[i]!)).toBeLessThanOrEqual(1e-11 * 2);
  });

  it('async twins on an accumulator', async () => {
    expect(await epsRankDetailedAsync(acc, { scale, eps })).toEqual(epsRankDetailed(acc, { scale, eps }));
    expect(await spectrumAsync(acc, { scale })).toEqual(spectrum(acc, { scale }));
  });

  it("rejects weights with an accumulator, method 'svd', via 'svd' and an empty accumulator", async () => {
    expectCode(() => epsRank(acc, { eps: 1e-3, weights: w }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => spectrum(acc, { weights: w }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(acc, { eps: 1e-3, method: 'svd' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRankDetailed(acc, { eps: [1e-3, 1], method: 'svd' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => spectrum(acc, { via: 'svd' }), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => epsRankDetailedAsync(acc, { eps: 1e-3, method: 'svd' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(new GramAccumulator(3), { eps: 1e-3 }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => epsRank(acc, { eps: 1e-3, scale: -1 }), 'ERR_INVALID_ARGUMENT');
  });
});

describe('properties', () => {
  it('any chunking (and any sharding + merge) equals the one-shot JS Gram', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (seed, N0, n, pieces, weighted, useMerge) => {
          const rng = new Rng(seed);
          // Chunk sizes from `pieces`, trimmed / extended to total N.
          const sizes: number[] = [];
          let N = 0;
          for (const p of pieces) {
            if (N >= N0) break;
            const k = Math.min(p, N0 - N);
            sizes.push(k);
            N += k;
          }
          if (N < N0) sizes.push(N0 - N);
          N = N0;
          const f = { data: rng.normals(N * n), rows: N, cols: n };
          const w = weighted ? Float64Array.from({ length: N }, () => rng.range(0, 3)) : undefined;
          const want = gramRef(f, { weights: w });
          let acc: GramAccumulator;
          if (useMerge) {
            acc = new GramAccumulator(n);
            let r = 0;
            for (const k of sizes) {
              acc.merge(new GramAccumulator(n).add(rowSlice(f, r, r + k), w?.subarray(r, r + k)));
              r += k;
            }
          } else {
            acc = new GramAccumulator(n);
            addInChunks(acc, f, sizes, w);
          }
          expect(acc.rows).toBe(N);
          expect(maxAbsDiff(acc.gram().data, want.data)).toBeLessThanOrEqual(1e-12 * maxAbs(want.data) + 1e-300);
          const ws = w ? w.reduce((a, b) => a + b, 0) : N;
          expect(Math.abs(acc.weightSum - ws)).toBeLessThanOrEqual(1e-13 * ws);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('source precision', () => {
  it('remembers float32 rows (flag bit 0), through merge and buffers, and rejects unknown flags', () => {
    const f64 = new GramAccumulator(2).add({ data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2 });
    expect(f64.sourceDtype).toBe('float64');
    expect(new DataView(f64.toBuffer().buffer).getUint32(12, true)).toBe(0);
    const f32 = new GramAccumulator(2).add({ data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 });
    expect(f32.sourceDtype).toBe('float32');
    const bytes = f32.toBuffer();
    expect(new DataView(bytes.buffer).getUint32(12, true)).toBe(1);
    expect(GramAccumulator.fromBuffer(bytes).sourceDtype).toBe('float32');
    expect(f64.merge(f32).sourceDtype).toBe('float32');
    new DataView(bytes.buffer).setUint32(12, 2, true);
    expectCode(() => GramAccumulator.fromBuffer(bytes), 'ERR_INVALID_ARGUMENT');
  });

  it("float32 rows give numpy's float32 default tolerance for the numerical rank", () => {
    // σ = 1 and 2.5e-7: below float32's default tolerance (σ_max·max(N, n)·2⁻²³ ≈ 3.6e-7) but above
    // float64's and above what the float64 Gram resolves (√(100·2⁻⁵²) ≈ 1.5e-7), so only the dtype decides.
    const data = Float32Array.of(1, 0, 0, 2.5e-7, 0, 0);
    const acc32 = new GramAccumulator(2).add({ data, rows: 3, cols: 2 });
    expect(numericalRank(new GramAccumulator(2).add({ data: Float64Array.from(data), rows: 3, cols: 2 }))).toBe(2);
    expect(numericalRank(acc32)).toBe(numericalRank({ data, rows: 3, cols: 2 }));
    expect(numericalRank({ data, rows: 3, cols: 2 })).toBe(1);
  });
});
