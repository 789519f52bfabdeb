/**
 * A self-checking demo of the core: features with a known Gram spectrum (a
 * random orthogonal basis times chosen eigenvalues), their ε-rank by every
 * method, the other measures, and the time each took.
 */
import { epsRankDetailed, rankReport } from '../index.js';
import type { EpsRankMethod } from '../rank/eps-rank.js';

export interface SpectrumDemoOptions {
  rows: number;
  cols: number;
  eps: number[];
  seed: number;
  dtype: 'float32' | 'float64';
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Modified Gram–Schmidt on the columns of a Gaussian rows×cols matrix: orthonormal columns. */
function orthonormalColumns(rows: number, cols: number, next: () => number): Float64Array {
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < q.length; i++) q[i] = Math.sqrt(-2 * Math.log(next() || 1e-300)) * Math.cos(2 * Math.PI * next());
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += q[i * cols + j]! * q[i * cols + k]!;
        for (let i = 0; i < rows; i++) q[i * cols + j]! -= dot * q[i * cols + k]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) q[i * cols + j]! /= norm;
  }
  return q;
}

export function runSpectrumDemo(o: SpectrumDemoOptions, log: (line: string) => void = console.log): void {
  const next = rng(o.seed);
  const { rows: N, cols: n } = o;
  // Eigenvalues of M = ΦᵀΦ decay geometrically from 1e2 to 1e-8: a staircase of scales.
  const lambda = Array.from({ length: n }, (_, i) => 1e2 * 10 ** ((-10 * i) / Math.max(1, n - 1)));
  const q = orthonormalColumns(N, n, next);
  const v = orthonormalColumns(n, n, next);
  const data = o.dtype === 'float32' ? new Float32Array(N * n) : new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k]! * Math.sqrt(lambda[k]!) * v[j * n + k]!;
      data[i * n + j] = s;
    }
  }
  const features = { data, rows: N, cols: n };
  log(`features: ${N}×${n} ${o.dtype}, Gram eigenvalues 1e2 … 1e-8 (known by construction)`);
  log('');
  log('eps        exact   auto(method)      inertia  eigen  svd     ms(auto)');
  for (const eps of o.eps) {
    const exact = lambda.filter((l) => l > eps).length;
    const t0 = performance.now();
    const auto = epsRankDetailed(features, { eps });
    const ms = performance.now() - t0;
    const by = (method: EpsRankMethod) => {
      try {
        return String(epsRankDetailed(features, { eps, method }).counts[0]);
      } catch (e) {
        return (e as { code?: string }).code ?? 'error';
      }
    };
    log(
      `${eps.toExponential(0).padEnd(10)} ${String(exact).padEnd(7)} ${`${auto.counts[0]} (${auto.method})`.padEnd(17)} ` +
        `${by('inertia').padEnd(8)} ${by('eigen').padEnd(6)} ${by('svd').padEnd(7)} ${ms.toFixed(1)}`,
    );
  }
  const report = rankReport(features, { eps: o.eps[0]! });
  log('');
  log(`rankReport (one ${report.method} decomposition): numerical rank ${report.numericalRank}, ` +
    `entropy rank ${report.entropyRank.toFixed(2)}, stable rank ${report.stableRank.toFixed(3)}, ` +
    `participation ratio ${report.participationRatio.toFixed(3)}, approximate rank ${report.approximateRank}, ` +
    `λ_max ${report.lambdaMax.toPrecision(6)}`);
  log('');
  log('In float32 the Gram resolves eigenvalues down to about 1e-5·λ_max; below that, auto switches to the SVD.');
}
