import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { codeOf } from './helpers/expect.js';
import {
  eigenvalues,
  isSpectrum,
  singularValues,
  toEigenvalues,
} from '../src/rank/spectrum-input.js';
import {
  epsRankFromEigenvalues,
  machineEpsilon,
  numericalRankFromSingularValues,
  rankTolerance,
} from '../src/rank/threshold.js';
import { approximateRank, entropyRank, participationRatio, stableRank } from '../src/rank/measures.js';

/** Asserts `actual` equals `expected` to a relative tolerance. */
function close(actual: number, expected: number, rel = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('spectrum input', () => {
  it('eigenvalues() copies, clamps negatives to 0 and sorts descending', () => {
    const input = [1, -1e-17, 4, 0, 1];
    const s = eigenvalues(input);
    expect(s.kind).toBe('eigenvalues');
    expect(Array.from(s.values)).toEqual([4, 1, 1, 0, 0]);
    expect(input).toEqual([1, -1e-17, 4, 0, 1]);
  });

  it('converts between singular values and eigenvalues', () => {
    expect(Array.from(toEigenvalues(singularValues([1, 3, 2])))).toEqual([9, 4, 1]);
    expect(Array.from(singularValues(eigenvalues([9, 4, 1])).values)).toEqual([3, 2, 1]);
    expect(Array.from(eigenvalues(new Float32Array([0.5, 2])).values)).toEqual([2, 0.5]);
  });

  it('isSpectrum tells tagged spectra from matrices and plain arrays', () => {
    expect(isSpectrum(eigenvalues([1]))).toBe(true);
    expect(isSpectrum(singularValues([1]))).toBe(true);
    expect(isSpectrum({ kind: 'eigenvalues', values: [1, 2] })).toBe(true);
    expect(isSpectrum({ data: new Float64Array(4), rows: 2, cols: 2 })).toBe(false);
    expect(isSpectrum([1, 2])).toBe(false);
    expect(isSpectrum([[1, 2]])).toBe(false);
    expect(isSpectrum(null)).toBe(false);
    expect(isSpectrum({ kind: 'other', values: [1] })).toBe(false);
    expect(isSpectrum({ kind: 'eigenvalues', values: 3 })).toBe(false);
  });

  it('rejects non-numbers with ERR_INVALID_ARGUMENT and NaN/Inf with ERR_NON_FINITE', () => {
    expect(codeOf(() => stableRank([1, NaN]))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => stableRank([1, Infinity]))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => eigenvalues(new Float64Array([-Infinity])))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => stableRank({ kind: 'eigenvalues', values: new Float64Array([NaN]) }))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => stableRank(['1'] as unknown as number[]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => stableRank([[1, 2]] as unknown as number[]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => stableRank(null as unknown as number[]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => stableRank(5 as unknown as number[]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => entropyRank({ data: new Float64Array(1), rows: 1, cols: 1 } as never))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });
});

describe('measures on the spectrum λ = [4, 1, 1, 0]', () => {
  const lam = [4, 1, 1, 0];
  const forms = {
    'bare array': lam,
    'shuffled Float64Array': new Float64Array([0, 1, 4, 1]),
    'eigenvalues()': eigenvalues(lam),
    'singularValues()': singularValues([2, 1, 1, 0]),
    'with rounding negatives': [1, -3e-16, 4, 1, -1e-18],
  };

  for (const [name, spectrum] of Object.entries(forms)) {
    it(`gives the closed forms (${name})`, () => {
      close(stableRank(spectrum), 6 / 4);
      close(participationRatio(spectrum), 36 / 18);
      // p ∝ σ = (2, 1, 1)/4: H = ½ln2 + 2·¼ln4 = (3/2) ln 2, exp(H) = 2^(3/2).
      close(entropyRank(spectrum), 2 * Math.SQRT2);
      close(entropyRank(spectrum, { p: 'sigma' }), 2 * Math.SQRT2);
      // p ∝ λ = (4, 1, 1)/6: H = (2/3)ln(3/2) + (1/3)ln 6.
      close(entropyRank(spectrum, { p: 'lambda' }), Math.exp((2 / 3) * Math.log(1.5) + Math.log(6) / 3));
      // Cumulative sums 4, 5, 6 of Σ = 6.
      expect(approximateRank(spectrum)).toBe(3);
      expect(approximateRank(spectrum, { energy: 4 / 6 })).toBe(1);
      expect(approximateRank(spectrum, { energy: 0.8 })).toBe(2);
      expect(approximateRank(spectrum, { energy: 5 / 6 })).toBe(2);
      expect(approximateRank(spectrum, { energy: 1 })).toBe(3);
      expect(epsRankFromEigenvalues(spectrum, 0.5)).toBe(3);
      expect(epsRankFromEigenvalues(spectrum, 1)).toBe(1); // strictly greater
      expect(epsRankFromEigenvalues(spectrum, [0.5, 1, 3.9, 4, 10])).toEqual([3, 1, 1, 0, 0]);
      expect(epsRankFromEigenvalues(spectrum, 0.25, { relative: true })).toBe(1); // threshold 1
      expect(epsRankFromEigenvalues(spectrum, [0.2, 0.9], { relative: true })).toEqual([3, 1]);
    });
  }
});

describe('measures on other closed forms', () => {
  it('are 0 for an all-zero or empty spectrum', () => {
    for (const s of [[0, 0, -1e-20], [], new Float64Array(3)]) {
      expect(stableRank(s)).toBe(0);
      expect(participationRatio(s)).toBe(0);
      expect(entropyRank(s)).toBe(0);
      expect(entropyRank(s, { p: 'lambda' })).toBe(0);
      expect(approximateRank(s)).toBe(0);
      expect(epsRankFromEigenvalues(s, 1e-30)).toBe(0);
      expect(epsRankFromEigenvalues(s, 0.5, { relative: true })).toBe(0);
      expect(numericalRankFromSingularValues(s, { rows: 3, cols: 3, dtype: 'float64' })).toBe(0);
    }
  });

  it('are 1 for a single nonzero value', () => {
    const s = [0, 7.5, 0];
    expect(stableRank(s)).toBe(1);
    expect(participationRatio(s)).toBe(1);
    expect(entropyRank(s)).toBe(1);
    expect(approximateRank(s, { energy: 1 })).toBe(1);
  });

  it('are n for n equal values', () => {
    const s = new Float64Array(37).fill(0.3);
    close(stableRank(s), 37);
    close(participationRatio(s), 37);
    close(entropyRank(s), 37);
    close(entropyRank(s, { p: 'lambda' }), 37);
    expect(approximateRank(s, { energy: 1 })).toBe(37);
    expect(approximateRank(s, { energy: 0.5 })).toBe(19); // ceil(37/2)
  });

  it('match the geometric-series closed forms for λ_i = q^i', () => {
    const n = 60;
    const q = 0.8;
    const lam = Array.from({ length: n }, (_, i) => q ** i).reverse();
    const s1 = (1 - q ** n) / (1 - q); // Σ q^i
    const s2 = (1 - q ** (2 * n)) / (1 - q * q); // Σ q^2i
    const si = (q * (1 - n * q ** (n - 1) + (n - 1) * q ** n)) / (1 - q) ** 2; // Σ_{i<n} i q^i
    close(stableRank(lam), s1, 1e-10);
    close(participationRatio(lam), (s1 * s1) / s2, 1e-10);
    // H = log S − Σ λ log λ / S with λ log λ = i q^i log q.
    close(entropyRank(lam, { p: 'lambda' }), Math.exp(Math.log(s1) - (si * Math.log(q)) / s1), 1e-10);
    // p ∝ σ = (√q)^i: the same form with r = √q.
    const r = Math.sqrt(q);
    const t1 = (1 - r ** n) / (1 - r);
    const ti = (r * (1 - n * r ** (n - 1) + (n - 1) * r ** n)) / (1 - r) ** 2;
    close(entropyRank(lam), Math.exp(Math.log(t1) - (ti * Math.log(r)) / t1), 1e-10);
    // Smallest k with 1 − q^k ≥ energy·(1 − q^n).
    const energy = 0.99;
    const k = Math.ceil(Math.log(1 - energy * (1 - q ** n)) / Math.log(q));
    expect(approximateRank(lam, { energy })).toBe(k);
  });

  it('do not overflow on huge values and keep small ones in the sums', () => {
    close(stableRank([1e300, 1e300]), 2);
    close(participationRatio([1e300, 1e300, 1e300]), 3);
    close(entropyRank([1e300, 1e300], { p: 'lambda' }), 2);
    // A plain large-first sum would lose every 1e-16 and return exactly 1.
    const s = new Float64Array(10001).fill(1e-16);
    s[0] = 1;
    expect(Math.abs(stableRank(s) - (1 + 1e-12))).toBeLessThan(1e-15);
  });

  it('validate options', () => {
    const bad = [0, -0.1, 1.5, NaN, Infinity, '0.9'];
    for (const energy of bad) {
      expect(codeOf(() => approximateRank([1], { energy: energy as number }))).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(codeOf(() => entropyRank([1], { p: 'both' as 'sigma' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => entropyRank([1], null as never))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('epsRankFromEigenvalues', () => {
  it('rejects ε that is not finite and > 0', () => {
    for (const eps of [0, -1e-3, NaN, Infinity, '1e-3', null, undefined, {}]) {
      expect(codeOf(() => epsRankFromEigenvalues([1], eps as number))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => epsRankFromEigenvalues([1], [1e-3, eps as number]))).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(codeOf(() => epsRankFromEigenvalues([1], 1e-3, { relative: 'yes' as never }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('counts λ = σ² when given singular values', () => {
    expect(epsRankFromEigenvalues(singularValues([1, 1e-2, 1e-4]), [1e-3, 1e-5, 1e-9])).toEqual([1, 2, 3]);
    expect(epsRankFromEigenvalues([1, 2, 3], [])).toEqual([]);
  });
});

describe('numericalRankFromSingularValues', () => {
  const e64 = 2 ** -52;
  const e32 = 2 ** -23;

  it('uses σ_max·max(rows, cols)·eps_dtype by default', () => {
    expect(machineEpsilon('float64')).toBe(e64);
    expect(machineEpsilon('float32')).toBe(e32);
    // tol = 2·10·eps: ≈ 4.4e-15 in float64, ≈ 2.4e-6 in float32.
    const sigma = [2, 1e-5, 1e-12, 1e-17];
    expect(numericalRankFromSingularValues(sigma, { rows: 10, cols: 4, dtype: 'float64' })).toBe(3);
    expect(numericalRankFromSingularValues(sigma, { rows: 10, cols: 4, dtype: 'float32' })).toBe(2);
    expect(rankTolerance(2, { rows: 10, cols: 4, dtype: 'float32' })).toBe(2 * 10 * e32);
    // Exactly at the tolerance is not counted.
    expect(numericalRankFromSingularValues([1, 5 * e64], { rows: 5, cols: 2, dtype: 'float64' })).toBe(1);
    expect(numericalRankFromSingularValues([1, 5.0001 * e64], { rows: 5, cols: 2, dtype: 'float64' })).toBe(2);
  });

  it('follows torch for rtol and atol', () => {
    const sigma = [10, 1e-3, 1e-6, 1e-13];
    const shape = { rows: 4, cols: 4, dtype: 'float64' } as const;
    // rtol alone: tol = rtol·σ_max, atol = 0.
    expect(numericalRankFromSingularValues(sigma, { ...shape, rtol: 1e-5 })).toBe(2); // tol 1e-4
    // atol > 0 alone: rtol = 0, tol = atol.
    expect(numericalRankFromSingularValues(sigma, { ...shape, atol: 1e-12 })).toBe(3);
    // atol = 0 alone keeps the default rtol: tol = 10·4·2^-52 ≈ 8.9e-15.
    expect(numericalRankFromSingularValues(sigma, { ...shape, atol: 0 })).toBe(4);
    // Both: the larger wins.
    expect(numericalRankFromSingularValues(sigma, { ...shape, rtol: 1e-8, atol: 1e-4 })).toBe(2);
    expect(numericalRankFromSingularValues(sigma, { ...shape, rtol: 1e-3, atol: 1e-12 })).toBe(1);
    expect(numericalRankFromSingularValues(sigma, { ...shape, rtol: 0 })).toBe(4);
    expect(rankTolerance(10, { ...shape, rtol: 1e-8, atol: 1e-4 })).toBe(1e-4);
  });

  it('square-roots eigenvalues', () => {
    // σ = [1, 1e-10]: both above 2·2^-52.
    expect(numericalRankFromSingularValues(eigenvalues([1e-20, 1]), { rows: 2, cols: 2, dtype: 'float64' })).toBe(2);
  });

  it('validates options', () => {
    const ok = { rows: 2, cols: 2, dtype: 'float64' } as const;
    const bad: object[] = [
      { ...ok, rows: 0 },
      { ...ok, cols: 1.5 },
      { ...ok, rows: undefined },
      { ...ok, dtype: 'float16' },
      { ...ok, dtype: undefined },
      { ...ok, rtol: -1 },
      { ...ok, atol: NaN },
      { ...ok, atol: Infinity },
    ];
    for (const o of bad) {
      expect(codeOf(() => numericalRankFromSingularValues([1], o as never))).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(codeOf(() => numericalRankFromSingularValues([1], undefined as never))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('invariants (property-based)', () => {
  // Non-negative spectra over many magnitudes, with zeros and rounding negatives mixed in.
  const value = fc.oneof(
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    fc.constant(0),
    fc.double({ min: -1e-15, max: 0, noNaN: true }),
    fc.integer({ min: -30, max: 30 }).map((e) => 10 ** e),
  );
  const spectrum = fc.array(value, { maxLength: 40 });
  const nonzero = (s: number[]) => s.filter((x) => x > 0).length;
  const slack = 1 + 1e-9;

  it('1 ≤ stableRank ≤ participationRatio ≤ entropyRank(p ∝ λ) ≤ #nonzero (Rényi order)', () => {
    fc.assert(
      fc.property(spectrum, (s) => {
        const sr = stableRank(s);
        const pr = participationRatio(s);
        const er = entropyRank(s, { p: 'lambda' });
        const es = entropyRank(s);
        const nz = nonzero(s);
        if (sr === 0) return pr === 0 && er === 0 && es === 0;
        return (
          sr >= 1 / slack && sr <= pr * slack && pr <= er * slack && er <= nz * slack && es >= 1 / slack && es <= nz * slack
        );
      }),
    );
  });

  it('stableRank ≤ numerical rank (up to rounding of the values below tolerance)', () => {
    fc.assert(
      fc.property(spectrum, fc.constantFrom<'float32' | 'float64'>('float32', 'float64'), (s, dtype) => {
        const sigma = s.map((x) => Math.sqrt(Math.max(x, 0)));
        const n = numericalRankFromSingularValues(sigma, { rows: 50, cols: 40, dtype });
        // Each value below the tolerance adds at most (tol/σ_max)² to the stable rank.
        return stableRank(s) <= n + s.length * (50 * machineEpsilon(dtype)) ** 2 + 1e-9;
      }),
    );
  });

  it('epsRank counts λ > ε, is non-increasing in ε, and ignores order', () => {
    fc.assert(
      fc.property(spectrum, fc.array(fc.double({ min: 1e-30, max: 1e7, noNaN: true }), { maxLength: 8 }), (s, eps) => {
        const sorted = [...eps].sort((a, b) => a - b);
        const counts = epsRankFromEigenvalues(s, sorted);
        const reversed = epsRankFromEigenvalues([...s].reverse(), sorted);
        return counts.every(
          (c, i) => c === s.filter((x) => x > sorted[i]!).length && (i === 0 || c <= counts[i - 1]!) && c === reversed[i],
        );
      }),
    );
  });

  it('approximateRank is non-decreasing in energy and at most #nonzero', () => {
    fc.assert(
      fc.property(spectrum, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const klo = approximateRank(s, { energy: lo });
        const khi = approximateRank(s, { energy: hi });
        return klo <= khi && khi <= nonzero(s);
      }),
    );
  });

  it('measures agree between eigenvalues and their singular values', () => {
    fc.assert(
      fc.property(spectrum, (s) => {
        // Subnormals do not survive √ then ², so keep the comparison to normal numbers.
        s = s.map((x) => (x < 1e-300 ? 0 : x));
        const sv = singularValues(s.map(Math.sqrt));
        const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
        return (
          same(stableRank(sv), stableRank(s)) &&
          same(participationRatio(sv), participationRatio(s)) &&
          same(entropyRank(sv), entropyRank(s))
        );
      }),
    );
  });
});
