import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gram, type Matrix } from '../src/index.js';
import { Rng } from './helpers/rng.js';
import { type AnyDense, type Dense, type GramRefOptions, gramRef, maxAbs, randn, toFloat32, toNested } from './helpers/linalg.js';

/** Asserts g is exactly symmetric (bitwise g[i][j] === g[j][i]). */
function expectExactlySymmetric(g: Matrix): void {
  const n = g.rows;
  expect(g.cols).toBe(n);
  let asymmetric = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (!Object.is(g.data[i * n + j], g.data[j * n + i])) asymmetric++;
  expect(asymmetric).toBe(0);
}

/** Asserts max|G − ref| ≤ tol·max|ref| + absTol and the shape. */
function expectGramClose(g: Matrix, ref: Dense, tol: number, absTol = 0): void {
  expect([g.rows, g.cols, g.data.length]).toEqual([ref.rows, ref.cols, ref.data.length]);
  const scale = maxAbs(ref.data);
  let worst = 0;
  for (let i = 0; i < ref.data.length; i++) worst = Math.max(worst, Math.abs(g.data[i]! - ref.data[i]!));
  expect(worst, `max |G − ref| = ${worst}, max |ref| = ${scale}`).toBeLessThanOrEqual(tol * scale + absTol);
}

function positiveWeights(count: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: count }, () => rng.range(0.1, 2));
}

type Case = { name: string; opts: GramRefOptions };

function casesFor(a: AnyDense, rng: Rng): Case[] {
  return [
    { name: 'cols', opts: { side: 'cols' } },
    { name: 'rows', opts: { side: 'rows' } },
    { name: 'cols, weights', opts: { side: 'cols', weights: positiveWeights(a.rows, rng) } },
    { name: 'rows, weights', opts: { side: 'rows', weights: positiveWeights(a.cols, rng) } },
    { name: 'cols, weights, scale', opts: { side: 'cols', weights: positiveWeights(a.rows, rng), scale: 0.37 } },
    { name: 'rows, scale', opts: { side: 'rows', scale: -2.5 } },
  ];
}

describe('gram against a float64 loop', () => {
  it('exact small integer example, both sides', () => {
    const a = [
      [1, 2],
      [3, 4],
    ];
    const gc = gram(a);
    expect(gc.data).toBeInstanceOf(Float64Array);
    expect(Array.from(gc.data)).toEqual([10, 14, 14, 20]);
    expect(Array.from(gram(a, { side: 'rows' }).data)).toEqual([5, 11, 11, 25]);
    expect(Array.from(gram(a, { weights: [2, 0.5], scale: 3 }).data)).toEqual([
      3 * (2 * 1 + 0.5 * 9),
      3 * (2 * 2 + 0.5 * 12),
      3 * (2 * 2 + 0.5 * 12),
      3 * (2 * 4 + 0.5 * 16),
    ]);
  });

  for (const [m, n] of [
    [9, 6],
    [6, 9],
    [1, 5],
    [5, 1],
    [300, 257], // crosses the 128 block size on both sides
  ] as const) {
    it(`${m}×${n} float64 (1e-12) and float32 (1e-5), all option combinations, exactly symmetric`, () => {
      const rng = new Rng(m * 1000 + n);
      const a = randn(m, n, rng);
      const a32 = toFloat32(a);
      for (const { name, opts } of casesFor(a, rng)) {
        const ref = gramRef(a, opts);
        const g = gram(a, opts);
        expect(g.data, name).toBeInstanceOf(Float64Array);
        expectGramClose(g, ref, 1e-12);
        expectExactlySymmetric(g);

        const ref32 = gramRef(a32, opts); // float64 loop on the float32 values
        const g32 = gram(a32, opts);
        expect(g32.data, name).toBeInstanceOf(Float32Array);
        expectGramClose(g32, ref32, 1e-5);
        expectExactlySymmetric(g32);

        const wide = gram(a32, { ...opts, accumulate: 'float64' });
        expect(wide.data, name).toBeInstanceOf(Float64Array);
        expectGramClose(wide, ref32, 1e-12);
        expectExactlySymmetric(wide);
      }
    });
  }

  it('a tall 5000×130 weighted case (float64, and float32 accumulated in float64)', () => {
    const rng = new Rng(5000);
    const a = randn(5000, 130, rng);
    const w = positiveWeights(5000, rng);
    const g = gram(a, { weights: w, scale: 1 / 5000 });
    expectGramClose(g, gramRef(a, { weights: w, scale: 1 / 5000 }), 1e-12);
    expectExactlySymmetric(g);
    const a32 = toFloat32(a);
    const ref32 = gramRef(a32, { weights: w, scale: 1 / 5000 });
    const wide = gram(a32, { weights: w, scale: 1 / 5000, accumulate: 'float64' });
    expect(wide.data).toBeInstanceOf(Float64Array);
    expectGramClose(wide, ref32, 1e-12);
    expectExactlySymmetric(wide);
    const g32 = gram(a32, { weights: w, scale: 1 / 5000 });
    expect(g32.data).toBeInstanceOf(Float32Array);
    expectGramClose(g32, ref32, 1e-5);
  });

  it('600000×4 weighted: more rows than one internal chunk (2^20 elements) holds', () => {
    const rng = new Rng(600);
    const m = 600_000;
    const a = randn(m, 4, rng);
    const w = positiveWeights(m, rng);
    const ref = gramRef(a, { weights: w, scale: 2 });
    const g = gram(a, { weights: w, scale: 2 });
    expectGramClose(g, ref, 1e-12);
    expectExactlySymmetric(g);
    const a32 = toFloat32(a);
    const ref32 = gramRef(a32, { weights: w });
    expectGramClose(gram(a32, { weights: w, accumulate: 'float64' }), ref32, 1e-12);
    expectGramClose(gram(a32, { accumulate: 'float64' }), gramRef(a32), 1e-12); // unweighted widening also chunks
  });

  it('nested input gives a Float64Array Gram', () => {
    const rng = new Rng(8);
    const a = randn(7, 3, rng);
    const g = gram(toNested(a), { side: 'rows' });
    expect(g.data).toBeInstanceOf(Float64Array);
    expectGramClose(g, gramRef(a, { side: 'rows' }), 1e-12);
  });

  it('weights may be number[], Float32Array or Float64Array; zero weights and zero scale give zeros', () => {
    const rng = new Rng(12);
    const a = randn(6, 4, rng);
    const w = [0.5, 1, 0, 2, 0.25, 3];
    const ref = gramRef(a, { weights: w });
    expectGramClose(gram(a, { weights: w }), ref, 1e-12);
    expectGramClose(gram(a, { weights: Float64Array.from(w) }), ref, 1e-12);
    expectGramClose(gram(a, { weights: Float32Array.from(w) }), ref, 1e-12); // these values are exact in float32
    expect(Array.from(gram(a, { weights: new Float64Array(6) }).data).every((x) => x === 0)).toBe(true);
    expect(Array.from(gram(a, { scale: 0 }).data).every((x) => x === 0)).toBe(true);
  });

  it('does not modify the input or the weights', () => {
    const rng = new Rng(13);
    const a = randn(200, 9, rng);
    const w = positiveWeights(200, rng);
    const [ac, wc] = [a.data.slice(), w.slice()];
    gram(a, { weights: w });
    gram(toFloat32(a), { weights: w, accumulate: 'float64' });
    expect(a.data).toEqual(ac);
    expect(w).toEqual(wc);
  });
});

