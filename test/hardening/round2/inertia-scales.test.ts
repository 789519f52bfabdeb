/**
 * Issue 11, class 9: countEigenvaluesAbove (and so epsRank's inertia route)
 * counts exactly at any scale. The 2×2 pivot sign used to come from a·c − b²,
 * which under- and overflows near 1e±154, and nothing rescaled the matrix
 * before ?sytrf, so subnormal and huge matrices were miscounted.
 *
 * Reference: numpy's eigvalsh of a small integer matrix B (independent of
 * effrank), thresholds on a grid of eighths at least 1/16 away from every
 * eigenvalue of B, and the exact power-of-two scalings 2^s·B, 2^s·t, whose
 * count is B's. s spans subnormal to near-overflow entries in both dtypes.
 * effrank runs in a child process with a timeout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Rng } from '../../helpers/rng.js';
import { lastJson, runChild } from '../workers/spawn.js';

interface Case { dtype: 'float32' | 'float64'; n: number; s: number; b: number[]; ks: number[]; expected?: number[] }

function numpyEigenvalues(matrices: number[][][]): number[][] {
  const script = 'import sys, json, numpy as np\nms = json.load(sys.stdin)\nprint(json.dumps([np.linalg.eigvalsh(np.array(m, dtype=np.float64)).tolist() for m in ms]))';
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(matrices), encoding: 'utf8', timeout: 60_000, env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`numpy failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

function randomCases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  return Array.from({ length: count }, (_, i) => {
    const n = int(1, 10);
    const dtype = i % 3 === 0 ? 'float32' : 'float64';
    // Entries |B| ≤ 8 = 2³; the smallest non-zero 2^s stays representable, the largest finite.
    const s = dtype === 'float32' ? int(-145, 120) : int(-1070, 1015);
    const b = new Array<number>(n * n).fill(0);
    const sparse = rng.uniform() < 0.4; // zero diagonals and sparse rows force 2×2 pivots
    for (let r = 0; r < n; r++) {
      for (let c = 0; c <= r; c++) {
        const v = sparse && (r === c || rng.uniform() < 0.5) ? 0 : int(-8, 8);
        b[r * n + c] = v;
        b[c * n + r] = v;
      }
    }
    return { dtype, n, s, b, ks: [] };
  });
}

describe('countEigenvaluesAbove is exact at extreme scales (issue 11, class 9)', () => {
  it('the reported cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'effrank-inertia-'));
    try {
      // [[0, 1e-170], [1e-170, 0]] above 5e-171: eigenvalues ±1e-170, so 1.
      // [[-1e200, 1e201], [1e201, -1e200]] above 0: eigenvalues 9e200 and −1.1e201, so 1.
      const tiny = 2 ** -565; // ≈ 1.5e-170, thresholds 2^-566
      const cases: Case[] = [
        { dtype: 'float64', n: 2, s: -565, b: [0, 1, 1, 0], ks: [4, -4, 9, -9], expected: [1, 1, 0, 2] },
        { dtype: 'float64', n: 2, s: 664, b: [-1, 10, 10, -1], ks: [0, 80, -96], expected: [1, 0, 2] },
        { dtype: 'float64', n: 3, s: -1070, b: [3, 1, 0, 1, 2, 1, 0, 1, 3], ks: [4, 20, 28], expected: [3, 2, 1] },
        { dtype: 'float32', n: 2, s: -140, b: [0, 1, 1, 0], ks: [4, -4], expected: [1, 1] },
        { dtype: 'float32', n: 2, s: 120, b: [-1, 8, 8, -1], ks: [0, 64, -80], expected: [1, 0, 2] },
      ];
      expect(tiny).toBeGreaterThan(1e-171);
      const file = join(dir, 'cases.json');
      writeFileSync(file, JSON.stringify(cases));
      const r = await runChild('test/hardening/round2/inertia-child.ts', [file], { timeoutMs: 60_000 });
      expect(r.signal).toBeNull();
      expect(lastJson<{ counts: number[][] }>(r).counts).toEqual(cases.map((c) => c.expected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('600 random integer matrices scaled by 2^s, s from subnormal to near overflow, match numpy', async () => {
    const cases = randomCases(600, 0x1111);
    const lambdas = numpyEigenvalues(cases.map((c) => Array.from({ length: c.n }, (_, r) => c.b.slice(r * c.n, r * c.n + c.n))));
    cases.forEach((c, i) => {
      const lam = lambdas[i]!;
      const limit = Math.ceil(Math.max(...lam.map(Math.abs)) * 8) + 8;
      for (let k = -limit; k <= limit; k++) {
        if (lam.every((l) => Math.abs(l - k / 8) >= 1 / 16)) c.ks.push(k);
      }
      c.expected = c.ks.map((k) => lam.filter((l) => l > k / 8).length);
    });
    const dir = mkdtempSync(join(tmpdir(), 'effrank-inertia-'));
    try {
      const file = join(dir, 'cases.json');
      writeFileSync(file, JSON.stringify(cases));
      const r = await runChild('test/hardening/round2/inertia-child.ts', [file], { timeoutMs: 120_000 });
      expect(r.signal).toBeNull();
      const { counts } = lastJson<{ counts: number[][] }>(r);
      const wrong = cases.flatMap((c, i) => (JSON.stringify(counts[i]) === JSON.stringify(c.expected) ? [] : [{ ...c, got: counts[i] }]));
      expect(cases.reduce((sum, c) => sum + c.ks.length, 0)).toBeGreaterThan(10_000);
      expect(wrong.slice(0, 3)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
