/** Fuzz targets: the linear-algebra entry points of src/index.ts, sync and async. */
import fc from 'fast-check';

import * as E from '../../src/index.js';
import {
  type Expect,
  type Stats,
  ensure,
  ensureArray,
  ensureAscending,
  ensureCount,
  ensureDescending,
  ensureFinite,
  ensureNonNegative,
  eigenResidual,
  frobenius,
  maxAbs,
  overflowRisk,
  preview,
  reconstructionError,
  symmetricFromLower,
  tolerance,
  verify,
  verifyAsync,
} from './checks.js';
import {
  type BatchDesc,
  type Facts,
  type MatrixDesc,
  type Opt,
  type WeightsDesc,
  batchDesc,
  buildBatch,
  buildWeights,
  junk,
  matrixDesc,
  optionValue,
  optionsArg,
  realCopy,
  realFloatArray,
  scalarArg,
  weightsDesc,
} from './inputs.js';
import { type After, type Target, afterArb, asyncTarget, build, disturb, expectFor, riskOf, symmetrize, syncTarget, weightFacts } from './target.js';

type Run = (stats: Stats, call: () => unknown, expect: Expect, check: (v: unknown) => void, after: () => void) => void | Promise<void>;
const runSync: Run = (stats, call, expect, check) => verify(stats, call, expect, check);
const runAsync: Run = (stats, call, expect, check, after) => verifyAsync(stats, call, expect, check, after);

function ctorOf(dtype: 'f32' | 'f64'): typeof Float32Array | typeof Float64Array {
  return dtype === 'f32' ? Float32Array : Float64Array;
}

// ---------------------------------------------------------------------------
// svd / svdvals

const svdOptions = optionsArg({ vectors: optionValue(['none', 'thin', 'full', undefined], ['Thin', 'both', '', 'toString', 'constructor', 1, true]) });

function checkSvd(v: unknown, f: Facts, mode: 'none' | 'thin' | 'full', risk: boolean): void {
  const { rows: m, cols: n, dtype } = f;
  const k = Math.min(m, n);
  const T = ctorOf(dtype);
  ensure(v !== null && typeof v === 'object', 'svd returned a non-object');
  const r = v as { s: unknown; u?: { data: unknown; rows: number; cols: number }; vt?: { data: unknown; rows: number; cols: number } };
  ensureArray(r.s, T, k, 's');
  if (mode === 'none') {
    ensure(r.u === undefined && r.vt === undefined, "vectors: 'none' returned vectors");
  } else {
    const uc = mode === 'full' ? m : k;
    const vr = mode === 'full' ? n : k;
    ensure(r.u && r.u.rows === m && r.u.cols === uc, () => `u is ${preview(r.u && { rows: r.u.rows, cols: r.u.cols })}, expected ${m}×${uc}`);
    ensure(r.vt && r.vt.rows === vr && r.vt.cols === n, () => `vt is ${preview(r.vt && { rows: r.vt.rows, cols: r.vt.cols })}, expected ${vr}×${n}`);
    ensureArray(r.u.data, T, m * uc, 'u.data');
    ensureArray(r.vt.data, T, vr * n, 'vt.data');
  }
  if (risk) return;
  const s = r.s as Float64Array;
  const { rel, tiny } = tolerance(dtype);
  ensureFinite(s, 's');
  ensureNonNegative(s, 's');
  ensureDescending(s, 's');
  const fro = frobenius(f.values);
  const big = maxAbs(f.values);
  ensure(s[0]! <= fro * (1 + rel) + tiny && s[0]! >= big * (1 - rel) - tiny, () => `σ_max = ${s[0]} outside [max|a| = ${big}, ‖a‖_F = ${fro}]`);
  if (mode !== 'none') {
    const u = r.u!.data as Float64Array;
    const vt = r.vt!.data as Float64Array;
    ensureFinite(u, 'u');
    ensureFinite(vt, 'vt');
    const err = reconstructionError(f.values, m, n, u, r.u!.cols, s, vt);
    ensure(err <= 20 * rel * fro + tiny, () => `‖a − u·s·vt‖_max = ${err} for ‖a‖_F = ${fro}`);
  }
}

