/**
 * Probe (by hand, not in CI: 268 MB per matrix, minutes on two cores): eigh with
 * vectors of a float32 matrix of order 8194, the smallest order whose ssyevd
 * workspace float32 rounded below its minimum (issue 11, class 10). The matrix is
 * tridiag(-1, 2, -1), whose eigenvalues are 2 − 2cos(kπ/(n+1)).
 * `node --import ./test/hardening/workers/ts-register.mjs test/hardening/round2/eigh-8194-probe.ts`
 */
import { eigh } from '../../../src/index.js';
const n = 8194;
// path graph Laplacian-like matrix 2 on the diagonal, -1 off: eigenvalues 2 - 2cos(kπ/(n+1)), k = 1..n.
const data = new Float32Array(n * n);
for (let i = 0; i < n; i++) { data[i * n + i] = 2; if (i + 1 < n) { data[i * n + i + 1] = -1; data[(i + 1) * n + i] = -1; } }
const t0 = Date.now();
try {
  const r = eigh({ data, rows: n, cols: n }, { vectors: true });
  let maxErr = 0;
  for (let k = 1; k <= n; k++) maxErr = Math.max(maxErr, Math.abs(r.values[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1)))));
  // check one eigenvector: A v = λ v for the largest
  const v = Array.from({ length: n }, (_, i) => r.vectors!.data[i * n + (n - 1)]!);
  let res = 0; for (let i = 0; i < n; i++) { const av = 2 * v[i]! - (i > 0 ? v[i - 1]! : 0) - (i + 1 < n ? v[i + 1]! : 0); res = Math.max(res, Math.abs(av - r.values[n - 1]! * v[i]!)); }
  console.log(JSON.stringify({ n, ok: true, seconds: (Date.now() - t0) / 1000, maxValueError: maxErr, residualLargest: res }));
} catch (e) { console.log(JSON.stringify({ n, ok: false, code: (e as { code?: string }).code, message: (e as Error).message, seconds: (Date.now() - t0) / 1000 })); }
