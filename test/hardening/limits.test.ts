/**
 * Limits: a job whose workspace would not fit fails with ERR_OUT_OF_MEMORY
 * before allocating (a size check against MemAvailable, not the OS OOM
 * killer), fast, with modest inputs and huge outputs; a typed array that lies
 * about its length is refused before anything is allocated; and the
 * documented setLimits({ maxElements }) cap works (and is restored).
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  GramAccumulator,
  epsRank,
  epsRankAsync,
  getLimits,
  gram,
  gramAsync,
  setLimits,
  spectrum,
  svd,
  svdAsync,
  svdvals,
} from '../../src/index.js';
import { expectCode, expectRejectCode } from '../helpers/expect.js';

const MB = 1024 * 1024;
const initialLimits = getLimits();
afterEach(() => setLimits(initialLimits));

/** Runs f, returns its wall time and the RSS growth (after f, not after GC: an allocation would show). */
async function measure(f: () => unknown): Promise<{ ms: number; rssMB: number }> {
  const rss0 = process.memoryUsage.rss();
  const t0 = performance.now();
  await f();
  return { ms: performance.now() - t0, rssMB: (process.memoryUsage.rss() - rss0) / MB };
}

describe('workspace larger than the machine: ERR_OUT_OF_MEMORY before allocating', () => {
  // 200000×2 float64 is 3.2 MB of input; the full u (or the row Gram) is 200000² doubles = 320 GB.
  const tall = { data: new Float64Array(400_000).map((_, i) => Math.sin(i)), rows: 200_000, cols: 2 };

  it("svd(200000×2, { vectors: 'full' }) and its async twin", async () => {
    const sync = await measure(() => expectCode(() => svd(tall, { vectors: 'full' }), 'ERR_OUT_OF_MEMORY'));
    const async_ = await measure(() => expectRejectCode(() => svdAsync(tall, { vectors: 'full' }), 'ERR_OUT_OF_MEMORY'));
    console.log(`svd full 200000×2: OOM in ${sync.ms.toFixed(2)} ms (async ${async_.ms.toFixed(2)} ms), RSS ${sync.rssMB.toFixed(1)} / ${async_.rssMB.toFixed(1)} MB`);
    for (const m of [sync, async_]) {
      expect(m.ms).toBeLessThan(1000);
      expect(m.rssMB).toBeLessThan(64);
    }
    // The thin SVD of the same input is fine (u is 200000×2).
    expect(svdvals(tall).length).toBe(2);
  });

  it("gram(200000×2, { side: 'rows' }) and its async twin; gram of 2×200000 features (an n×n Gram of 320 GB)", async () => {
    const wide = { data: tall.data, rows: 2, cols: 200_000 };
    const cases = [
      () => expectCode(() => gram(tall, { side: 'rows' }), 'ERR_OUT_OF_MEMORY'),
      () => expectRejectCode(() => gramAsync(tall, { side: 'rows' }), 'ERR_OUT_OF_MEMORY'),
      () => expectCode(() => gram(wide), 'ERR_OUT_OF_MEMORY'),
    ];
    for (const f of cases) {
      const m = await measure(f);
      expect(m.ms).toBeLessThan(1000);
      expect(m.rssMB).toBeLessThan(64);
    }
  });

  it('epsRank/spectrum of the same 2×200000 features take the 2×2 dual kernel: the right answer, no n×n allocation', async () => {
    const wide = { data: tall.data, rows: 2, cols: 200_000 };
    // Reference: the eigenvalues of the 2×2 kernel Φ·Φᵀ in plain float64.
    let a = 0, b = 0, c = 0;
    for (let j = 0; j < 200_000; j++) {
      const x = wide.data[j]!, y = wide.data[200_000 + j]!;
      a += x * x; b += x * y; c += y * y;
    }
    const mid = (a + c) / 2;
    const rad = Math.hypot((a - c) / 2, b);
    const [l1, l2] = [mid + rad, mid - rad];
    const rss0 = process.memoryUsage.rss();
    const s = spectrum(wide);
    expect(s.length).toBe(200_000);
    expect(Math.abs(s[0]! - l1) / l1).toBeLessThan(1e-10);
    expect(Math.abs(s[1]! - l2) / l1).toBeLessThan(1e-10);
    expect(s.subarray(2).every((v) => v === 0)).toBe(true);
    const t = Math.sqrt(l1 * l2);
    expect(epsRank(wide, { eps: t, method: 'eigen' })).toBe(1);
    expect(await epsRankAsync(wide, { eps: t, method: 'inertia' })).toBe(1);
    expect((process.memoryUsage.rss() - rss0) / MB).toBeLessThan(64);
  });

  it('GramAccumulator with n² above the 32-bit limit is refused without allocating', () => {
    expectCode(() => new GramAccumulator(46_341), 'ERR_INVALID_ARGUMENT');
    expectCode(() => new GramAccumulator(2 ** 31), 'ERR_INVALID_ARGUMENT');
  });
});