function svdTargets(): Target[] {
  const make = (name: string, isAsync: boolean, valuesOnly: boolean, run: Run, call: (a: unknown, o: unknown) => unknown): Target => {
    const body = (stats: Stats, d: MatrixDesc, o: Opt, after: After) => {
      const { input, facts } = build(d);
      const mode = valuesOnly ? 'none' : o.ok ? (((o.v as { vectors?: string } | undefined)?.vectors as 'none' | 'thin' | 'full' | undefined) ?? 'thin') : 'thin';
      const risk = riskOf(facts);
      return run(
        stats,
        () => call(input, o.v),
        expectFor(facts, valuesOnly || o.ok, true, risk),
        (v) => {
          if (valuesOnly) {
            checkSvd({ s: v }, facts!, 'none', risk);
          } else if (o.ok) checkSvd(v, facts!, mode, risk);
          else ensure(v !== null && typeof v === 'object', 'svd returned a non-object');
        },
        () => disturb(input, after),
      );
    };
    const covers = [`index:${name}`];
    return isAsync
      ? asyncTarget(name, covers, [matrixDesc(), svdOptions, afterArb], (s, d, o, a) => body(s, d, o, a) as Promise<void>)
      : syncTarget(name, covers, [matrixDesc(), svdOptions], (s, d, o) => void body(s, d, o, 'none'));
  };
  return [
    make('svd', false, false, runSync, (a, o) => E.svd(a as never, o as never)),
    make('svdAsync', true, false, runAsync, (a, o) => E.svdAsync(a as never, o as never)),
    make('svdvals', false, true, runSync, (a) => E.svdvals(a as never)),
    make('svdvalsAsync', true, true, runAsync, (a) => E.svdvalsAsync(a as never)),
  ];
}

// ---------------------------------------------------------------------------
// eigh / eigvalsh

function checkEigh(v: unknown, f: Facts, vectors: boolean, risk: boolean): void {
  const n = f.rows;
  const T = ctorOf(f.dtype);
  ensure(v !== null && typeof v === 'object', 'eigh returned a non-object');
  const r = v as { values: unknown; vectors?: { data: unknown; rows: number; cols: number } };
  ensureArray(r.values, T, n, 'values');
  if (vectors) {
    ensure(r.vectors && r.vectors.rows === n && r.vectors.cols === n, 'vectors is not n×n');
    ensureArray(r.vectors.data, T, n * n, 'vectors.data');
  } else {
    ensure(r.vectors === undefined, 'vectors: false returned vectors');
  }
  if (risk) return;
  const values = r.values as Float64Array;
  const { rel, tiny } = tolerance(f.dtype);
  ensureFinite(values, 'values');
  ensureAscending(values, 'values');
  const s = symmetricFromLower(f.values, n);
  const fro = frobenius(s);
  ensure(maxAbs(values) <= fro * (1 + rel) + tiny, () => `max|λ| = ${maxAbs(values)} > ‖S‖_F = ${fro}`);
  if (vectors) {
    const vec = r.vectors!.data as Float64Array;
    ensureFinite(vec, 'vectors');
    const res = eigenResidual(s, n, values, vec);
    ensure(res <= 20 * rel * fro + tiny, () => `‖S·v − λ·v‖ = ${res} for ‖S‖_F = ${fro}`);
  }
}

const eighOptions = optionsArg({
  vectors: optionValue([true, false, undefined], [0, 1, 'yes', null]),
  check: optionValue([true, false, undefined], [0, 1, 'yes', null]),
});
const eigvalshOptions = optionsArg({ check: optionValue([true, false, undefined], [1, 'no']) });

function eighTargets(): Target[] {
  const make = (name: string, isAsync: boolean, valuesOnly: boolean, run: Run, call: (a: unknown, o: unknown) => unknown): Target => {
    const body = (stats: Stats, d0: MatrixDesc, sym: boolean, o: Opt, after: After) => {
      const { input, facts } = build(symmetrize(d0, sym));
      const opts = (o.ok ? o.v : undefined) as { vectors?: boolean; check?: boolean } | undefined;
      const vectors = !valuesOnly && (opts?.vectors ?? true);
      const checking = opts?.check === true;
      const square = facts !== null && facts.rows === facts.cols;
      // check: true rejects an asymmetric matrix, so only symmetric data has to succeed.
      const symmetric = facts !== null && square && isSymmetric(facts.values, facts.rows);
      const risk = riskOf(facts);
      let expect = expectFor(facts, o.ok, square, risk);
      if (expect === 'ok' && checking && !symmetric) expect = 'any';
      return run(
        stats,
        () => call(input, o.v),
        expect,
        (v) => {
          if (!o.ok || !facts) return void ensure(v !== null && typeof v === 'object', 'eigh returned a non-object');
          if (valuesOnly) checkEigh({ values: v }, facts, false, risk);
          else checkEigh(v, facts, vectors, risk);
        },
        () => disturb(input, after),
      );
    };
    const covers = [`index:${name}`];
    const opts = valuesOnly ? eigvalshOptions : eighOptions;
    return isAsync
      ? asyncTarget(name, covers, [matrixDesc({ square: true }), fc.boolean(), opts, afterArb], (s, d, y, o, a) => body(s, d, y, o, a) as Promise<void>)
      : syncTarget(name, covers, [matrixDesc({ square: true }), fc.boolean(), opts], (s, d, y, o) => void body(s, d, y, o, 'none'));
  };
  return [
    make('eigh', false, false, runSync, (a, o) => E.eigh(a as never, o as never)),
    make('eighAsync', true, false, runAsync, (a, o) => E.eighAsync(a as never, o as never)),
    make('eigvalsh', false, true, runSync, (a, o) => E.eigvalsh(a as never, o as never)),
    make('eigvalshAsync', true, true, runAsync, (a, o) => E.eigvalshAsync(a as never, o as never)),
  ];
}