describe('gram properties (fast-check)', () => {
  const input = fc
    .record({
      m: fc.integer({ min: 1, max: 12 }),
      n: fc.integer({ min: 1, max: 12 }),
      side: fc.constantFrom('cols' as const, 'rows' as const),
      weighted: fc.boolean(),
      // |scale| ≥ 1e-3 or 0: a float32 Gram applies the scale in float32, where 1e-320 is 0.
      scale: fc.option(
        fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 4, noNaN: true }), fc.double({ min: -4, max: -1e-3, noNaN: true })),
        { nil: undefined },
      ),
      dtype: fc.constantFrom('float64', 'float32', 'widen'),
    })
    .chain((r) =>
      fc.record({
        r: fc.constant(r),
        values: fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -3, max: 3 })), {
          minLength: r.m * r.n,
          maxLength: r.m * r.n,
        }),
        weights: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), {
          minLength: r.side === 'cols' ? r.m : r.n,
          maxLength: r.side === 'cols' ? r.m : r.n,
        }),
      }),
    );

  it('matches the float64 loop, is exactly symmetric and has the documented dtype', () => {
    fc.assert(
      fc.property(input, ({ r, values, weights }) => {
        const a64: Dense = { data: Float64Array.from(values), rows: r.m, cols: r.n };
        const a = r.dtype === 'float64' ? a64 : toFloat32(a64);
        const opts = { side: r.side, scale: r.scale, weights: r.weighted ? weights : undefined };
        const g = gram(a, { ...opts, accumulate: r.dtype === 'widen' ? 'float64' : 'input' });
        expect(g.data).toBeInstanceOf(r.dtype === 'float32' ? Float32Array : Float64Array);
        const ref = gramRef(a, opts);
        for (const x of g.data) expect(Number.isFinite(x)).toBe(true);
        // Absolute floors: products of tiny entries underflow (float32 below ~1e-38, float64 below ~1e-308).
        expectGramClose(g, ref, r.dtype === 'float32' ? 1e-5 : 1e-12, r.dtype === 'float32' ? 1e-36 : 1e-300);
        expectExactlySymmetric(g);
      }),
      { numRuns: 200, seed: 4321 },
    );
  });
});