describe('typed arrays that lie about their length are refused before anything is allocated', () => {
  class Liar extends Float64Array {
    static lie = 0;
    override get length(): number {
      return Liar.lie;
    }
  }

  it('a 4-element array claiming 2³¹·2³¹, 2³¹−1 or 2³⁰ elements: ERR_INVALID_SHAPE at once', async () => {
    const data = new Liar(4).fill(1);
    for (const [rows, cols] of [
      [2 ** 31, 2 ** 31],
      [2 ** 31 - 1, 1],
      [2 ** 15, 2 ** 15],
    ] as const) {
      Liar.lie = rows * cols;
      for (const f of [
        () => expectCode(() => svd({ data, rows, cols }), 'ERR_INVALID_SHAPE'),
        () => expectRejectCode(() => svdAsync({ data, rows, cols }), 'ERR_INVALID_SHAPE'),
        // The rank front transforms rows in JS (centring, √w): it must not loop over the lie either.
        () => expectCode(() => epsRank({ data, rows, cols }, { eps: 1e-3, center: true }), 'ERR_INVALID_SHAPE'),
        () => expectRejectCode(() => epsRankAsync({ data, rows, cols }, { eps: 1e-3, weights: new Float64Array(rows > 1e6 ? 1 : rows) }), 'ERR_INVALID_SHAPE'),
      ]) {
        const m = await measure(f);
        expect(m.ms).toBeLessThan(200);
        expect(m.rssMB).toBeLessThan(64);
      }
    }
  });

  it('a right-sized 2×2 array claiming 2³¹−1 elements is read by its real length (nothing sized by the claim)', async () => {
    const data = new Liar(4);
    data.set([3, 0, 0, 4]);
    Liar.lie = 2 ** 31 - 1;
    const a = { data, rows: 2, cols: 2 };
    const m = await measure(async () => {
      expect(Array.from(svdvals(a))).toEqual([4, 3]);
      expect(epsRank(a, { eps: 1, center: true, weights: [1, 1] })).toBe(1); // centred: [[1.5, −2], [−1.5, 2]], λ = 12.5, 0
      expect(await epsRankAsync(a, { eps: 1, weights: new Float64Array([1, 3]) })).toBe(2); // λ(diag(9, 48)) = 48, 9
    });
    expect(m.ms).toBeLessThan(200);
    expect(m.rssMB).toBeLessThan(64);
  });
});

describe('setLimits({ maxElements })', () => {
  const a = { data: new Float64Array(2000 * 2).map((_, i) => Math.cos(i)), rows: 2000, cols: 2 };

  it('caps the workspace of every call (sync and async), lets smaller jobs run, and is restored', async () => {
    const before = getLimits();
    setLimits({ maxElements: 1_000_000 });
    try {
      expect(getLimits().maxElements).toBe(1_000_000);
      // Full u is 2000² = 4e6 elements > 1e6: refused. The thin SVD (u 2000×2) fits.
      expectCode(() => svd(a, { vectors: 'full' }), 'ERR_OUT_OF_MEMORY');
      await expectRejectCode(() => svdAsync(a, { vectors: 'full' }), 'ERR_OUT_OF_MEMORY');
      expectCode(() => gram(a, { side: 'rows' }), 'ERR_OUT_OF_MEMORY');
      await expectRejectCode(() => gramAsync(a, { side: 'rows' }), 'ERR_OUT_OF_MEMORY');
      const thin = svd(a);
      expect(thin.u!.rows).toBe(2000);
      expect(gram(a).rows).toBe(2);
      // A tighter cap refuses even the input copy of an async call.
      setLimits({ maxElements: 100 });
      await expectRejectCode(() => svdAsync(a), 'ERR_OUT_OF_MEMORY');
      expectCode(() => svdvals(a), 'ERR_OUT_OF_MEMORY');
    } finally {
      setLimits(before);
    }
    expect(getLimits()).toEqual(before);
    expect(svd(a, { vectors: 'full' }).u!.cols).toBe(2000);
  });
});