function isSymmetric(a: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (!Object.is(a[i * n + j], a[j * n + i]) && a[i * n + j] !== a[j * n + i]) return false;
  return true;
}

// ---------------------------------------------------------------------------
// gram

interface GramOpts {
  side: Opt;
  accumulate: Opt;
  scale: Opt;
  weights: WeightsDesc;
  shape: 'record' | 'undefined' | 'junk';
  junk: unknown;
}

const gramOptionsArb: fc.Arbitrary<GramOpts> = fc.record({
  side: optionValue(['cols', 'rows', undefined], ['Cols', 'both', 0, 1]),
  accumulate: optionValue(['float64', 'input', undefined], ['float32', 'Float64', 64]),
  scale: optionValue([undefined, 1, 0.5, 3, 0, -2, 1e-300, 1e10], [Number.NaN, Number.POSITIVE_INFINITY, '2', null]),
  weights: weightsDesc,
  shape: fc.constantFrom<'record' | 'undefined' | 'junk'>('record', 'record', 'record', 'record', 'undefined', 'junk'),
  junk: fc.constantFrom(null, 7, 'rows', [], true),
});

function checkGram(v: unknown, f: Facts, side: 'cols' | 'rows', widen: boolean, w: Float64Array | null, scale: number, risk: boolean): void {
  const dim = side === 'cols' ? f.cols : f.rows;
  const dtype = widen ? 'f64' : f.dtype;
  ensure(v !== null && typeof v === 'object', 'gram returned a non-object');
  const g = v as { data: Float64Array; rows: number; cols: number };
  ensure(g.rows === dim && g.cols === dim, () => `gram is ${g.rows}×${g.cols}, expected ${dim}×${dim}`);
  ensureArray(g.data, ctorOf(dtype), dim * dim, 'gram.data');
  if (risk) return;
  ensureFinite(g.data, 'gram');
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) ensure(g.data[i * dim + j] === g.data[j * dim + i], () => `gram is not exactly symmetric at (${i}, ${j})`);
  }
  // The diagonal, independently in float64: scale·Σ w·a².
  const { rel, tiny } = tolerance(f.dtype === 'f32' && !widen ? 'f32' : 'f64');
  const { rows: m, cols: n, values } = f;
  for (let d = 0; d < dim; d++) {
    let ref = 0;
    const count = side === 'cols' ? m : n;
    for (let k = 0; k < count; k++) {
      const x = side === 'cols' ? values[k * n + d]! : values[d * n + k]!;
      ref += (w ? w[k]! : 1) * x * x;
    }
    ref *= scale;
    ensure(Math.abs(g.data[d * dim + d]! - ref) <= 10 * rel * Math.abs(ref) + tiny, () => `gram[${d}, ${d}] = ${g.data[d * dim + d]}, expected ${ref}`);
  }
}

