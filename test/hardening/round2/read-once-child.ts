/**
 * Child of read-once.test.ts: user values behind getters (changing between
 * reads, throwing, revoked proxies), weights that change after validation and
 * huge sparse nested arrays. Prints one JSON report.
 */
import { EffrankError, gram, participationRatio, stableRank, epsRank, svdvals } from '../../../src/index.js';

function outcome(f: () => unknown): { value?: unknown; code?: string; raw?: string } {
  try {
    const value = f();
    return { value: value instanceof Float64Array ? Array.from(value) : value };
  } catch (e) {
    return e instanceof EffrankError ? { code: e.code } : { raw: `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}` };
  }
}

function changing(first: number, later: number): { array: number[]; reads: () => number } {
  let reads = 0;
  const array = [1];
  Object.defineProperty(array, 1, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
  return { array, reads: () => reads };
}

const report: Record<string, unknown> = {};
const half = changing(0.5, 0);
report.prChanging = outcome(() => participationRatio(half.array));
report.prChangingReads = half.reads();
const nan = changing(Number.NaN, 0);
report.prNaNThenZero = outcome(() => participationRatio(nan.array));
const throwing = [1, 2];
Object.defineProperty(throwing, 1, { get: () => { throw new TypeError('getter says no'); } });
report.throwingGetter = outcome(() => stableRank(throwing));
const { proxy, revoke } = Proxy.revocable({ kind: 'eigenvalues', values: [1] }, {});
revoke();
report.revokedSpectrum = outcome(() => stableRank(proxy as never));
const lengthGetter = { kind: 'eigenvalues', get values() { throw new RangeError('no values'); } };
report.throwingValues = outcome(() => stableRank(lengthGetter as never));
const revokedMatrix = Proxy.revocable({ data: new Float64Array(4), rows: 2, cols: 2 }, {});
revokedMatrix.revoke();
report.revokedMatrix = outcome(() => svdvals(revokedMatrix.proxy as never));
const revokedData = Proxy.revocable(new Float64Array(1), {});
revokedData.revoke();
report.revokedData = outcome(() => svdvals({ data: revokedData.proxy, rows: 1, cols: 1 } as never));
const throwingRows = { data: new Float64Array(1), cols: 1, get rows() { throw new TypeError('rows says no'); } };
report.throwingRows = outcome(() => svdvals(throwingRows as never));

// A weight that is valid when checked and negative when used.
let wReads = 0;
const weights = [1, 1, 1];
Object.defineProperty(weights, 2, { enumerable: true, get: () => (wReads++ === 0 ? 1 : -1) });
report.changingWeight = outcome(() => Array.from(gram([[1, 2], [3, 4], [5, 6]], { weights }).data));
report.changingWeightEps = outcome(() => epsRank([[1, 2], [3, 4], [5, 6]], { eps: 1e-3, weights }));

// Sparse nested arrays with 2·10⁹ holes: refused before allocating 16 GB.
const sparse = new Array<number>(1e9);
const rss0 = process.memoryUsage().rss;
const t0 = Date.now();
report.sparseNested = outcome(() => svdvals([sparse, sparse]));
report.sparseMs = Date.now() - t0;
report.sparseRssMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
console.log(JSON.stringify(report));
