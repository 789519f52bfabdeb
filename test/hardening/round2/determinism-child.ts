/**
 * Child of determinism.test.ts (and a probe on its own): computes 20 results
 * (SVD, eigh, Gram, ε-rank inputs in both dtypes) at setNumThreads(1) and at
 * every thread count up to the hardware's, twice each, and prints for each
 * result whether repeats were bit-identical and the largest difference
 * between thread counts, relative to the result's largest entry.
 */
import { eigh, getNumThreads, gram, setNumThreads, svd, svdvals, eigvalsh, backendInfo } from '../../../src/index.js';
import { Rng } from '../../helpers/rng.js';

const rng = new Rng(2024);
const mat = (m: number, n: number, dtype: 'float32' | 'float64') => {
  const data = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, rows: m, cols: n };
};
const sym = (n: number, dtype: 'float32' | 'float64') => {
  const a = mat(n, n, dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
  return a;
};

type Case = [string, () => ArrayLike<number>];
const cases: Case[] = [];
for (const dtype of ['float64', 'float32'] as const) {
  const tall = mat(600, 250, dtype);
  const wide = mat(250, 600, dtype);
  const square = mat(300, 300, dtype);
  const s = sym(300, dtype);
  const features = mat(2000, 200, dtype);
  const samples = mat(200, 2000, dtype);
  cases.push(
    [`${dtype} svd thin tall: s`, () => svd(tall).s],
    [`${dtype} svd thin tall: u`, () => svd(tall).u!.data],
    [`${dtype} svd thin wide: vt`, () => svd(wide).vt!.data],
    [`${dtype} svd full square: u`, () => svd(square, { vectors: 'full' }).u!.data],
    [`${dtype} svdvals`, () => svdvals(tall)],
    [`${dtype} eigh: values`, () => eigh(s).values],
    [`${dtype} eigh: vectors`, () => eigh(s).vectors!.data],
    [`${dtype} eigvalsh`, () => eigvalsh(s)],
    [`${dtype} gram cols`, () => gram(features).data],
    [`${dtype} gram rows`, () => gram(samples, { side: 'rows' }).data],
  );
}

const counts = Array.from({ length: backendInfo().hardwareThreads }, (_, i) => i + 1);
const results = cases.map(([name, f]) => {
  const byCount = counts.map((t) => {
    setNumThreads(t);
    const a = Float64Array.from(f());
    const b = Float64Array.from(f());
    return { a, repeatable: a.every((v, i) => Object.is(v, b[i])) };
  });
  const ref = byCount[0]!.a;
  const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  let maxDiff = 0;
  for (const r of byCount.slice(1)) for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.a[i]! - ref[i]!) / scale);
  return { name, repeatable: byCount.every((r) => r.repeatable), identicalAcrossCounts: maxDiff === 0, maxRelativeDiff: maxDiff };
});
console.log(JSON.stringify({ threads: counts, final: getNumThreads(), results }));