function gramTargets(): Target[] {
  const make = (name: string, isAsync: boolean, run: Run, call: (a: unknown, o: unknown) => unknown): Target => {
    const body = (stats: Stats, d: MatrixDesc, g: GramOpts, after: After) => {
      const { input, facts } = build(d);
      const record = g.shape === 'record';
      const side = (record && g.side.ok ? (g.side.v as 'cols' | 'rows' | undefined) : undefined) ?? 'cols';
      const expected = facts ? (side === 'cols' ? facts.rows : facts.cols) : undefined;
      const weights = buildWeights(g.weights, expected);
      const options: unknown =
        g.shape === 'undefined' ? undefined : g.shape === 'junk' ? g.junk : { side: g.side.v, accumulate: g.accumulate.v, scale: g.scale.v, weights };
      const w = facts ? weightFacts(weights, expected!) : null;
      const weightsOk = g.weights.kind === 'none' || (g.weights.kind === 'valid' && w !== null);
      const optionsOk = g.shape === 'undefined' || (g.shape === 'record' && g.side.ok && g.accumulate.ok && g.scale.ok && weightsOk);
      const useW = g.shape === 'record' ? w : null;
      const scale = g.shape === 'record' && g.scale.ok && typeof g.scale.v === 'number' ? g.scale.v : 1;
      const widen = g.shape === 'record' && g.accumulate.ok && g.accumulate.v === 'float64';
      // A large weight is not compensated by a small scale: the product may overflow in between.
      const risk = facts !== null && overflowRisk(facts.values, widen ? 'f64' : facts.dtype, Math.max(1, useW ? maxAbs(useW) : 1) * Math.max(1, Math.abs(scale)) * 4);
      let expect = expectFor(facts, optionsOk, true, risk);
      // Bad weights with a well-formed matrix and otherwise valid options must be rejected as such.
      if (facts && g.shape === 'record' && g.side.ok && g.accumulate.ok && g.scale.ok && g.weights.kind === 'bad') expect = 'ERR_INVALID_ARGUMENT';
      return run(
        stats,
        () => call(input, options),
        expect,
        (v) => {
          if (!optionsOk || !facts) return void ensure(v !== null && typeof v === 'object', 'gram returned a non-object');
          checkGram(v, facts, side, widen, useW, scale, risk);
        },
        () => disturb({ data: input, weights }, after),
      );
    };
    const covers = [`index:${name}`];
    return isAsync
      ? asyncTarget(name, covers, [matrixDesc(), gramOptionsArb, afterArb], (s, d, g, a) => body(s, d, g, a) as Promise<void>)
      : syncTarget(name, covers, [matrixDesc(), gramOptionsArb], (s, d, g) => void body(s, d, g, 'none'));
  };
  return [
    make('gram', false, runSync, (a, o) => E.gram(a as never, o as never)),
    make('gramAsync', true, runAsync, (a, o) => E.gramAsync(a as never, o as never)),
  ];
}

// ---------------------------------------------------------------------------
// countEigenvaluesAbove

function countTargets(): Target[] {
  const make = (name: string, isAsync: boolean, run: Run, call: (a: unknown, t: unknown) => unknown): Target => {
    const body = (stats: Stats, d0: MatrixDesc, sym: boolean, t: unknown, after: After) => {
      const { input, facts } = build(symmetrize(d0, sym));
      const tOk = typeof t === 'number' && Number.isFinite(t);
      const square = facts !== null && facts.rows === facts.cols;
      const risk = riskOf(facts);
      let expect = expectFor(facts, tOk, square, risk);
      if (facts && square && !tOk) expect = 'ERR_INVALID_ARGUMENT';
      return run(
        stats,
        () => call(input, t),
        expect,
        (v) => {
          ensureCount(v, facts ? facts.rows : 0, 'count');
          if (risk || !facts) return;
          // All eigenvalues lie in [−‖S‖_F, ‖S‖_F].
          const n = facts.rows;
          const fro = frobenius(symmetricFromLower(facts.values, n));
          const { rel, tiny } = tolerance(facts.dtype);
          const margin = fro * (1 + 10 * rel) + 10 * tiny;
          if ((t as number) > margin) ensure(v === 0, () => `count = ${v} for t = ${t} > ‖S‖_F = ${fro}`);
          if ((t as number) < -margin) ensure(v === n, () => `count = ${v} for t = ${t} < −‖S‖_F = ${-fro}`);
        },
        () => disturb(input, after),
      );
    };
    const covers = [`index:${name}`];
    return isAsync
      ? asyncTarget(name, covers, [matrixDesc({ square: true }), fc.boolean(), scalarArg, afterArb], (s, d, y, t, a) => body(s, d, y, t, a) as Promise<void>)
      : syncTarget(name, covers, [matrixDesc({ square: true }), fc.boolean(), scalarArg], (s, d, y, t) => void body(s, d, y, t, 'none'));
  };
  return [
    make('countEigenvaluesAbove', false, runSync, (a, t) => E.countEigenvaluesAbove(a as never, t as never)),
    make('countEigenvaluesAboveAsync', true, runAsync, (a, t) => E.countEigenvaluesAboveAsync(a as never, t as never)),
  ];
}

// ---------------------------------------------------------------------------
// batched

interface BatchFacts {
  count: number;
  rows: number;
  cols: number;
  dtype: 'f32' | 'f64';
  values: Float64Array;
}

function batchFacts(x: unknown, kind: 'rect' | 'square'): BatchFacts | null {
  if (x === null || typeof x !== 'object') return null;
  try {
    const b = x as Record<string, unknown>;
    const dims = kind === 'rect' ? [b.count, b.rows, b.cols] : [b.count, b.n, b.n];
    if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 2 ** 31 - 1)) return null;
    const [count, rows, cols] = dims as [number, number, number];
    if (rows * cols > 2 ** 31 - 1) return null;
    if (!realFloatArray(b.data)) return null;
    const copy = realCopy(b.data);
    if (copy === null || copy.length !== count * rows * cols) return null;
    return { count, rows, cols, dtype: b.data instanceof Float32Array ? 'f32' : 'f64', values: Float64Array.from(copy) };
  } catch {
    return null;
  }
}

function batchedTargets(): Target[] {
  const make = (name: string, kind: 'rect' | 'square', isAsync: boolean, run: Run, call: (b: unknown) => unknown): Target => {
    const body = (stats: Stats, d: BatchDesc, after: After) => {
      const input = buildBatch(d, kind);
      const f = batchFacts(input, kind);
      const asFacts: Facts | null = f && { rows: f.rows, cols: f.cols, dtype: f.dtype, values: f.values };
      const risk = riskOf(asFacts);
      return run(
        stats,
        () => call(input),
        expectFor(asFacts, true, true, risk),
        (v) => {
          const out = v as { data: unknown; count: number; k?: number; n?: number };
          const per = kind === 'rect' ? Math.min(f!.rows, f!.cols) : f!.rows;
          ensure(out.count === f!.count, 'count differs');
          ensure((kind === 'rect' ? out.k : out.n) === per, 'k / n differs');
          ensureArray(out.data, ctorOf(f!.dtype), f!.count * per, 'batch result');
          if (risk) return;
          const data = out.data as Float64Array;
          ensureFinite(data, 'batch result');
          if (kind === 'rect') {
            ensureNonNegative(data, 'batch σ');
            ensureDescending(data, 'batch σ', per);
          } else {
            ensureAscending(data, 'batch λ', per);
          }
          const { rel, tiny } = tolerance(f!.dtype);
          const size = f!.rows * f!.cols;
          for (let b = 0; b < f!.count; b++) {
            const block = f!.values.subarray(b * size, (b + 1) * size);
            const fro = frobenius(kind === 'rect' ? block : symmetricFromLower(block, f!.rows));
            const top = maxAbs(data.subarray(b * per, (b + 1) * per));
            ensure(top <= fro * (1 + rel) + tiny, () => `matrix ${b}: max |value| = ${top} > ‖·‖_F = ${fro}`);
            if (kind === 'rect') ensure(top >= maxAbs(block) * (1 - rel) - tiny, () => `matrix ${b}: σ_max = ${top} < max|a|`);
          }
        },
        () => disturb(input, after),
      );
    };
    const covers = [`index:${name}`];
    return isAsync
      ? asyncTarget(name, covers, [batchDesc(kind), afterArb], (s, d, a) => body(s, d, a) as Promise<void>)
      : syncTarget(name, covers, [batchDesc(kind)], (s, d) => void body(s, d, 'none'));
  };
  return [
    make('svdvalsBatched', 'rect', false, runSync, (b) => E.svdvalsBatched(b as never)),
    make('svdvalsBatchedAsync', 'rect', true, runAsync, (b) => E.svdvalsBatchedAsync(b as never)),
    make('eigvalshBatched', 'square', false, runSync, (b) => E.eigvalshBatched(b as never)),
    make('eigvalshBatchedAsync', 'square', true, runAsync, (b) => E.eigvalshBatchedAsync(b as never)),
  ];
}

// ---------------------------------------------------------------------------
// threads, limits, backend info

const tiny2x2 = { data: Float64Array.of(3, 0, 0, 4), rows: 2, cols: 2 };

function backendTargets(): Target[] {
  const hw = E.backendInfo().hardwareThreads;
  const threadsArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 * hw + 2 }) },
    { weight: 2, arbitrary: fc.constantFrom(2 ** 20, 2 ** 31, 2 ** 53 - 1, 1e308, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null, undefined, 2n) },
    { weight: 1, arbitrary: junk },
  );
  const limitsArb = fc.oneof(
    { weight: 4, arbitrary: fc.record({ maxElements: fc.oneof(fc.constantFrom(0, 1, 2, 100, 1000, 10_000, 1e6, 2 ** 31, 2 ** 53 - 1), fc.nat()) }) },
    { weight: 2, arbitrary: fc.record({ maxElements: fc.constantFrom(-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '10', null, undefined, 10n, {}) }) },
    { weight: 1, arbitrary: junk },
  );
  return [
    syncTarget('setNumThreads', ['index:setNumThreads', 'index:getNumThreads'], [threadsArb], (stats, n) => {
      const before = E.getNumThreads();
      try {
        const valid = typeof n === 'number' && Number.isInteger(n) && n >= 1;
        verify(stats, () => E.setNumThreads(n as never), !valid ? 'ERR_INVALID_ARGUMENT' : n <= 2 ** 53 ? 'ok' : 'any', (v) => {
          ensure(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= hw, () => `setNumThreads returned ${preview(v)}`);
          ensure(E.getNumThreads() === v, 'getNumThreads differs from what setNumThreads applied');
          ensure(v === Math.min(n as number, hw), `setNumThreads(${String(n)}) applied ${v}`);
        });
        // Whatever happened, computing still works.
        ensure(E.svdvals(tiny2x2)[0] === 4, 'svdvals after setNumThreads');
      } finally {
        E.setNumThreads(before);
      }
    }),
    syncTarget('setLimits', ['index:setLimits', 'index:getLimits'], [limitsArb], (stats, opts) => {
      const before = E.getLimits();
      try {
        const cap = (opts as { maxElements?: unknown } | null)?.maxElements;
        const known = opts !== null && typeof opts === 'object' && !Array.isArray(opts) && Object.keys(opts).length === 1;
        const valid = known && typeof cap === 'number' && Number.isSafeInteger(cap) && cap >= 0;
        const invalid = known && cap !== undefined && !valid;
        verify(stats, () => E.setLimits(opts as never), valid ? 'ok' : invalid ? 'ERR_INVALID_ARGUMENT' : 'any', () => {
          if (valid) ensure(E.getLimits().maxElements === cap, () => `getLimits() = ${preview(E.getLimits())} after setting ${String(cap)}`);
        });
        if (invalid) ensure(E.getLimits().maxElements === before.maxElements, 'a rejected setLimits changed the limits');
        // Under the cap a small job runs or fails with ERR_OUT_OF_MEMORY; a cap ≥ 1e6 (or none) lets it run.
        const limit = E.getLimits().maxElements;
        verify(stats, () => E.svdvals(tiny2x2), limit === 0 || limit >= 1e6 ? 'ok' : 'any', (v) => ensure((v as Float64Array)[0] === 4, 'wrong σ'));
      } finally {
        E.setLimits(before);
      }
    }),
    syncTarget('backendInfo', ['index:backendInfo'], [fc.anything()], (stats, junkArg) => {
      verify(stats, () => (E.backendInfo as (x: unknown) => unknown)(junkArg), 'ok', (v) => {
        const b = v as E.BackendInfo;
        ensure(b.blas === 'OpenBLAS' && typeof b.blasConfig === 'string' && typeof b.addonVersion === 'string', 'backendInfo fields');
        ensure(Number.isInteger(b.threads) && b.threads >= 1 && b.threads <= b.hardwareThreads, 'backendInfo threads');
        ensure(Number.isInteger(b.queuedJobs) && b.queuedJobs >= 0, 'backendInfo queuedJobs');
      });
      verify(stats, () => (E.getNumThreads as (x: unknown) => unknown)(junkArg), 'ok', (v) => ensureCount(v, hw, 'getNumThreads'));
      verify(stats, () => (E.getLimits as (x: unknown) => unknown)(junkArg), 'ok', (v) => ensure(Number.isSafeInteger((v as E.Limits).maxElements), 'getLimits'));
      verify(stats, () => E.isEffrankError(junkArg), 'ok', (v) => ensure(v === false, 'isEffrankError(junk) is not false'));
    }),
  ].map((t) => (t.name === 'backendInfo' ? { ...t, covers: [...t.covers, 'index:isEffrankError'] } : t));
}

export function coreTargets(): Target[] {
  return [...svdTargets(), ...eighTargets(), ...gramTargets(), ...countTargets(), ...batchedTargets(), ...backendTargets()];
}
